import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo } from 'node:net';
import { NotificationErrorCode } from '@stepwise/contracts';
import { makeTestCertificates, type TestCertificates } from '../testing/test-ca';
import { DeliveryError } from './channel';
import { type HostResolver, WebhookDestinations, addressRefusal } from './webhook-destination';
import { WebhookSender } from './webhook.sender';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** A real server on loopback counting the requests that reach it. */
class Receiver {
  constructor(
    readonly server: Server,
    private readonly counter: { count: number },
  ) {}

  get hits(): number {
    return this.counter.count;
  }

  static async start(handler: Handler, tls?: { key: string; cert: string }): Promise<Receiver> {
    const hits = { count: 0 };
    const counting: Handler = (request, response) => {
      hits.count += 1;
      request.resume();
      request.on('end', () => handler(request, response));
    };
    const server = tls === undefined ? createServer(counting) : createHttpsServer(tls, counting);
    const receiver = new Receiver(server, hits);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Names that resolve as the test says: the DNS answers a subscriber's (or an attacker's) server would give. */
const resolverOf =
  (answers: Record<string, string[] | (() => string[])>): HostResolver =>
  (hostname) => {
    const answer = answers[hostname];
    if (answer === undefined) return Promise.reject(new Error('ENOTFOUND'));
    return Promise.resolve(typeof answer === 'function' ? answer() : answer);
  };

const development = { production: false };
const production = { production: true };

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DeliveryError) return error;
    throw error;
  }
  throw new Error('expected the delivery to fail');
}

const post = (sender: WebhookSender, url: string): Promise<void> =>
  sender.post(
    url,
    ['whsec_test'],
    'b8a4e0f2-1111-4c1e-9d7a-1a2b3c4d5e6f',
    '{"eventType":"SessionAttended"}',
    1_790_000_000,
  );

describe(addressRefusal.name, () => {
  it.each([
    ['10.1.2.3', 'private-address'],
    ['172.16.0.1', 'private-address'],
    ['192.168.1.10', 'private-address'],
    ['169.254.10.1', 'link-local-address'],
    ['fe80::1', 'link-local-address'],
    ['100.64.0.1', 'shared-address'],
    ['fc00::1', 'unique-local-address'],
    ['fd12:3456::1', 'unique-local-address'],
    ['::ffff:10.0.0.1', 'ipv4-mapped-address'],
    ['::ffff:8.8.8.8', 'ipv4-mapped-address'],
    ['169.254.169.254', 'metadata-address'],
    ['fd00:ec2::254', 'metadata-address'],
    ['100.100.100.200', 'metadata-address'],
    ['192.0.0.192', 'metadata-address'],
    ['0.0.0.0', 'special-address'],
    ['::', 'special-address'],
    ['224.0.0.1', 'special-address'],
    ['2002:a00:1::1', 'special-address'],
  ])('refuses %s as %s everywhere', (address, refusal) => {
    expect(addressRefusal(address, development)).toBe(refusal);
    expect(addressRefusal(address, production)).toBe(refusal);
  });

  it('refuses loopback in production only', () => {
    expect(addressRefusal('127.0.0.1', production)).toBe('loopback-address');
    expect(addressRefusal('::1', production)).toBe('loopback-address');
    expect(addressRefusal('127.0.0.1', development)).toBeUndefined();
  });

  it('accepts public unicast addresses', () => {
    expect(addressRefusal('93.184.216.34', production)).toBeUndefined();
    expect(addressRefusal('2606:4700:4700::1111', production)).toBeUndefined();
  });
});

describe(WebhookDestinations.name, () => {
  const public4 = resolverOf({ 'hooks.example.org': ['93.184.216.34'], localhost: ['::1', '127.0.0.1'] });

  it.each([
    ['http://hooks.example.org/x', production, 'https-required'],
    ['http://127.0.0.1:8080/x', production, 'https-required'],
    ['https://127.0.0.1/x', production, 'loopback-address'],
    ['https://localhost/x', production, 'loopback-address'],
    ['http://hooks.example.org/x', development, 'http-loopback-only'],
    ['ftp://hooks.example.org/x', development, 'https-required'],
    ['https://user:pw@hooks.example.org/x', production, 'credentials-in-url'],
    ['https://[::ffff:7f00:1]/x', development, 'ipv4-mapped-address'],
    ['https://0x7f.1/x', production, 'loopback-address'],
    ['https://unknown.example.org/x', production, 'unresolvable'],
  ])('refuses %s (%p) as %s', async (url, policy, refusal) => {
    await expect(new WebhookDestinations(policy, public4).check(url)).rejects.toMatchObject({ refusal });
  });

  it('accepts https to a public name in production, and http to loopback outside it', async () => {
    await expect(
      new WebhookDestinations(production, public4).check('https://hooks.example.org/x'),
    ).resolves.toMatchObject({ address: '93.184.216.34', family: 4 });
    await expect(
      new WebhookDestinations(development, public4).check('http://127.0.0.1:9/x'),
    ).resolves.toMatchObject({ address: '127.0.0.1' });
  });

  it('refuses a name any of whose answers is private, whichever comes first', async () => {
    const mixed = resolverOf({ 'hooks.example.org': ['93.184.216.34', '10.0.0.7'] });
    await expect(
      new WebhookDestinations(production, mixed).check('https://hooks.example.org/x'),
    ).rejects.toMatchObject({ refusal: 'private-address' });
  });
});

describe(WebhookSender.name, () => {
  let certificates: TestCertificates;
  const receivers: Receiver[] = [];
  const start = async (handler: Handler, tls = true): Promise<Receiver> => {
    const receiver = await Receiver.start(handler, tls ? certificates : undefined);
    receivers.push(receiver);
    return receiver;
  };
  const ok: Handler = (_request, response) => response.writeHead(204).end();

  beforeAll(() => {
    certificates = makeTestCertificates('hooks.test');
  });
  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((r) => r.stop()));
  });
  afterAll(() => certificates.cleanup());

  const sender = (
    resolve: HostResolver,
    options: Partial<{ timeoutMs: number; maxResponseBytes: number; extraCa: string }> = {},
  ): WebhookSender =>
    new WebhookSender(new WebhookDestinations(development, resolve), {
      timeoutMs: 5_000,
      maxResponseBytes: 1_024,
      extraCa: certificates.ca,
      ...options,
    });

  it('posts over verified TLS to the checked address of the name (a private CA passed in configuration)', async () => {
    const receiver = await start(ok);
    // hooks.test exists only in this resolver: the connection reaching the receiver proves it went to the
    // checked address, while the certificate was verified against the name.
    await post(sender(resolverOf({ 'hooks.test': ['127.0.0.1'] })), `https://hooks.test:${receiver.port}/h`);
    expect(receiver.hits).toBe(1);
  });

  it('refuses a certificate it cannot verify: TLS verification is never off', async () => {
    const receiver = await start(ok);
    const error = await failure(
      post(
        sender(resolverOf({ 'hooks.test': ['127.0.0.1'] }), { extraCa: undefined }),
        `https://hooks.test:${receiver.port}/h`,
      ),
    );
    expect(error.code).toBe(NotificationErrorCode.DestinationUnreachable);
    expect(error.reason).toMatch(/cert|self/);
    expect(receiver.hits).toBe(0);
  });

  it('refuses a certificate for another name', async () => {
    const receiver = await start(ok);
    const error = await failure(
      post(sender(resolverOf({ 'other.test': ['127.0.0.1'] })), `https://other.test:${receiver.port}/h`),
    );
    expect(error.reason).toMatch(/altname|cert/);
    expect(receiver.hits).toBe(0);
  });

  it('never connects to a name that resolves to a private address', async () => {
    const error = await failure(
      post(sender(resolverOf({ 'intranet.test': ['192.168.0.10'] })), 'https://intranet.test/h'),
    );
    expect(error).toMatchObject({
      code: NotificationErrorCode.InvalidDestination,
      retryable: false,
      reason: 'destination-refused:private-address',
    });
  });

  it('checks the name again at each delivery: a rebinding to the metadata address is refused', async () => {
    const receiver = await start(ok);
    const answers = [['127.0.0.1'], ['169.254.169.254']];
    const rebinding = resolverOf({ 'hooks.test': () => answers.shift() ?? [] });
    const webhooks = sender(rebinding);
    await post(webhooks, `https://hooks.test:${receiver.port}/h`);
    const error = await failure(post(webhooks, `https://hooks.test:${receiver.port}/h`));
    expect(error.reason).toBe('destination-refused:metadata-address');
    expect(receiver.hits).toBe(1);
  });

  it('does not follow a redirect to an internal address', async () => {
    const internal = await start(ok, false);
    const redirecting = await start((_request, response) =>
      response.writeHead(307, { location: `http://127.0.0.1:${internal.port}/admin` }).end(),
    );
    const error = await failure(
      post(sender(resolverOf({ 'hooks.test': ['127.0.0.1'] })), `https://hooks.test:${redirecting.port}/h`),
    );
    expect(error).toMatchObject({ code: NotificationErrorCode.WebhookRejected, reason: 'http-307' });
    expect(redirecting.hits).toBe(1);
    expect(internal.hits).toBe(0);
  });

  it('stops reading an oversized answer', async () => {
    let written = 0;
    const receiver = await start((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(16_384, 'x');
      const pump = (): void => {
        // Keeps writing until the client hangs up: up to 64 MB if it never did.
        while (written < 64 * 1024 * 1024 && !response.destroyed) {
          written += chunk.length;
          if (!response.write(chunk)) return void response.once('drain', pump);
        }
        response.end();
      };
      pump();
    });
    const error = await failure(
      post(sender(resolverOf({ 'hooks.test': ['127.0.0.1'] })), `https://hooks.test:${receiver.port}/h`),
    );
    expect(error).toMatchObject({ reason: 'response-too-large', retryable: false });
    expect(written).toBeLessThan(64 * 1024 * 1024);
  });

  it('gives up on a receiver that answers too slowly, as a retryable timeout', async () => {
    const receiver = await start((_request, response) => {
      // Headers at once, then a body that never ends: only the overall time limit ends it.
      response.writeHead(200);
      response.write('.');
    });
    const started = Date.now();
    const error = await failure(
      post(
        sender(resolverOf({ 'hooks.test': ['127.0.0.1'] }), { timeoutMs: 300 }),
        `https://hooks.test:${receiver.port}/h`,
      ),
    );
    expect(error).toMatchObject({ code: NotificationErrorCode.Timeout, retryable: true });
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});

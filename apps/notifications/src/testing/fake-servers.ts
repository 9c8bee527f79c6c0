import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** Test stand-ins for what lives outside this service, each a real server on loopback. */

async function listen(server: Server | SMTPServer, port = 0): Promise<number> {
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = (server as { server?: Server }).server?.address() ?? (server as Server).address();
  return (address as AddressInfo).port;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** An HTTP server on a free loopback port; `handle` answers each request. */
abstract class LoopbackServer {
  private server: Server | undefined;
  url = '';

  protected abstract handle(request: IncomingMessage, response: ServerResponse): Promise<void>;

  /** Starts listening and returns the base URL (`http://127.0.0.1:<port>`). */
  async listen(): Promise<string> {
    this.server = createServer((request, response) => {
      void this.handle(request, response);
    });
    this.url = `http://127.0.0.1:${await listen(this.server)}`;
    return this.url;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  }
}

export interface CapturedMail {
  readonly to: string[];
  readonly raw: string;
}

/** A real SMTP server (smtp-server) that keeps what it receives. */
export class MailCatcher {
  readonly mails: CapturedMail[] = [];
  private server: SMTPServer | undefined;
  port = 0;

  async start(port = 0): Promise<string> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          this.mails.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    this.port = await listen(this.server, port);
    return `smtp://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

export interface PeerRequest {
  readonly method: string;
  readonly path: string;
  /** The query string, with its `?` (empty when none). */
  readonly query: string;
  readonly authorization: string | undefined;
  readonly body: string;
}

interface ContactRecord {
  address: string;
  timeZone: string;
  preferredLanguage: string;
  displayName?: string;
}

/**
 * Intake and scheduling as notifications sees them (the internal contact and disclosure-check endpoints), plus
 * the identity provider's token endpoint, on one loopback server.
 */
export class FakePeers extends LoopbackServer {
  readonly requests: PeerRequest[] = [];
  /** `client:<id>:<channel>`, `staff:<id>:<channel>`, `family:<clientId>:<recipientId>:<channel>` → contact. */
  readonly contacts = new Map<string, ContactRecord>();
  /** Consents intake considers revoked (by recipient id): the disclosure check answers not allowed. */
  readonly revokedRecipients = new Set<string>();
  /**
   * The consents intake allows under, by `<clientId>:<recipientId>`: the id and the terms (scope, redisclosure
   * statement) it answers with an allowed check. A recipient without one is refused `no-consent`.
   */
  readonly consents = new Map<string, { consentId: string; terms: Record<string, unknown> }>();
  /** Consents revoked at intake, by `<clientId>:<recipientId>` (see `revoke`). */
  private readonly revokedConsents = new Set<string>();

  /**
   * Makes intake refuse disclosures under a client's consent to a recipient as revoked, as intake answers from
   * the moment the revocation is recorded (before notifications has projected the ConsentRevoked event).
   */
  revoke(clientId: string, recipientId: string): void {
    const key = `${clientId}:${recipientId}`;
    this.consents.delete(key);
    this.revokedConsents.add(key);
  }

  /** Makes intake allow disclosures under a consent as granted (the ConsentGranted payload). */
  grant(consent: {
    consentId: string;
    clientId: string;
    recipient: { id: string };
    purposes: readonly string[];
    informationCategories: readonly string[];
    expiresAt: string;
  }): void {
    this.revokedConsents.delete(`${consent.clientId}:${consent.recipient.id}`);
    this.consents.set(`${consent.clientId}:${consent.recipient.id}`, {
      consentId: consent.consentId,
      terms: {
        informationCategories: consent.informationCategories,
        purposes: consent.purposes,
        expiresAt: consent.expiresAt,
        expiresOnEvent: null,
        redisclosure: {
          version: 'redisclosure@2024',
          text: 'Redisclosure is permitted only as the consent and 45 CFR part 164 allow.',
        },
      },
    });
  }
  tokensIssued = 0;
  /** Whether a bearer token is accepted: by default the tokens this server issues; a test may verify real ones. */
  acceptToken: (token: string) => Promise<boolean> = (token) =>
    Promise.resolve(token.startsWith('service-token-'));

  start(): Promise<string> {
    return this.listen();
  }

  protected async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.url);
    const body = await readBody(request);
    this.requests.push({
      method: request.method ?? '',
      path: url.pathname,
      query: url.search,
      authorization: request.headers.authorization,
      body,
    });
    if (url.pathname === '/oauth/token') {
      this.tokensIssued += 1;
      return json(response, 200, {
        access_token: `service-token-${this.tokensIssued}`,
        token_type: 'Bearer',
        expires_in: 900,
      });
    }
    const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (bearer === undefined || !(await this.acceptToken(bearer).catch(() => false)))
      return json(response, 401, {});
    const channel = url.searchParams.get('channel') ?? '';
    let match = /^\/v1\/internal\/clients\/([^/]+)\/contact$/.exec(url.pathname);
    if (match !== null) return this.contact(response, `client:${match[1]}:${channel}`, channel);
    match = /^\/v1\/internal\/staff\/([^/]+)\/contact$/.exec(url.pathname);
    if (match !== null) return this.contact(response, `staff:${match[1]}:${channel}`, channel);
    match = /^\/v1\/internal\/clients\/([^/]+)\/family-members\/([^/]+)\/contact$/.exec(url.pathname);
    if (match !== null) return this.contact(response, `family:${match[1]}:${match[2]}:${channel}`, channel);
    if (url.pathname === '/v1/internal/disclosure-checks' && request.method === 'POST') {
      const check = JSON.parse(body) as { clientId: string; recipientId: string };
      if (
        this.revokedRecipients.has(check.recipientId) ||
        this.revokedConsents.has(`${check.clientId}:${check.recipientId}`)
      )
        return json(response, 200, { allowed: false, reason: 'consent-revoked' });
      const consent = this.consents.get(`${check.clientId}:${check.recipientId}`);
      return consent === undefined
        ? json(response, 200, { allowed: false, reason: 'no-consent' })
        : json(response, 200, { allowed: true, ...consent });
    }
    json(response, 404, {});
  }

  private contact(response: ServerResponse, key: string, channel: string): void {
    const contact = this.contacts.get(key);
    if (contact === undefined) return json(response, 404, {});
    json(response, 200, { channel, ...contact });
  }
}

export interface ReceivedWebhook {
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** A subscriber's endpoint: answers `status` and keeps what it received. */
export class WebhookReceiver extends LoopbackServer {
  readonly received: ReceivedWebhook[] = [];
  status = 200;

  async start(): Promise<string> {
    this.url = `${await this.listen()}/hooks`;
    return this.url;
  }

  protected async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    this.received.push({ headers: request.headers, body });
    response.writeHead(this.status).end();
  }
}

export interface SmsApiRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly form: Record<string, string>;
}

/**
 * A Twilio-style messages API: keeps each request and answers `answer` (201 with a message resource unless a
 * test sets another status and body), after `delayMs`.
 */
export class FakeSmsApi extends LoopbackServer {
  readonly requests: SmsApiRequest[] = [];
  answer: { status: number; body: unknown } = { status: 201, body: { sid: 'SM0001', status: 'queued' } };
  delayMs = 0;

  start(): Promise<string> {
    return this.listen();
  }

  protected async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    this.requests.push({
      method: request.method ?? '',
      path: request.url ?? '',
      headers: request.headers,
      form: Object.fromEntries(new URLSearchParams(body)),
    });
    if (this.delayMs > 0)
      await new Promise<void>((resolve) => {
        // A client that gives up closes the connection: stop waiting then, leaving no timer behind.
        const timer = setTimeout(resolve, this.delayMs);
        response.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    if (!response.destroyed) json(response, this.answer.status, this.answer.body);
  }
}

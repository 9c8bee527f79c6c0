import { NotificationErrorCode } from '@stepwise/contracts';
import { FakeSmsApi } from '../testing/fake-servers';
import { DeliveryError } from './channel';
import { HttpSmsProvider } from './sms.channel';

describe('HttpSmsProvider (Twilio-style messages API on a loopback server)', () => {
  const api = new FakeSmsApi();
  const message = {
    notificationId: '0b7c6f6e-2a51-4f0e-9d7e-3f1f0b7a9c01',
    to: '+15550100001',
    subject: undefined,
    text: 'You have an appointment tomorrow at 6 pm.',
  };
  const provider = (
    options: { accountId?: string; timeoutMs?: number; base?: string } = {},
  ): HttpSmsProvider =>
    new HttpSmsProvider({
      apiUrl: options.base ?? `${api.url}/2010-04-01/`,
      accountId: options.accountId ?? 'AC0123456789',
      authToken: 'auth-token-secret',
      from: '+15550109000',
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    });
  const failure = (promise: Promise<void>): Promise<DeliveryError> =>
    promise.then(
      () => {
        throw new Error('the send was expected to fail');
      },
      (error: unknown) => {
        expect(error).toBeInstanceOf(DeliveryError);
        return error as DeliveryError;
      },
    );

  beforeAll(() => api.start());
  afterAll(() => api.stop());
  beforeEach(() => {
    api.requests.length = 0;
    api.answer = { status: 201, body: { sid: 'SM0001', status: 'queued' } };
    api.delayMs = 0;
  });

  it('posts To, From and Body form-encoded to the account Messages resource with HTTP basic account:token', async () => {
    await provider().send(message);
    expect(api.requests).toHaveLength(1);
    const [request] = api.requests;
    expect(request).toMatchObject({
      method: 'POST',
      path: '/2010-04-01/Accounts/AC0123456789/Messages.json',
      form: { To: '+15550100001', From: '+15550109000', Body: message.text },
    });
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request?.headers.authorization).toBe(
      `Basic ${Buffer.from('AC0123456789:auth-token-secret').toString('base64')}`,
    );
  });

  it('encodes the account id in the path', async () => {
    await provider({ accountId: 'AC/../x' }).send(message);
    expect(api.requests[0]?.path).toBe('/2010-04-01/Accounts/AC%2F..%2Fx/Messages.json');
  });

  it.each([
    // status, provider body, error code, retryable, reason
    [
      400,
      { code: 21211, message: "The 'To' number +15550100001 is not valid." },
      'invalid-destination',
      false,
      'http-400:21211',
    ],
    [400, { code: 21614, message: 'not a mobile number' }, 'invalid-destination', false, 'http-400:21614'],
    [
      400,
      { code: 21610, message: 'unsubscribed recipient' },
      'destination-unreachable',
      false,
      'http-400:21610',
    ],
    [
      400,
      { code: 21602, message: 'Message body is required.' },
      'provider-rejected',
      false,
      'http-400:21602',
    ],
    [401, { code: 20003, message: 'Authenticate' }, 'provider-rejected', false, 'http-401:20003'],
    [404, { code: 20404, message: 'not found' }, 'provider-rejected', false, 'http-404:20404'],
    [429, { code: 20429, message: 'Too Many Requests' }, 'rate-limited', true, 'http-429'],
    [500, 'upstream failure', 'provider-unavailable', true, 'http-500'],
    [503, { code: 20503, message: 'Service unavailable' }, 'provider-unavailable', true, 'http-503'],
  ] as const)(
    'maps an answer %i %j to %s (retryable %s, reason %s)',
    async (status, body, code, retryable, reason) => {
      api.answer = { status, body };
      const error = await failure(provider().send(message));
      expect({ code: error.code, retryable: error.retryable, reason: error.reason }).toEqual({
        code,
        retryable,
        reason,
      });
      expect(error.message).not.toContain('+1555'); // the provider's message quoting the number is not kept
    },
  );

  it('maps a refused connection to a retryable provider-unavailable and a slow provider to a timeout', async () => {
    const closed = new FakeSmsApi();
    const closedUrl = await closed.start();
    await closed.stop(); // nothing listens on that port any more
    const refused = await failure(provider({ base: `${closedUrl}/2010-04-01` }).send(message));
    expect(refused).toMatchObject({
      code: NotificationErrorCode.ProviderUnavailable,
      retryable: true,
      reason: 'econnrefused',
    });
    api.delayMs = 2_000;
    const slow = await failure(provider({ timeoutMs: 200 }).send(message));
    expect(slow).toMatchObject({ code: NotificationErrorCode.Timeout, retryable: true, reason: 'timeout' });
  });
});

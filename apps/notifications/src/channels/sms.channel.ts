import { Logger } from '@nestjs/common';
import { NotificationErrorCode } from '@stepwise/contracts';
import {
  DeliveryError,
  type MessageChannel,
  type OutgoingMessage,
  httpFailure,
  networkFailure,
} from './channel';

/** An SMS gateway. The service talks to any provider through this and nothing else. */
export abstract class SmsProvider implements MessageChannel {
  abstract send(message: OutgoingMessage): Promise<void>;
}

export interface HttpSmsOptions {
  /** Base URL of the provider's API, e.g. https://api.twilio.com/2010-04-01 */
  readonly apiUrl: string;
  readonly accountId: string;
  readonly authToken: string;
  /** The sending number or sender id. */
  readonly from: string;
  readonly timeoutMs?: number;
}

/**
 * A Twilio-style messages API: `POST {apiUrl}/Accounts/{accountId}/Messages.json`, form-encoded To, From and
 * Body, HTTP basic authentication with the account id and token.
 */
export class HttpSmsProvider extends SmsProvider {
  constructor(private readonly options: HttpSmsOptions) {
    super();
  }

  async send(message: OutgoingMessage): Promise<void> {
    const { apiUrl, accountId, authToken, from } = this.options;
    const url = `${apiUrl.replace(/\/$/, '')}/Accounts/${encodeURIComponent(accountId)}/Messages.json`;
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${accountId}:${authToken}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ To: message.to, From: from, Body: message.text }).toString(),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      throw networkFailure(error, NotificationErrorCode.ProviderUnavailable);
    }
    if (response.ok) {
      await response.body?.cancel();
      return;
    }
    // The provider's error code says whether the number is at fault; its message is not kept (it may quote it).
    const code = await response
      .json()
      .then((body) => (body as { code?: unknown }).code)
      .catch(() => undefined);
    const providerCode = typeof code === 'number' && Number.isInteger(code) ? code : undefined;
    const reason = `http-${response.status}${providerCode === undefined ? '' : `:${providerCode}`}`;
    const destination = providerCode === undefined ? undefined : DESTINATION_ERRORS[providerCode];
    if (response.status === 400 && destination !== undefined)
      throw new DeliveryError(destination, false, reason);
    if (response.status === 429 || response.status >= 500)
      throw httpFailure(response.status, NotificationErrorCode.ProviderUnavailable);
    // Anything else (bad credentials 401/403, unknown account 404, other validation errors) will not pass on a retry.
    throw new DeliveryError(NotificationErrorCode.ProviderRejected, false, reason);
  }
}

/**
 * Twilio's error codes that are about the destination number rather than the request: an invalid number, or one
 * that cannot receive (not a mobile, unsubscribed with STOP, unroutable, region not enabled).
 */
const DESTINATION_ERRORS: Readonly<Record<number, NotificationErrorCode>> = {
  21211: NotificationErrorCode.InvalidDestination,
  21614: NotificationErrorCode.InvalidDestination,
  21610: NotificationErrorCode.DestinationUnreachable,
  21612: NotificationErrorCode.DestinationUnreachable,
  21408: NotificationErrorCode.DestinationUnreachable,
};

/**
 * Development sink: keeps messages in memory (a developer or test reads `sent`), logs that one arrived but
 * never its number or text.
 */
export class SinkSmsProvider extends SmsProvider {
  private readonly logger = new Logger('SmsSink');
  readonly sent: OutgoingMessage[] = [];

  send(message: OutgoingMessage): Promise<void> {
    this.sent.push(message);
    this.logger.log('SMS accepted by the development sink');
    return Promise.resolve();
  }
}

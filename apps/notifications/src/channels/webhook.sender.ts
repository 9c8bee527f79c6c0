import { type ClientRequest, type IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { type LookupFunction } from 'node:net';
import { rootCertificates } from 'node:tls';
import { NotificationErrorCode } from '@stepwise/contracts';
import { DeliveryError, httpFailure, networkFailure } from './channel';
import { type CheckedDestination, DestinationRefused, type WebhookDestinations } from './webhook-destination';
import { SIGNATURE_HEADER, signWebhook } from './webhook-signature';

export interface WebhookSenderOptions {
  /** The whole exchange (connect, send, answer, body) must end within this. */
  readonly timeoutMs: number;
  /** More of an answer than this is not read: the connection is cut and the delivery failed. */
  readonly maxResponseBytes: number;
  /** Extra CA certificates (PEM) trusted besides the system's, e.g. a receiver's private CA. */
  readonly extraCa?: string;
}

/**
 * A lookup that answers the address already checked, whatever name it is asked for: the socket connects to
 * exactly that address (no second resolution a rebinding DNS server could answer differently), while TLS still
 * verifies the certificate against the URL's host name.
 */
function pinnedLookup(destination: CheckedDestination): LookupFunction {
  return (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all === true)
      (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [
        { address: destination.address, family: destination.family },
      ]);
    else callback(null, destination.address, destination.family);
  };
}

/**
 * Posts one signed JSON delivery to a subscriber's URL; throws a DeliveryError on anything but 2xx. The URL is
 * checked and resolved again at each delivery (WebhookDestinations); TLS is verified; redirects are answers,
 * never followed; the answer's size and the exchange's time are bounded.
 */
export class WebhookSender {
  private readonly ca: string[] | undefined;

  constructor(
    private readonly destinations: Pick<WebhookDestinations, 'check'>,
    private readonly options: WebhookSenderOptions,
  ) {
    this.ca = options.extraCa === undefined ? undefined : [...rootCertificates, options.extraCa];
  }

  async post(
    url: string,
    secrets: readonly string[],
    deliveryId: string,
    body: string,
    nowSeconds: number,
  ): Promise<void> {
    let destination: CheckedDestination;
    try {
      destination = await this.destinations.check(url);
    } catch (error) {
      if (error instanceof DestinationRefused)
        throw new DeliveryError(
          NotificationErrorCode.InvalidDestination,
          false,
          `destination-refused:${error.refusal}`,
        );
      throw error;
    }
    const status = await this.exchange(
      destination,
      {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        [SIGNATURE_HEADER]: signWebhook(secrets, nowSeconds, body),
        'stepwise-delivery-id': deliveryId,
      },
      body,
    );
    if (status < 200 || status > 299) throw httpFailure(status, NotificationErrorCode.WebhookRejected);
  }

  /** One POST to the checked address; resolves with the status once the (bounded) answer has been read. */
  private exchange(
    destination: CheckedDestination,
    headers: Record<string, string>,
    body: string,
  ): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const secure = destination.url.protocol === 'https:';
      const send = secure ? httpsRequest : httpRequest;
      let settled = false;
      const finish = (error: DeliveryError | undefined, status = 0): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error === undefined) resolve(status);
        else {
          req.destroy();
          reject(error);
        }
      };
      const req: ClientRequest = send(destination.url, {
        method: 'POST',
        headers,
        lookup: pinnedLookup(destination),
        // No connection reuse: each delivery resolves and checks its destination afresh.
        agent: false,
        ...(secure ? { rejectUnauthorized: true, ...(this.ca === undefined ? {} : { ca: this.ca }) } : {}),
      });
      const timer = setTimeout(
        () => finish(new DeliveryError(NotificationErrorCode.Timeout, true, 'timeout')),
        this.options.timeoutMs,
      );
      req.on('error', (error) =>
        finish(networkFailure({ cause: error }, NotificationErrorCode.DestinationUnreachable)),
      );
      req.on('response', (response: IncomingMessage) => {
        let received = 0;
        response.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > this.options.maxResponseBytes)
            finish(new DeliveryError(NotificationErrorCode.WebhookRejected, false, 'response-too-large'));
        });
        response.on('end', () => finish(undefined, response.statusCode ?? 0));
        response.on('error', (error) =>
          finish(networkFailure({ cause: error }, NotificationErrorCode.DestinationUnreachable)),
        );
      });
      req.end(body);
    });
  }
}

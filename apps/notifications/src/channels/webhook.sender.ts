import { NotificationErrorCode } from '@stepwise/contracts';
import { httpFailure, networkFailure } from './channel';
import { SIGNATURE_HEADER, signWebhook } from './webhook-signature';

/** Posts one signed JSON delivery to a subscriber's URL; throws a DeliveryError on anything but 2xx. */
export class WebhookSender {
  constructor(private readonly timeoutMs = 10_000) {}

  async post(
    url: string,
    secret: string,
    deliveryId: string,
    body: string,
    nowSeconds: number,
  ): Promise<void> {
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: signWebhook(secret, nowSeconds, body),
          'stepwise-delivery-id': deliveryId,
        },
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw networkFailure(error, NotificationErrorCode.DestinationUnreachable);
    }
    await response.body?.cancel();
    if (!response.ok) throw httpFailure(response.status, NotificationErrorCode.WebhookRejected);
  }
}

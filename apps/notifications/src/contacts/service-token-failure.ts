import { NotificationErrorCode } from '@stepwise/contracts';
import { type ServiceTokenError } from '@stepwise/security';
import { DeliveryError } from '../channels/channel';

/**
 * A send that could not get a service token: retried (an operator can fix the secret, the endpoint can come
 * back), with a reason that tells a refused credential from an unreachable endpoint in the delivery log.
 */
export function serviceTokenFailure(error: ServiceTokenError): DeliveryError {
  return new DeliveryError(
    NotificationErrorCode.ProviderUnavailable,
    true,
    error.rejected ? 'service-token-rejected' : 'service-token-unavailable',
  );
}

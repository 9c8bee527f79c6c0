import { ProblemException } from '@stepwise/security';
import { type ContactChannel, type ContactView } from './client.dto';
import { type ClientRow } from './clients.repository';

/** Someone a notification about the client may go to: the client, or a family member named in a consent. */
export interface Reachable {
  readonly phone: string | null;
  readonly email: string | null;
  /** A name for the greeting, when there is one. */
  readonly name: string | null;
}

/**
 * Only what a notification on one channel needs (minimum necessary): that channel's address of `whom` (the
 * 'client' or a 'recipient'), the client's time zone and language, and a name for the greeting. Problem
 * contact-channel-missing when `whom` has no address on the channel.
 */
export function contactView(
  channel: ContactChannel,
  whom: Reachable,
  noun: 'client' | 'recipient',
  client: Pick<ClientRow, 'time_zone' | 'preferred_language'>,
): ContactView {
  const address = channel === 'sms' ? whom.phone : whom.email;
  if (address === null) {
    throw new ProblemException('contact-channel-missing', {
      detail: `The ${noun} has no ${channel} contact`,
    });
  }
  return {
    channel,
    address,
    timeZone: client.time_zone,
    preferredLanguage: client.preferred_language,
    ...(whom.name === null ? {} : { displayName: whom.name }),
  };
}

import { NotificationErrorCode } from '@stepwise/contracts';
import { httpFailure, networkFailure } from '../channels/channel';
import { ServiceTokenError, type ServiceTokenClient } from '@stepwise/security';
import { serviceTokenFailure } from './service-token-failure';

export type ContactChannel = 'email' | 'sms';

/** Where and how to reach one person, as the owning service answers at send time. Held in memory only. */
export interface Contact {
  readonly channel: ContactChannel;
  readonly address: string;
  readonly timeZone: string;
  readonly preferredLanguage: string;
  readonly displayName?: string;
}

export interface ContactDirectoryOptions {
  readonly intakeUrl: string;
  readonly schedulingUrl: string;
}

/**
 * Looks up contacts from their owners — clients from intake, staff from scheduling — with a service token, at
 * the moment a message is sent. Nothing here is cached or stored: contacts never reach Postgres, Redis, events
 * or logs. A person without a contact on that channel is `undefined`.
 */
export class ContactDirectory {
  constructor(
    private readonly options: ContactDirectoryOptions,
    private readonly tokens: ServiceTokenClient,
  ) {}

  client(clientId: string, channel: ContactChannel): Promise<Contact | undefined> {
    return this.lookup(`${this.options.intakeUrl}/v1/internal/clients/${clientId}/contact`, channel);
  }

  staff(staffId: string, channel: ContactChannel): Promise<Contact | undefined> {
    return this.lookup(`${this.options.schedulingUrl}/v1/internal/staff/${staffId}/contact`, channel);
  }

  /** A family member named in a client's consent: their contact is kept by intake with the client's record. */
  familyMember(clientId: string, recipientId: string, channel: ContactChannel): Promise<Contact | undefined> {
    return this.lookup(
      `${this.options.intakeUrl}/v1/internal/clients/${clientId}/family-members/${recipientId}/contact`,
      channel,
    );
  }

  private async lookup(base: string, channel: ContactChannel, retried = false): Promise<Contact | undefined> {
    let response: Response;
    try {
      response = await fetch(`${base}?channel=${channel}`, {
        headers: { authorization: `Bearer ${await this.tokens.token()}`, accept: 'application/json' },
        signal: AbortSignal.timeout(5_000),
      });
    } catch (error) {
      if (error instanceof ServiceTokenError) throw serviceTokenFailure(error);
      throw networkFailure(error, NotificationErrorCode.ProviderUnavailable);
    }
    if (response.status === 401 && !retried) {
      await response.body?.cancel();
      this.tokens.invalidate();
      return this.lookup(base, channel, true);
    }
    if (response.status === 404) {
      await response.body?.cancel();
      return undefined;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw httpFailure(response.status, NotificationErrorCode.ProviderUnavailable);
    }
    const body = (await response.json()) as Partial<Contact>;
    if (typeof body.address !== 'string' || body.address === '') return undefined;
    return {
      channel,
      address: body.address,
      timeZone: typeof body.timeZone === 'string' ? body.timeZone : 'UTC',
      preferredLanguage: typeof body.preferredLanguage === 'string' ? body.preferredLanguage : 'en',
      ...(typeof body.displayName === 'string' ? { displayName: body.displayName } : {}),
    };
  }
}

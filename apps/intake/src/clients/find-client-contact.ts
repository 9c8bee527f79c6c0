import { Injectable } from '@nestjs/common';
import { type Actor, refOf, ScopedRecords } from '@stepwise/security';
import { type ContactChannel, type ContactView } from './client.dto';
import { CLIENT } from './clients.repository';
import { contactView } from './contact-view';

/**
 * The contact details of one channel, for the notifications service at send time (it never copies them):
 * only that channel's address, the time zone, the language and a given name. Audited.
 */
@Injectable()
export class FindClientContact {
  constructor(private readonly records: ScopedRecords) {}

  async execute(actor: Actor, id: string, channel: ContactChannel): Promise<ContactView> {
    const row = await this.records.load(actor, CLIENT, id, 'contact');
    await this.records.audited(actor, 'contact', CLIENT, refOf(CLIENT, row));
    return contactView(channel, { phone: row.phone, email: row.email, name: row.given_name }, 'client', row);
  }
}

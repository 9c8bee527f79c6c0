import {
  CLIENT,
  type ClientChanges,
  type ClientRow,
  type ClientsRepository,
  type NewClient,
} from '../clients/clients.repository';
import { type FakeReference } from './fake-reference';
import { InMemoryRows } from './in-memory-rows';
import { type InMemoryTables } from './in-memory-tables';
import { type PublicOf } from './stand-in';

/** Clients in memory; a new client is in the network of its site, as projected from scheduling. */
export class InMemoryClients extends InMemoryRows<ClientRow> implements PublicOf<ClientsRepository> {
  constructor(
    tables: InMemoryTables,
    private readonly reference: Pick<FakeReference, 'site'>,
    private readonly now: () => Date,
  ) {
    super(tables, CLIENT);
  }

  async insert(_manager: unknown, client: NewClient): Promise<ClientRow> {
    const site = await this.reference.site(client.siteId);
    return this.seed({
      id: client.id,
      site_id: client.siteId,
      network_id: site?.networkId ?? null,
      referral_id: client.referralId,
      given_name: client.givenName,
      family_name: client.familyName,
      date_of_birth: client.dateOfBirth,
      pronouns: client.pronouns,
      preferred_language: client.preferredLanguage,
      time_zone: client.timeZone,
      phone: client.phone,
      email: client.email,
      address: client.address,
      created_at: this.now(),
    });
  }

  async update(_manager: unknown, id: string, changes: ClientChanges): Promise<ClientRow> {
    const row = this.row(id);
    if (row === undefined) throw new Error('update returned nothing');
    const given = <T>(value: T | undefined, kept: T): T => (value === undefined ? kept : value);
    return this.seed({
      ...row,
      given_name: given(changes.givenName, row.given_name),
      family_name: given(changes.familyName, row.family_name),
      date_of_birth: given(changes.dateOfBirth, row.date_of_birth),
      pronouns: given(changes.pronouns, row.pronouns),
      preferred_language: given(changes.preferredLanguage, row.preferred_language),
      time_zone: given(changes.timeZone, row.time_zone),
      phone: given(changes.phone, row.phone),
      email: given(changes.email, row.email),
      address: given(changes.address, row.address),
    });
  }
}

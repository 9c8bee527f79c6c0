import { Injectable } from '@nestjs/common';
import { type RecordKind } from '@stepwise/security';
import { type EntityManager } from 'typeorm';
import { type PostalAddressDto, type UpdateClientDto } from './client.dto';

export interface ClientRow {
  id: string;
  site_id: string;
  network_id: string | null;
  referral_id: string | null;
  given_name: string;
  family_name: string;
  date_of_birth: string;
  pronouns: string | null;
  preferred_language: string;
  time_zone: string;
  phone: string | null;
  email: string | null;
  address: PostalAddressDto | null;
  created_at: Date;
}

/** A client as registered: demographics and contacts at a site, from a referral or not. */
export interface NewClient {
  readonly id: string;
  readonly siteId: string;
  readonly referralId: string | null;
  readonly givenName: string;
  readonly familyName: string;
  readonly dateOfBirth: string;
  readonly pronouns: string | null;
  readonly preferredLanguage: string;
  readonly timeZone: string;
  readonly phone: string | null;
  readonly email: string | null;
  readonly address: PostalAddressDto | null;
  readonly createdBy: string;
}

/** Changes to demographics and contacts: the fields given are set, the others kept. */
export type ClientChanges = UpdateClientDto;

const COLUMNS = `id, site_id, network_id, referral_id, given_name, family_name,
  to_char(date_of_birth, 'YYYY-MM-DD') AS date_of_birth, pronouns, preferred_language, time_zone, phone, email,
  address, created_at`;

/** The column of each changeable field. */
const CHANGEABLE: Record<keyof ClientChanges, string> = {
  givenName: 'given_name',
  familyName: 'family_name',
  dateOfBirth: 'date_of_birth',
  pronouns: 'pronouns',
  preferredLanguage: 'preferred_language',
  timeZone: 'time_zone',
  phone: 'phone',
  email: 'email',
  address: 'address',
};

export const CLIENT: RecordKind<ClientRow> = {
  table: 'intake.clients',
  columns: COLUMNS,
  resourceType: 'client',
  clientIdOf: (row) => row.id,
  // A clinician with a break-glass grant for this client may read the record outside their sites.
  emergencyAccess: true,
};

/** All SQL of clients: who the client is. No event carries any of this; other services know clients by id only. */
@Injectable()
export class ClientsRepository {
  /** Stores the client in the network of its site. */
  async insert(manager: EntityManager, client: NewClient): Promise<ClientRow> {
    const [row] = await manager.query<ClientRow[]>(
      `INSERT INTO intake.clients (id, site_id, network_id, referral_id, given_name, family_name, date_of_birth,
         pronouns, preferred_language, time_zone, phone, email, address, created_by)
       VALUES ($1, $2, (SELECT network_id FROM intake.sites WHERE id = $2), $3, $4, $5, $6, $7, $8, $9, $10, $11,
         $12, $13)
       RETURNING ${COLUMNS}`,
      [
        client.id,
        client.siteId,
        client.referralId,
        client.givenName,
        client.familyName,
        client.dateOfBirth,
        client.pronouns,
        client.preferredLanguage,
        client.timeZone,
        client.phone,
        client.email,
        client.address,
        client.createdBy,
      ],
    );
    if (row === undefined) throw new Error('insert returned nothing');
    return row;
  }

  /** Sets the fields `changes` gives (at least one), stamping the change. */
  async update(manager: EntityManager, id: string, changes: ClientChanges): Promise<ClientRow> {
    const fields = (Object.keys(CHANGEABLE) as (keyof ClientChanges)[]).filter(
      (key) => changes[key] !== undefined,
    );
    const [[row]] = await manager.query<[ClientRow[], number]>(
      `UPDATE intake.clients SET ${fields.map((key, i) => `${CHANGEABLE[key]} = $${i + 2}`).join(', ')},
         updated_at = clock_timestamp() WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, ...fields.map((key) => changes[key])],
    );
    if (row === undefined) throw new Error('update returned nothing');
    return row;
  }
}

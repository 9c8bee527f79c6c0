import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  type Actor,
  type Page,
  type PageQuery,
  ProblemException,
  type RecordKind,
  ScopedRecords,
  type SiteOwnedRow,
  refOf,
} from '@stepwise/security';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '@stepwise/platform';
import { ReferralsService } from '../referrals/referrals.service';
import { readPage } from '../shared/pages';
import {
  type ClientView,
  type ContactChannel,
  type ContactView,
  type CreateClientDto,
  type PostalAddressDto,
  type UpdateClientDto,
} from './client.dto';

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

const COLUMNS = `id, site_id, network_id, referral_id, given_name, family_name,
  to_char(date_of_birth, 'YYYY-MM-DD') AS date_of_birth, pronouns, preferred_language, time_zone, phone, email,
  address, created_at`;

export const CLIENT: RecordKind<ClientRow> = {
  table: 'intake.clients',
  columns: COLUMNS,
  resourceType: 'client',
  clientIdOf: (row) => row.id,
};

const view = (row: ClientRow): ClientView => ({
  id: row.id,
  siteId: row.site_id,
  referralId: row.referral_id,
  givenName: row.given_name,
  familyName: row.family_name,
  dateOfBirth: row.date_of_birth,
  pronouns: row.pronouns,
  preferredLanguage: row.preferred_language,
  timeZone: row.time_zone,
  phone: row.phone,
  email: row.email,
  address: row.address,
  createdAt: row.created_at.toISOString(),
});

/** Clients: who the client is. No event carries any of this; other services know clients by id only. */
@Injectable()
export class ClientsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly records: ScopedRecords,
    private readonly referrals: ReferralsService,
    private readonly clock: Clock,
  ) {}

  /**
   * Loads a client the caller may act on — 404 (and a denied audit entry) otherwise. Inside a transaction
   * the row is locked, so every change about one client is serialised (and so are its events).
   */
  load(actor: Actor, id: string, action: string, manager?: EntityManager): Promise<ClientRow> {
    return this.records.load(actor, CLIENT, id, action, manager);
  }

  async create(actor: Actor, body: CreateClientDto): Promise<ClientView> {
    this.assertBornInThePast(body.dateOfBirth);
    const id = randomUUID();
    return this.dataSource.transaction(async (manager) => {
      if (body.referralId !== undefined) {
        const referral = await this.referrals.load(actor, body.referralId, 'update', manager);
        if (referral.site_id !== body.siteId) {
          throw new ProblemException('unprocessable', {
            errors: [{ field: 'referralId', problems: ['the referral was made to another site'] }],
          });
        }
        if (referral.client_id !== null) {
          throw new ProblemException('conflict', { detail: 'The referral already has a client' });
        }
      }
      const [row] = await manager.query<ClientRow[]>(
        `INSERT INTO intake.clients (id, site_id, network_id, referral_id, given_name, family_name, date_of_birth,
           pronouns, preferred_language, time_zone, phone, email, address, created_by)
         VALUES ($1, $2, (SELECT network_id FROM intake.sites WHERE id = $2), $3, $4, $5, $6, $7, $8, $9, $10, $11,
           $12, $13)
         RETURNING ${COLUMNS}`,
        [
          id,
          body.siteId,
          body.referralId ?? null,
          body.givenName,
          body.familyName,
          body.dateOfBirth,
          body.pronouns ?? null,
          body.preferredLanguage,
          body.timeZone,
          body.phone ?? null,
          body.email ?? null,
          body.address ?? null,
          actor.principal.id,
        ],
      );
      if (row === undefined) throw new Error('insert returned nothing');
      if (body.referralId !== undefined) {
        await manager.query(`UPDATE intake.referrals SET client_id = $2 WHERE id = $1`, [
          body.referralId,
          id,
        ]);
      }
      await this.records.audited(actor, 'create', CLIENT, refOf(CLIENT, row), manager);
      return view(row);
    });
  }

  async update(actor: Actor, id: string, body: UpdateClientDto): Promise<ClientView> {
    const columns: Record<keyof UpdateClientDto, string> = {
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
    const changes = (Object.keys(columns) as (keyof UpdateClientDto)[]).filter(
      (key) => body[key] !== undefined,
    );
    if (changes.length === 0) {
      throw new ProblemException('validation-failed', { detail: 'Name at least one field to change' });
    }
    this.assertBornInThePast(body.dateOfBirth);
    return this.dataSource.transaction(async (manager) => {
      await this.load(actor, id, 'update', manager);
      const [[row]] = await manager.query<[ClientRow[], number]>(
        `UPDATE intake.clients SET ${changes.map((key, i) => `${columns[key]} = $${i + 2}`).join(', ')},
           updated_at = clock_timestamp() WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, ...changes.map((key) => body[key])],
      );
      if (row === undefined) throw new Error('update returned nothing');
      await this.records.audited(actor, 'update', CLIENT, refOf(CLIENT, row), manager);
      return view(row);
    });
  }

  private assertBornInThePast(dateOfBirth: string | undefined): void {
    if (dateOfBirth !== undefined && dateOfBirth > this.clock.now().toISOString().slice(0, 10)) {
      throw new ProblemException('unprocessable', {
        errors: [{ field: 'dateOfBirth', problems: ['dateOfBirth must not be in the future'] }],
      });
    }
  }

  async read(actor: Actor, id: string): Promise<ClientView> {
    return view(await this.records.read(actor, CLIENT, id));
  }

  /**
   * The contact details of one channel, for the notifications service at send time (it never copies them):
   * only that channel's address, the time zone, the language and a given name. Audited.
   */
  async contact(actor: Actor, id: string, channel: ContactChannel): Promise<ContactView> {
    const row = await this.records.load(actor, CLIENT, id, 'contact');
    const address = channel === 'sms' ? row.phone : row.email;
    await this.records.audited(actor, 'contact', CLIENT, refOf(CLIENT, row));
    if (address === null) {
      throw new ProblemException('contact-channel-missing', {
        detail: `The client has no ${channel} contact`,
      });
    }
    return {
      channel,
      address,
      timeZone: row.time_zone,
      preferredLanguage: row.preferred_language,
      displayName: row.given_name,
    };
  }

  /** A page of one client's records of a kind (screenings, assessments, consents), oldest first; audited. */
  async page<R extends SiteOwnedRow, T>(
    actor: Actor,
    clientId: string,
    query: PageQuery,
    kind: RecordKind<R> & { view: (row: R) => T },
  ): Promise<Page<T>> {
    const client = await this.load(actor, clientId, 'list');
    const page = await readPage(this.dataSource.manager, query, {
      table: kind.table,
      columns: kind.columns,
      where: ['client_id = $1'],
      params: [clientId],
      view: kind.view,
    });
    await this.records.audited(actor, 'list', kind, { id: clientId, siteId: client.site_id, clientId });
    return page;
  }
}

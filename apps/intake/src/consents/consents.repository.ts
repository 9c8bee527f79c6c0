import { Injectable } from '@nestjs/common';
import { type ConsentPurpose, type InformationCategory, type RecipientKind } from '@stepwise/contracts';
import { type Page, type PageQuery, type RecordKind } from '@stepwise/security';
import { DataSource, type EntityManager } from 'typeorm';
import { type Reachable } from '../clients/contact-view';
import { readPage } from '../shared/pages';
import { type Signer } from './consent.dto';
import { type ConsentFacts } from './disclosure';

export interface ConsentRow {
  id: string;
  client_id: string;
  site_id: string;
  network_id: string | null;
  disclosing_program_id: string;
  recipient_kind: RecipientKind;
  recipient_id: string;
  recipient_name: string | null;
  recipient_phone: string | null;
  recipient_email: string | null;
  information_categories: InformationCategory[];
  purposes: ConsentPurpose[];
  expires_at: Date;
  expiry_event: string | null;
  signed_by: Signer;
  signed_on: string;
  guardian_signed_by: string | null;
  guardian_signed_on: string | null;
  /** The minor-consent rule applied at grant time (null for an adult, or a consent older than the rule). */
  signer_rule: string | null;
  redisclosure_version: string | null;
  redisclosure_text: string | null;
  right_to_revoke_acknowledged: boolean;
  granted_at: Date;
  revoked_at: Date | null;
  revoked_by: Signer | null;
  revocation_received_on: string | null;
}

/** A consent as granted: every §2.31 element present. */
export interface NewConsent {
  readonly id: string;
  readonly clientId: string;
  readonly siteId: string;
  readonly networkId: string | null;
  readonly disclosingProgramId: string;
  readonly recipient: {
    readonly kind: RecipientKind;
    readonly id: string;
    readonly name: string | null;
    readonly phone: string | null;
    readonly email: string | null;
  };
  readonly informationCategories: InformationCategory[];
  readonly purposes: ConsentPurpose[];
  readonly expiresAt: Date;
  readonly expiryEvent: string | null;
  readonly signedBy: Signer;
  readonly signedOn: string;
  readonly guardian: { readonly signedBy: string; readonly signedOn: string } | null;
  readonly signerRule: string | null;
  readonly redisclosure: { readonly version: string; readonly text: string };
  readonly grantedAt: Date;
  readonly createdBy: string;
}

/** A written revocation, as received. */
export interface Revocation {
  readonly revokedAt: Date;
  readonly revokedBy: Signer;
  readonly receivedOn: string;
}

const COLUMNS = `id, client_id, site_id, network_id, disclosing_program_id, recipient_kind, recipient_id, recipient_name,
  recipient_phone, recipient_email,
  information_categories, purposes, expires_at, expiry_event, signed_by, to_char(signed_on, 'YYYY-MM-DD') AS signed_on,
  guardian_signed_by, to_char(guardian_signed_on, 'YYYY-MM-DD') AS guardian_signed_on, signer_rule,
  redisclosure_version, redisclosure_text, right_to_revoke_acknowledged, granted_at, revoked_at, revoked_by,
  to_char(revocation_received_on, 'YYYY-MM-DD') AS revocation_received_on`;

export const CONSENT: RecordKind<ConsentRow> = {
  table: 'intake.consents',
  columns: COLUMNS,
  resourceType: 'consent',
  clientIdOf: (row) => row.client_id,
};

/** What the disclosure rule weighs of a consent; `endedByEvent` when its expiry event has happened. */
export function consentFacts(row: ConsentRow, endedByEvent: boolean): ConsentFacts {
  return {
    id: row.id,
    recipientKind: row.recipient_kind,
    recipientId: row.recipient_id,
    categories: row.information_categories,
    purposes: row.purposes,
    grantedAt: row.granted_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    endedByEvent,
    expiryEvent: row.expiry_event,
    redisclosure:
      row.redisclosure_version === null || row.redisclosure_text === null
        ? null
        : { version: row.redisclosure_version, text: row.redisclosure_text },
  };
}

/** All SQL of consents. */
@Injectable()
export class ConsentsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, consent: NewConsent): Promise<ConsentRow> {
    const [row] = await manager.query<ConsentRow[]>(
      `INSERT INTO intake.consents (id, client_id, site_id, network_id, disclosing_program_id, recipient_kind,
         recipient_id, recipient_name, information_categories, purposes, expires_at, expiry_event, signed_by, signed_on,
         right_to_revoke_acknowledged, granted_at, created_by, recipient_phone, recipient_email, guardian_signed_by,
         guardian_signed_on, signer_rule, redisclosure_version, redisclosure_text)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, true, $15, $16, $17, $18, $19, $20, $21,
         $22, $23)
       RETURNING ${COLUMNS}`,
      [
        consent.id,
        consent.clientId,
        consent.siteId,
        consent.networkId,
        consent.disclosingProgramId,
        consent.recipient.kind,
        consent.recipient.id,
        consent.recipient.name,
        consent.informationCategories,
        consent.purposes,
        consent.expiresAt,
        consent.expiryEvent,
        consent.signedBy,
        consent.signedOn,
        consent.grantedAt,
        consent.createdBy,
        consent.recipient.phone,
        consent.recipient.email,
        consent.guardian?.signedBy ?? null,
        consent.guardian?.signedOn ?? null,
        consent.signerRule,
        consent.redisclosure.version,
        consent.redisclosure.text,
      ],
    );
    if (row === undefined) throw new Error('insert returned nothing');
    return row;
  }

  async revoke(manager: EntityManager, id: string, revocation: Revocation): Promise<ConsentRow> {
    const [[row]] = await manager.query<[ConsentRow[], number]>(
      `UPDATE intake.consents SET revoked_at = $2, revoked_by = $3, revocation_received_on = $4
        WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, revocation.revokedAt, revocation.revokedBy, revocation.receivedOn],
    );
    if (row === undefined) throw new Error('update returned nothing');
    return row;
  }

  /** One page of the client's consents, oldest first. */
  page<T>(clientId: string, query: PageQuery, view: (row: ConsentRow) => T): Promise<Page<T>> {
    return readPage(this.dataSource.manager, query, {
      table: CONSENT.table,
      columns: CONSENT.columns,
      where: ['client_id = $1'],
      params: [clientId],
      view,
    });
  }

  /**
   * The client's consents as the disclosure rule weighs them at `now`; one that expires on discharge has
   * ended when an episode of the client was discharged after it was granted.
   */
  async disclosureFacts(
    clientId: string,
    now: Date,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ConsentFacts[]> {
    return (await this.withEndedByEvent(manager, clientId, now)).map((row) =>
      consentFacts(row, row.ended_by_event),
    );
  }

  /** The client a consent is about; undefined for an unknown consent. */
  async clientOf(consentId: string): Promise<string | undefined> {
    const [row] = await this.dataSource.query<{ client_id: string }[]>(
      `SELECT client_id FROM intake.consents WHERE id = $1`,
      [consentId],
    );
    return row?.client_id;
  }

  /** The client's consents, oldest first, each with whether its expiry event has happened by `now`. */
  private withEndedByEvent(
    manager: EntityManager,
    clientId: string,
    now: Date,
  ): Promise<(ConsentRow & { ended_by_event: boolean })[]> {
    return manager.query<(ConsentRow & { ended_by_event: boolean })[]>(
      `SELECT ${COLUMNS},
              (c.expiry_event = 'discharge' AND EXISTS (
                 SELECT 1 FROM intake.episodes e
                  WHERE e.client_id = c.client_id AND e.discharged_at > c.granted_at AND e.discharged_at <= $2
              )) AS ended_by_event
         FROM intake.consents c WHERE client_id = $1 ORDER BY granted_at, id`,
      [clientId, now],
    );
  }

  /** How to reach the family member named in the client's latest consent current at `now` that names them. */
  async familyContact(clientId: string, recipientId: string, now: Date): Promise<Reachable | undefined> {
    const [row] = await this.dataSource.query<Reachable[]>(
      `SELECT recipient_name AS name, recipient_phone AS phone, recipient_email AS email FROM intake.consents
        WHERE client_id = $1 AND recipient_kind = 'family-member' AND recipient_id = $2
          AND revoked_at IS NULL AND granted_at <= $3 AND expires_at > $3
        ORDER BY granted_at DESC LIMIT 1`,
      [clientId, recipientId, now],
    );
    return row;
  }
}

import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type ConsentPurpose, type InformationCategory, type RecipientKind } from '@stepwise/contracts';
import { UnitOfWork } from '@stepwise/messaging';
import {
  type Actor,
  AuditTrail,
  type FieldProblem,
  type Page,
  ProblemException,
  type RecordKind,
  refOf,
  ScopedRecords,
} from '@stepwise/security';
import { DataSource } from 'typeorm';
import { Clock } from '@stepwise/platform';
import { type ContactChannel, type ContactView } from '../clients/client.dto';
import { ClientsService } from '../clients/clients.service';
import { iso } from '../shared/staff';
import {
  type ConsentListQuery,
  type ConsentView,
  type DisclosureCheckDto,
  type GrantConsentDto,
  type RevokeConsentDto,
  type Signer,
} from './consent.dto';
import { type DisclosureDecision, decideDisclosure } from './disclosure';

interface ConsentRow {
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
  right_to_revoke_acknowledged: boolean;
  granted_at: Date;
  revoked_at: Date | null;
  revoked_by: Signer | null;
  revocation_received_on: string | null;
}

const COLUMNS = `id, client_id, site_id, network_id, disclosing_program_id, recipient_kind, recipient_id, recipient_name,
  recipient_phone, recipient_email,
  information_categories, purposes, expires_at, expiry_event, signed_by, to_char(signed_on, 'YYYY-MM-DD') AS signed_on,
  right_to_revoke_acknowledged, granted_at, revoked_at, revoked_by,
  to_char(revocation_received_on, 'YYYY-MM-DD') AS revocation_received_on`;

const CONSENT: RecordKind<ConsentRow> = {
  table: 'intake.consents',
  columns: COLUMNS,
  resourceType: 'consent',
  clientIdOf: (row) => row.client_id,
};

const view = (row: ConsentRow): ConsentView => ({
  id: row.id,
  clientId: row.client_id,
  disclosingProgramId: row.disclosing_program_id,
  recipient: {
    kind: row.recipient_kind,
    id: row.recipient_id,
    ...(row.recipient_name === null ? {} : { name: row.recipient_name }),
    ...(row.recipient_phone === null ? {} : { phone: row.recipient_phone }),
    ...(row.recipient_email === null ? {} : { email: row.recipient_email }),
  },
  informationCategories: row.information_categories,
  purposes: row.purposes,
  expiresAt: row.expires_at.toISOString(),
  expiresOnEvent: row.expiry_event,
  signature: { signedBy: row.signed_by, signedOn: row.signed_on },
  rightToRevokeAcknowledged: row.right_to_revoke_acknowledged,
  grantedAt: row.granted_at.toISOString(),
  revokedAt: iso(row.revoked_at),
  revokedBy: row.revoked_by,
  revocationReceivedOn: row.revocation_received_on,
});

/** A complete §2.31 consent: every element present (checked by `missingElements`). */
type CompleteConsent = Required<Omit<GrantConsentDto, 'expiresOnEvent'>> &
  Pick<GrantConsentDto, 'expiresOnEvent'>;

/** The §2.31 elements the consent lacks, each named (the patient is the client of the path). */
export function missingElements(body: GrantConsentDto): FieldProblem[] {
  const missing: [string, boolean, string][] = [
    [
      'disclosingProgramId',
      body.disclosingProgramId === undefined,
      'who may disclose (the disclosing program)',
    ],
    ['informationCategories', !body.informationCategories?.length, 'what information may be disclosed'],
    ['recipient', body.recipient === undefined, 'the recipient (kind and identity)'],
    ['purposes', !body.purposes?.length, 'the purpose of the disclosure'],
    [
      'expiresAt',
      body.expiresAt === undefined,
      'when the consent expires (a date, optionally also an event)',
    ],
    ['signature', body.signature === undefined, "the patient's (or representative's) signature and its date"],
    [
      'rightToRevokeAcknowledged',
      body.rightToRevokeAcknowledged !== true,
      'acknowledgement of the right to revoke in writing (must be true)',
    ],
  ];
  return missing
    .filter(([, absent]) => absent)
    .map(([field, , element]) => ({ field, problems: [`42 CFR 2.31 requires ${element}`] }));
}

/** Consents (42 CFR Part 2 §2.31), their written revocation, and the disclosure check other services ask. */
@Injectable()
export class ConsentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly records: ScopedRecords,
    private readonly audit: AuditTrail,
    private readonly clients: ClientsService,
    private readonly clock: Clock,
  ) {}

  async grant(actor: Actor, clientId: string, body: GrantConsentDto): Promise<ConsentView> {
    const missing = missingElements(body);
    if (missing.length > 0) {
      throw new ProblemException('consent-incomplete', {
        detail: `Missing: ${missing.map((m) => m.field).join(', ')}`,
        errors: missing,
      });
    }
    const consent = body as CompleteConsent;
    const grantedAt = this.clock.now();
    const expiresAt = new Date(consent.expiresAt);
    if (expiresAt <= grantedAt) {
      throw new ProblemException('unprocessable', {
        errors: [{ field: 'expiresAt', problems: ['expiresAt must be in the future'] }],
      });
    }
    if (consent.signature.signedOn > grantedAt.toISOString().slice(0, 10)) {
      throw new ProblemException('unprocessable', {
        errors: [{ field: 'signature.signedOn', problems: ['the signature date must not be in the future'] }],
      });
    }
    return this.unitOfWork.run(async (tx) => {
      const client = await this.clients.load(actor, clientId, 'consent', tx.manager);
      const id = randomUUID();
      const [row] = await tx.manager.query<ConsentRow[]>(
        `INSERT INTO intake.consents (id, client_id, site_id, network_id, disclosing_program_id, recipient_kind,
           recipient_id, recipient_name, information_categories, purposes, expires_at, expiry_event, signed_by, signed_on,
           right_to_revoke_acknowledged, granted_at, created_by, recipient_phone, recipient_email)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, true, $15, $16, $17, $18)
         RETURNING ${COLUMNS}`,
        [
          id,
          clientId,
          client.site_id,
          client.network_id,
          consent.disclosingProgramId,
          consent.recipient.kind,
          consent.recipient.id,
          consent.recipient.name ?? null,
          consent.informationCategories,
          consent.purposes,
          expiresAt,
          consent.expiresOnEvent ?? null,
          consent.signature.signedBy,
          consent.signature.signedOn,
          grantedAt,
          actor.principal.id,
          consent.recipient.phone ?? null,
          consent.recipient.email ?? null,
        ],
      );
      if (row === undefined) throw new Error('insert returned nothing');
      await tx.publish('ConsentGranted', {
        consentId: id,
        clientId,
        recipient: { kind: consent.recipient.kind, id: consent.recipient.id },
        purposes: consent.purposes,
        informationCategories: consent.informationCategories,
        grantedAt: grantedAt.toISOString(),
        expiresAt: expiresAt.toISOString(),
      });
      await this.records.audited(actor, 'create', CONSENT, refOf(CONSENT, row), tx.manager);
      return view(row);
    });
  }

  async revoke(actor: Actor, id: string, body: RevokeConsentDto): Promise<ConsentView> {
    return this.unitOfWork.run(async (tx) => {
      const consent = await this.records.load(actor, CONSENT, id, 'revoke', tx.manager);
      if (consent.revoked_at !== null) {
        throw new ProblemException('invalid-transition', { detail: 'The consent is already revoked' });
      }
      const revokedAt = this.clock.now();
      if (body.receivedOn > revokedAt.toISOString().slice(0, 10)) {
        throw new ProblemException('unprocessable', {
          errors: [{ field: 'receivedOn', problems: ['receivedOn must not be in the future'] }],
        });
      }
      const [[row]] = await tx.manager.query<[ConsentRow[], number]>(
        `UPDATE intake.consents SET revoked_at = $2, revoked_by = $3, revocation_received_on = $4
          WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, revokedAt, body.revokedBy, body.receivedOn],
      );
      if (row === undefined) throw new Error('update returned nothing');
      await tx.publish('ConsentRevoked', {
        consentId: id,
        clientId: row.client_id,
        revokedAt: revokedAt.toISOString(),
      });
      await this.records.audited(actor, 'revoke', CONSENT, refOf(CONSENT, row), tx.manager);
      return view(row);
    });
  }

  async read(actor: Actor, id: string): Promise<ConsentView> {
    return view(await this.records.read(actor, CONSENT, id));
  }

  list(actor: Actor, clientId: string, query: ConsentListQuery): Promise<Page<ConsentView>> {
    return this.clients.page(actor, clientId, query, { ...CONSENT, view });
  }

  /** The disclosure check (service principals): decided now, from the client's consents; audited. */
  async check(actor: Actor, body: DisclosureCheckDto): Promise<DisclosureDecision> {
    const client = await this.clients.load(actor, body.clientId, 'check');
    const now = this.clock.now();
    const rows = await this.dataSource.query<(ConsentRow & { ended_by_event: boolean })[]>(
      `SELECT ${COLUMNS},
              (c.expiry_event = 'discharge' AND EXISTS (
                 SELECT 1 FROM intake.episodes e
                  WHERE e.client_id = c.client_id AND e.discharged_at > c.granted_at AND e.discharged_at <= $2
              )) AS ended_by_event
         FROM intake.consents c WHERE client_id = $1`,
      [body.clientId, now],
    );
    const decision = decideDisclosure(
      rows.map((row) => ({
        id: row.id,
        recipientKind: row.recipient_kind,
        recipientId: row.recipient_id,
        categories: row.information_categories,
        purposes: row.purposes,
        grantedAt: row.granted_at,
        expiresAt: row.expires_at,
        revokedAt: row.revoked_at,
        endedByEvent: row.ended_by_event,
      })),
      body,
      now,
    );
    await this.audit.record(actor, {
      action: decision.allowed ? 'allow' : 'refuse',
      resourceType: 'disclosure',
      ...(decision.allowed ? { resourceId: decision.consentId } : {}),
      clientId: body.clientId,
      siteId: client.site_id,
      outcome: 'allowed',
    });
    return decision;
  }

  /**
   * How to reach a family member named in a current (granted, unrevoked, unexpired) consent of the client, on
   * one channel: for the notifications service, after its disclosure check. The client's time zone and
   * language apply. Audited; 404 when no current consent names them or they have no such contact.
   */
  async familyContact(
    actor: Actor,
    clientId: string,
    recipientId: string,
    channel: ContactChannel,
  ): Promise<ContactView> {
    const client = await this.clients.load(actor, clientId, 'contact');
    const [row] = await this.dataSource.query<
      Pick<ConsentRow, 'recipient_name' | 'recipient_phone' | 'recipient_email'>[]
    >(
      `SELECT recipient_name, recipient_phone, recipient_email FROM intake.consents
        WHERE client_id = $1 AND recipient_kind = 'family-member' AND recipient_id = $2
          AND revoked_at IS NULL AND granted_at <= $3 AND expires_at > $3
        ORDER BY granted_at DESC LIMIT 1`,
      [clientId, recipientId, this.clock.now()],
    );
    await this.audit.record(actor, {
      action: 'contact',
      resourceType: 'recipient',
      resourceId: recipientId,
      clientId,
      siteId: client.site_id,
      outcome: 'allowed',
    });
    if (row === undefined) {
      throw new ProblemException('not-found', {
        detail: 'No family member of the client under a current consent',
      });
    }
    const address = channel === 'sms' ? row.recipient_phone : row.recipient_email;
    if (address === null) {
      throw new ProblemException('contact-channel-missing', {
        detail: `The recipient has no ${channel} contact`,
      });
    }
    return {
      channel,
      address,
      timeZone: client.time_zone,
      preferredLanguage: client.preferred_language,
      ...(row.recipient_name === null ? {} : { displayName: row.recipient_name }),
    };
  }
}

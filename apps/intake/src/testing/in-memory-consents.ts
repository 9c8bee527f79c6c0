import { type Page, type PageQuery } from '@stepwise/security';
import {
  CONSENT,
  type ConsentRow,
  type ConsentsRepository,
  consentFacts,
  type NewConsent,
  type Revocation,
} from '../consents/consents.repository';
import { type Reachable } from '../clients/contact-view';
import { type ConsentFacts } from '../consents/disclosure';
import { EPISODE, type EpisodeRow } from '../episodes/episodes.repository';
import { InMemoryRows } from './in-memory-rows';
import { type InMemoryTables } from './in-memory-tables';
import { type PublicOf } from './stand-in';

/** Consents in memory; a consent ending on discharge reads the episodes kept in the same tables. */
export class InMemoryConsents extends InMemoryRows<ConsentRow> implements PublicOf<ConsentsRepository> {
  constructor(tables: InMemoryTables) {
    super(tables, CONSENT);
  }

  async insert(_manager: unknown, consent: NewConsent): Promise<ConsentRow> {
    return this.seed({
      id: consent.id,
      client_id: consent.clientId,
      site_id: consent.siteId,
      network_id: consent.networkId,
      disclosing_program_id: consent.disclosingProgramId,
      recipient_kind: consent.recipient.kind,
      recipient_id: consent.recipient.id,
      recipient_name: consent.recipient.name,
      recipient_phone: consent.recipient.phone,
      recipient_email: consent.recipient.email,
      information_categories: consent.informationCategories,
      purposes: consent.purposes,
      expires_at: consent.expiresAt,
      expiry_event: consent.expiryEvent,
      signed_by: consent.signedBy,
      signed_on: consent.signedOn,
      guardian_signed_by: consent.guardian?.signedBy ?? null,
      guardian_signed_on: consent.guardian?.signedOn ?? null,
      signer_rule: consent.signerRule,
      redisclosure_version: consent.redisclosure.version,
      redisclosure_text: consent.redisclosure.text,
      right_to_revoke_acknowledged: true,
      granted_at: consent.grantedAt,
      revoked_at: null,
      revoked_by: null,
      revocation_received_on: null,
    });
  }

  async revoke(_manager: unknown, id: string, revocation: Revocation): Promise<ConsentRow> {
    return this.change(id, {
      revoked_at: revocation.revokedAt,
      revoked_by: revocation.revokedBy,
      revocation_received_on: revocation.receivedOn,
    });
  }

  async page<T>(clientId: string, _query: PageQuery, view: (row: ConsentRow) => T): Promise<Page<T>> {
    return this.onePage((row) => row.client_id === clientId, view);
  }

  async clientOf(consentId: string): Promise<string | undefined> {
    return this.rows().find((row) => row.id === consentId)?.client_id;
  }

  async disclosureFacts(clientId: string, now: Date): Promise<ConsentFacts[]> {
    const discharges = (this.tables.all(EPISODE.table) as EpisodeRow[])
      .filter((episode) => episode.client_id === clientId && episode.discharged_at !== null)
      .map((episode) => episode.discharged_at as Date);
    // The SQL's rule: a consent ending on discharge has ended once an episode was discharged after its grant.
    return this.ofClient(clientId).map((row) =>
      consentFacts(
        row,
        row.expiry_event === 'discharge' && discharges.some((at) => at > row.granted_at && at <= now),
      ),
    );
  }

  async familyContact(clientId: string, recipientId: string, now: Date): Promise<Reachable | undefined> {
    const [latest] = this.ofClient(clientId)
      .filter(
        (row) =>
          row.recipient_kind === 'family-member' &&
          row.recipient_id === recipientId &&
          row.revoked_at === null &&
          row.granted_at <= now &&
          row.expires_at > now,
      )
      .sort((a, b) => b.granted_at.getTime() - a.granted_at.getTime());
    return latest === undefined
      ? undefined
      : { name: latest.recipient_name, phone: latest.recipient_phone, email: latest.recipient_email };
  }

  private ofClient(clientId: string): ConsentRow[] {
    return this.rows().filter((row) => row.client_id === clientId);
  }
}

import { Injectable } from '@nestjs/common';
import {
  type ClientAdmittedV1Payload,
  type ClientTransferredV1Payload,
  type ConsentGrantedV1Payload,
  type ConsentRevokedV1Payload,
  type SiteUpsertedV1Payload,
  type StaffMemberUpsertedV1Payload,
} from '@stepwise/contracts';
import { type EntityManager } from 'typeorm';
import { T } from '../delivery/notification-store';

/**
 * Writes this service's projections of other services' facts: consents (read by disclosures), episodes' primary
 * counselors (alerts), sites' time zones (quiet hours, reminders) and staff (alert recipients). Every write is
 * an upsert keyed by the fact's natural id (reference data only moves forward by `updatedAt`), so a fact
 * replayed under a new event id changes nothing.
 */
@Injectable()
export class ProjectionsRepository {
  async grantConsent(manager: EntityManager, consent: ConsentGrantedV1Payload): Promise<void> {
    await manager.query(
      `INSERT INTO ${T('consents')} (consent_id, client_id, recipient_kind, recipient_id, purposes, categories,
          granted_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (consent_id) DO NOTHING`,
      [
        consent.consentId,
        consent.clientId,
        consent.recipient.kind,
        consent.recipient.id,
        consent.purposes,
        consent.informationCategories,
        new Date(consent.grantedAt),
        new Date(consent.expiresAt),
      ],
    );
  }

  /** The earliest revocation heard of wins, so a late or replayed one never moves it. */
  async revokeConsent(manager: EntityManager, revocation: ConsentRevokedV1Payload): Promise<void> {
    await manager.query(
      `UPDATE ${T('consents')} SET revoked_at = LEAST(COALESCE(revoked_at, $2), $2) WHERE consent_id = $1`,
      [revocation.consentId, new Date(revocation.revokedAt)],
    );
  }

  async admit(manager: EntityManager, admission: ClientAdmittedV1Payload): Promise<void> {
    await manager.query(
      `INSERT INTO ${T('episodes')} (episode_id, client_id, site_id, primary_counselor_id, admitted_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (episode_id) DO UPDATE SET primary_counselor_id = $4, admitted_at = $5`,
      [
        admission.episodeId,
        admission.clientId,
        admission.siteId,
        admission.primaryCounselorId,
        new Date(admission.admittedAt),
      ],
    );
  }

  /**
   * The episode continues at another site from `effectiveAt`: its site moves, and its transfer is recorded (the
   * latest effective one wins, so a replayed or older transfer never moves it back). An admission heard of later
   * leaves the site alone (ClientAdmitted's upsert never touches it).
   */
  async transfer(manager: EntityManager, moved: ClientTransferredV1Payload): Promise<void> {
    await manager.query(
      `INSERT INTO ${T('episodes')} (episode_id, client_id, site_id, transferred_at, transferred_from_site_id)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (episode_id) DO UPDATE SET site_id = $3, transferred_at = $4, transferred_from_site_id = $5
        WHERE episodes.transferred_at IS NULL OR episodes.transferred_at < EXCLUDED.transferred_at`,
      [moved.episodeId, moved.clientId, moved.siteId, new Date(moved.effectiveAt), moved.fromSiteId],
    );
  }

  async upsertSite(manager: EntityManager, site: SiteUpsertedV1Payload): Promise<void> {
    await manager.query(
      `INSERT INTO ${T('sites')} (site_id, network_id, time_zone, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (site_id) DO UPDATE SET network_id = $2, time_zone = $3, updated_at = $4
        WHERE sites.updated_at <= EXCLUDED.updated_at`,
      [site.siteId, site.networkId, site.timeZone, new Date(site.updatedAt)],
    );
  }

  async upsertStaff(manager: EntityManager, staff: StaffMemberUpsertedV1Payload): Promise<void> {
    await manager.query(
      `INSERT INTO ${T('staff')} (staff_id, network_id, site_ids, roles, active, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (staff_id) DO UPDATE SET network_id = $2, site_ids = $3, roles = $4, active = $5, updated_at = $6
        WHERE staff.updated_at <= EXCLUDED.updated_at`,
      [staff.staffId, staff.networkId, staff.siteIds, staff.roles, staff.active, new Date(staff.updatedAt)],
    );
  }
}

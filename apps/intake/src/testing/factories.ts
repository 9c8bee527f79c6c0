import { randomUUID } from 'node:crypto';
import { LevelOfCare, Population, ReferralSource } from '@stepwise/contracts';
import { type Actor, type Role } from '@stepwise/security';
import { type CreateClientDto } from '../clients/client.dto';
import { type ClientRow } from '../clients/clients.repository';
import { type EpisodeRow } from '../episodes/episodes.repository';
import { type ProjectedSite, type ProjectedTrack } from '../reference/reference-projection';
import { ReferralReason, ReferralStatus } from '../referrals/referral.rules';
import { type ReferralRow } from '../referrals/referrals.repository';

/** Test data for the unit tier: rows and callers with sensible defaults, each overridable. */

export const NETWORK = '5b0b6a8e-8f6e-4d55-9a65-3d2e0b8f2c11';
export const SITE_A = '0c6e9a51-2d0a-4b1e-8d8f-6f2f7b1f6a01';
export const SITE_B = '0c6e9a51-2d0a-4b1e-8d8f-6f2f7b1f6b02';
export const STAFF = 'a3f1c2d4-5b6e-4f70-8a9b-0c1d2e3f4a5b';

/** A staff member acting for `sites` (site A by default). */
export function aStaffActor(sites: readonly string[] = [SITE_A], roles: readonly Role[] = []): Actor {
  return {
    principal: { id: STAFF, kind: 'user', roles, sites, network: NETWORK },
    requestId: 'req-unit',
    sourceAddress: undefined,
  };
}

/** A service (not a staff member) calling for site A. */
export function aServiceActor(): Actor {
  return {
    principal: { id: 'sessions', kind: 'service', roles: [], sites: [SITE_A], network: NETWORK },
    requestId: 'req-unit',
    sourceAddress: undefined,
  };
}

export function aSite(overrides: Partial<ProjectedSite> = {}): ProjectedSite {
  return { id: SITE_A, networkId: NETWORK, timeZone: 'America/New_York', active: true, ...overrides };
}

export function aTrack(overrides: Partial<ProjectedTrack> = {}): ProjectedTrack {
  return {
    id: randomUUID(),
    siteId: SITE_A,
    levelOfCare: LevelOfCare.IntensiveOutpatient,
    population: Population.Adult,
    active: true,
    ...overrides,
  };
}

export function aClientRow(overrides: Partial<ClientRow> = {}): ClientRow {
  return {
    id: randomUUID(),
    site_id: SITE_A,
    network_id: NETWORK,
    referral_id: null,
    given_name: 'Ada',
    family_name: 'Example',
    date_of_birth: '1990-01-01',
    pronouns: null,
    preferred_language: 'en',
    time_zone: 'America/New_York',
    phone: null,
    email: null,
    address: null,
    created_at: new Date('2026-01-01T00:00:00Z'),
    ...overrides,
  };
}

/** What a coordinator registers of a new client at site A (no referral, no contacts). */
export function aClientBody(overrides: Partial<CreateClientDto> = {}): CreateClientDto {
  return {
    siteId: SITE_A,
    givenName: 'Ada',
    familyName: 'Example',
    dateOfBirth: '1990-01-01',
    preferredLanguage: 'en',
    timeZone: 'America/New_York',
    ...overrides,
  };
}

export function aReferralRow(overrides: Partial<ReferralRow> = {}): ReferralRow {
  return {
    id: randomUUID(),
    site_id: SITE_A,
    network_id: NETWORK,
    source: ReferralSource.Self,
    reason_code: ReferralReason.SubstanceUse,
    referrer: { name: 'Dr Example' },
    status: ReferralStatus.Assessed,
    client_id: null,
    received_at: new Date('2026-01-01T00:00:00Z'),
    updated_at: new Date('2026-01-01T00:00:00Z'),
    ...overrides,
  };
}

export function anEpisodeRow(overrides: Partial<EpisodeRow> = {}): EpisodeRow {
  return {
    id: randomUUID(),
    client_id: randomUUID(),
    site_id: SITE_A,
    network_id: NETWORK,
    program_track_id: randomUUID(),
    population: Population.Adult,
    clinical_level: LevelOfCare.IntensiveOutpatient,
    authorized_level: null,
    primary_counselor_id: STAFF,
    admitted_on: '2026-03-02',
    admitted_at: new Date('2026-03-02T05:00:00Z'),
    status: 'active',
    discharged_at: null,
    discharge_reason: null,
    referred_to: null,
    ...overrides,
  };
}

/** Whom an episode's events are about: the fields every episode event starts with. */
export function episodeSubject(row: EpisodeRow): { episodeId: string; clientId: string; siteId: string } {
  return { episodeId: row.id, clientId: row.client_id, siteId: row.site_id };
}

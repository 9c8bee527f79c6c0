import { Injectable } from '@nestjs/common';
import { type Resource } from '@medplum/fhirtypes';
import { DisclosedResourceType } from '@stepwise/contracts';
import {
  searchset,
  toConsent,
  toEpisodeOfCare,
  toPatient,
  withNotice,
  withPart2Labels,
} from '@stepwise/fhir';
import { type Actor, type FhirSearchContext, ProblemException } from '@stepwise/security';
import { ConsentsRepository } from '../consents/consents.repository';
import { type ConsentFacts } from '../consents/disclosure';
import { type EpisodeRow, EpisodesRepository } from '../episodes/episodes.repository';
import { type DisclosureGrant, type FhirAnswer, FhirDisclosure } from './fhir-disclosure';

/** Where a search was asked: the FHIR base URL and the search URL as received. */
export type SearchContext = FhirSearchContext;

const episodeOfCare = (row: EpisodeRow): ReturnType<typeof toEpisodeOfCare> =>
  toEpisodeOfCare({
    episodeId: row.id,
    clientId: row.client_id,
    status: row.status,
    clinicalLevel: row.clinical_level,
    authorizedLevel: row.authorized_level,
    admittedAt: row.admitted_at,
    dischargedAt: row.discharged_at,
  });

const consent = (facts: ConsentFacts, clientId: string, now: Date): ReturnType<typeof toConsent> =>
  toConsent(
    {
      consentId: facts.id,
      clientId,
      recipientKind: facts.recipientKind,
      recipientId: facts.recipientId,
      informationCategories: facts.categories,
      purposes: facts.purposes,
      grantedAt: facts.grantedAt,
      expiresAt: facts.expiresAt,
      revokedAt: facts.revokedAt,
      endedByEvent: facts.endedByEvent,
    },
    now,
  );

export const one = (grant: DisclosureGrant, resource: Resource): FhirAnswer => ({
  body: withPart2Labels(resource, grant.notice),
  resourceCount: 1,
});

export function many(
  grant: DisclosureGrant,
  where: SearchContext,
  resources: readonly Resource[],
): FhirAnswer {
  const labelled = resources.map((r) => withPart2Labels(r, grant.notice));
  return {
    body: withNotice(searchset(where.base, where.self, labelled), grant.notice),
    resourceCount: labelled.length,
  };
}

/**
 * Intake's FHIR R4 resources: the minimal Patient, the client's EpisodeOfCare, and the consents naming the
 * caller. Each read goes through `FhirDisclosure` (network scope, consent, audit, accounting).
 */
@Injectable()
export class FhirResources {
  constructor(
    private readonly disclosure: FhirDisclosure,
    private readonly episodes: EpisodesRepository,
    private readonly consents: ConsentsRepository,
  ) {}

  patient(actor: Actor, clientId: string): Promise<string> {
    return this.disclosure.read(actor, DisclosedResourceType.Patient, clientId, (grant) =>
      Promise.resolve(
        one(
          grant,
          toPatient({
            clientId: grant.client.id,
            givenName: grant.client.given_name,
            familyName: grant.client.family_name,
            dateOfBirth: grant.client.date_of_birth,
            preferredLanguage: grant.client.preferred_language,
          }),
        ),
      ),
    );
  }

  /** One episode: its client is found first (404 for an unknown id), then the read is decided for that client. */
  async episode(actor: Actor, episodeId: string): Promise<string> {
    const stored = await this.episodes.find(episodeId);
    if (stored === undefined) throw new ProblemException('not-found', { detail: 'No such EpisodeOfCare' });
    return this.disclosure.read(actor, DisclosedResourceType.EpisodeOfCare, stored.row.client_id, (grant) =>
      Promise.resolve(one(grant, episodeOfCare(stored.row))),
    );
  }

  episodesOf(actor: Actor, clientId: string, where: SearchContext): Promise<string> {
    return this.disclosure.read(actor, DisclosedResourceType.EpisodeOfCare, clientId, async (grant, tx) =>
      many(grant, where, (await this.episodes.ofClient(tx.manager, clientId)).map(episodeOfCare)),
    );
  }

  /** One consent, when it names the caller (any other answers 404, as an unknown id does). */
  async consent(actor: Actor, consentId: string): Promise<string> {
    const clientId = await this.consents.clientOf(consentId);
    if (clientId === undefined) throw new ProblemException('not-found', { detail: 'No such Consent' });
    return this.disclosure.read(actor, DisclosedResourceType.Consent, clientId, (grant) => {
      const named = grant.namingCaller.find((c) => c.id === consentId);
      return Promise.resolve(
        named === undefined ? undefined : one(grant, consent(named, clientId, grant.now)),
      );
    });
  }

  consentsOf(actor: Actor, clientId: string, where: SearchContext): Promise<string> {
    return this.disclosure.read(actor, DisclosedResourceType.Consent, clientId, (grant) =>
      Promise.resolve(
        many(
          grant,
          where,
          grant.namingCaller.map((c) => consent(c, clientId, grant.now)),
        ),
      ),
    );
  }
}

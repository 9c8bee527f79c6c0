import { type EpisodeOfCare } from '@medplum/fhirtypes';
import { SYSTEMS } from '../code-systems';
import { instant, patientReference } from './references';

export interface EpisodeFacts {
  readonly episodeId: string;
  readonly clientId: string;
  readonly status: 'active' | 'discharged';
  /** The clinical level of care now (ASAM code, e.g. '2.1'); null when not known (an event that tells no level). */
  readonly clinicalLevel: string | null;
  /** The payer-authorized level, when there is one. */
  readonly authorizedLevel: string | null;
  /** Null when not known: an event about a change later in the episode does not tell when it began. */
  readonly admittedAt: Date | null;
  readonly dischargedAt: Date | null;
}

const level = (code: string, text: string): NonNullable<EpisodeOfCare['type']>[number] => ({
  coding: [{ system: SYSTEMS.levelOfCare, code }],
  text,
});

/**
 * The episode of care: status (an active episode is `active`, a discharged one `finished`), its period from
 * admission to discharge, and its levels of care as types — the clinical level first, the authorized one next
 * when there is one (they often differ; the texts say which is which).
 */
export function toEpisodeOfCare(facts: EpisodeFacts): EpisodeOfCare {
  return {
    resourceType: 'EpisodeOfCare',
    id: facts.episodeId,
    status: facts.status === 'active' ? 'active' : 'finished',
    type: [
      ...(facts.clinicalLevel === null ? [] : [level(facts.clinicalLevel, 'clinical level of care')]),
      ...(facts.authorizedLevel === null ? [] : [level(facts.authorizedLevel, 'authorized level of care')]),
    ],
    patient: patientReference(facts.clientId),
    ...(facts.admittedAt === null && facts.dischargedAt === null
      ? {}
      : {
          period: {
            ...(facts.admittedAt === null ? {} : { start: instant(facts.admittedAt) }),
            ...(facts.dischargedAt === null ? {} : { end: instant(facts.dischargedAt) }),
          },
        }),
  };
}

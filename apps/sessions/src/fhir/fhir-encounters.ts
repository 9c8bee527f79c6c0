import { Injectable } from '@nestjs/common';
import { DisclosedResourceType } from '@stepwise/contracts';
import { toEncounter } from '@stepwise/fhir';
import { type Actor, type FhirSearchContext, ScopedRecords, ServedFhirReads } from '@stepwise/security';
import { ENCOUNTER, type EncounterRow, EncountersRepository } from './encounters.repository';

/** The most encounters one search answers (the newest by start; intake accounts each answer). */
export const FHIR_SEARCH_LIMIT = 100;

const encounter = (row: EncounterRow): ReturnType<typeof toEncounter> =>
  toEncounter({
    attendanceId: row.id,
    clientId: row.client_id,
    appointmentId: row.appointment_id,
    episodeId: row.episode_id,
    outcome: row.outcome,
    minutesAttended: row.minutes_attended,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    modality: row.modality,
  });

/**
 * Sessions' FHIR R4 Encounters (attended sessions) for outside systems: the record is found in the caller's
 * network (404 otherwise, audited), then intake decides, labels and accounts the disclosure
 * (`ServedFhirReads`); nothing is answered that intake did not allow. No note text is ever part of it.
 */
@Injectable()
export class FhirEncounters {
  constructor(
    private readonly records: ScopedRecords,
    private readonly encounters: EncountersRepository,
    private readonly reads: ServedFhirReads,
  ) {}

  async read(actor: Actor, attendanceId: string): Promise<string> {
    const row = await this.records.load(actor, ENCOUNTER, attendanceId, 'fhir-read');
    return this.reads.answer(
      actor,
      DisclosedResourceType.Encounter,
      { clientId: row.client_id, siteId: row.site_id, resourceId: row.id },
      [encounter(row)],
    );
  }

  /** The client's attended sessions at the sites of the caller's network, newest first, as a searchset Bundle. */
  async search(actor: Actor, clientId: string, where: FhirSearchContext): Promise<string> {
    const network = actor.principal.network;
    const rows =
      network === undefined
        ? []
        : await this.encounters.ofClientInNetwork(clientId, network, FHIR_SEARCH_LIMIT);
    return this.reads.answer(
      actor,
      DisclosedResourceType.Encounter,
      { clientId, ...(rows[0] === undefined ? {} : { siteId: rows[0].site_id }) },
      rows.map(encounter),
      where,
    );
  }
}

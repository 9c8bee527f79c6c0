import { randomUUID } from 'node:crypto';
import {
  AppointmentKind,
  type EncodedMessage,
  type EventPayload,
  LevelOfCare,
  Modality,
  Population,
  SessionType,
  encodeEvent,
} from '@stepwise/contracts';

/**
 * The other services' facts the sessions integration specs start from, encoded as they arrive on the topics
 * (no test-library imports here: specs publish them through their own running service).
 */

/** A site and its time zone, as scheduling publishes it. */
export function siteUpserted(
  siteId: string,
  networkId: string,
  timeZone = 'America/Chicago',
): EncodedMessage {
  return encodeEvent('SiteUpserted', {
    siteId,
    networkId,
    name: 'Riverside clinic',
    timeZone,
    closures: [],
    active: true,
    updatedAt: '2025-01-01T00:00:00.000Z',
  });
}

export interface EpisodeIds {
  readonly clientId: string;
  readonly episodeId: string;
}

/** An adult admitted to IOP (2.1) at a site, as intake publishes it. */
export function clientAdmitted(
  client: EpisodeIds,
  siteId: string,
  primaryCounselorId: string,
  admittedAt: string,
): EncodedMessage {
  return encodeEvent('ClientAdmitted', {
    clientId: client.clientId,
    episodeId: client.episodeId,
    siteId,
    programTrackId: randomUUID(),
    levelOfCare: LevelOfCare.IntensiveOutpatient,
    population: Population.Adult,
    admittedAt,
    primaryCounselorId,
  } satisfies EventPayload<'ClientAdmitted'>);
}

/** A client's seat in an in-person process group, as scheduling publishes it. */
export function groupAppointment(
  client: EpisodeIds,
  session: { readonly appointmentId: string; readonly occurrenceId: string },
  siteId: string,
  facilitatorId: string,
  time: { readonly startsAt: string; readonly endsAt: string },
): EncodedMessage {
  return encodeEvent('AppointmentScheduled', {
    clientId: client.clientId,
    episodeId: client.episodeId,
    appointmentId: session.appointmentId,
    occurrenceId: session.occurrenceId,
    startsAt: time.startsAt,
    endsAt: time.endsAt,
    kind: AppointmentKind.Group,
    sessionType: SessionType.ProcessGroup,
    siteId,
    modality: Modality.InPerson,
    facilitatorId,
  });
}

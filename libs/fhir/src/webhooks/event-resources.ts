import { type Appointment, type Consent, type Encounter, type EpisodeOfCare } from '@medplum/fhirtypes';
import { toAppointment } from '../resources/appointment';
import { toConsent } from '../resources/consent';
import { toEncounter } from '../resources/encounter';
import { toEpisodeOfCare } from '../resources/episode-of-care';

/*
 * The payload fields each care event tells, as this library reads them. Structural on purpose: this library
 * imports nothing of ours (it is published with the contract), so it names the fields it needs and the
 * payload classes of @stepwise/contracts satisfy these shapes (notifications' tests hold the two together).
 */
interface ClientAdmittedFacts {
  readonly episodeId: string;
  readonly clientId: string;
  readonly levelOfCare: string;
  readonly admittedAt: string;
}
interface LevelOfCareChangedFacts {
  readonly episodeId: string;
  readonly clientId: string;
  /** clinical or authorized: which of the two levels changed. */
  readonly kind: string;
  readonly toLevel: string;
}
interface ClientTransferredFacts {
  readonly episodeId: string;
  readonly clientId: string;
  readonly levelOfCare: string;
}
interface ClientDischargedFacts {
  readonly episodeId: string;
  readonly clientId: string;
  readonly dischargedAt: string;
}
interface ConsentGrantedFacts {
  readonly consentId: string;
  readonly clientId: string;
  readonly recipient: { readonly kind: string; readonly id: string };
  readonly purposes: readonly string[];
  readonly informationCategories: readonly string[];
  readonly grantedAt: string;
  readonly expiresAt: string;
}
interface ConsentRevokedFacts {
  readonly consentId: string;
  readonly clientId: string;
  readonly revokedAt: string;
}
interface AppointmentScheduledFacts {
  readonly appointmentId: string;
  readonly clientId: string;
  readonly sessionType: string;
  readonly startsAt: string;
  readonly endsAt: string;
}
interface AppointmentRescheduledFacts {
  readonly appointmentId: string;
  readonly clientId: string;
  readonly startsAt: string;
  readonly endsAt: string;
}
interface AppointmentCancelledFacts {
  readonly appointmentId: string;
  readonly clientId: string;
}
interface SessionAttendedFacts {
  readonly attendanceId: string;
  readonly appointmentId: string;
  readonly clientId: string;
  readonly episodeId: string;
  readonly status: string;
  readonly minutesAttended: number;
  readonly sessionDate: string;
}

/** The care events a FHIR webhook delivers, each with what it tells and the one resource it changes. */
export interface FhirWebhookEvents {
  readonly ClientAdmitted: { readonly facts: ClientAdmittedFacts; readonly resource: EpisodeOfCare };
  readonly LevelOfCareChanged: { readonly facts: LevelOfCareChangedFacts; readonly resource: EpisodeOfCare };
  readonly ClientTransferred: { readonly facts: ClientTransferredFacts; readonly resource: EpisodeOfCare };
  readonly ClientDischarged: { readonly facts: ClientDischargedFacts; readonly resource: EpisodeOfCare };
  readonly ConsentGranted: { readonly facts: ConsentGrantedFacts; readonly resource: Consent };
  readonly ConsentRevoked: { readonly facts: ConsentRevokedFacts; readonly resource: Consent };
  readonly AppointmentScheduled: {
    readonly facts: AppointmentScheduledFacts;
    readonly resource: Appointment;
  };
  readonly AppointmentRescheduled: {
    readonly facts: AppointmentRescheduledFacts;
    readonly resource: Appointment;
  };
  readonly AppointmentCancelled: {
    readonly facts: AppointmentCancelledFacts;
    readonly resource: Appointment;
  };
  readonly SessionAttended: { readonly facts: SessionAttendedFacts; readonly resource: Encounter };
}

export type FhirWebhookEventType = keyof FhirWebhookEvents;

/**
 * What the delivery knows beside the event: when it happened (a consent's status is as of then) and the consent
 * it is disclosed under — for a revocation, the consent revoked, whose scope the event does not repeat.
 */
export interface FhirEventContext {
  readonly occurredAt: Date;
  readonly consent: {
    readonly consentId: string;
    readonly recipientKind: string;
    readonly recipientId: string;
    readonly informationCategories: readonly string[];
    readonly purposes: readonly string[];
    readonly expiresAt: Date;
  };
}

type Builders = {
  readonly [T in FhirWebhookEventType]: (
    facts: FhirWebhookEvents[T]['facts'],
    context: FhirEventContext,
  ) => FhirWebhookEvents[T]['resource'];
};

const at = (value: string): Date => new Date(value);

/**
 * Each event as the resource it changes, built only from what the event tells (and, for a revocation, the
 * consent it revokes): what an event does not repeat is left out rather than looked up, so a delivery never
 * discloses more than the event it stands for. The receiver reads the whole resource from the FHIR API when it
 * needs it.
 */
const BUILDERS: Builders = {
  ClientAdmitted: (facts) =>
    toEpisodeOfCare({
      episodeId: facts.episodeId,
      clientId: facts.clientId,
      status: 'active',
      clinicalLevel: facts.levelOfCare,
      authorizedLevel: null,
      admittedAt: at(facts.admittedAt),
      dischargedAt: null,
    }),
  LevelOfCareChanged: (facts) =>
    toEpisodeOfCare({
      episodeId: facts.episodeId,
      clientId: facts.clientId,
      status: 'active',
      clinicalLevel: facts.kind === 'clinical' ? facts.toLevel : null,
      authorizedLevel: facts.kind === 'clinical' ? null : facts.toLevel,
      admittedAt: null,
      dischargedAt: null,
    }),
  ClientTransferred: (facts) =>
    toEpisodeOfCare({
      episodeId: facts.episodeId,
      clientId: facts.clientId,
      status: 'active',
      clinicalLevel: facts.levelOfCare,
      authorizedLevel: null,
      admittedAt: null,
      dischargedAt: null,
    }),
  ClientDischarged: (facts) =>
    toEpisodeOfCare({
      episodeId: facts.episodeId,
      clientId: facts.clientId,
      status: 'discharged',
      clinicalLevel: null,
      authorizedLevel: null,
      admittedAt: null,
      dischargedAt: at(facts.dischargedAt),
    }),
  ConsentGranted: (facts, context) =>
    toConsent(
      {
        consentId: facts.consentId,
        clientId: facts.clientId,
        recipientKind: facts.recipient.kind,
        recipientId: facts.recipient.id,
        informationCategories: facts.informationCategories,
        purposes: facts.purposes,
        grantedAt: at(facts.grantedAt),
        expiresAt: at(facts.expiresAt),
        revokedAt: null,
        endedByEvent: false,
      },
      context.occurredAt,
    ),
  ConsentRevoked: (facts, context) =>
    toConsent(
      {
        consentId: facts.consentId,
        clientId: facts.clientId,
        recipientKind: context.consent.recipientKind,
        recipientId: context.consent.recipientId,
        informationCategories: context.consent.informationCategories,
        purposes: context.consent.purposes,
        grantedAt: null,
        expiresAt: context.consent.expiresAt,
        revokedAt: at(facts.revokedAt),
        endedByEvent: false,
      },
      context.occurredAt,
    ),
  AppointmentScheduled: (facts) =>
    toAppointment({
      appointmentId: facts.appointmentId,
      clientId: facts.clientId,
      status: 'scheduled',
      sessionType: facts.sessionType,
      startsAt: at(facts.startsAt),
      endsAt: at(facts.endsAt),
    }),
  AppointmentRescheduled: (facts) =>
    toAppointment({
      appointmentId: facts.appointmentId,
      clientId: facts.clientId,
      status: 'scheduled',
      sessionType: null,
      startsAt: at(facts.startsAt),
      endsAt: at(facts.endsAt),
    }),
  AppointmentCancelled: (facts) =>
    toAppointment({
      appointmentId: facts.appointmentId,
      clientId: facts.clientId,
      status: 'cancelled',
      sessionType: null,
      startsAt: null,
      endsAt: null,
    }),
  SessionAttended: (facts) =>
    toEncounter({
      attendanceId: facts.attendanceId,
      clientId: facts.clientId,
      appointmentId: facts.appointmentId,
      episodeId: facts.episodeId,
      outcome: facts.status,
      minutesAttended: facts.minutesAttended,
      startsAt: null,
      endsAt: null,
      sessionDate: facts.sessionDate,
      modality: null,
    }),
};

/** The event types a FHIR webhook delivers, in a stable order. */
export const FHIR_WEBHOOK_EVENT_TYPES = Object.keys(BUILDERS) as readonly FhirWebhookEventType[];

export function isFhirWebhookEventType(type: string): type is FhirWebhookEventType {
  return Object.prototype.hasOwnProperty.call(BUILDERS, type);
}

/** The resource a care event changed, as a FHIR webhook delivers it (before its Part 2 labels are added). */
export function resourceOfEvent<T extends FhirWebhookEventType>(
  type: T,
  facts: FhirWebhookEvents[T]['facts'],
  context: FhirEventContext,
): FhirWebhookEvents[T]['resource'] {
  return (BUILDERS[type] as Builders[T])(facts, context);
}

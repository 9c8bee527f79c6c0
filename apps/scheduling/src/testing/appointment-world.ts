import { RecordingUnitOfWork } from '@stepwise/messaging';
import { AppointmentKind, SessionType } from '@stepwise/contracts';
import { ManualClock } from '@stepwise/platform';
import { type BookAppointmentDto } from '../appointments/appointment.dto';
import { type OccurrenceRow } from '../appointments/appointments.repository';
import { type AppointmentIdentity } from './events';
import { NETWORK } from './actors';
import { InMemoryScopedRecords } from '@stepwise/security';
import { CLIENT, EPISODE, SITE_A, SITE_B, STAFF } from './ids';
import { InMemoryAppointments } from './in-memory-appointments';

export { CLIENT, EPISODE, SITE_A, SITE_B, STAFF } from './ids';
export const OTHER_STAFF = '50000000-0000-4000-8000-000000000002';

/** "Now" of the appointment unit tests: before every session they book. */
export const NOW = '2027-03-01T12:00:00Z';

/** The collaborators of an appointments use case: site A (New York) and B, one counselor at A. */
export function appointmentWorld(): {
  unitOfWork: RecordingUnitOfWork;
  records: InMemoryScopedRecords;
  store: InMemoryAppointments;
  clock: ManualClock;
} {
  const records = new InMemoryScopedRecords({ network: NETWORK });
  const store = new InMemoryAppointments(records);
  store.addSite(SITE_A);
  store.addSite(SITE_B);
  store.addStaff(STAFF, [SITE_A]);
  return { unitOfWork: new RecordingUnitOfWork(), records, store, clock: new ManualClock(NOW) };
}

/** A scheduled individual session at site A with the counselor (override any column). */
export function occurrence(
  id: string,
  overrides: Partial<Omit<OccurrenceRow, 'key'>> = {},
): Omit<OccurrenceRow, 'key'> {
  return {
    id,
    series_id: null,
    site_id: SITE_A,
    kind: AppointmentKind.Individual,
    session_type: SessionType.IndividualCounseling,
    facilitator_id: STAFF,
    room: 'Room 1',
    modality: 'in-person',
    local_date: '2027-03-10',
    starts_at: new Date('2027-03-10T20:00:00Z'),
    ends_at: new Date('2027-03-10T21:00:00Z'),
    status: 'scheduled',
    ...overrides,
  };
}

/** A booking of an individual session in room 1 on 10 March 2027, 15:00–16:00 New York time. */
export function bookingBody(overrides: Partial<BookAppointmentDto> = {}): BookAppointmentDto {
  return {
    clientId: CLIENT,
    episodeId: EPISODE,
    kind: AppointmentKind.Individual,
    sessionType: SessionType.IndividualCounseling,
    facilitatorId: STAFF,
    room: 'Room 1',
    startsAt: '2027-03-10T15:00:00-05:00',
    endsAt: '2027-03-10T16:00:00-05:00',
    ...overrides,
  };
}

export const BOOKED_OCCURRENCE = '00000000-0000-4000-8000-000000000001';
export const BOOKED_APPOINTMENT = 'a9900000-0000-4000-8000-000000000001';

/** The booked appointment as its events name it (see `appointmentEvent`). */
export const BOOKED: AppointmentIdentity = {
  appointmentId: BOOKED_APPOINTMENT,
  clientId: CLIENT,
  episodeId: EPISODE,
  siteId: SITE_A,
};

/** The world with one appointment `BOOKED_APPOINTMENT` of the client in its own session at site A. */
export function bookedWorld(kind = 'individual', status = 'scheduled'): ReturnType<typeof appointmentWorld> {
  const w = appointmentWorld();
  w.store.addOccurrence(occurrence(BOOKED_OCCURRENCE, { kind }));
  w.store.addAppointment({
    id: BOOKED_APPOINTMENT,
    occurrenceId: BOOKED_OCCURRENCE,
    clientId: CLIENT,
    episodeId: EPISODE,
    siteId: SITE_A,
    status,
    cancelReason: null,
  });
  return w;
}

/** The audit entry of `action` on the booked appointment, as the trail stores it. */
export function appointmentAudit(action: string, outcome: 'allowed' | 'denied'): Record<string, string> {
  return {
    action,
    resourceType: 'appointment',
    resourceId: BOOKED_APPOINTMENT,
    clientId: CLIENT,
    siteId: SITE_A,
    ...(outcome === 'denied' ? { networkId: NETWORK } : {}),
    outcome,
  };
}

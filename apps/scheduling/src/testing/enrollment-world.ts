import { RecordingUnitOfWork } from '@stepwise/messaging';
import { LevelOfCareChangeKind, LevelOfCare, Modality } from '@stepwise/contracts';
import { ManualClock } from '@stepwise/platform';
import { ChangeLevelOfCare } from '../enrollment/change-level-of-care';
import { DischargeClient } from '../enrollment/discharge-client';
import { EnrollClient } from '../enrollment/enroll-client';
import { careEvent } from './events';
import { CLIENT, EPISODE, SITE_A, SITE_B, TRACK } from './ids';
import { InMemoryEnrollments } from './in-memory-enrollments';
import { FakeScheduleGenerator, FakeSeating } from './in-memory-series';

export { CLIENT, EPISODE, TRACK };
export const ENROLLMENT_SITE = SITE_A;
export const STEP_DOWN_TRACK = '70000000-0000-4000-8000-000000000002';
/** A track of the same level at another site of the network (site B). */
export const SITE_B_TRACK = '70000000-0000-4000-8000-000000000003';
export const OTHER_SITE = SITE_B;
/** "Now" of the enrollment unit tests: Wednesday 3 March 2027, 10:00 in New York. */
export const ENROLLMENT_NOW = '2027-03-03T15:00:00.000Z';

/**
 * The enrollment use cases over in-memory enrollments, with the seating and the generator faked (their
 * calls recorded): two active tracks at the site.
 */
export function enrollmentWorld(): {
  enrollClient: EnrollClient;
  changeLevelOfCare: ChangeLevelOfCare;
  dischargeClient: DischargeClient;
  store: InMemoryEnrollments;
  generator: FakeScheduleGenerator;
  seating: FakeSeating;
  unitOfWork: RecordingUnitOfWork;
  clock: ManualClock;
} {
  const store = new InMemoryEnrollments();
  for (const id of [TRACK, STEP_DOWN_TRACK])
    store.tracks.set(id, {
      id,
      site_id: ENROLLMENT_SITE,
      modality: Modality.InPerson,
      weekly_pattern: [],
      active: true,
    });
  store.tracks.set(SITE_B_TRACK, {
    id: SITE_B_TRACK,
    site_id: SITE_B,
    modality: Modality.InPerson,
    weekly_pattern: [],
    active: true,
  });
  const generator = new FakeScheduleGenerator();
  generator.addSite(ENROLLMENT_SITE);
  generator.addSite(SITE_B);
  const seating = new FakeSeating();
  const clock = new ManualClock(ENROLLMENT_NOW);
  const repository = store.asRepository();
  const enrollClient = new EnrollClient(generator.asGenerator(), seating.asSeating(), repository, clock);
  return {
    enrollClient,
    changeLevelOfCare: new ChangeLevelOfCare(
      enrollClient,
      generator.asGenerator(),
      seating.asSeating(),
      repository,
      clock,
    ),
    dischargeClient: new DischargeClient(generator.asGenerator(), seating.asSeating(), repository, clock),
    store,
    generator,
    seating,
    unitOfWork: new RecordingUnitOfWork(),
    clock,
  };
}

/** The client's admission to TRACK at `admittedAt`. */
export const admitted = (admittedAt: string) =>
  careEvent('ClientAdmitted', {
    episodeId: EPISODE,
    clientId: CLIENT,
    siteId: ENROLLMENT_SITE,
    programTrackId: TRACK,
    admittedAt,
  });

/** A clinical change of the client's episode to outpatient (override any field). */
export const levelChanged = (overrides: Record<string, unknown>) =>
  careEvent('LevelOfCareChanged', {
    episodeId: EPISODE,
    kind: LevelOfCareChangeKind.Clinical,
    toLevel: LevelOfCare.Outpatient,
    effectiveAt: '2027-03-01T00:00:00.000Z',
    ...overrides,
  });

export const discharged = (at: string) =>
  careEvent('ClientDischarged', { episodeId: EPISODE, dischargedAt: at });

/** The world with the client admitted on 1 March 2027. */
export async function enrolledWorld(): Promise<ReturnType<typeof enrollmentWorld>> {
  const w = enrollmentWorld();
  await w.unitOfWork.run((tx) => w.enrollClient.execute(admitted('2027-03-01T14:00:00.000Z'), tx));
  return w;
}

/** The client's transfer to SITE_B_TRACK at site B, same level (override any field). */
export const transferred = (overrides: Record<string, unknown> = {}) =>
  careEvent('ClientTransferred', {
    episodeId: EPISODE,
    clientId: CLIENT,
    fromSiteId: ENROLLMENT_SITE,
    siteId: SITE_B,
    newProgramTrackId: SITE_B_TRACK,
    levelOfCare: LevelOfCare.IntensiveOutpatient,
    effectiveAt: ENROLLMENT_NOW,
    ...overrides,
  });

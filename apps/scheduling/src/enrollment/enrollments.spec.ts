import { RecordingUnitOfWork } from '@stepwise/messaging';
import {
  CancellationReason,
  LevelOfCare,
  LevelOfCareChangeKind,
  Modality,
  Population,
} from '@stepwise/contracts';
import { ManualClock } from '@stepwise/platform';
import { InMemoryEnrollments, careEvent } from '../testing/in-memory-enrollments';
import { FakeScheduleGenerator, FakeSeating } from '../testing/in-memory-series';
import { SchedulingEventRejected, Enrollments } from './enrollments';

const SITE = 'a0000000-0000-4000-8000-00000000000a';
const TRACK = '70000000-0000-4000-8000-000000000001';
const STEP_DOWN_TRACK = '70000000-0000-4000-8000-000000000002';
const EPISODE = 'e0000000-0000-4000-8000-000000000001';
const CLIENT = 'c0000000-0000-4000-8000-000000000001';
const NOW = '2027-03-03T15:00:00.000Z';

function world(): {
  enrollments: Enrollments;
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
      site_id: SITE,
      modality: Modality.InPerson,
      weekly_pattern: [],
      active: true,
    });
  const generator = new FakeScheduleGenerator();
  generator.addSite(SITE);
  const seating = new FakeSeating();
  const clock = new ManualClock(NOW);
  const enrollments = new Enrollments(
    generator.asGenerator(),
    seating.asSeating(),
    store.asRepository(),
    clock,
  );
  return { enrollments, store, generator, seating, unitOfWork: new RecordingUnitOfWork(), clock };
}

const admitted = (admittedAt: string) =>
  careEvent('ClientAdmitted', {
    episodeId: EPISODE,
    clientId: CLIENT,
    siteId: SITE,
    programTrackId: TRACK,
    admittedAt,
  });

describe('Enrollments.admit', () => {
  it('enrolls from the local admission date, seats the client and announces ClientEnrolled with the seats', async () => {
    const w = world();
    await w.unitOfWork.run((tx) => w.enrollments.admit(admitted('2027-03-08T14:00:00.000Z'), tx));
    const [enrollment] = w.store.rows;
    expect(enrollment).toMatchObject({
      episode_id: EPISODE,
      site_id: SITE,
      program_track_id: TRACK,
      starts_on: '2027-03-08',
    });
    expect(w.seating.seated).toEqual([enrollment?.id]);
    expect(w.unitOfWork.published.map((e) => e.type)).toEqual(['ClientEnrolled', 'ClientWaitlisted']);
    expect(w.unitOfWork.published[0]?.payload).toEqual({
      enrollmentId: enrollment?.id,
      clientId: CLIENT,
      episodeId: EPISODE,
      siteId: SITE,
      programTrackId: TRACK,
      startsOn: '2027-03-08',
      plannedWeeklyMinutes: 240,
    });
    // Admitted ahead of time: four weeks from the start date, nothing backfilled.
    expect(w.generator.extended).toEqual([{ siteId: SITE, until: '2027-04-05' }]);
    expect(w.generator.filled).toEqual([
      { siteId: SITE, enrollmentIds: [enrollment?.id], includePast: false },
    ]);
    expect(w.generator.checked).toEqual([
      { from: '2027-03-08', until: '2027-04-05', enrollmentIds: [enrollment?.id] },
    ]);
    expect(w.unitOfWork.locks).toEqual([`scheduling:episode:${EPISODE}`]);
  });

  it('backfills from the start date of a backdated admission, and applies an admission once', async () => {
    const w = world();
    await w.unitOfWork.run((tx) => w.enrollments.admit(admitted('2027-02-22T14:00:00.000Z'), tx));
    await w.unitOfWork.run((tx) => w.enrollments.admit(admitted('2027-02-22T14:00:00.000Z'), tx));
    expect(w.store.rows).toHaveLength(1);
    expect(w.generator.extended).toEqual([{ siteId: SITE, until: '2027-03-31', backfillFrom: '2027-02-22' }]);
    expect(w.generator.filled[0]).toMatchObject({ includePast: true });
  });

  it('rejects for good an admission to an unknown or inactive track', async () => {
    const w = world();
    w.store.tracks.set(TRACK, {
      id: TRACK,
      site_id: SITE,
      modality: Modality.InPerson,
      weekly_pattern: [],
      active: false,
    });
    await expect(w.unitOfWork.run((tx) => w.enrollments.admit(admitted(NOW), tx))).rejects.toBeInstanceOf(
      SchedulingEventRejected,
    );
    expect(w.unitOfWork.published).toEqual([]);
  });
});

describe('Enrollments.changeLevel', () => {
  async function enrolled(): Promise<ReturnType<typeof world>> {
    const w = world();
    await w.unitOfWork.run((tx) => w.enrollments.admit(admitted('2027-03-01T14:00:00.000Z'), tx));
    return w;
  }
  const change = (overrides: Record<string, unknown>) =>
    careEvent('LevelOfCareChanged', {
      episodeId: EPISODE,
      kind: LevelOfCareChangeKind.Clinical,
      toLevel: LevelOfCare.Outpatient,
      effectiveAt: '2027-03-01T00:00:00.000Z',
      ...overrides,
    });

  it('moves the client to the new track from now (never the past), releasing the old seats', async () => {
    const w = await enrolled();
    const before = w.store.rows[0];
    await w.unitOfWork.run((tx) =>
      w.enrollments.changeLevel(change({ newProgramTrackId: STEP_DOWN_TRACK }), tx),
    );
    expect(w.store.rows.map((r) => [r.program_track_id, r.status])).toEqual([
      [TRACK, 'moved'],
      [STEP_DOWN_TRACK, 'active'],
    ]);
    expect(w.store.rows[0]?.ended_at).toBe(NOW);
    expect(w.seating.left).toEqual([
      { enrollmentId: before?.id, at: NOW, reason: CancellationReason.LevelOfCareChanged },
    ]);
    expect(w.store.rows[1]).toMatchObject({
      level_of_care: LevelOfCare.Outpatient,
      population: Population.Adult,
    });
  });

  it('only records the level when the track stays, and ignores changes only authorised (not clinical)', async () => {
    const w = await enrolled();
    await w.unitOfWork.run((tx) =>
      w.enrollments.changeLevel(
        change({ kind: LevelOfCareChangeKind.Authorized, newProgramTrackId: undefined }),
        tx,
      ),
    );
    expect(w.store.rows[0]?.level_of_care).not.toBe(LevelOfCare.Outpatient);
    await w.unitOfWork.run((tx) => w.enrollments.changeLevel(change({ newProgramTrackId: TRACK }), tx));
    expect(w.store.rows).toHaveLength(1);
    expect(w.store.rows[0]).toMatchObject({ level_of_care: LevelOfCare.Outpatient, status: 'active' });
    expect(w.seating.left).toEqual([]);
  });
});

describe('Enrollments.discharge', () => {
  const discharged = (at: string) => careEvent('ClientDischarged', { episodeId: EPISODE, dischargedAt: at });

  it('ends the enrollment from the discharge (or now, if earlier) and releases the seats', async () => {
    const w = world();
    await w.unitOfWork.run((tx) => w.enrollments.admit(admitted('2027-03-01T14:00:00.000Z'), tx));
    await w.unitOfWork.run((tx) => w.enrollments.discharge(discharged('2027-03-10T12:00:00.000Z'), tx));
    expect(w.store.rows[0]).toMatchObject({ status: 'discharged', ended_at: '2027-03-10T12:00:00.000Z' });
    expect(w.seating.left).toEqual([
      {
        enrollmentId: w.store.rows[0]?.id,
        at: '2027-03-10T12:00:00.000Z',
        reason: CancellationReason.ClientDischarged,
      },
    ]);
  });

  it('cancels appointments booked by hand when the client was never enrolled', async () => {
    const w = world();
    await w.unitOfWork.run((tx) => w.enrollments.discharge(discharged('2027-01-01T00:00:00.000Z'), tx));
    expect(w.seating.cancelled).toEqual([
      { episodeId: EPISODE, reason: CancellationReason.ClientDischarged, at: NOW },
    ]);
  });
});

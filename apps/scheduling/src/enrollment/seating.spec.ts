import { CancellationReason, LevelOfCare, Population, SessionType, Weekday } from '@stepwise/contracts';
import { NO_DATABASE, RecordingUnitOfWork } from '@stepwise/messaging';
import { type EnrollmentRow, type SiteRow } from '../schedule/schedule.rows';
import { InMemoryEnrollments } from '../testing/in-memory-enrollments';
import { FakeScheduleGenerator } from '../testing/in-memory-series';
import {
  COUNSELOR,
  MONDAY_GROUP,
  SCHEDULE_NOW as NOW,
  SCHEDULE_SITE as SITE,
  TRACK,
  WEDNESDAY_GROUP,
  seriesRow,
} from '../testing/schedule-world';
import { Seating } from './seating';

const SECOND_MONDAY = '90000000-0000-4000-8000-000000000003';
const CAUSE = {
  id: '11111111-0000-4000-8000-000000000001',
  correlationId: '22222222-0000-4000-8000-000000000001',
};

/** A New York site with a Monday group (capacity 1) and a Wednesday group (capacity 2) in the track. */
function world(): {
  seating: Seating;
  store: InMemoryEnrollments;
  generator: FakeScheduleGenerator;
  unitOfWork: RecordingUnitOfWork;
  site: SiteRow;
} {
  const store = new InMemoryEnrollments();
  store.series.push(
    {
      ...seriesRow(MONDAY_GROUP, { capacity: 1, facilitator_id: '50000000-0000-4000-8000-000000000009' }),
      active: true,
    },
    {
      ...seriesRow(WEDNESDAY_GROUP, {
        weekday: Weekday.Wednesday,
        session_type: SessionType.RelapsePrevention,
        minutes: 120,
        capacity: 2,
        facilitator_id: '50000000-0000-4000-8000-000000000009',
      }),
      active: true,
    },
  );
  const generator = new FakeScheduleGenerator();
  generator.addSite(SITE);
  const site = generator.sites.get(SITE);
  if (site === undefined) throw new Error('no site');
  return {
    seating: new Seating(store.asRepository(), generator.asGenerator()),
    store,
    generator,
    unitOfWork: new RecordingUnitOfWork(),
    site,
  };
}

let clients = 0;
/** A new client's active enrollment in the track from `startsOn`, with the counselor as primary. */
function enrollment(store: InMemoryEnrollments, startsOn = '2027-03-08'): Promise<EnrollmentRow> {
  clients += 1;
  const n = String(clients).padStart(12, '0');
  return store.insert(NO_DATABASE, {
    episodeId: `e0000000-0000-4000-8000-${n}`,
    clientId: `c0000000-0000-4000-8000-${n}`,
    siteId: SITE,
    programTrackId: TRACK,
    levelOfCare: LevelOfCare.IntensiveOutpatient,
    population: Population.Adult,
    primaryCounselorId: COUNSELOR,
    startsOn,
  });
}

/** Changes a stored series (its capacity, whether it is active). */
function changeSeries(
  store: InMemoryEnrollments,
  id: string,
  change: Partial<InMemoryEnrollments['series'][number]>,
): void {
  const index = store.series.findIndex((s) => s.id === id);
  const current = store.series[index];
  if (current !== undefined) store.series[index] = { ...current, ...change };
}

const statusIn = (store: InMemoryEnrollments, e: EnrollmentRow, seriesId: string) =>
  store.memberships.find((m) => m.enrollment_id === e.id && m.series_id === seriesId);

describe('Seating.seat', () => {
  it('seats the client in each weekly slot with a free seat, from their start date', async () => {
    const w = world();
    const e = await enrollment(w.store);
    const result = await w.unitOfWork.run((tx) => w.seating.seat(tx, w.site, e, [], 'in-person', NOW, CAUSE));
    expect(result).toEqual({ seatedMinutes: 300, events: [] });
    expect(statusIn(w.store, e, MONDAY_GROUP)).toMatchObject({ status: 'seated', joined_on: '2027-03-08' });
    expect(statusIn(w.store, e, WEDNESDAY_GROUP)).toMatchObject({
      status: 'seated',
      joined_on: '2027-03-08',
    });
  });

  it('waitlists a client where every series of the slot is full, at the end, with ClientWaitlisted', async () => {
    const w = world();
    const first = await enrollment(w.store);
    const second = await enrollment(w.store);
    const third = await enrollment(w.store);
    for (const e of [first, second])
      await w.unitOfWork.run((tx) => w.seating.seat(tx, w.site, e, [], 'in-person', NOW));
    const result = await w.unitOfWork.run((tx) =>
      w.seating.seat(tx, w.site, third, [], 'in-person', NOW, CAUSE),
    );
    expect(statusIn(w.store, second, MONDAY_GROUP)).toMatchObject({ status: 'waitlisted', position: 1 });
    expect(statusIn(w.store, third, MONDAY_GROUP)).toMatchObject({ status: 'waitlisted', position: 2 });
    expect(statusIn(w.store, third, WEDNESDAY_GROUP)).toMatchObject({ status: 'waitlisted', position: 1 });
    expect(result.seatedMinutes).toBe(0);
    expect(result.events.map((e) => [e.type, e.payload])).toEqual([
      [
        'ClientWaitlisted',
        {
          clientId: third.client_id,
          episodeId: third.episode_id,
          siteId: SITE,
          programTrackId: TRACK,
          groupSeriesId: MONDAY_GROUP,
          position: 2,
          waitlistedAt: NOW.toISOString(),
        },
      ],
      ['ClientWaitlisted', expect.objectContaining({ groupSeriesId: WEDNESDAY_GROUP, position: 1 })],
    ]);
    expect(result.events[0]?.options).toEqual({ causedBy: CAUSE });
  });

  it('uses a second series of the same slot when the first is full, and waits on the shorter waitlist', async () => {
    const w = world();
    w.store.series.push({ ...seriesRow(SECOND_MONDAY, { capacity: 1, room: 'Room 2' }), active: true });
    const [a, b, c, d] = [
      await enrollment(w.store),
      await enrollment(w.store),
      await enrollment(w.store),
      await enrollment(w.store),
    ];
    for (const e of [a, b, c, d])
      await w.unitOfWork.run((tx) => w.seating.seat(tx, w.site, e, [], 'in-person', NOW));
    expect(
      [a, b].map(
        (e) =>
          w.store.memberships.find(
            (m) => m.enrollment_id === e.id && m.status === 'seated' && m.series_id !== WEDNESDAY_GROUP,
          )?.series_id,
      ),
    ).toEqual([MONDAY_GROUP, SECOND_MONDAY]);
    expect(statusIn(w.store, c, MONDAY_GROUP)).toMatchObject({ status: 'waitlisted', position: 1 });
    expect(statusIn(w.store, d, SECOND_MONDAY)).toMatchObject({ status: 'waitlisted', position: 1 });
  });

  it('gives an individual series with the primary counselor at the first start free in both weeks', async () => {
    const w = world();
    // The counselor already runs a Monday 6–7 pm session; the client's group is Monday 6–9 pm.
    w.store.series.push({
      ...seriesRow('90000000-0000-4000-8000-000000000004', {
        start_time: '18:00',
        minutes: 60,
        facilitator_id: COUNSELOR,
        program_track_id: null,
      }),
      active: true,
    });
    const e = await enrollment(w.store);
    const pattern = [
      { weekday: Weekday.Monday, start: '17:00', minutes: 60, sessionType: SessionType.IndividualCounseling },
    ];
    const result = await w.unitOfWork.run((tx) => w.seating.seat(tx, w.site, e, pattern, 'telehealth', NOW));
    const individual = w.store.series.filter((s) => s.kind === 'individual');
    expect(individual).toEqual([
      expect.objectContaining({
        weekday: Weekday.Monday,
        start_time: '17:00',
        facilitator_id: COUNSELOR,
        modality: 'telehealth',
        capacity: 1,
        starts_on: '2027-03-08',
      }),
    ]);
    expect(statusIn(w.store, e, individual[0]?.id ?? '')).toMatchObject({ status: 'seated' });
    expect(result.seatedMinutes).toBe(180 + 120 + 60);

    // The next client of the counselor: 5 pm is theirs now, 6–9 pm the group's, so 9 pm.
    const next = await enrollment(w.store);
    changeSeries(w.store, MONDAY_GROUP, { capacity: 2 });
    await w.unitOfWork.run((tx) => w.seating.seat(tx, w.site, next, pattern, 'telehealth', NOW));
    expect(w.store.series.filter((s) => s.kind === 'individual').map((s) => s.start_time)).toEqual([
      '17:00',
      '21:00',
    ]);
  });
});

describe('Seating.leave', () => {
  it('cancels the appointments from then, retires individual series and promotes the first waiting client', async () => {
    const w = world();
    const [leaving, waiting] = [
      await enrollment(w.store, '2027-03-01'),
      await enrollment(w.store, '2027-03-10'),
    ];
    const pattern = [
      {
        weekday: Weekday.Thursday,
        start: '17:00',
        minutes: 60,
        sessionType: SessionType.IndividualCounseling,
      },
    ];
    await w.unitOfWork.run((tx) => w.seating.seat(tx, w.site, leaving, pattern, 'in-person', NOW));
    await w.unitOfWork.run((tx) => w.seating.seat(tx, w.site, waiting, [], 'in-person', NOW));
    const appointment = (id: string, startsAt: string) => ({
      id,
      client_id: leaving.client_id,
      episode_id: leaving.episode_id,
      site_id: SITE,
      series_id: MONDAY_GROUP,
      starts_at: new Date(startsAt),
      status: 'scheduled' as const,
      cancel_reason: null,
    });
    w.store.appointments.push(
      appointment('a1000000-0000-4000-8000-000000000001', '2027-03-08T23:00:00Z'),
      appointment('a1000000-0000-4000-8000-000000000002', '2027-03-15T22:00:00Z'),
    );
    const at = new Date('2027-03-10T12:00:00Z');
    await w.unitOfWork.run((tx) =>
      w.seating.leave(tx, w.site, leaving, at, CancellationReason.ClientDischarged, NOW, CAUSE),
    );
    expect(w.store.appointments.map((a) => a.status)).toEqual(['scheduled', 'cancelled']);
    expect(w.unitOfWork.payloads('AppointmentCancelled')).toEqual([
      {
        appointmentId: 'a1000000-0000-4000-8000-000000000002',
        clientId: leaving.client_id,
        episodeId: leaving.episode_id,
        siteId: SITE,
        reason: 'client-discharged',
        cancelledAt: NOW.toISOString(),
      },
    ]);
    expect(w.store.memberships.filter((m) => m.enrollment_id === leaving.id).map((m) => m.status)).toEqual([
      'left',
      'left',
      'left',
    ]);
    const individual = w.store.series.find((s) => s.kind === 'individual');
    expect(individual?.active).toBe(false);
    expect(w.store.retired).toEqual([{ seriesId: individual?.id, from: at.toISOString() }]);
    // The waiting client takes the Monday seat from their own start (later than today).
    expect(statusIn(w.store, waiting, MONDAY_GROUP)).toMatchObject({
      status: 'seated',
      joined_on: '2027-03-10',
    });
    expect(w.generator.filled).toEqual([
      { siteId: SITE, enrollmentIds: [waiting.id], seriesIds: [MONDAY_GROUP] },
    ]);
  });

  it('promotes nobody for a waitlist place or a seat nobody waits for', async () => {
    const w = world();
    const [seated, waiting] = [await enrollment(w.store), await enrollment(w.store)];
    for (const e of [seated, waiting])
      await w.unitOfWork.run((tx) => w.seating.seat(tx, w.site, e, [], 'in-person', NOW));
    await w.unitOfWork.run((tx) =>
      w.seating.leave(tx, w.site, waiting, NOW, CancellationReason.ClientDischarged, NOW),
    );
    await w.unitOfWork.run((tx) =>
      w.seating.leave(tx, w.site, seated, NOW, CancellationReason.ClientDischarged, NOW),
    );
    expect(w.generator.filled).toEqual([]);
    expect(w.unitOfWork.published).toEqual([]);
  });
});

describe('Seating.promote', () => {
  it('seats waiting clients in position order while seats are free, from today at the earliest', async () => {
    const w = world();
    const [a, b, c] = [
      await enrollment(w.store, '2027-02-01'),
      await enrollment(w.store, '2027-02-15'),
      await enrollment(w.store),
    ];
    for (const e of [a, b, c])
      await w.unitOfWork.run((tx) => w.seating.seat(tx, w.site, e, [], 'in-person', NOW));
    changeSeries(w.store, MONDAY_GROUP, { capacity: 2 });
    // Seated on Monday: a; waiting: b (1), c (2). One seat more frees one place.
    const promoted = await w.unitOfWork.run((tx) => w.seating.promote(tx, w.site, MONDAY_GROUP, NOW));
    expect(promoted).toBe(1);
    expect(statusIn(w.store, b, MONDAY_GROUP)).toMatchObject({ status: 'seated', joined_on: '2027-03-03' });
    expect(statusIn(w.store, c, MONDAY_GROUP)).toMatchObject({ status: 'waitlisted' });
    expect(await w.unitOfWork.run((tx) => w.seating.promote(tx, w.site, MONDAY_GROUP, NOW))).toBe(0);
  });

  it('promotes nobody into a retired series', async () => {
    const w = world();
    changeSeries(w.store, MONDAY_GROUP, { active: false });
    expect(await w.unitOfWork.run((tx) => w.seating.promote(tx, w.site, MONDAY_GROUP, NOW))).toBe(0);
  });
});

describe('Seating.cancelAppointments', () => {
  it("cancels only the episode's scheduled appointments of the series named, from the instant", async () => {
    const w = world();
    const base = {
      client_id: 'c0000000-0000-4000-8000-000000000001',
      episode_id: 'e0000000-0000-4000-8000-000000000001',
      site_id: SITE,
      starts_at: new Date('2027-03-15T22:00:00Z'),
      status: 'scheduled' as const,
      cancel_reason: null,
    };
    w.store.appointments.push(
      { ...base, id: 'a1000000-0000-4000-8000-000000000001', series_id: MONDAY_GROUP },
      { ...base, id: 'a1000000-0000-4000-8000-000000000002', series_id: WEDNESDAY_GROUP },
      { ...base, id: 'a1000000-0000-4000-8000-000000000003', series_id: MONDAY_GROUP, status: 'cancelled' },
    );
    const cancelled = await w.unitOfWork.run((tx) =>
      w.seating.cancelAppointments(
        tx,
        { episodeId: base.episode_id, from: NOW, seriesId: MONDAY_GROUP },
        CancellationReason.ClientRequest,
        NOW,
      ),
    );
    expect(cancelled).toBe(1);
    expect(w.store.appointments.map((a) => [a.status, a.cancel_reason])).toEqual([
      ['cancelled', 'client-request'],
      ['scheduled', null],
      ['cancelled', null],
    ]);
    expect(w.unitOfWork.eventsOf('AppointmentCancelled').map((e) => e.payload.appointmentId)).toEqual([
      'a1000000-0000-4000-8000-000000000001',
    ]);
  });
});

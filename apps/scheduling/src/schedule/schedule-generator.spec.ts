import { CareRuleSetKind, LevelOfCare, Population, Weekday } from '@stepwise/contracts';
import { InMemoryCareRules } from '../testing/in-memory-care-rules';
import {
  CLIENT,
  COUNSELOR,
  ENROLLMENT,
  EPISODE,
  MONDAY_GROUP,
  SCHEDULE_NOW as NOW,
  SCHEDULE_SITE as SITE,
  WEDNESDAY_GROUP,
  bookedSeat,
  plannedWeek,
  scheduleWorld,
  seriesRow,
} from '../testing/schedule-world';
import { ScheduleGenerator } from './schedule-generator';

const CAUSE = {
  id: '11111111-0000-4000-8000-000000000001',
  correlationId: '22222222-0000-4000-8000-000000000001',
};

function world(): ReturnType<typeof scheduleWorld> & {
  generator: ScheduleGenerator;
  careRules: InMemoryCareRules;
} {
  const w = scheduleWorld();
  const careRules = new InMemoryCareRules();
  return {
    ...w,
    careRules,
    generator: new ScheduleGenerator(w.store.asRepository(), careRules.asRepository()),
  };
}

const siteOf = (w: ReturnType<typeof world>) => {
  const site = w.store.sites.get(SITE);
  if (site === undefined) throw new Error('no site');
  return site;
};

describe('ScheduleGenerator.extendOccurrences', () => {
  it("dates each series' sessions from today until the horizon at local time, skipping closures", async () => {
    const w = world();
    w.store.seriesRows.push(seriesRow(MONDAY_GROUP));
    const previous = await w.unitOfWork.run((tx) =>
      w.generator.extendOccurrences(tx, siteOf(w), NOW, '2027-03-31'),
    );
    expect(previous).toBeNull();
    // 6 pm New York: 23:00Z in standard time, 22:00Z from 14 March; 22 March is closed; 1 March is past.
    expect(w.store.occurrences.map((o) => [o.localDate, o.startsAt.toISOString()])).toEqual([
      ['2027-03-08', '2027-03-08T23:00:00.000Z'],
      ['2027-03-15', '2027-03-15T22:00:00.000Z'],
      ['2027-03-29', '2027-03-29T22:00:00.000Z'],
    ]);
    expect(w.store.seriesRows[0]?.generated_until).toBe('2027-03-31');
  });

  it('continues from where each series was generated, answering the earliest previous end', async () => {
    const w = world();
    w.store.seriesRows.push(
      seriesRow(MONDAY_GROUP, { generated_until: '2027-03-16' }),
      seriesRow(WEDNESDAY_GROUP, { weekday: Weekday.Wednesday, generated_until: '2027-03-24' }),
    );
    const previous = await w.unitOfWork.run((tx) =>
      w.generator.extendOccurrences(tx, siteOf(w), NOW, '2027-04-01'),
    );
    expect(previous).toBe('2027-03-16');
    expect(
      w.store.occurrences.map((o) => `${o.seriesId === MONDAY_GROUP ? 'mon' : 'wed'} ${o.localDate}`),
    ).toEqual(['mon 2027-03-29', 'wed 2027-03-24', 'wed 2027-03-31']);
  });

  it('leaves a series already generated to the horizon, and extends only the series named', async () => {
    const w = world();
    w.store.seriesRows.push(
      seriesRow(MONDAY_GROUP, { generated_until: '2027-03-31' }),
      seriesRow(WEDNESDAY_GROUP, { weekday: Weekday.Wednesday }),
    );
    await w.unitOfWork.run((tx) =>
      w.generator.extendOccurrences(tx, siteOf(w), NOW, '2027-03-31', [MONDAY_GROUP]),
    );
    expect(w.store.occurrences).toEqual([]);
    expect(w.store.seriesRows.map((s) => s.generated_until)).toEqual(['2027-03-31', null]);
  });

  it('fills in the sessions since a backdated start (never before the series began), once', async () => {
    const w = world();
    w.store.seriesRows.push(
      seriesRow(MONDAY_GROUP, { starts_on: '2027-02-15', generated_until: '2027-03-31' }),
    );
    for (let i = 0; i < 2; i++)
      await w.unitOfWork.run((tx) =>
        w.generator.extendOccurrences(tx, siteOf(w), NOW, '2027-03-31', undefined, '2027-02-01'),
      );
    expect(w.store.occurrences.map((o) => o.localDate)).toEqual(['2027-02-15', '2027-02-22', '2027-03-01']);
  });
});

describe('ScheduleGenerator.fillSeats', () => {
  it('books the seats in scope from now and announces each new appointment', async () => {
    const w = world();
    w.store.seatsToBook = [bookedSeat('a1000000-0000-4000-8000-000000000001', '2027-03-08T23:00:00.000Z')];
    const booked = await w.unitOfWork.run((tx) =>
      w.generator.fillSeats(tx, SITE, NOW, { enrollmentIds: [ENROLLMENT], seriesIds: [MONDAY_GROUP] }, CAUSE),
    );
    expect(booked).toBe(1);
    expect(w.store.bookings).toEqual([
      { siteId: SITE, from: NOW, enrollmentIds: [ENROLLMENT], seriesIds: [MONDAY_GROUP] },
    ]);
    expect(w.unitOfWork.payloads('AppointmentScheduled')).toEqual([
      {
        appointmentId: 'a1000000-0000-4000-8000-000000000001',
        clientId: CLIENT,
        episodeId: EPISODE,
        kind: 'group',
        sessionType: 'process-group',
        occurrenceId: '00000000-0000-4000-8000-000000000001',
        siteId: SITE,
        startsAt: '2027-03-08T23:00:00.000Z',
        endsAt: '2027-03-09T02:00:00.000Z',
        modality: 'in-person',
        facilitatorId: COUNSELOR,
      },
    ]);
  });

  it('books the past too only for a backdated enrollment named, and publishes nothing when nothing is new', async () => {
    const w = world();
    await w.unitOfWork.run(async (tx) => {
      await w.generator.fillSeats(tx, SITE, NOW, { enrollmentIds: [ENROLLMENT], includePast: true });
      await w.generator.fillSeats(tx, SITE, NOW, { includePast: true });
    });
    expect(w.store.bookings.map((b) => b.from.toISOString())).toEqual([
      '1970-01-01T00:00:00.000Z',
      NOW.toISOString(),
    ]);
    expect(w.unitOfWork.published).toEqual([]);
  });
});

describe('ScheduleGenerator.checkLevelMinimums', () => {
  it('flags each complete week planned below the level minimum once per episode and week', async () => {
    const w = world();
    w.store.planned.push(plannedWeek('2027-03-08', 420), plannedWeek('2027-03-15', 540));
    const check = () =>
      w.unitOfWork.run((tx) =>
        w.generator.checkLevelMinimums(
          tx,
          siteOf(w),
          { from: '2027-03-03', until: '2027-03-31' },
          undefined,
          CAUSE,
        ),
      );
    expect(await check()).toBe(2);
    // The week of 8 March is short; that of 15 March met; that of 22 March has nothing planned.
    expect(w.unitOfWork.payloads('ScheduleBelowLevelMinimum')).toEqual([
      {
        clientId: CLIENT,
        episodeId: EPISODE,
        siteId: SITE,
        weekStart: '2027-03-08',
        plannedMinutes: 420,
        requiredMinutes: 540,
        levelOfCare: '2.1',
        population: 'adult',
      },
      expect.objectContaining({ weekStart: '2027-03-22', plannedMinutes: 0 }),
    ]);
    expect(w.store.flags.map((f) => [f.weekStart, f.ruleSetId])).toEqual([
      ['2027-03-08', 'illustrative-program-shape@1'],
      ['2027-03-22', 'illustrative-program-shape@1'],
    ]);
    expect(await check()).toBe(0);
    expect(w.unitOfWork.eventsOf('ScheduleBelowLevelMinimum')).toHaveLength(2);
  });

  it('flags planned weeks outside the program shape once: 2 days not 3, 20:00 hours not 19:59', async () => {
    const w = world();
    w.store.planned.push(
      plannedWeek('2027-03-08', 600, 2),
      plannedWeek('2027-03-15', 600, 3),
      plannedWeek('2027-03-22', 1199, 5),
      plannedWeek('2027-03-29', 1200, 5),
    );
    const check = () =>
      w.unitOfWork.run((tx) =>
        w.generator.checkLevelMinimums(tx, siteOf(w), { from: '2027-03-08', until: '2027-04-05' }),
      );
    await check();
    await check();
    expect(w.unitOfWork.payloads('ScheduleOutsideProgramShape')).toEqual([
      expect.objectContaining({ weekStart: '2027-03-08', plannedDays: 2, breaches: ['too-few-days'] }),
      expect.objectContaining({
        weekStart: '2027-03-29',
        plannedMinutes: 1200,
        breaches: ['at-or-above-level-bound'],
        ruleSetId: 'illustrative-program-shape@1',
      }),
    ]);
  });

  it('judges by the program shape loaded last and records its id on each flag', async () => {
    const w = world();
    w.careRules.loaded.push({
      ruleSetId: 'riverside-shape@2',
      kind: CareRuleSetKind.ProgramShape,
      illustrative: false,
      programShape: [
        {
          level: LevelOfCare.IntensiveOutpatient,
          population: Population.Adult,
          minWeeklyMinutes: 600,
          minDaysPerWeek: 3,
          maxDaysPerWeek: 5,
        },
      ],
    });
    w.store.planned.push(plannedWeek('2027-03-08', 540), plannedWeek('2027-03-15', 600));
    await w.unitOfWork.run((tx) =>
      w.generator.checkLevelMinimums(tx, siteOf(w), { from: '2027-03-08', until: '2027-03-22' }),
    );
    expect(w.store.flags.map((f) => [f.weekStart, f.requiredMinutes, f.ruleSetId])).toEqual([
      ['2027-03-08', 600, 'riverside-shape@2'],
    ]);
  });

  it('judges nothing when the window holds no complete week', async () => {
    const w = world();
    w.store.planned.push(plannedWeek(null, null));
    const flagged = await w.unitOfWork.run((tx) =>
      w.generator.checkLevelMinimums(tx, siteOf(w), { from: '2027-03-03', until: '2027-03-14' }),
    );
    expect(flagged).toBe(0);
    expect(w.store.flags).toEqual([]);
  });

  it('judges only the enrollments named, from the later of their start and the window', async () => {
    const w = world();
    w.store.planned.push({ ...plannedWeek(null, null), id: 'other', starts_on: '2027-03-17' });
    await w.unitOfWork.run((tx) =>
      w.generator.checkLevelMinimums(tx, siteOf(w), { from: '2027-03-03', until: '2027-03-29' }, ['other']),
    );
    expect(w.store.flags.map((f) => f.weekStart)).toEqual(['2027-03-22']);
  });
});

import { randomUUID } from 'node:crypto';
import { LevelOfCare } from '@stepwise/contracts';
import { OTHER_SITE_ID, clinician, problemOf } from '../testing/doubles';
import { anEpisode, reportUseCases } from '../testing/reports';

const threeHours = (appointmentId: string, sessionDate: string) => ({
  appointmentId,
  sessionDate,
  startsAt: `${sessionDate}T15:00:00.000Z`,
  outcome: 'present' as const,
  minutes: 180,
});

describe('ReadProgress', () => {
  it('answers the weekly minutes against the level minimum and the attendance rate, audited', async () => {
    const t = reportUseCases();
    const episode = anEpisode([
      threeHours(randomUUID(), '2025-03-03'),
      threeHours(randomUUID(), '2025-03-05'),
    ]);
    t.admit(episode);
    t.reports.closed.set(episode.episodeId, [
      { week_start: '2025-02-24', required_minutes: 540, short: true },
    ]);

    const summary = await t.progress.progress(clinician(), episode.clientId);

    expect(summary.weeks).toEqual([
      { weekStart: '2025-02-24', attendedMinutes: 0, requiredMinutes: 540, closed: true, short: true },
      { weekStart: '2025-03-03', attendedMinutes: 360, requiredMinutes: 540, closed: false, short: false },
    ]);
    expect(summary).toMatchObject({
      episodeId: episode.episodeId,
      attendanceRate: 1,
      admittedOn: '2025-03-03',
    });
    expect(t.audit.entries).toEqual([
      expect.objectContaining({ action: 'read', resourceType: 'progress', clientId: episode.clientId }),
    ]);
  });

  it('shows each week the minimum of the level in force that week: the weeks before and after a step-down', async () => {
    const t = reportUseCases();
    const iop = anEpisode([
      threeHours(randomUUID(), '2025-03-10'),
      threeHours(randomUUID(), '2025-03-17'),
      threeHours(randomUUID(), '2025-03-24'),
    ]);
    // Stepped down to outpatient (no minimum) on Tuesday 18 March; the week of 17 March, still in its
    // documentation grace, is not closed yet.
    const episode = {
      ...iop,
      level: LevelOfCare.Outpatient,
      levels: [...iop.levels, { level: LevelOfCare.Outpatient, from: '2025-03-18T15:00:00.000Z' }],
    };
    t.admit(episode);
    t.reports.closed.set(episode.episodeId, [
      { week_start: '2025-03-10', required_minutes: 540, short: true },
    ]);

    const summary = await t.progress.progress(clinician(), episode.clientId);

    expect(summary.weeks.map((w) => [w.weekStart, w.requiredMinutes, w.closed])).toEqual([
      ['2025-03-10', 540, true],
      // The week of the step-down: held to the lower of the two levels in force.
      ['2025-03-17', 0, false],
      ['2025-03-24', 0, false],
    ]);
  });

  it('shows a past week not closed yet with its own level, not the level the client is at now', async () => {
    const t = reportUseCases();
    const iop = anEpisode([threeHours(randomUUID(), '2025-03-10')]);
    // Stepped down on Monday 17 March 00:00 in Chicago; the week of 10 March is in its grace period.
    const episode = {
      ...iop,
      level: LevelOfCare.Outpatient,
      levels: [...iop.levels, { level: LevelOfCare.Outpatient, from: '2025-03-17T05:00:00.000Z' }],
    };
    t.admit(episode);

    const summary = await t.progress.progress(clinician(), episode.clientId);

    expect(summary.weeks).toEqual([
      { weekStart: '2025-03-10', attendedMinutes: 180, requiredMinutes: 540, closed: false, short: false },
    ]);
  });

  it('answers 404 for a client without an episode', async () => {
    const t = reportUseCases();

    expect(await problemOf(t.progress.progress(clinician(), randomUUID()))).toEqual({
      code: 'not-found',
      detail: 'No episode for that client',
    });
  });

  it('answers 404 for a client of another site, audited as denied', async () => {
    const t = reportUseCases();
    const episode = anEpisode();
    t.admit(episode);

    expect((await problemOf(t.progress.progress(clinician([OTHER_SITE_ID]), episode.clientId))).code).toBe(
      'not-found',
    );
    expect(t.audit.outcomes()).toEqual(['read:progress:denied']);
  });

  it("answers 422 while the episode's reference data has not arrived", async () => {
    const t = reportUseCases();
    const episode = anEpisode();
    t.admit(episode);
    t.facts.episodes.delete(episode.episodeId);

    expect((await problemOf(t.progress.progress(clinician(), episode.clientId))).code).toBe('unprocessable');
  });
});

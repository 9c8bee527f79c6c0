import { randomUUID } from 'node:crypto';
import { OTHER_SITE_ID, SITE_ID, clinician, problemOf } from '../testing/doubles';
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

describe('ListBillableDays', () => {
  it('answers the days with three hours attended per client, audited per client', async () => {
    const t = reportUseCases();
    const episodeId = randomUUID();
    const clientId = randomUUID();
    for (const [date, minutes] of [
      ['2025-03-03', 180],
      ['2025-03-04', 120],
      ['2025-03-10', 180],
    ] as const) {
      t.reports.attendance.push({
        episode_id: episodeId,
        client_id: clientId,
        site_id: SITE_ID,
        session_date: date,
        outcome: 'present',
        minutes,
      });
    }

    const page = await t.billing.billableDays(clinician(), SITE_ID, { weekStart: '2025-03-03' });

    expect(page.items).toEqual([
      expect.objectContaining({ clientId, episodeId, billableDays: ['2025-03-03'], attendedMinutes: 300 }),
    ]);
    expect(t.audit.entries).toEqual([
      { action: 'list', resourceType: 'billing', clientId, siteId: SITE_ID, outcome: 'allowed' },
    ]);
  });

  it('refuses a week that does not start on a Monday', async () => {
    const t = reportUseCases();

    expect(
      (await problemOf(t.billing.billableDays(clinician(), SITE_ID, { weekStart: '2025-03-04' }))).code,
    ).toBe('validation-failed');
  });

  it('answers 404 for a site outside the caller’s scope, audited as denied', async () => {
    const t = reportUseCases();

    const problem = await problemOf(
      t.billing.billableDays(clinician(), OTHER_SITE_ID, { weekStart: '2025-03-03' }),
    );

    expect(problem.code).toBe('not-found');
    expect(t.audit.outcomes()).toEqual(['list:billing:denied']);
  });
});

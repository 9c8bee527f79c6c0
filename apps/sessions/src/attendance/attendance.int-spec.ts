import { randomUUID } from 'node:crypto';
import { Topics } from '@stepwise/contracts';
import { describeBadInput, expectProblem, http, metricValue, testTokens, waitFor } from '@stepwise/testing';
import { WeekCloser } from '../progress/week-closer';
import {
  type Group,
  LATE_AND_NO_SHOW,
  type Sessions,
  aGroup,
  eventsOf,
  rosterOf,
  useSessions,
} from '../testing/sessions-app';

const sessions = useSessions('sessions_attendance');
const attendanceOf = (group: Group): string => `/v1/occurrences/${group.occurrence}/attendance`;

/** The group's roster as the first test records it (late and no-show included). */
async function recorded(s: Sessions, group: Group): Promise<void> {
  const result = await http(`${s.svc.url}${attendanceOf(group)}`, {
    method: 'PUT',
    token: group.token,
    json: rosterOf(group.clients, LATE_AND_NO_SHOW),
  });
  expect(result.status).toBe(200);
  await s.evaluated();
}

describe('attendance for a whole group', () => {
  it('records 12 clients in one call: 12 events dated in the site calendar, revision 1', async () => {
    const s = sessions();
    const group = await aGroup(s);
    const result = await http<{ records: { changed: boolean; sessionDate: string; revision: number }[] }>(
      `${s.svc.url}${attendanceOf(group)}`,
      { method: 'PUT', token: group.token, json: rosterOf(group.clients, LATE_AND_NO_SHOW) },
    );
    expect(result.status).toBe(200);
    expect(result.body.records).toHaveLength(12);
    expect(
      result.body.records.every((r) => r.changed && r.revision === 1 && r.sessionDate === '2025-03-09'),
    ).toBe(true);
    const events = await s.svc.readEvents(
      Topics.SessionsEvents,
      (all) =>
        eventsOf(all, 'SessionAttended', group.clients).length +
          eventsOf(all, 'SessionMissed', group.clients).length >=
        12,
    );
    const attended = eventsOf(events, 'SessionAttended', group.clients);
    expect(attended).toHaveLength(11);
    expect(eventsOf(events, 'SessionMissed', group.clients)).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({
          clientId: group.clients[11]?.clientId,
          excused: false,
          reasonCode: 'no-show',
        }),
      }),
    ]);
    expect(new Set(attended.map((e) => (e.data as { sessionDate: string }).sessionDate))).toEqual(
      new Set(['2025-03-09']),
    );
  });

  it('closes the week of 3 March 48 h after local midnight in Chicago and flags each short client once', async () => {
    const s = sessions();
    const group = await aGroup(s);
    await recorded(s, group);
    const episodes = group.clients.map((c) => c.episodeId);
    const closedWeeks = () => s.count('sessions.closed_weeks WHERE episode_id = ANY($1::uuid[])', [episodes]);
    expect(await closedWeeks()).toBe(0);
    // The week ends Monday 10 March 00:00 in Chicago (05:00 UTC); its documentation grace runs 48 h more.
    await s.svc.app.get(WeekCloser).closeDue(new Date('2025-03-12T04:59:59Z'));
    expect(await closedWeeks()).toBe(0);
    await s.svc.app.get(WeekCloser).closeDue(new Date('2025-03-12T05:00:00Z'));
    await s.svc.app.get(WeekCloser).closeDue(new Date('2025-03-12T06:00:00Z'));
    const events = await s.svc.readEvents(
      Topics.SessionsEvents,
      (all) => eventsOf(all, 'WeeklyHoursShortfall', group.clients).length >= 12,
    );
    const shortfalls = eventsOf(events, 'WeeklyHoursShortfall', group.clients)
      .map((e) => e.data as { clientId: string; siteId: string; weekStart: string; attendedMinutes: number })
      .filter((shortfall) => shortfall.siteId === group.site);
    expect(shortfalls).toHaveLength(12);
    expect(shortfalls.find((x) => x.clientId === group.clients[0]?.clientId)).toMatchObject({
      weekStart: '2025-03-03',
      attendedMinutes: 180,
      requiredMinutes: 540,
    });
    expect(shortfalls.find((x) => x.clientId === group.clients[10]?.clientId)?.attendedMinutes).toBe(120);
    // The dashboard's count of short weeks: each once, though the week was evaluated twice.
    const metrics = (await http(`${s.svc.url}/metrics`)).text;
    expect(metricValue(metrics, 'stepwise_weekly_hours_shortfalls_total', { site: group.site })).toBe(12);
    expect(
      metricValue(metrics, 'stepwise_session_attendance_total', { site: group.site, outcome: 'missed' }),
    ).toBe(1);
    expect(
      metricValue(metrics, 'stepwise_session_attendance_total', { site: group.site, outcome: 'attended' }),
    ).toBe(11);
  });

  it('changes nothing and publishes nothing when the same roster is sent again', async () => {
    const s = sessions();
    const group = await aGroup(s);
    await recorded(s, group);
    const outboxBefore = await s.count('sessions.outbox');
    const result = await http<{ records: { changed: boolean }[] }>(`${s.svc.url}${attendanceOf(group)}`, {
      method: 'PUT',
      token: group.token,
      json: rosterOf(group.clients, LATE_AND_NO_SHOW),
    });
    expect(result.status).toBe(200);
    expect(result.body.records.some((r) => r.changed)).toBe(false);
    await s.evaluated();
    expect(await s.count('sessions.outbox')).toBe(outboxBefore);
  });

  it('publishes a correction once with revision 2 and changes the week total once', async () => {
    const s = sessions();
    const group = await aGroup(s);
    await recorded(s, group);
    // The week is closed (as the calendar does once its grace has passed) before the correction arrives.
    await s.svc.app.get(WeekCloser).closeDue(new Date('2025-03-12T06:00:00Z'));
    const corrected = rosterOf(group.clients, { ...LATE_AND_NO_SHOW, 10: { status: 'present' } });
    const outboxBefore = await s.count('sessions.outbox');
    for (let i = 0; i < 2; i += 1) {
      const result = await http(`${s.svc.url}${attendanceOf(group)}`, {
        method: 'PUT',
        token: group.token,
        json: corrected,
      });
      expect(result.status).toBe(200);
    }
    await s.evaluated();
    // The corrected SessionAttended and the closed week's WeeklyHoursRecalculated (120 → 180, still short).
    expect(await s.count('sessions.outbox')).toBe(outboxBefore + 2);
    const late = group.clients.slice(10, 11);
    const events = await s.svc.readEvents(Topics.SessionsEvents, (all) =>
      eventsOf(all, 'SessionAttended', late).some((e) => (e.data as { revision: number }).revision === 2),
    );
    const revisions = eventsOf(events, 'SessionAttended', late).map(
      (e) => e.data as { revision: number; minutesAttended: number },
    );
    expect(revisions).toEqual([
      expect.objectContaining({ revision: 1, minutesAttended: 120 }),
      expect.objectContaining({ revision: 2, minutesAttended: 180 }),
    ]);
    const [week] = await s.svc.dataSource.query<{ attended_minutes: number }[]>(
      `SELECT attended_minutes FROM sessions.closed_weeks WHERE episode_id = $1`,
      [group.clients[10]?.episodeId],
    );
    expect(week?.attended_minutes).toBe(180);
  });

  it('answers 404 to a counselor of another site, and audits the denial', async () => {
    const s = sessions();
    const group = await aGroup(s);
    const otherSiteToken = await testTokens.valid({ roles: ['counselor'], sites: [randomUUID()] });
    const result = await http(`${s.svc.url}${attendanceOf(group)}`, {
      method: 'PUT',
      token: otherSiteToken,
      json: rosterOf(group.clients),
    });
    expectProblem(result, 404, 'not-found');
    expect(
      await s.count(
        `sessions.audit_log WHERE outcome = 'denied' AND resource_type = 'attendance' AND resource_id = $1`,
        [group.occurrence],
      ),
    ).toBe(1);
  });

  it('applies a redelivered or repeated fact once', async () => {
    const s = sessions();
    const group = await aGroup(s);
    // This group's episodes only: another test's admissions may still be arriving.
    const ofGroup = () =>
      s.count('sessions.episodes WHERE episode_id = ANY($1::uuid[])', [
        group.clients.map((c) => c.episodeId),
      ]);
    await waitFor('the group admitted', ofGroup, (n) => n === group.clients.length);
    const before = await ofGroup();
    const consumed = await s.count('sessions.inbox');
    await s.admit(group.clients[0] as Group['clients'][number], group.site, group.occurrence);
    await waitFor(
      'the repeat consumed',
      () => s.count('sessions.inbox'),
      (n) => n >= consumed + 2,
    );
    expect(await ofGroup()).toBe(before);
    expect(await s.count('sessions.session_records WHERE occurrence_id = $1', [group.occurrence])).toBe(12);
  });
});

describe('attendance input', () => {
  // Ids fixed when the cases are declared; the group and the stranger are made for them before they run.
  const clients = Array.from({ length: 12 }, () => ({
    clientId: randomUUID(),
    episodeId: randomUUID(),
    appointmentId: randomUUID(),
  }));
  const OCCURRENCE = randomUUID();
  const stranger = { clientId: randomUUID(), episodeId: randomUUID(), appointmentId: randomUUID() };
  const OTHER_OCCURRENCE = randomUUID();
  const roster = () => rosterOf(clients);
  let token = '';

  beforeAll(async () => {
    const s = sessions();
    const site = await s.site();
    for (const client of clients) await s.admit(client, site, OCCURRENCE);
    await s.admit(stranger, await s.site(), OTHER_OCCURRENCE);
    await waitFor(
      'projections',
      () =>
        s.count('sessions.session_records WHERE occurrence_id = ANY($1::uuid[])', [
          [OCCURRENCE, OTHER_OCCURRENCE],
        ]),
      (n) => n === 13,
      60_000,
    );
    token = await s.counselor(site);
  }, 120_000);

  describeBadInput(
    {
      method: 'PUT',
      path: `/v1/occurrences/${OCCURRENCE}/attendance`,
      validBody: { entries: [{ appointmentId: clients[0]?.appointmentId, status: 'present' }] },
      extraCases: [
        {
          name: 'an appointment of another occurrence',
          json: { entries: [{ appointmentId: stranger.appointmentId, status: 'present' }] },
          status: 422,
          code: 'unprocessable',
        },
        {
          name: 'more minutes than the session lasted',
          json: {
            entries: [{ appointmentId: clients[0]?.appointmentId, status: 'late', minutesAttended: 181 }],
          },
          status: 422,
          code: 'unprocessable',
        },
        {
          name: 'an absence without a reason',
          json: { entries: [{ appointmentId: clients[0]?.appointmentId, status: 'absent' }] },
          status: 422,
          code: 'unprocessable',
        },
        {
          name: 'an unknown status',
          json: { entries: [{ appointmentId: clients[0]?.appointmentId, status: 'asleep' }] },
          status: 400,
          code: 'validation-failed',
        },
        {
          name: 'the same appointment twice',
          json: {
            entries: [
              { appointmentId: clients[0]?.appointmentId, status: 'present' },
              { appointmentId: clients[0]?.appointmentId, status: 'absent', reasonCode: 'illness' },
            ],
          },
          status: 422,
          code: 'unprocessable',
        },
        {
          name: "another site's occurrence",
          path: `/v1/occurrences/${OTHER_OCCURRENCE}/attendance`,
          json: { entries: [{ appointmentId: stranger.appointmentId, status: 'present' }] },
          status: 404,
          code: 'not-found',
        },
        {
          name: 'an unknown occurrence',
          path: `/v1/occurrences/${randomUUID()}/attendance`,
          json: roster(),
          status: 404,
        },
        {
          name: 'a malformed occurrence id',
          path: '/v1/occurrences/nope/attendance',
          json: roster(),
          status: 400,
        },
      ],
    },
    () => ({
      baseUrl: sessions().svc.url,
      token,
      countWrites: async () =>
        (await sessions().count('sessions.attendance')) + (await sessions().count('sessions.outbox')),
    }),
  );
});

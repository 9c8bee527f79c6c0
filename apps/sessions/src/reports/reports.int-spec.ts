import { randomUUID } from 'node:crypto';
import { expectProblem, http, testTokens } from '@stepwise/testing';
import { WeekCloser } from '../progress/week-closer';
import { type Seat, aGroup, assessed, rosterOf, useSessions } from '../testing/sessions-app';

const sessions = useSessions('sessions_reports');

describe('progress summary and billing view', () => {
  it("summarises a client's hours by week, screens, sobriety date and recommendations", async () => {
    const s = sessions();
    const group = await aGroup(s, 1);
    const client = group.clients[0] as Seat;
    const { token } = group;
    // Three hours attended in the week of 3 March, closed short; then three positives in a week (a step-up).
    const attended = await http(`${s.svc.url}/v1/occurrences/${group.occurrence}/attendance`, {
      method: 'PUT',
      token,
      json: rosterOf(group.clients),
    });
    expect(attended.status).toBe(200);
    await s.evaluated();
    // Wednesday 12 March 05:00 UTC: the week of 3 March and its 48 h documentation grace have ended.
    await s.svc.app.get(WeekCloser).closeDue(new Date('2025-03-12T06:00:00Z'));
    await assessed(s, client, group.site);
    for (const collectedAt of [
      '2025-03-05T15:00:00.000Z',
      '2025-03-08T15:00:00.000Z',
      '2025-03-09T15:00:00.000Z',
    ]) {
      const screen = await http(`${s.svc.url}/v1/drug-screens`, {
        token,
        json: {
          episodeId: client.episodeId,
          collectedAt,
          resultedAt: new Date(new Date(collectedAt).getTime() + 7_200_000).toISOString(),
          result: 'positive',
          substanceCodes: ['alcohol'],
        },
      });
      expect(screen.status).toBe(201);
    }

    const summary = await http<Record<string, unknown>>(
      `${s.svc.url}/v1/clients/${client.clientId}/progress`,
      {
        token,
      },
    );
    expect(summary.status).toBe(200);
    expect(summary.body).toMatchObject({
      episodeId: client.episodeId,
      levelOfCare: '2.1',
      admittedOn: '2025-03-03',
      sobrietySince: '2025-03-09T15:00:00.000Z',
      weeks: [
        { weekStart: '2025-03-03', attendedMinutes: 180, requiredMinutes: 540, closed: true, short: true },
      ],
      attendanceRate: 1,
      recommendations: [expect.objectContaining({ direction: 'step-up', toLevel: '2.5' })],
    });
    expect(summary.body['screens']).toHaveLength(3);
    const otherSiteToken = await testTokens.valid({ roles: ['counselor'], sites: [randomUUID()] });
    expectProblem(
      await http(`${s.svc.url}/v1/clients/${client.clientId}/progress`, { token: otherSiteToken }),
      404,
      'not-found',
    );
  });

  it('lists billable IOP days per client for a week, a page at a time, to billing staff only', async () => {
    // One 3-hour day in the week: a day of H0015 length, but not a billable week (3 days needed).
    const s = sessions();
    const group = await aGroup(s, 15);
    const { clients, site, token } = group;
    const recorded = await http(`${s.svc.url}/v1/occurrences/${group.occurrence}/attendance`, {
      method: 'PUT',
      token,
      json: rosterOf(clients, { 11: { status: 'absent', reasonCode: 'no-show' } }),
    });
    expect(recorded.status).toBe(200);
    await s.evaluated();

    const billing = await testTokens.valid({ roles: ['billing'], sites: [site] });
    const items: {
      clientId: string;
      billableDays: string[];
      unbilledDays: { date: string; reason: string }[];
      attendedMinutes: number;
    }[] = [];
    let cursor: string | null = null;
    do {
      const query = `weekStart=2025-03-03&limit=5${cursor === null ? '' : `&cursor=${cursor}`}`;
      const page: { status: number; body: { items: typeof items; nextCursor: string | null } } = await http(
        `${s.svc.url}/v1/sites/${site}/billable-days?${query}`,
        { token: billing },
      );
      expect(page.status).toBe(200);
      items.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor !== null);
    expect(items).toHaveLength(15);
    expect(new Set(items.map((i) => i.clientId)).size).toBe(15);
    expect(items.find((i) => i.clientId === clients[10]?.clientId)).toMatchObject({
      billableDays: [],
      unbilledDays: [{ date: '2025-03-09', reason: 'too-few-days-in-week', code: 'H0015' }],
      attendedMinutes: 180,
    });
    expect(items.find((i) => i.clientId === clients[11]?.clientId)).toMatchObject({
      billableDays: [],
      unbilledDays: [],
      attendedMinutes: 0,
    });
    expectProblem(
      await http(`${s.svc.url}/v1/sites/${site}/billable-days?weekStart=2025-03-03`, { token }),
      403,
      'permission-denied',
    );
    expectProblem(
      await http(`${s.svc.url}/v1/sites/${site}/billable-days?weekStart=2025-03-04`, { token: billing }),
      400,
      'validation-failed',
    );
    expectProblem(
      await http(`${s.svc.url}/v1/sites/${randomUUID()}/billable-days?weekStart=2025-03-03`, {
        token: billing,
      }),
      404,
      'not-found',
    );
  });
});

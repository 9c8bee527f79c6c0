import { randomUUID } from 'node:crypto';
import { expectProblem, http, testTokens, waitFor } from '@stepwise/testing';
import { type Group, type Seat, type Sessions, aGroup, rosterOf, useSessions } from '../testing/sessions-app';

const sessions = useSessions('sessions_census');

/** A group whose admissions are projected too (they come on intake's topic, the seats on scheduling's). */
async function admittedGroup(s: Sessions, size: number): Promise<Group> {
  const group = await aGroup(s, size);
  await waitFor(
    'the episodes projected',
    () => s.count('sessions.episodes WHERE site_id = $1', [group.site]),
    (n) => n === size,
  );
  return group;
}

type Json = Record<string, unknown>;
type PageOf<T> = { items: T[]; nextCursor: string | null };

/*
 * Sessions' part of the console's census on the real service: per active episode, the week's hours against
 * the level minimum, the last drug screen, weeks in program against the expected length. The clients were
 * admitted on Monday 3 March 2025 (America/Chicago); the service's clock stands at Sunday 9 March 23:00 there.
 */
describe("a site's census (sessions' part)", () => {
  it("shows each active client's hours this week, last screen and weeks in program; audited", async () => {
    const s = sessions();
    const group = await admittedGroup(s, 3);
    const [present, absent, late] = group.clients as [Seat, Seat, Seat];
    const { token } = group;
    const attended = await http(`${s.svc.url}/v1/occurrences/${group.occurrence}/attendance`, {
      method: 'PUT',
      token,
      json: rosterOf(group.clients, {
        1: { status: 'absent', reasonCode: 'no-show' },
        2: { status: 'late', minutesAttended: 120 },
      }),
    });
    expect(attended.status).toBe(200);
    await s.evaluated();
    for (const [collectedAt, result] of [
      ['2025-03-04T15:00:00.000Z', 'positive'],
      ['2025-03-05T15:00:00.000Z', 'negative'],
    ] as const) {
      const screen = await http(`${s.svc.url}/v1/drug-screens`, {
        token,
        json: {
          episodeId: present.episodeId,
          collectedAt,
          resultedAt: new Date(new Date(collectedAt).getTime() + 7_200_000).toISOString(),
          result,
          substanceCodes: result === 'positive' ? ['alcohol'] : [],
        },
      });
      expect(screen.status).toBe(201);
    }

    // No date: today at the site (Sunday 9 March), in the week of 3 March.
    const census = await http<PageOf<Json>>(`${s.svc.url}/v1/sites/${group.site}/census`, { token });
    expect(census.status).toBe(200);
    const byClient = new Map(census.body.items.map((item) => [item.clientId, item]));
    expect(byClient.get(present.clientId)).toEqual({
      clientId: present.clientId,
      episodeId: present.episodeId,
      levelOfCare: '2.1',
      programTrackId: expect.any(String),
      weekStart: '2025-03-03',
      attendedMinutes: 180,
      requiredMinutes: 540,
      admittedOn: '2025-03-03',
      weeksInProgram: 0,
      expectedStayWeeks: 12,
      lastScreen: { collectedOn: '2025-03-05', result: 'negative' },
    });
    expect(byClient.get(absent.clientId)).toMatchObject({ attendedMinutes: 0, lastScreen: null });
    expect(byClient.get(late.clientId)).toMatchObject({ attendedMinutes: 120 });

    // A later day: a later week (nothing attended yet) and three whole weeks in the program.
    const later = await http<PageOf<Json>>(`${s.svc.url}/v1/sites/${group.site}/census?date=2025-03-24`, {
      token,
    });
    expect(later.body.items.find((i) => i.clientId === present.clientId)).toMatchObject({
      weekStart: '2025-03-24',
      attendedMinutes: 0,
      weeksInProgram: 3,
    });

    const audit = await s.svc.dataSource.query<{ client_id: string }[]>(
      `SELECT client_id FROM sessions.audit_log WHERE action = 'list' AND resource_type = 'census'
        AND outcome = 'allowed' AND site_id = $1`,
      [group.site],
    );
    expect(new Set(audit.map((a) => a.client_id))).toEqual(new Set(group.clients.map((c) => c.clientId)));
  });

  it('pages by episode, and refuses bad dates, page sizes, cursors and other sites', async () => {
    const s = sessions();
    const group = await admittedGroup(s, 3);
    const { token } = group;
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: PageOf<Json> } = await http(
        `${s.svc.url}/v1/sites/${group.site}/census?limit=2${cursor === null ? '' : `&cursor=${cursor}`}`,
        { token },
      );
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((i) => String(i.episodeId)));
      cursor = page.body.nextCursor;
    } while (cursor !== null);
    expect(seen.sort()).toEqual(group.clients.map((c) => c.episodeId).sort());

    for (const query of ['date=2025-02-30', 'date=today', 'limit=0', 'limit=-1', 'limit=1000000000']) {
      expectProblem(await http(`${s.svc.url}/v1/sites/${group.site}/census?${query}`, { token }), 400);
    }
    expectProblem(
      await http(`${s.svc.url}/v1/sites/${group.site}/census?cursor=Zm9v`, { token }),
      400,
      'invalid-cursor',
    );
    const otherSite = await testTokens.valid({ roles: ['counselor'], sites: [randomUUID()] });
    const elsewhere = await http(`${s.svc.url}/v1/sites/${group.site}/census`, { token: otherSite });
    expect([403, 404]).toContain(elsewhere.status);
    expectProblem(elsewhere, elsewhere.status);
    expectProblem(await http(`${s.svc.url}/v1/sites/${group.site}/census`), 401);
  });
});

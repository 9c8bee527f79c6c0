import { randomUUID } from 'node:crypto';
import {
  type ServiceApp,
  describeBadInput,
  expectProblem,
  http,
  startServiceApp,
  testTokens,
  waitFor,
} from '@stepwise/testing';
import { admissionBody, clientBody, newReferenceWorld } from '../testing/fixtures';
import { countRows, startIntake } from '../testing/harness';

/*
 * The reads the staff console needs from intake, on the real service and Postgres: client search (a POST, so
 * names stay out of URLs) and the site's census (intake's part: who is in the program, at which level).
 */

const world = newReferenceWorld();
let svc: ServiceApp;
let coordinator: string;
let counselorA: string;
let counselorB: string;

type Json = Record<string, unknown>;
type PageOf<T> = { items: T[]; nextCursor: string | null };

/** A uniquely named client at site A (names unique per run, so searches see only this spec's clients). */
async function registered(givenName: string, familyName: string, dateOfBirth: string): Promise<string> {
  const client = await http<Json>(`${svc.url}/v1/clients`, {
    token: coordinator,
    json: clientBody(world.siteA, { givenName, familyName, dateOfBirth }),
  });
  expect(client.status).toBe(201);
  return String(client.body.id);
}

async function admit(clientId: string, admittedOn: string): Promise<string> {
  const episode = await http<Json>(`${svc.url}/v1/clients/${clientId}/admissions`, {
    token: coordinator,
    json: admissionBody(world.siteA, world.adultIopA, { admittedOn }),
  });
  expect(episode.status).toBe(201);
  return String(episode.body.id);
}

const search = (body: Json, token = counselorA) =>
  http<PageOf<Json>>(`${svc.url}/v1/clients/search`, { token, json: body });

const auditOf = (clientId: string) =>
  svc.dataSource.query<{ action: string; resource_type: string; outcome: string }[]>(
    `SELECT action, resource_type, outcome FROM intake.audit_log WHERE client_id = $1 ORDER BY occurred_at`,
    [clientId],
  );

const tag = randomUUID().slice(0, 8).replace(/\d/g, 'x');
let ada: string;
let adam: string;
let bea: string;
let adaEpisode: string;

beforeAll(async () => {
  svc = await startIntake(startServiceApp, 'intake_census', world, waitFor);
  coordinator = await testTokens.valid({
    sub: randomUUID(),
    roles: ['intake-coordinator'],
    sites: [world.siteA],
  });
  counselorA = await testTokens.valid({ sub: randomUUID(), roles: ['counselor'], sites: [world.siteA] });
  counselorB = await testTokens.valid({ sub: randomUUID(), roles: ['counselor'], sites: [world.siteB] });
  ada = await registered(`Ada${tag}`, `Lovelace${tag}`, '1985-12-10');
  adam = await registered(`Adam${tag}`, `Smith${tag}`, '1985-12-10');
  bea = await registered(`Bea${tag}`, `Adams${tag}`, '1990-01-31');
  adaEpisode = await admit(ada, '2026-03-02');
  await admit(bea, '2026-03-09');
}, 120_000);

afterAll(async () => {
  await svc?.close();
});

describe('client search', () => {
  it('finds clients by the start of a given or family name or the full name, ignoring case', async () => {
    const byGiven = await search({ siteId: world.siteA, name: `ada${tag}`.toUpperCase() });
    expect(byGiven.status).toBe(200);
    expect(byGiven.body.items).toEqual([
      {
        id: ada,
        siteId: world.siteA,
        givenName: `Ada${tag}`,
        familyName: `Lovelace${tag}`,
        dateOfBirth: '1985-12-10',
        activeEpisodeId: adaEpisode,
      },
    ]);
    const byPrefix = await search({ siteId: world.siteA, name: `Ada` });
    const ids = byPrefix.body.items.map((c) => c.id);
    // "Ada…" starts Ada's and Adam's given names and Bea's family name (Adams…).
    expect(ids).toEqual(expect.arrayContaining([ada, adam, bea]));
    const byFullName = await search({ siteId: world.siteA, name: `Bea${tag} Adams` });
    expect(byFullName.body.items.map((c) => c.id)).toEqual([bea]);
  });

  it('combines criteria: a date of birth narrows a name; an id finds exactly that client', async () => {
    const both = await search({ siteId: world.siteA, name: `Ada${tag}`, dateOfBirth: '1985-12-10' });
    expect(both.body.items.map((c) => c.id)).toEqual([ada]);
    const byBirth = await search({ siteId: world.siteA, dateOfBirth: '1990-01-31' });
    expect(byBirth.body.items.map((c) => c.id)).toContain(bea);
    expect(byBirth.body.items.map((c) => c.id)).not.toContain(ada);
    const byId = await search({ siteId: world.siteA, clientId: adam });
    expect(byId.body.items).toEqual([expect.objectContaining({ id: adam, activeEpisodeId: null })]);
  });

  it('treats % and _ as the letters typed, not wildcards', async () => {
    const wildcard = await search({ siteId: world.siteA, name: '%%' });
    expect(wildcard.status).toBe(200);
    expect(wildcard.body.items).toEqual([]);
  });

  it('pages with an opaque cursor that holds no name', async () => {
    const first = await search({ siteId: world.siteA, name: `Ada`, limit: 1 });
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).not.toBeNull();
    const cursorText = Buffer.from(String(first.body.nextCursor), 'base64url').toString('utf8');
    // Only the sort key — when the record was created and its id — never what was searched for or the name
    // found. (A plain "no 'ada' in it" check failed when a random id happened to hold the hex digits a-d-a.)
    expect(JSON.parse(cursorText)).toEqual({
      v: 1,
      k: [
        expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/),
        expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      ],
    });
    expect(cursorText.toLowerCase()).not.toContain(`ada${tag}`.toLowerCase());
    const second = await search({
      siteId: world.siteA,
      name: `Ada`,
      limit: 1,
      cursor: first.body.nextCursor,
    });
    expect(second.body.items).toHaveLength(1);
    expect(second.body.items[0]?.id).not.toBe(first.body.items[0]?.id);
  });

  it('audits each client found, and refuses another site with 404 (audited as denied)', async () => {
    await search({ siteId: world.siteA, clientId: adam });
    expect(await auditOf(adam)).toEqual(
      expect.arrayContaining([{ action: 'search', resource_type: 'client', outcome: 'allowed' }]),
    );
    const elsewhere = await search({ siteId: world.siteA, name: `Ada${tag}` }, counselorB);
    expectProblem(elsewhere, 404, 'not-found');
    const denied = await svc.dataSource.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM intake.audit_log WHERE outcome = 'denied' AND site_id = $1`,
      [world.siteA],
    );
    expect(Number(denied[0]?.n)).toBeGreaterThanOrEqual(1);
  });

  it('refuses a search with no criterion', async () => {
    expectProblem(await search({ siteId: world.siteA }), 400, 'validation-failed');
  });

  describeBadInput(
    {
      method: 'POST',
      path: '/v1/clients/search',
      get validBody() {
        return { siteId: world.siteA, name: 'Ada', dateOfBirth: '1985-12-10', clientId: ada ?? randomUUID() };
      },
      optional: ['name', 'dateOfBirth', 'clientId'],
      extraCases: [
        { name: 'a one-letter name', json: { siteId: world.siteA, name: 'A' }, status: 400 },
        { name: 'a page size of 0', json: { siteId: world.siteA, name: 'Ada', limit: 0 }, status: 400 },
        { name: 'a page size of 10⁹', json: { siteId: world.siteA, name: 'Ada', limit: 1e9 }, status: 400 },
        {
          name: 'a forged cursor',
          json: { siteId: world.siteA, name: 'Ada', cursor: 'bm90LWEtY3Vyc29y' },
          status: 400,
          code: 'invalid-cursor',
        },
      ],
    },
    () => ({ baseUrl: svc.url, token: counselorA, countWrites: () => countRows(svc, 'clients', 'episodes') }),
  );
});

describe("a site's census (intake's part)", () => {
  it('lists the clients with an active episode, with level, track and admission; each listing audited', async () => {
    const census = await http<PageOf<Json>>(`${svc.url}/v1/sites/${world.siteA}/census?limit=100`, {
      token: counselorA,
    });
    expect(census.status).toBe(200);
    const mine = census.body.items.filter((e) => [ada, adam, bea].includes(String(e.clientId)));
    expect(mine).toEqual([
      {
        clientId: ada,
        episodeId: adaEpisode,
        givenName: `Ada${tag}`,
        familyName: `Lovelace${tag}`,
        dateOfBirth: '1985-12-10',
        levelOfCare: '2.1',
        programTrackId: world.adultIopA,
        primaryCounselorId: expect.any(String),
        admittedOn: '2026-03-02',
      },
      expect.objectContaining({ clientId: bea, admittedOn: '2026-03-09' }),
    ]);
    expect(await auditOf(ada)).toEqual(
      expect.arrayContaining([{ action: 'list', resource_type: 'census', outcome: 'allowed' }]),
    );
  });

  it('pages with a cursor', async () => {
    const first = await http<PageOf<Json>>(`${svc.url}/v1/sites/${world.siteA}/census?limit=1`, {
      token: counselorA,
    });
    expect(first.body.items).toHaveLength(1);
    const second = await http<PageOf<Json>>(
      `${svc.url}/v1/sites/${world.siteA}/census?limit=1&cursor=${String(first.body.nextCursor)}`,
      { token: counselorA },
    );
    expect(second.body.items[0]?.episodeId).not.toBe(first.body.items[0]?.episodeId);
  });

  it("answers another site's census with 403 and bad page sizes with 400", async () => {
    const elsewhere = await http(`${svc.url}/v1/sites/${world.siteA}/census`, { token: counselorB });
    expect([403, 404]).toContain(elsewhere.status);
    expectProblem(elsewhere, elsewhere.status);
    for (const limit of ['0', '-1', '1000000000', 'x']) {
      expectProblem(
        await http(`${svc.url}/v1/sites/${world.siteA}/census?limit=${limit}`, { token: counselorA }),
        400,
      );
    }
    expectProblem(await http(`${svc.url}/v1/sites/not-a-uuid/census`, { token: counselorA }), 400);
    expectProblem(await http(`${svc.url}/v1/sites/${world.siteA}/census`), 401);
  });
});

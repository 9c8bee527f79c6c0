import { randomUUID } from 'node:crypto';
import { ScreeningInstrument } from '@stepwise/contracts';
import {
  type ServiceApp,
  describeBadInput,
  expectProblem,
  http,
  startServiceApp,
  testTokens,
  waitFor,
} from '@stepwise/testing';
import { SEEDED_BAND_DEFINITIONS } from '../migrations/1764000100000-create-screenings';
import { CANARY_VALUES, clientBody, newReferenceWorld } from '../testing/fixtures';
import { countRows, expectCleanEvents, outboxEvents, startIntake } from '../testing/harness';
import { answersFor } from '../testing/screening-answers';
import { INSTRUMENTS } from './instruments';

/* Screenings on the real service: every band edge of every stored definition, flags, ranges, bad input. */

const world = newReferenceWorld();
let svc: ServiceApp;
let coordinator: string;
let clientId: string;

type Json = Record<string, unknown>;
const COMPLETED_AT = '2026-03-02T15:30:00Z';

const submit = (body: Json, client = clientId) =>
  http<Json>(`${svc.url}/v1/clients/${client}/screenings`, { token: coordinator, json: body });

beforeAll(async () => {
  svc = await startIntake(startServiceApp, 'intake_screenings', world, waitFor);
  coordinator = await testTokens.valid({
    sub: randomUUID(),
    roles: ['intake-coordinator'],
    sites: [world.siteA],
  });
  const client = await http<Json>(`${svc.url}/v1/clients`, {
    token: coordinator,
    json: clientBody(world.siteA),
  });
  clientId = String(client.body.id);
}, 120_000);

afterAll(async () => {
  await svc?.close();
});

const edges = SEEDED_BAND_DEFINITIONS.flatMap((definition) =>
  definition.bands.flatMap((bound, index) => {
    const id = `${definition.code}@${definition.version}`;
    const previous = definition.bands[index - 1];
    const at = [id, definition.instrument, bound.minScore, bound.band] as const;
    return previous === undefined
      ? [at]
      : [[id, definition.instrument, bound.minScore - 1, previous.band] as const, at];
  }),
);

describe('screenings', () => {
  it.each(edges)(
    '%s: a %s total of %i is banded %s and published without answers',
    async (version, instrument, total, band) => {
      const answers = answersFor(INSTRUMENTS[instrument as ScreeningInstrument], total);
      const result = await submit({
        instrument,
        answers,
        completedAt: COMPLETED_AT,
        bandDefinition: version,
      });
      expect(result.status).toBe(201);
      expect(result.body).toMatchObject({ totalScore: total, band, bandDefinitionVersion: version, answers });
      const [event] = (await outboxEvents(svc, 'ScreeningCompleted')).filter(
        (e) => e.payload['screeningId'] === result.body.id,
      );
      expect(event?.payload).toEqual({
        screeningId: result.body.id,
        clientId,
        siteId: world.siteA,
        instrument,
        totalScore: total,
        band,
        bandDefinitionVersion: version,
        urgentFlags: result.body.urgentFlags,
        completedAt: '2026-03-02T15:30:00.000Z',
      });
    },
  );

  it("uses the instrument's default definition when none is named (CIWA-Ar: Sullivan 1989)", async () => {
    const answers = answersFor(INSTRUMENTS[ScreeningInstrument.CiwaAr], 9);
    const result = await submit({ instrument: 'ciwa-ar', answers, completedAt: COMPLETED_AT });
    expect(result.body).toMatchObject({ band: 'moderate', bandDefinitionVersion: 'ciwa-ar.sullivan-1989@1' });
  });

  it('flags PHQ-9 item 9 above 0 as urgent whatever the total, and severe withdrawal', async () => {
    const selfHarm = await submit({
      instrument: 'phq-9',
      answers: [0, 0, 0, 0, 0, 0, 0, 0, 1],
      completedAt: COMPLETED_AT,
    });
    expect(selfHarm.body).toMatchObject({ totalScore: 1, band: 'minimal', urgentFlags: ['self-harm-risk'] });
    const none = await submit({
      instrument: 'phq-9',
      answers: [3, 3, 3, 3, 3, 3, 3, 3, 0],
      completedAt: COMPLETED_AT,
    });
    expect(none.body).toMatchObject({ totalScore: 24, band: 'severe', urgentFlags: [] });
    const cows = await submit({
      instrument: 'cows',
      answers: answersFor(INSTRUMENTS[ScreeningInstrument.Cows], 37),
      completedAt: COMPLETED_AT,
    });
    expect(cows.body).toMatchObject({ band: 'severe', urgentFlags: ['severe-withdrawal'] });
    const [event] = (await outboxEvents(svc, 'ScreeningCompleted')).filter(
      (e) => e.payload['screeningId'] === selfHarm.body.id,
    );
    expect(event?.payload['urgentFlags']).toEqual(['self-harm-risk']);
  });

  it('scores DAST-10 item 3 reversed', async () => {
    const allNo = await submit({
      instrument: 'dast-10',
      answers: new Array(10).fill(0),
      completedAt: COMPLETED_AT,
    });
    expect(allNo.body).toMatchObject({ totalScore: 1, band: 'low' });
    const allYes = await submit({
      instrument: 'dast-10',
      answers: new Array(10).fill(1),
      completedAt: COMPLETED_AT,
    });
    expect(allYes.body).toMatchObject({ totalScore: 9, band: 'severe' });
  });

  it('are read back (audited) and listed per client', async () => {
    const created = await submit({
      instrument: 'gad-7',
      answers: [1, 1, 1, 1, 1, 0, 0],
      completedAt: COMPLETED_AT,
    });
    const read = await http<Json>(`${svc.url}/v1/screenings/${String(created.body.id)}`, {
      token: coordinator,
    });
    expect(read.body).toMatchObject({ totalScore: 5, band: 'mild', answers: [1, 1, 1, 1, 1, 0, 0] });
    const page = await http<{ items: Json[] }>(`${svc.url}/v1/clients/${clientId}/screenings?limit=100`, {
      token: coordinator,
    });
    expect(page.body.items.map((s) => s.id)).toContain(created.body.id);
  });
});

describe('bad input', () => {
  const validBody = { instrument: 'phq-9', answers: [1, 1, 1, 1, 1, 0, 0, 0, 0], completedAt: COMPLETED_AT };
  const writes = () => countRows(svc, 'screenings', 'outbox');
  const cases = [
    [
      'an item above its range',
      { ...validBody, answers: [4, 1, 1, 1, 1, 0, 0, 0, 0] },
      422,
      'answers-out-of-range',
    ],
    ['a negative item', { ...validBody, answers: [-1, 1, 1, 1, 1, 0, 0, 0, 0] }, 422, 'answers-out-of-range'],
    ['too few answers', { ...validBody, answers: [1, 1] }, 422, 'answers-out-of-range'],
    [
      'AUDIT item 10 answered 3',
      { instrument: 'audit', answers: [0, 0, 0, 0, 0, 0, 0, 0, 0, 3], completedAt: COMPLETED_AT },
      422,
      'answers-out-of-range',
    ],
    [
      'a fractional answer',
      { ...validBody, answers: [1.5, 1, 1, 1, 1, 0, 0, 0, 0] },
      400,
      'validation-failed',
    ],
    [
      'a band definition of another instrument',
      { ...validBody, bandDefinition: 'gad-7.spitzer-2006@1' },
      422,
      'unprocessable',
    ],
    [
      'an unknown band definition version',
      { ...validBody, bandDefinition: 'phq-9.kroenke-2001@9' },
      422,
      'unprocessable',
    ],
    [
      'a completion in the future',
      { ...validBody, completedAt: '2999-01-01T00:00:00Z' },
      422,
      'unprocessable',
    ],
  ] as const;

  describeBadInput(
    {
      method: 'POST',
      get path() {
        return `/v1/clients/${clientId}/screenings`;
      },
      validBody,
      enums: ['instrument'],
      idempotent: true,
      extraCases: [
        ...cases.map(([name, json, status, code]) => ({ name, json, status, code })),
        {
          name: 'an unknown client',
          path: `/v1/clients/${randomUUID()}/screenings`,
          json: validBody,
          status: 404,
          code: 'not-found',
        },
      ],
    },
    () => ({ baseUrl: svc.url, token: coordinator, countWrites: writes }),
  );

  it('answers a client of another site 404', async () => {
    const other = await testTokens.valid({
      sub: randomUUID(),
      roles: ['intake-coordinator'],
      sites: [world.siteB],
    });
    const result = await http(`${svc.url}/v1/clients/${clientId}/screenings`, {
      token: other,
      json: validBody,
    });
    expectProblem(result, 404, 'not-found');
  });
});

describe('events', () => {
  it('every event written validates against its contract and carries no PHI', async () => {
    expect(await expectCleanEvents(svc, CANARY_VALUES)).toBeGreaterThan(40);
  });
});

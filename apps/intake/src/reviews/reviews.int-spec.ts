import { randomUUID } from 'node:crypto';
import {
  type ServiceApp,
  describeBadInput,
  expectProblem,
  http,
  metricValue,
  startServiceApp,
  testTokens,
  waitFor,
} from '@stepwise/testing';
import {
  CANARY_VALUES,
  admissionBody,
  clientBody,
  newReferenceWorld,
  recommendation,
} from '../testing/fixtures';
import { countRows, expectCleanEvents, outboxEvents, startIntake } from '../testing/harness';

/*
 * Level-of-care reviews on the real service: recommendations arrive on sessions' topic through the consumer
 * (redelivered, re-published), clinicians approve or decline them.
 */

const world = newReferenceWorld();
const supervisorId = randomUUID();
let svc: ServiceApp;
let coordinator: string;
let supervisor: string;

type Json = Record<string, unknown>;
type Episode = { clientId: string; episodeId: string; siteId: string };

async function admitted(): Promise<Episode> {
  const client = await http<Json>(`${svc.url}/v1/clients`, {
    token: coordinator,
    json: clientBody(world.siteA),
  });
  const clientId = String(client.body.id);
  const episode = await http<Json>(`${svc.url}/v1/clients/${clientId}/admissions`, {
    token: coordinator,
    json: admissionBody(world.siteA, world.adultIopA),
  });
  return { clientId, episodeId: String(episode.body.id), siteId: world.siteA };
}

const reviewsOf = (recommendationId: string) =>
  svc.dataSource.query<{ id: string; status: string }[]>(
    `SELECT id, status FROM intake.reviews WHERE recommendation_id = $1`,
    [recommendationId],
  );

/** Publishes the recommendation and waits for its review; answers the review id. */
async function openReview(
  type: 'StepDownRecommended' | 'StepUpRecommended',
  episode: Episode,
): Promise<string> {
  const recommendationId = randomUUID();
  await svc.publish(recommendation(type, episode, recommendationId));
  const [review] = await waitFor(
    'the review',
    () => reviewsOf(recommendationId),
    (rows) => rows.length === 1,
  );
  return String(review?.id);
}

beforeAll(async () => {
  svc = await startIntake(startServiceApp, 'intake_reviews', world, waitFor);
  coordinator = await testTokens.valid({
    sub: randomUUID(),
    roles: ['intake-coordinator'],
    sites: [world.siteA],
  });
  supervisor = await testTokens.valid({
    sub: supervisorId,
    roles: ['clinical-supervisor'],
    sites: [world.siteA],
  });
}, 120_000);

afterAll(async () => {
  await svc?.close();
});

describe('a step-down recommendation', () => {
  it('opens one review even when redelivered or re-published; approving it emits LevelOfCareChanged once', async () => {
    const episode = await admitted();
    const recommendationId = randomUUID();
    const message = recommendation('StepDownRecommended', episode, recommendationId);
    // The same record twice (a redelivery) and the same recommendation under a new event id.
    const republished = recommendation('StepDownRecommended', episode, recommendationId);
    await svc.publish(message, message, republished);
    const ids = [message.headers['ce_id'], republished.headers['ce_id']];
    await waitFor(
      'both events applied and the redelivery skipped',
      async () => ({
        applied: await svc.dataSource.query<{ n: string }[]>(
          `SELECT count(*) AS n FROM intake.inbox WHERE event_id = ANY($1::uuid[])`,
          [ids],
        ),
        metrics: (await http(`${svc.url}/metrics`)).text,
      }),
      ({ applied, metrics }) =>
        Number(applied[0]?.n) === 2 &&
        /stepwise_events_skipped_duplicate_total\{[^}]*StepDownRecommended[^}]*\} [1-9]/.test(metrics),
    );
    const reviews = await reviewsOf(recommendationId);
    expect(reviews).toEqual([{ id: expect.any(String), status: 'open' }]);
    const reviewId = String(reviews[0]?.id);

    const queue = await http<{ items: Json[] }>(
      `${svc.url}/v1/sites/${world.siteA}/reviews?status=open&limit=100`,
      {
        token: supervisor,
      },
    );
    expect(queue.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: reviewId,
          direction: 'step-down',
          fromLevel: '2.1',
          toLevel: '1',
          status: 'open',
        }),
      ]),
    );

    const decisions = async (): Promise<{ approved: number; open: number }> => {
      const text = (await http(`${svc.url}/metrics`)).text;
      const labels = { site: world.siteA, direction: 'step-down' };
      return {
        approved:
          metricValue(text, 'stepwise_level_of_care_decisions_total', { ...labels, decision: 'approved' }) ??
          0,
        open: metricValue(text, 'stepwise_open_level_of_care_reviews', labels) ?? 0,
      };
    };
    const before = await decisions();
    expect(before.open).toBeGreaterThanOrEqual(1);
    const approve = (token = supervisor) =>
      http<Json>(`${svc.url}/v1/reviews/${reviewId}/approve`, {
        token,
        json: { programTrackId: world.adultOpA },
      });
    const approved = await approve();
    expect(approved).toMatchObject({ status: 200, body: { status: 'approved', decidedBy: supervisorId } });
    expectProblem(await approve(), 409, 'invalid-transition');
    // One decision counted (not the refused second approval), and the review left the open gauge.
    expect(await decisions()).toEqual({ approved: before.approved + 1, open: before.open - 1 });

    const changes = (await outboxEvents(svc, 'LevelOfCareChanged')).filter(
      (e) => e.payload['clientId'] === episode.clientId,
    );
    expect(changes.map((e) => e.payload)).toEqual([
      {
        episodeId: episode.episodeId,
        clientId: episode.clientId,
        siteId: world.siteA,
        kind: 'clinical',
        fromLevel: '2.1',
        toLevel: '1',
        newProgramTrackId: world.adultOpA,
        recommendationId,
        effectiveAt: approved.body.decidedAt,
        reasonCode: 'step-down',
        decidedBy: supervisorId,
      },
    ]);
    const read = await http<Json>(`${svc.url}/v1/episodes/${episode.episodeId}`, { token: coordinator });
    expect(read.body).toMatchObject({
      clinicalLevel: '1',
      programTrackId: world.adultOpA,
      authorizedLevel: null,
    });
    expect(read.body['levelHistory']).toEqual([
      expect.objectContaining({ kind: 'clinical', toLevel: '2.1', reasonCode: 'admission' }),
      expect.objectContaining({
        kind: 'clinical',
        fromLevel: '2.1',
        toLevel: '1',
        reasonCode: 'step-down',
        recommendationId,
      }),
    ]);
  });
});

describe('approving', () => {
  it('needs a track at the recommended level (422) and reviews:approve (403)', async () => {
    const reviewId = await openReview('StepUpRecommended', await admitted());
    const path = `${svc.url}/v1/reviews/${reviewId}/approve`;
    expectProblem(
      await http(path, { token: supervisor, json: { programTrackId: world.adultOpA } }),
      422,
      'unknown-program-track',
    );
    expectProblem(
      await http(path, { token: supervisor, json: { programTrackId: randomUUID() } }),
      422,
      'unknown-program-track',
    );
    const counselor = await testTokens.valid({
      sub: randomUUID(),
      roles: ['counselor'],
      sites: [world.siteA],
    });
    expectProblem(
      await http(path, { token: counselor, json: { programTrackId: world.adultOpA } }),
      403,
      'permission-denied',
    );
  });

  it('is 404 for a supervisor of another site', async () => {
    const reviewId = await openReview('StepDownRecommended', await admitted());
    const other = await testTokens.valid({
      sub: randomUUID(),
      roles: ['clinical-supervisor'],
      sites: [world.siteB],
    });
    expectProblem(
      await http(`${svc.url}/v1/reviews/${reviewId}/approve`, {
        token: other,
        json: { programTrackId: world.adultOpA },
      }),
      404,
      'not-found',
    );
  });
});

describe("a clinician's own decision, without a recommendation", () => {
  it('transfers an episode to a site of the network the supervisor acts for, and is 404 for one they do not', async () => {
    const episode = await admitted();
    const body = {
      programTrackId: world.adultIopB,
      reasonCode: 'client-relocation',
      effectiveOn: '2026-03-16',
    };
    const path = `${svc.url}/v1/episodes/${episode.episodeId}/transfers`;
    expectProblem(await http(path, { token: supervisor, json: body }), 404, 'not-found');
    const counselor = await testTokens.valid({
      sub: randomUUID(),
      roles: ['counselor'],
      sites: [world.siteA, world.siteB],
    });
    expectProblem(await http(path, { token: counselor, json: body }), 403, 'permission-denied');
    const ofBoth = await testTokens.valid({
      sub: supervisorId,
      roles: ['clinical-supervisor'],
      sites: [world.siteA, world.siteB],
    });
    const moved = await http<Json>(path, {
      token: ofBoth,
      headers: { 'Idempotency-Key': randomUUID() },
      json: body,
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      siteId: world.siteB,
      programTrackId: world.adultIopB,
      clinicalLevel: '2.1',
    });
    const events = (await outboxEvents(svc, 'ClientTransferred')).filter(
      (e) => e.payload['episodeId'] === episode.episodeId,
    );
    expect(events.map((e) => e.payload)).toEqual([
      expect.objectContaining({
        fromSiteId: world.siteA,
        siteId: world.siteB,
        reasonCode: 'client-relocation',
      }),
    ]);
    // Now at site B, the level change back at site A needs both sites again; to outpatient at A it is allowed.
    const back = await http<Json>(`${svc.url}/v1/episodes/${episode.episodeId}/level-changes`, {
      token: ofBoth,
      headers: { 'Idempotency-Key': randomUUID() },
      json: { ...body, toLevel: '1', programTrackId: world.adultOpA, reasonCode: 'clinical-judgement' },
    });
    expect(back.body).toMatchObject({ siteId: world.siteA, clinicalLevel: '1' });
    const audit = await svc.dataSource.query<{ action: string }[]>(
      `SELECT action FROM intake.audit_log WHERE resource_id = $1 AND outcome = 'allowed' ORDER BY occurred_at`,
      [episode.episodeId],
    );
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['transfer', 'change-level']));
  });
});

describe('declining', () => {
  it('records why, changes no level and publishes only the decline (for the progress rules)', async () => {
    const episode = await admitted();
    const reviewId = await openReview('StepDownRecommended', episode);
    const before = await countRows(svc, 'outbox', 'level_history');
    const [recommended] = await svc.dataSource.query<{ recommendation_id: string }[]>(
      `SELECT recommendation_id FROM intake.reviews WHERE id = $1`,
      [reviewId],
    );
    const declined = await http<Json>(`${svc.url}/v1/reviews/${reviewId}/decline`, {
      token: supervisor,
      json: { reasonCode: 'recent-relapse' },
    });
    expect(declined).toMatchObject({
      status: 200,
      body: { status: 'declined', declineReason: 'recent-relapse' },
    });
    // One outbox row, LevelOfCareRecommendationDeclined; no level history.
    expect(await countRows(svc, 'outbox', 'level_history')).toBe(before + 1);
    const declines = await svc.dataSource.query<unknown[]>(
      `SELECT 1 FROM intake.outbox WHERE type LIKE '%LevelOfCareRecommendationDeclined%'
          AND payload::text LIKE '%' || $1 || '%'`,
      [recommended?.recommendation_id ?? 'none'],
    );
    expect(declines).toHaveLength(1);
    expectProblem(
      await http(`${svc.url}/v1/reviews/${reviewId}/approve`, {
        token: supervisor,
        json: { programTrackId: world.adultOpA },
      }),
      409,
      'invalid-transition',
    );
  });
});

describe('discharge', () => {
  it('closes the open reviews of the episode, and a later recommendation opens none', async () => {
    const episode = await admitted();
    const reviewId = await openReview('StepDownRecommended', episode);
    const discharged = await http(`${svc.url}/v1/episodes/${episode.episodeId}/discharge`, {
      token: supervisor,
      json: { dischargedAt: new Date().toISOString(), reason: 'transferred', referredTo: [] },
    });
    expect(discharged.status).toBe(200);
    const closed = await http<Json>(`${svc.url}/v1/reviews/${reviewId}`, { token: supervisor });
    expect(closed.body).toMatchObject({
      status: 'declined',
      declineReason: 'episode-ended',
      decidedBy: null,
    });
    const late = await openReview('StepUpRecommended', episode);
    const lateReview = await http<Json>(`${svc.url}/v1/reviews/${late}`, { token: supervisor });
    expect(lateReview.body).toMatchObject({ status: 'declined', declineReason: 'episode-ended' });
    expectProblem(
      await http(`${svc.url}/v1/reviews/${late}/decline`, {
        token: supervisor,
        json: { reasonCode: 'superseded' },
      }),
      409,
      'invalid-transition',
    );
  });
});

describe('bad input', () => {
  let reviewId = '';
  beforeAll(async () => {
    reviewId = await openReview('StepDownRecommended', await admitted());
  });
  const writes = () => countRows(svc, 'outbox', 'level_history');

  describeBadInput(
    {
      method: 'POST',
      get path() {
        return `/v1/reviews/${reviewId}/decline`;
      },
      validBody: { reasonCode: 'clinical-judgement' },
      enums: ['reasonCode'],
      extraCases: [
        {
          name: 'an unknown review',
          path: `/v1/reviews/${randomUUID()}/decline`,
          json: { reasonCode: 'superseded' },
          status: 404,
          code: 'not-found',
        },
      ],
    },
    () => ({
      baseUrl: svc.url,
      token: supervisor,
      countWrites: async () => (await writes()) + (await countRows(svc, "reviews WHERE status <> 'open'")),
    }),
  );

  describeBadInput(
    {
      method: 'POST',
      get path() {
        return `/v1/reviews/${reviewId}/approve`;
      },
      validBody: { programTrackId: world.adultOpA },
      extraCases: [
        {
          name: 'an unknown track',
          json: { programTrackId: randomUUID() },
          status: 422,
          code: 'unknown-program-track',
        },
        {
          name: 'a track of another site',
          json: { programTrackId: world.adultIopB },
          status: 422,
          code: 'unknown-program-track',
        },
      ],
    },
    () => ({ baseUrl: svc.url, token: supervisor, countWrites: writes }),
  );
});

describe('events', () => {
  it('every event written validates against its contract and carries no PHI', async () => {
    expect(await expectCleanEvents(svc, CANARY_VALUES)).toBeGreaterThan(5);
  });
});

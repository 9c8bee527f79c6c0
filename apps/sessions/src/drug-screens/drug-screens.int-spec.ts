import { randomUUID } from 'node:crypto';
import {
  type EventPayload,
  LevelOfCare,
  LevelOfCareChangeKind,
  LevelOfCareChangeReason,
  RecommendationDirection,
  ReviewDeclineReason,
  Topics,
} from '@stepwise/contracts';
import { describeBadInput, expectProblem, http, testTokens, waitFor } from '@stepwise/testing';
import {
  type Seat,
  type Sessions,
  aGroup,
  aSeat,
  eventsOf,
  useSessions,
  assessed,
  SUPERVISOR_ID,
} from '../testing/sessions-app';

const sessions = useSessions('sessions_drug_screens');

const screenOf = (client: Seat, collectedAt: string, result: string, substanceCodes: string[] = []) => ({
  episodeId: client.episodeId,
  collectedAt,
  resultedAt: new Date(new Date(collectedAt).getTime() + 7_200_000).toISOString(),
  result,
  substanceCodes,
});

/** A client of a fresh site, assessed on 2 March (the step-up evidence), and a counselor of that site. */
async function anAssessedClient(s: Sessions): Promise<{ client: Seat; site: string; token: string }> {
  const group = await aGroup(s, 1);
  const client = group.clients[0] as Seat;
  await assessed(s, client, group.site);
  return { client, site: group.site, token: group.token };
}

describe('drug screens', () => {
  it('records a positive result, resets the sobriety date, and publishes the substances', async () => {
    const s = sessions();
    const { client, token } = await anAssessedClient(s);
    const result = await http<{ sobrietySince: string; collectedOn: string }>(
      `${s.svc.url}/v1/drug-screens`,
      {
        token,
        json: screenOf(client, '2025-03-05T15:00:00.000Z', 'positive', ['fentanyl', 'cocaine']),
      },
    );
    expect(result.status).toBe(201);
    expect(result.body).toMatchObject({
      sobrietySince: '2025-03-05T15:00:00.000Z',
      collectedOn: '2025-03-05',
    });
    const events = await s.svc.readEvents(
      Topics.SessionsEvents,
      (all) => eventsOf(all, 'DrugScreenResulted', [client]).length > 0,
    );
    expect(eventsOf(events, 'DrugScreenResulted', [client])[0]?.data).toMatchObject({
      clientId: client.clientId,
      result: 'positive',
      substanceCodes: ['cocaine', 'fentanyl'],
    });
  });

  it('recommends a step-up on a second positive within 14 days, with evidence and rule set, only once', async () => {
    const s = sessions();
    const { client, token } = await anAssessedClient(s);
    const first = await http(`${s.svc.url}/v1/drug-screens`, {
      token,
      json: screenOf(client, '2025-03-05T15:00:00.000Z', 'positive', ['fentanyl', 'cocaine']),
    });
    expect(first.status).toBe(201);
    for (const collectedAt of ['2025-03-08T15:00:00.000Z', '2025-03-09T15:00:00.000Z']) {
      const result = await http(`${s.svc.url}/v1/drug-screens`, {
        token,
        json: screenOf(client, collectedAt, 'positive', ['alcohol']),
      });
      expect(result.status).toBe(201);
    }
    const events = await s.svc.readEvents(
      Topics.SessionsEvents,
      (all) =>
        eventsOf(all, 'StepUpRecommended', [client]).length > 0 &&
        eventsOf(all, 'EngagementRiskDetected', [client]).length > 0,
    );
    const stepUps = eventsOf(events, 'StepUpRecommended', [client]);
    expect(stepUps).toHaveLength(1);
    expect(stepUps[0]?.data).toMatchObject({
      clientId: client.clientId,
      fromLevel: '2.1',
      toLevel: '2.5',
      ruleSetVersion: 'illustrative-progress@1',
      evidence: expect.objectContaining({ recentPositiveScreens: 2, dimensionRatings: [2, 1, 2, 2, 3, 2] }),
    });
    expect(eventsOf(events, 'EngagementRiskDetected', [client]).map((e) => e.data)).toEqual([
      expect.objectContaining({ clientId: client.clientId, reason: 'positive-screens', since: '2025-03-05' }),
    ]);
    const ofClient = `AND aggregateid = '${client.clientId}'`;
    expect(await s.count(`sessions.outbox WHERE type LIKE '%StepUpRecommended%' ${ofClient}`)).toBe(1);
    expect(await s.count(`sessions.outbox WHERE type LIKE '%EngagementRiskDetected%' ${ofClient}`)).toBe(1);
  });

  it('after a decline: none on the same evidence, one on a new relapse; after the step-up, none at once', async () => {
    const s = sessions();
    const { client, site, token } = await anAssessedClient(s);
    const screened = async (collectedAt: string, result: string, substances: string[] = []) =>
      expect(
        (
          await http(`${s.svc.url}/v1/drug-screens`, {
            token,
            json: screenOf(client, collectedAt, result, substances),
          })
        ).status,
      ).toBe(201);
    const stepUps = async (n: number) => {
      const events = await s.svc.readEvents(
        Topics.SessionsEvents,
        (all) => eventsOf(all, 'StepUpRecommended', [client]).length >= n,
      );
      return eventsOf(events, 'StepUpRecommended', [client]).map(
        (e) => e.data as EventPayload<'StepUpRecommended'>,
      );
    };
    const recommendations = () =>
      s.count('sessions.recommendations WHERE episode_id = $1', [client.episodeId]);
    await screened('2025-03-04T15:00:00.000Z', 'positive', ['alcohol']);
    await screened('2025-03-05T15:00:00.000Z', 'positive', ['alcohol']);
    const [first] = await stepUps(1);
    await s.publish('LevelOfCareRecommendationDeclined', {
      recommendationId: first?.recommendationId ?? '',
      episodeId: client.episodeId,
      clientId: client.clientId,
      siteId: site,
      direction: RecommendationDirection.StepUp,
      reasonCode: ReviewDeclineReason.ClientPreference,
      decidedBy: SUPERVISOR_ID,
      decidedAt: '2025-03-06T12:00:00.000Z',
    });
    await waitFor(
      'the decline',
      () =>
        s.count('sessions.recommendations WHERE episode_id = $1 AND declined_at IS NOT NULL', [
          client.episodeId,
        ]),
      (n) => n === 1,
    );
    // No new evidence: the same two positives, then a negative screen.
    await screened('2025-03-06T15:00:00.000Z', 'negative');
    expect(await recommendations()).toBe(1);
    // A relapse after the decline is new evidence.
    await screened('2025-03-07T15:00:00.000Z', 'positive', ['cocaine']);
    const [, second] = await stepUps(2);
    expect(second).toMatchObject({ fromLevel: '2.1', toLevel: '2.5' });
    expect(second?.recommendationId).not.toBe(first?.recommendationId);
    // Approved: the client is at PHP; the positives behind the step-up do not recommend residential at once.
    await s.publish('LevelOfCareChanged', {
      episodeId: client.episodeId,
      clientId: client.clientId,
      siteId: site,
      kind: LevelOfCareChangeKind.Clinical,
      fromLevel: LevelOfCare.IntensiveOutpatient,
      toLevel: LevelOfCare.PartialHospitalization,
      recommendationId: second?.recommendationId ?? '',
      effectiveAt: '2025-03-08T15:00:00.000Z',
      reasonCode: LevelOfCareChangeReason.StepUp,
      decidedBy: SUPERVISOR_ID,
    });
    await waitFor(
      'the level change',
      () => s.count(`sessions.episodes WHERE episode_id = $1 AND level_of_care = '2.5'`, [client.episodeId]),
      (n) => n === 1,
    );
    expect(await recommendations()).toBe(2);
    await screened('2025-03-09T15:00:00.000Z', 'positive', ['cocaine']);
    const [, , third] = await stepUps(3);
    expect(third).toMatchObject({ fromLevel: '2.5', toLevel: '3.5' });
    expect(await recommendations()).toBe(3);
  });

  it("answers 404 for another site's episode", async () => {
    const s = sessions();
    const { client } = await anAssessedClient(s);
    const otherSiteToken = await testTokens.valid({ roles: ['counselor'], sites: [randomUUID()] });
    const result = await http(`${s.svc.url}/v1/drug-screens`, {
      token: otherSiteToken,
      json: screenOf(client, '2025-03-08T15:00:00.000Z', 'negative'),
    });
    expectProblem(result, 404, 'not-found');
  });
});

describe('drug screen input', () => {
  // Ids fixed when the cases are declared; the episodes are made for them before they run.
  const client = aSeat();
  const stranger = aSeat();
  let token = '';

  beforeAll(async () => {
    const s = sessions();
    const site = await s.site();
    await s.admit(client, site, randomUUID());
    await s.admit(stranger, await s.site(), randomUUID());
    await waitFor(
      'the episodes',
      () =>
        s.count('sessions.episodes WHERE episode_id = ANY($1::uuid[])', [
          [client.episodeId, stranger.episodeId],
        ]),
      (n) => n === 2,
    );
    token = await s.counselor(site);
  }, 120_000);

  describeBadInput(
    {
      method: 'POST',
      path: '/v1/drug-screens',
      idempotent: true,
      enums: ['result'],
      validBody: {
        episodeId: client.episodeId,
        collectedAt: '2025-03-07T15:00:00.000Z',
        resultedAt: '2025-03-08T15:00:00.000Z',
        result: 'negative',
        substanceCodes: [],
      },
      extraCases: [
        {
          name: 'a positive result without substances',
          json: {
            episodeId: client.episodeId,
            collectedAt: '2025-03-07T15:00:00.000Z',
            resultedAt: '2025-03-08T15:00:00.000Z',
            result: 'positive',
            substanceCodes: [],
          },
          status: 422,
          code: 'unprocessable',
        },
        {
          name: 'a result before the collection',
          json: {
            episodeId: client.episodeId,
            collectedAt: '2025-03-07T15:00:00.000Z',
            resultedAt: '2025-03-07T14:00:00.000Z',
            result: 'negative',
            substanceCodes: [],
          },
          status: 422,
          code: 'unprocessable',
        },
        {
          name: 'an unknown substance',
          json: {
            episodeId: client.episodeId,
            collectedAt: '2025-03-07T15:00:00.000Z',
            resultedAt: '2025-03-08T15:00:00.000Z',
            result: 'positive',
            substanceCodes: ['chocolate'],
          },
          status: 400,
          code: 'validation-failed',
        },
        {
          name: "another site's episode",
          json: {
            episodeId: stranger.episodeId,
            collectedAt: '2025-03-07T15:00:00.000Z',
            resultedAt: '2025-03-08T15:00:00.000Z',
            result: 'negative',
            substanceCodes: [],
          },
          status: 404,
          code: 'not-found',
        },
      ],
    },
    () => ({
      baseUrl: sessions().svc.url,
      token,
      countWrites: async () =>
        (await sessions().count('sessions.drug_screens')) + (await sessions().count('sessions.outbox')),
    }),
  );
});

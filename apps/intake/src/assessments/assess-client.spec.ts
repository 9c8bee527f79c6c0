import { LevelOfCare } from '@stepwise/contracts';
import { CLIENT } from '../clients/clients.repository';
import { theIllustrativeRuleSet } from '../testing/assessment-factories';
import { SITE_B, STAFF, aClientRow, aServiceActor, aStaffActor, anEpisodeRow } from '../testing/factories';
import { type UnitWorld, injected, unitWorld } from '../testing/unit-world';
import { OverrideReason } from './asam-rules';
import { AssessClient } from './assess-client';
import { type AssessDto } from './assessment.dto';

describe('AssessClient', () => {
  let world: UnitWorld;
  let assess: AssessClient;
  const client = aClientRow();
  const body = (overrides: Partial<AssessDto> = {}): AssessDto => ({
    dimensionRatings: [1, 0, 2, 1, 2, 1],
    assessedAt: '2026-03-10T14:00:00Z',
    ...overrides,
  });

  beforeEach(() => {
    world = unitWorld();
    world.tables.put(CLIENT.table, client);
    world.assessments.seedRuleSet(theIllustrativeRuleSet());
    const d = injected(world);
    assess = new AssessClient(d.unitOfWork, d.records, d.assessments, d.episodes, d.clock);
  });

  it('places the ratings with the default rule set and publishes AssessmentCompleted', async () => {
    const assessment = await assess.execute(aStaffActor(), client.id, body());

    expect(assessment).toMatchObject({
      clientId: client.id,
      episodeId: null,
      kind: 'initial',
      computedLevel: LevelOfCare.IntensiveOutpatient,
      recommendedLevel: LevelOfCare.IntensiveOutpatient,
      ruleSetVersion: 'illustrative-asam@1',
      assessedBy: STAFF,
    });
    expect(world.unitOfWork.published).toEqual([
      {
        type: 'AssessmentCompleted',
        payload: {
          assessmentId: assessment.id,
          clientId: client.id,
          siteId: client.site_id,
          dimensionRatings: [1, 0, 2, 1, 2, 1],
          recommendedLevel: LevelOfCare.IntensiveOutpatient,
          assessedBy: STAFF,
          assessedAt: '2026-03-10T14:00:00.000Z',
        },
      },
    ]);
    expect(world.audit.entries).toEqual([
      expect.objectContaining({ action: 'create', resourceType: 'assessment' }),
    ]);
  });

  it('is a reassessment of the active episode, and a clinician’s override is what it recommends', async () => {
    const episode = world.episodes.seed(anEpisodeRow({ client_id: client.id }));

    const assessment = await assess.execute(
      aStaffActor(),
      client.id,
      body({ overrideLevel: LevelOfCare.Outpatient, overrideReason: OverrideReason.ClientPreference }),
    );

    expect(assessment).toMatchObject({
      kind: 'reassessment',
      episodeId: episode.id,
      computedLevel: LevelOfCare.IntensiveOutpatient,
      recommendedLevel: LevelOfCare.Outpatient,
    });
    expect(world.unitOfWork.published[0]?.payload).toMatchObject({ episodeId: episode.id });
  });

  it('answers 422 for an override without its reason, a reason without an override, or a future date', async () => {
    await expect(
      assess.execute(aStaffActor(), client.id, body({ overrideLevel: LevelOfCare.Outpatient })),
    ).rejects.toMatchObject({ code: 'override-reason-required' });
    await expect(
      assess.execute(aStaffActor(), client.id, body({ overrideReason: OverrideReason.ClinicalJudgement })),
    ).rejects.toMatchObject({ code: 'unprocessable', problem: { errors: [{ field: 'overrideLevel' }] } });
    await expect(
      assess.execute(aStaffActor(), client.id, body({ assessedAt: '2026-03-10T15:00:01Z' })),
    ).rejects.toMatchObject({ code: 'unprocessable', problem: { errors: [{ field: 'assessedAt' }] } });
  });

  it('answers 422 for a rule set that is not stored', async () => {
    await expect(
      assess.execute(aStaffActor(), client.id, body({ ruleSet: 'local@9' })),
    ).rejects.toMatchObject({ code: 'unprocessable', problem: { errors: [{ field: 'ruleSet' }] } });
  });

  it('answers 403 to a non-staff caller and 404 for a client at another site', async () => {
    await expect(assess.execute(aServiceActor(), client.id, body())).rejects.toMatchObject({
      code: 'permission-denied',
    });
    await expect(assess.execute(aStaffActor([SITE_B]), client.id, body())).rejects.toMatchObject({
      code: 'not-found',
    });
    expect(world.unitOfWork.published).toEqual([]);
  });
});

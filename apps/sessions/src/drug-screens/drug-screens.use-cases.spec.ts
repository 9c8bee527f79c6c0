import { randomUUID } from 'node:crypto';
import { CareRuleSetKind, DrugScreenResult, ScreenResultReading, SubstanceCode } from '@stepwise/contracts';
import { ILLUSTRATIVE_PROGRAM_POLICY } from '@stepwise/care-rules';
import { sampleValue } from '@stepwise/testing';
import { OTHER_SITE_ID, SITE_ID, clinician, problemOf } from '../testing/doubles';
import { BUPRENORPHINE, POSITIVE, aScreen, drugScreenUseCases } from '../testing/drug-screens';

describe('RecordDrugScreen', () => {
  it('records a positive: DrugScreenResulted, the sobriety date moved, the progress rules re-run', async () => {
    const t = drugScreenUseCases();

    const view = await t.record.record(clinician(), aScreen(t.episodeId, POSITIVE));

    expect(view).toMatchObject({
      episodeId: t.episodeId,
      siteId: SITE_ID,
      collectedOn: '2025-03-03',
      substanceCodes: ['cocaine', 'fentanyl'],
      sobrietySince: '2025-03-03T15:00:00.000Z',
    });
    expect(t.uow.payloads('DrugScreenResulted')).toEqual([
      {
        screenId: view.screenId,
        clientId: view.clientId,
        episodeId: t.episodeId,
        siteId: SITE_ID,
        collectedAt: '2025-03-03T15:00:00.000Z',
        resultedAt: '2025-03-03T16:00:00.000Z',
        result: DrugScreenResult.Positive,
        substanceCodes: ['cocaine', 'fentanyl'],
        interpretation: 'use',
      },
    ]);
    expect(t.evaluation.episodes).toEqual([t.episodeId]);
    expect(t.uow.locks).toContain(`sessions-episode:${t.episodeId}`);
    expect(t.audit.outcomes()).toEqual(['create:drugscreen:allowed']);
  });

  it('counts each screen in stepwise_drug_screens_total by site and result, never one refused', async () => {
    const t = drugScreenUseCases();
    const counted = (result: DrugScreenResult) =>
      sampleValue(t.metrics.registry, 'stepwise_drug_screens_total', { site: SITE_ID, result });

    await t.record.record(clinician(), aScreen(t.episodeId, POSITIVE));
    await t.record.record(clinician(), aScreen(t.episodeId));
    await t.record.record(clinician(), aScreen(t.episodeId));
    // Refused: a positive without its substances.
    await expect(
      t.record.record(clinician(), aScreen(t.episodeId, { ...POSITIVE, substanceCodes: [] })),
    ).rejects.toMatchObject({ code: 'unprocessable' });

    expect(await counted(DrugScreenResult.Positive)).toBe(1);
    expect(await counted(DrugScreenResult.Negative)).toBe(2);
    // Never the substances, the client or the episode.
    const text = await t.metrics.registry.metrics();
    expect(text).not.toMatch(/fentanyl|cocaine/);
    expect(text).not.toContain(t.episodeId);
  });

  it('leaves the sobriety date alone for a negative', async () => {
    const t = drugScreenUseCases();

    expect((await t.record.record(clinician(), aScreen(t.episodeId))).sobrietySince).toBeNull();
  });

  it('never moves the sobriety date back for a late-arriving older positive', async () => {
    const t = drugScreenUseCases();
    await t.record.record(clinician(), aScreen(t.episodeId, POSITIVE));

    const older = await t.record.record(
      clinician(),
      aScreen(t.episodeId, { ...POSITIVE, collectedAt: '2025-03-01T15:00:00.000Z' }),
    );

    expect(older.sobrietySince).toBe('2025-03-03T15:00:00.000Z');
  });

  it('answers 404 for an unknown episode', async () => {
    const t = drugScreenUseCases();

    expect(await problemOf(t.record.record(clinician(), aScreen(randomUUID())))).toEqual({
      code: 'not-found',
      detail: 'No such episode',
    });
  });

  it('answers 404 for another site’s episode, audits the denial and records nothing', async () => {
    const t = drugScreenUseCases();

    const problem = await problemOf(t.record.record(clinician([OTHER_SITE_ID]), aScreen(t.episodeId)));

    expect(problem.code).toBe('not-found');
    expect(t.audit.outcomes()).toEqual(['create:drugscreen:denied']);
    expect(t.screens.screens).toEqual([]);
  });

  it("answers 422 while the site's time zone has not reached sessions", async () => {
    const t = drugScreenUseCases();
    t.sites.timeZones.set(SITE_ID, null);

    expect((await problemOf(t.record.record(clinician(), aScreen(t.episodeId)))).code).toBe('unprocessable');
  });

  it.each([
    [{ resultedAt: '2025-03-03T14:00:00.000Z' }, 'resultedAt must be after collectedAt'],
    [{ resultedAt: '2025-03-03T18:00:00.000Z' }, 'resultedAt is in the future'],
    [{ collectedAt: '2025-02-01T15:00:00.000Z' }, 'The specimen was collected before admission'],
    [
      { result: DrugScreenResult.Positive },
      'List the detected substances for a positive result, and none otherwise',
    ],
  ])('refuses an inconsistent screen (%j)', async (overrides, detail) => {
    const t = drugScreenUseCases();

    expect(await problemOf(t.record.record(clinician(), aScreen(t.episodeId, overrides)))).toEqual({
      code: 'unprocessable',
      detail,
    });
    expect(t.uow.published).toEqual([]);
  });
});

describe('RecordDrugScreen with medication-assisted treatment (the illustrative program policy)', () => {
  const onMat = () => {
    const t = drugScreenUseCases();
    t.medications.list.push(BUPRENORPHINE);
    return t;
  };
  const buprenorphine = { result: DrugScreenResult.Positive, substanceCodes: [SubstanceCode.Buprenorphine] };

  it('a positive only for the prescribed MAT substance is no relapse: sobriety kept, counted as a negative', async () => {
    const t = onMat();
    const view = await t.record.record(clinician(), aScreen(t.episodeId, buprenorphine));
    expect(view).toMatchObject({ interpretation: 'expected-medication', sobrietySince: null });
    expect(t.screens.screens[0]).toMatchObject({
      interpretation: 'expected-medication',
      evidence: 'negative',
    });
    expect(t.uow.payloads('DrugScreenResulted')[0]).toMatchObject({ interpretation: 'expected-medication' });
    expect(t.uow.payloads('PossibleMedicationDiversion')).toEqual([]);
  });

  it('an unexpected substance beside it is a relapse: sobriety reset, counted as a positive', async () => {
    const t = onMat();
    const view = await t.record.record(
      clinician(),
      aScreen(t.episodeId, {
        ...buprenorphine,
        substanceCodes: [SubstanceCode.Buprenorphine, SubstanceCode.Fentanyl],
      }),
    );
    expect(view).toMatchObject({ interpretation: 'use', sobrietySince: '2025-03-03T15:00:00.000Z' });
    expect(t.screens.screens[0]?.evidence).toBe('positive');
  });

  it('a screen negative for the prescribed MAT medication raises a possible diversion, not a relapse', async () => {
    const t = onMat();
    const view = await t.record.record(clinician(), aScreen(t.episodeId));
    expect(view).toMatchObject({ interpretation: 'possible-diversion', sobrietySince: null });
    expect(t.screens.screens[0]?.evidence).toBe('none');
    expect(t.uow.payloads('PossibleMedicationDiversion')).toEqual([
      expect.objectContaining({
        screenId: view.screenId,
        episodeId: t.episodeId,
        medicationId: BUPRENORPHINE.medicationId,
        medicationCode: 'buprenorphine-naloxone',
        missingSubstances: ['buprenorphine'],
      }),
    ]);
  });

  it('after the medication stopped, the same positive is a relapse and a negative is a negative', async () => {
    const t = drugScreenUseCases();
    t.medications.list.push({ ...BUPRENORPHINE, stopsOn: '2025-03-02' });
    expect((await t.record.record(clinician(), aScreen(t.episodeId, buprenorphine))).interpretation).toBe(
      'use',
    );
    const negative = await t.record.record(
      clinician(),
      aScreen(t.episodeId, { collectedAt: '2025-03-03T15:30:00.000Z' }),
    );
    expect(negative.interpretation).toBe('negative');
  });

  it('refused and adulterated count as positives without moving sobriety; dilute asks for a retest', async () => {
    const t = drugScreenUseCases();
    for (const result of [DrugScreenResult.Refused, DrugScreenResult.Adulterated]) {
      const view = await t.record.record(clinician(), aScreen(t.episodeId, { result }));
      expect(view).toMatchObject({ interpretation: 'treated-as-positive', sobrietySince: null });
    }
    const dilute = await t.record.record(
      clinician(),
      aScreen(t.episodeId, { result: DrugScreenResult.Dilute }),
    );
    expect(dilute.interpretation).toBe('retest-requested');
    expect(t.screens.screens.map((s) => s.evidence)).toEqual(['positive', 'positive', 'none']);
  });
});

describe('RecordDrugScreen under a program policy a network administrator loaded', () => {
  it('reads refused and dilute results as the loaded version says, and records that version', async () => {
    const t = drugScreenUseCases();
    const illustrative = await t.record.record(
      clinician(),
      aScreen(t.episodeId, { result: DrugScreenResult.Refused }),
    );
    expect(illustrative.interpretation).toBe('treated-as-positive');
    t.careRules.loaded.push({
      ruleSetId: 'acme-policy@1',
      kind: CareRuleSetKind.ProgramPolicy,
      illustrative: false,
      programPolicy: {
        ...ILLUSTRATIVE_PROGRAM_POLICY.programPolicy,
        refused: ScreenResultReading.RetestRequested,
        dilute: ScreenResultReading.TreatedAsPositive,
      },
    });
    const refused = await t.record.record(
      clinician(),
      aScreen(t.episodeId, { result: DrugScreenResult.Refused }),
    );
    const dilute = await t.record.record(
      clinician(),
      aScreen(t.episodeId, { result: DrugScreenResult.Dilute }),
    );
    expect([refused.interpretation, dilute.interpretation]).toEqual([
      'retest-requested',
      'treated-as-positive',
    ]);
    expect(t.screens.screens.map((s) => [s.evidence, s.programPolicyVersion])).toEqual([
      ['positive', 'illustrative-program-policy@1'],
      ['none', 'acme-policy@1'],
      ['positive', 'acme-policy@1'],
    ]);
    // Neither proves use: the sobriety date stays where it was.
    expect(dilute.sobrietySince).toBeNull();
  });
});

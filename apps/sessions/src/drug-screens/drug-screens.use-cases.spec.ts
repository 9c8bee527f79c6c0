import { randomUUID } from 'node:crypto';
import { DrugScreenResult } from '@stepwise/contracts';
import { sampleValue } from '@stepwise/testing';
import { OTHER_SITE_ID, SITE_ID, clinician, problemOf } from '../testing/doubles';
import { POSITIVE, aScreen, drugScreenUseCases } from '../testing/drug-screens';

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

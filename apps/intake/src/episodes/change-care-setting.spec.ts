import { LevelOfCare, LevelOfCareChangeReason, Population } from '@stepwise/contracts';
import { SITE_A, SITE_B, STAFF, aSite, aStaffActor, aTrack, anEpisodeRow } from '../testing/factories';
import { type UnitWorld, injected, unitWorld } from '../testing/unit-world';
import { ChangeCareSetting } from './change-care-setting';
import { ChangeClinicalLevel } from './change-clinical-level';

describe('ChangeCareSetting (a clinician-initiated level change or site transfer)', () => {
  let world: UnitWorld;
  let careSetting: ChangeCareSetting;
  const outpatientA = aTrack({ levelOfCare: LevelOfCare.Outpatient });
  const outpatientB = aTrack({ siteId: SITE_B, levelOfCare: LevelOfCare.Outpatient });
  const iopB = aTrack({ siteId: SITE_B });
  const otherNetworkSite = aSite({ id: '0c6e9a51-2d0a-4b1e-8d8f-6f2f7b1f6c03', networkId: STAFF });
  const otherNetworkIop = aTrack({ siteId: otherNetworkSite.id });
  const bothSites = aStaffActor([SITE_A, SITE_B]);
  const reason = LevelOfCareChangeReason.ClinicalJudgement;

  beforeEach(() => {
    world = unitWorld();
    world.reference
      .withSite(aSite({ id: SITE_B, timeZone: 'America/Chicago' }))
      .withSite(otherNetworkSite)
      .withTrack(outpatientA)
      .withTrack(outpatientB)
      .withTrack(iopB)
      .withTrack(otherNetworkIop);
    const d = injected(world);
    careSetting = new ChangeCareSetting(
      d.unitOfWork,
      d.records,
      d.episodes,
      d.reference,
      new ChangeClinicalLevel(d.episodes),
    );
  });

  it('changes the level at the same site with the reason and effective date, publishing LevelOfCareChanged', async () => {
    const episode = world.episodes.seed(anEpisodeRow());
    const view = await careSetting.changeLevel(aStaffActor(), episode.id, {
      toLevel: LevelOfCare.Outpatient,
      programTrackId: outpatientA.id,
      reasonCode: reason,
      effectiveOn: '2026-03-16',
    });
    expect(view).toMatchObject({ siteId: SITE_A, clinicalLevel: '1', programTrackId: outpatientA.id });
    expect(world.unitOfWork.published).toEqual([
      {
        type: 'LevelOfCareChanged',
        payload: expect.objectContaining({
          kind: 'clinical',
          fromLevel: '2.1',
          toLevel: '1',
          newProgramTrackId: outpatientA.id,
          reasonCode: reason,
          effectiveAt: '2026-03-16T04:00:00.000Z',
          decidedBy: STAFF,
        }),
      },
    ]);
    expect(world.audit.entries.at(-1)).toMatchObject({ action: 'change-level', resourceId: episode.id });
  });

  it('changes the level to a track at another site of the network: ClientTransferred, then the level change', async () => {
    const episode = world.episodes.seed(anEpisodeRow());
    const view = await careSetting.changeLevel(bothSites, episode.id, {
      toLevel: LevelOfCare.Outpatient,
      programTrackId: outpatientB.id,
      reasonCode: reason,
      effectiveOn: '2026-03-16',
    });
    expect(view).toMatchObject({ siteId: SITE_B, clinicalLevel: '1', programTrackId: outpatientB.id });
    expect(world.unitOfWork.published.map((e) => [e.type, e.payload])).toEqual([
      [
        'ClientTransferred',
        expect.objectContaining({
          fromSiteId: SITE_A,
          siteId: SITE_B,
          newProgramTrackId: outpatientB.id,
          levelOfCare: '1',
          // Midnight of the effective date at the new site (Chicago).
          effectiveAt: '2026-03-16T05:00:00.000Z',
        }),
      ],
      ['LevelOfCareChanged', expect.objectContaining({ siteId: SITE_B, toLevel: '1' })],
    ]);
    expect(world.episodes.clientSites.get(episode.client_id)).toBe(SITE_B);
  });

  it('transfers to another site at the same level, keeping the level and recording the move', async () => {
    const episode = world.episodes.seed(anEpisodeRow());
    const view = await careSetting.transfer(bothSites, episode.id, {
      programTrackId: iopB.id,
      reasonCode: LevelOfCareChangeReason.ClientRelocation,
      effectiveOn: '2026-03-11',
    });
    expect(view).toMatchObject({ siteId: SITE_B, clinicalLevel: '2.1', programTrackId: iopB.id });
    expect(view.levelHistory.at(-1)).toMatchObject({
      fromLevel: '2.1',
      toLevel: '2.1',
      reasonCode: 'client-relocation',
    });
    expect(world.unitOfWork.published.map((e) => e.type)).toEqual(['ClientTransferred']);
    expect(world.audit.entries.at(-1)).toMatchObject({ action: 'transfer', siteId: SITE_B });
  });

  it('refuses a clinician who may not act for the new site (404, audited), changing nothing', async () => {
    const episode = world.episodes.seed(anEpisodeRow());
    await expect(
      careSetting.transfer(aStaffActor([SITE_A]), episode.id, {
        programTrackId: iopB.id,
        reasonCode: reason,
        effectiveOn: '2026-03-11',
      }),
    ).rejects.toMatchObject({ code: 'not-found' });
    expect(world.audit.entries.at(-1)).toMatchObject({ outcome: 'denied', siteId: SITE_B });
    expect(world.episodes.row(episode.id)?.site_id).toBe(SITE_A);
    expect(world.unitOfWork.published).toEqual([]);
  });

  it('refuses a clinician who may not act for the episode’s own site', async () => {
    const episode = world.episodes.seed(anEpisodeRow());
    await expect(
      careSetting.transfer(aStaffActor([SITE_B]), episode.id, {
        programTrackId: iopB.id,
        reasonCode: reason,
        effectiveOn: '2026-03-11',
      }),
    ).rejects.toMatchObject({ code: 'not-found' });
    expect(world.unitOfWork.published).toEqual([]);
  });

  it.each([
    ['a track of another network', () => otherNetworkIop.id, 'unknown-program-track'],
    ['a track at another level', () => outpatientB.id, 'unknown-program-track'],
  ])('answers 422 for a transfer to %s', async (_what, trackOf, code) => {
    const episode = world.episodes.seed(anEpisodeRow({ population: Population.Adult }));
    await expect(
      careSetting.transfer(bothSites, episode.id, {
        programTrackId: trackOf(),
        reasonCode: reason,
        effectiveOn: '2026-03-11',
      }),
    ).rejects.toMatchObject({ code });
    expect(world.unitOfWork.published).toEqual([]);
  });

  it('answers 422 for a level change to the level the episode is at, or a transfer within the site', async () => {
    const episode = world.episodes.seed(anEpisodeRow());
    await expect(
      careSetting.changeLevel(bothSites, episode.id, {
        toLevel: LevelOfCare.IntensiveOutpatient,
        programTrackId: iopB.id,
        reasonCode: reason,
        effectiveOn: '2026-03-11',
      }),
    ).rejects.toMatchObject({ code: 'level-change-not-allowed' });
    const iopA = aTrack();
    world.reference.withTrack(iopA);
    await expect(
      careSetting.transfer(bothSites, episode.id, {
        programTrackId: iopA.id,
        reasonCode: reason,
        effectiveOn: '2026-03-11',
      }),
    ).rejects.toMatchObject({ code: 'level-change-not-allowed' });
    expect(world.unitOfWork.published).toEqual([]);
  });
});

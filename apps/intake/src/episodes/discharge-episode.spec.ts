import { AftercareReferral, DischargeReason } from '@stepwise/contracts';
import { sampleValue } from '@stepwise/testing';
import { SITE_B, aStaffActor, anEpisodeRow, episodeSubject } from '../testing/factories';
import { type UnitWorld, injected, unitWorld } from '../testing/unit-world';
import { DischargeEpisode } from './discharge-episode';
import { type DischargeDto } from './episode.dto';

describe('DischargeEpisode', () => {
  let world: UnitWorld;
  let discharge: DischargeEpisode;
  const body: DischargeDto = {
    dischargedAt: '2026-03-09T16:30:00Z',
    reason: DischargeReason.Completed,
    referredTo: [AftercareReferral.AlumniGroup],
  };

  beforeEach(() => {
    world = unitWorld();
    const d = injected(world);
    discharge = new DischargeEpisode(d.unitOfWork, d.records, d.episodes, d.counters);
  });

  it('ends the episode, declines its open reviews and publishes ClientDischarged', async () => {
    const episode = world.episodes.seed(anEpisodeRow());

    const view = await discharge.execute(aStaffActor(), episode.id, body);

    expect(view).toMatchObject({
      status: 'discharged',
      dischargedAt: '2026-03-09T16:30:00.000Z',
      dischargeReason: DischargeReason.Completed,
      referredTo: [AftercareReferral.AlumniGroup],
    });
    expect(world.episodes.declinedReviews).toEqual([
      { episodeId: episode.id, at: new Date('2026-03-09T16:30:00Z') },
    ]);
    expect(world.unitOfWork.published).toEqual([
      {
        type: 'ClientDischarged',
        payload: {
          ...episodeSubject(episode),
          dischargedAt: '2026-03-09T16:30:00.000Z',
          reason: DischargeReason.Completed,
          referredTo: [AftercareReferral.AlumniGroup],
        },
      },
    ]);
    expect(world.audit.entries).toEqual([
      expect.objectContaining({ action: 'discharge', resourceId: episode.id, outcome: 'allowed' }),
    ]);
  });

  it('counts the discharge in stepwise_discharges_total by site, level and reason; a refused one not', async () => {
    const episode = world.episodes.seed(anEpisodeRow());
    const discharges = () =>
      sampleValue(world.metrics.registry, 'stepwise_discharges_total', {
        site: episode.site_id,
        level: episode.clinical_level,
        reason: DischargeReason.Completed,
      });

    await discharge.execute(aStaffActor(), episode.id, body);
    expect(await discharges()).toBe(1);

    await expect(discharge.execute(aStaffActor(), episode.id, body)).rejects.toMatchObject({
      code: 'invalid-transition',
    });
    expect(await discharges()).toBe(1);
  });

  it('answers 409 for an episode already discharged, publishing nothing', async () => {
    const episode = world.episodes.seed(anEpisodeRow({ status: 'discharged' }));

    await expect(discharge.execute(aStaffActor(), episode.id, body)).rejects.toMatchObject({
      code: 'invalid-transition',
    });
    expect(world.unitOfWork.published).toEqual([]);
  });

  it('answers 422 for a discharge before the admission', async () => {
    const episode = world.episodes.seed(anEpisodeRow({ admitted_at: new Date('2026-03-10T05:00:00Z') }));

    await expect(discharge.execute(aStaffActor(), episode.id, body)).rejects.toMatchObject({
      code: 'unprocessable',
      problem: { errors: [{ field: 'dischargedAt' }] },
    });
    expect(world.episodes.row(episode.id)?.status).toBe('active');
  });

  it('answers 404 for an episode at another site, auditing the denial', async () => {
    const episode = world.episodes.seed(anEpisodeRow({ site_id: SITE_B }));

    await expect(discharge.execute(aStaffActor(), episode.id, body)).rejects.toMatchObject({
      code: 'not-found',
    });
    expect(world.audit.entries).toEqual([
      expect.objectContaining({ action: 'discharge', outcome: 'denied' }),
    ]);
    expect(world.episodes.row(episode.id)?.status).toBe('active');
  });
});

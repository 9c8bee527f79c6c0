import { randomUUID } from 'node:crypto';
import { LevelOfCare, LevelOfCareChangeKind } from '@stepwise/contracts';
import { SITE_B, STAFF, aStaffActor, anEpisodeRow } from '../testing/factories';
import { NO_DATABASE } from '@stepwise/messaging';
import { type UnitWorld, injected, unitWorld } from '../testing/unit-world';
import { ReadEpisode } from './read-episode';

describe('ReadEpisode', () => {
  let world: UnitWorld;
  let read: ReadEpisode;

  beforeEach(() => {
    world = unitWorld();
    const d = injected(world);
    read = new ReadEpisode(d.records, d.episodes);
  });

  it('shows the episode with its level history, and audits the read', async () => {
    const episode = world.episodes.seed(anEpisodeRow());
    await world.episodes.addHistory(NO_DATABASE, episode.id, {
      kind: LevelOfCareChangeKind.Authorized,
      fromLevel: null,
      toLevel: LevelOfCare.IntensiveOutpatient,
      effectiveAt: new Date('2026-03-02T05:00:00Z'),
      reasonCode: 'payer-authorization',
      decidedBy: STAFF,
      authorization: {
        authorizationId: '00000000-0000-4000-8000-0000000000a1',
        payerCode: 'state-medicaid',
        authorizationNumber: 'AUTH-1',
        units: 12,
        startsOn: '2026-03-02',
        endsOn: '2026-04-01',
      },
    });

    const view = await read.execute(aStaffActor(), episode.id);

    expect(view).toMatchObject({ id: episode.id, clientId: episode.client_id, status: 'active' });
    expect(view.levelHistory).toEqual([
      {
        kind: LevelOfCareChangeKind.Authorized,
        fromLevel: null,
        toLevel: LevelOfCare.IntensiveOutpatient,
        effectiveAt: '2026-03-02T05:00:00.000Z',
        reasonCode: 'payer-authorization',
        decidedBy: STAFF,
        recommendationId: null,
        programTrackId: null,
        authorizationId: '00000000-0000-4000-8000-0000000000a1',
        payerCode: 'state-medicaid',
        authorizationNumber: 'AUTH-1',
        units: 12,
        startsOn: '2026-03-02',
        endsOn: '2026-04-01',
      },
    ]);
    expect(world.audit.entries).toEqual([
      expect.objectContaining({ action: 'read', resourceId: episode.id, outcome: 'allowed' }),
    ]);
  });

  it('answers 404 for an episode that does not exist', async () => {
    await expect(read.execute(aStaffActor(), randomUUID())).rejects.toMatchObject({ code: 'not-found' });
  });

  it('answers 404 for an episode at another site, auditing the denial', async () => {
    const episode = world.episodes.seed(anEpisodeRow({ site_id: SITE_B }));

    await expect(read.execute(aStaffActor(), episode.id)).rejects.toMatchObject({ code: 'not-found' });
    expect(world.audit.entries).toEqual([expect.objectContaining({ action: 'read', outcome: 'denied' })]);
  });
});

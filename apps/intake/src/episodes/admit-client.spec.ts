import { randomUUID } from 'node:crypto';
import { LevelOfCare, Population } from '@stepwise/contracts';
import { sampleValue } from '@stepwise/testing';
import { ReferralStatus } from '../referrals/referral.rules';
import { type AdmitClientDto } from './episode.dto';
import { AdmitClient } from './admit-client';
import { CLIENT } from '../clients/clients.repository';
import {
  SITE_A,
  SITE_B,
  STAFF,
  aClientRow,
  aReferralRow,
  aStaffActor,
  aTrack,
  anEpisodeRow,
} from '../testing/factories';
import { type UnitWorld, injected, unitWorld } from '../testing/unit-world';

describe('AdmitClient', () => {
  let world: UnitWorld;
  let admit: AdmitClient;
  const track = aTrack();
  const client = aClientRow();
  const body = (overrides: Partial<AdmitClientDto> = {}): AdmitClientDto => ({
    siteId: SITE_A,
    programTrackId: track.id,
    levelOfCare: LevelOfCare.IntensiveOutpatient,
    population: Population.Adult,
    primaryCounselorId: STAFF,
    admittedOn: '2026-03-02',
    ...overrides,
  });

  beforeEach(() => {
    world = unitWorld();
    world.reference.withTrack(track);
    world.tables.put(CLIENT.table, client);
    const d = injected(world);
    admit = new AdmitClient(
      d.unitOfWork,
      d.records,
      d.episodes,
      d.referrals,
      d.reference,
      d.clock,
      d.counters,
    );
  });

  it('opens an active episode from the site midnight of the admission date and publishes ClientAdmitted', async () => {
    const episode = await admit.execute(aStaffActor(), client.id, body());

    expect(episode).toMatchObject({
      clientId: client.id,
      siteId: SITE_A,
      programTrackId: track.id,
      clinicalLevel: LevelOfCare.IntensiveOutpatient,
      authorizedLevel: null,
      status: 'active',
      admittedOn: '2026-03-02',
      admittedAt: '2026-03-02T05:00:00.000Z',
      referredTo: [],
      levelHistory: [
        {
          kind: 'clinical',
          fromLevel: null,
          toLevel: LevelOfCare.IntensiveOutpatient,
          reasonCode: 'admission',
        },
      ],
    });
    expect(world.unitOfWork.published).toEqual([
      {
        type: 'ClientAdmitted',
        payload: {
          episodeId: episode.id,
          clientId: client.id,
          siteId: SITE_A,
          programTrackId: track.id,
          levelOfCare: LevelOfCare.IntensiveOutpatient,
          population: Population.Adult,
          admittedAt: '2026-03-02T05:00:00.000Z',
          primaryCounselorId: STAFF,
        },
      },
    ]);
    expect(world.audit.entries).toEqual([
      expect.objectContaining({
        action: 'admit',
        resourceType: 'episode',
        resourceId: episode.id,
        outcome: 'allowed',
      }),
    ]);
    expect(world.episodes.clientSites.get(client.id)).toBe(SITE_A);
  });

  it('counts the admission in stepwise_admissions_total by site, level and population once it committed', async () => {
    const admissions = () =>
      sampleValue(world.metrics.registry, 'stepwise_admissions_total', {
        site: SITE_A,
        level: LevelOfCare.IntensiveOutpatient,
        population: Population.Adult,
      });

    await admit.execute(aStaffActor(), client.id, body());
    expect(await admissions()).toBe(1);

    // Refused (the client is already admitted): rolled back, not counted.
    await expect(admit.execute(aStaffActor(), client.id, body())).rejects.toMatchObject({
      code: 'episode-already-active',
    });
    expect(await admissions()).toBe(1);
    expect(await world.metrics.registry.metrics()).not.toContain(client.id);
  });

  it('counts the admission date from UTC midnight while the site is not projected yet', async () => {
    const unprojected = aTrack({ siteId: SITE_B });
    world.reference.withTrack(unprojected);

    const episode = await admit.execute(
      aStaffActor([SITE_A, SITE_B]),
      client.id,
      body({ siteId: SITE_B, programTrackId: unprojected.id }),
    );

    expect(episode.admittedAt).toBe('2026-03-02T00:00:00.000Z');
  });

  it('answers 409 while the client has an active episode, publishing nothing', async () => {
    world.episodes.seed(anEpisodeRow({ client_id: client.id }));

    await expect(admit.execute(aStaffActor(), client.id, body())).rejects.toMatchObject({
      code: 'episode-already-active',
    });
    expect(world.unitOfWork.published).toEqual([]);
  });

  it('answers 422 for a track of another level, population or site', async () => {
    await expect(
      admit.execute(aStaffActor(), client.id, body({ levelOfCare: LevelOfCare.Outpatient })),
    ).rejects.toMatchObject({
      code: 'unknown-program-track',
      problem: { errors: [{ field: 'programTrackId', problems: ['the track is not at level 1'] }] },
    });
    await expect(
      admit.execute(aStaffActor(), client.id, body({ population: Population.Adolescent })),
    ).rejects.toMatchObject({ code: 'unknown-program-track' });
    await expect(
      admit.execute(aStaffActor(), client.id, body({ programTrackId: randomUUID() })),
    ).rejects.toMatchObject({ code: 'unknown-program-track' });
  });

  it('answers 404 for a client at a site outside the caller’s, auditing the denial', async () => {
    await expect(admit.execute(aStaffActor([SITE_B]), client.id, body())).rejects.toMatchObject({
      code: 'not-found',
    });
    expect(world.audit.entries).toEqual([
      expect.objectContaining({ action: 'admit', resourceType: 'client', outcome: 'denied' }),
    ]);
  });

  it('closes the referral it came from as admitted, for the client, as of now', async () => {
    const referral = world.referrals.seed(aReferralRow());

    await admit.execute(aStaffActor(), client.id, body({ referralId: referral.id }));

    expect(world.referrals.row(referral.id)).toMatchObject({
      status: ReferralStatus.Admitted,
      client_id: client.id,
      updated_at: world.clock.now(),
    });
  });

  it('refuses a referral of another site (422) or one already closed (409)', async () => {
    const elsewhere = world.referrals.seed(aReferralRow({ site_id: SITE_B }));
    const declined = world.referrals.seed(aReferralRow({ status: ReferralStatus.Declined }));
    const actor = aStaffActor([SITE_A, SITE_B]);

    await expect(admit.execute(actor, client.id, body({ referralId: elsewhere.id }))).rejects.toMatchObject({
      code: 'unprocessable',
    });
    await expect(admit.execute(actor, client.id, body({ referralId: declined.id }))).rejects.toMatchObject({
      code: 'invalid-transition',
    });
    expect(world.referrals.row(declined.id)?.status).toBe(ReferralStatus.Declined);
  });
});

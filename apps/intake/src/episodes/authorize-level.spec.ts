import { LevelOfCare, LevelOfCareChangeKind, LevelOfCareChangeReason } from '@stepwise/contracts';
import { STAFF, aServiceActor, aStaffActor, anEpisodeRow, episodeSubject } from '../testing/factories';
import { type UnitWorld, injected, unitWorld } from '../testing/unit-world';
import { AuthorizeLevel } from './authorize-level';
import { type AuthorizationDto } from './episode.dto';

describe('AuthorizeLevel', () => {
  let world: UnitWorld;
  let authorize: AuthorizeLevel;
  const body = (overrides: Partial<AuthorizationDto> = {}): AuthorizationDto => ({
    levelOfCare: LevelOfCare.Outpatient,
    authorizationNumber: 'AUTH-7',
    payerCode: 'state-medicaid',
    units: 20,
    startsOn: '2026-03-09',
    endsOn: '2026-04-08',
    ...overrides,
  });

  beforeEach(() => {
    world = unitWorld();
    const d = injected(world);
    authorize = new AuthorizeLevel(d.unitOfWork, d.records, d.episodes, d.reference, world.clock);
  });

  const recorded = (episode: ReturnType<typeof anEpisodeRow>, levelOfCare: LevelOfCare) => ({
    type: 'PayerAuthorizationRecorded',
    payload: {
      authorizationId: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown as string,
      ...episodeSubject(episode),
      payerCode: 'state-medicaid',
      authorizationNumber: 'AUTH-7',
      levelOfCare,
      units: 20,
      startsOn: '2026-03-09',
      endsOn: '2026-04-08',
      recordedAt: '2026-03-10T15:00:00.000Z',
    },
  });

  it('records an authorization below the clinical level and publishes the authorized change', async () => {
    const episode = world.episodes.seed(anEpisodeRow());

    const view = await authorize.execute(aStaffActor(), episode.id, body());

    expect(view.authorizedLevel).toBe(LevelOfCare.Outpatient);
    expect(view.levelHistory).toEqual([
      expect.objectContaining({
        kind: LevelOfCareChangeKind.Authorized,
        fromLevel: null,
        toLevel: LevelOfCare.Outpatient,
        effectiveAt: '2026-03-09T04:00:00.000Z',
        payerCode: 'state-medicaid',
        authorizationNumber: 'AUTH-7',
        units: 20,
        startsOn: '2026-03-09',
        endsOn: '2026-04-08',
      }),
    ]);
    expect(world.unitOfWork.published).toEqual([
      recorded(episode, LevelOfCare.Outpatient),
      {
        type: 'LevelOfCareChanged',
        payload: {
          ...episodeSubject(episode),
          kind: LevelOfCareChangeKind.Authorized,
          fromLevel: LevelOfCare.IntensiveOutpatient,
          toLevel: LevelOfCare.Outpatient,
          effectiveAt: '2026-03-09T04:00:00.000Z',
          reasonCode: LevelOfCareChangeReason.PayerAuthorization,
          decidedBy: STAFF,
        },
      },
    ]);
    expect(world.audit.entries).toEqual([
      expect.objectContaining({ action: 'authorize', outcome: 'allowed' }),
    ]);
  });

  it('records an authorization of the level already in force, publishing it but no level change', async () => {
    const episode = world.episodes.seed(anEpisodeRow());

    const view = await authorize.execute(
      aStaffActor(),
      episode.id,
      body({ levelOfCare: LevelOfCare.IntensiveOutpatient }),
    );

    expect(view.levelHistory).toHaveLength(1);
    expect(world.unitOfWork.published).toEqual([recorded(episode, LevelOfCare.IntensiveOutpatient)]);
  });

  it('answers 422 when the authorization ends before it starts', async () => {
    const episode = world.episodes.seed(anEpisodeRow());

    await expect(
      authorize.execute(aStaffActor(), episode.id, body({ endsOn: '2026-03-01' })),
    ).rejects.toMatchObject({ code: 'unprocessable', problem: { errors: [{ field: 'endsOn' }] } });
  });

  it('answers 403 to a caller that is not a staff member', async () => {
    const episode = world.episodes.seed(anEpisodeRow());

    await expect(authorize.execute(aServiceActor(), episode.id, body())).rejects.toMatchObject({
      code: 'permission-denied',
    });
  });

  it('answers 409 for a discharged episode', async () => {
    const episode = world.episodes.seed(anEpisodeRow({ status: 'discharged' }));

    await expect(authorize.execute(aStaffActor(), episode.id, body())).rejects.toMatchObject({
      code: 'invalid-transition',
    });
    expect(world.episodes.row(episode.id)?.authorized_level).toBeNull();
  });
});

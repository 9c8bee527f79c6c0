import { ScreeningBand, ScreeningInstrument, UrgentFlag } from '@stepwise/contracts';
import { CLIENT } from '../clients/clients.repository';
import { SITE_A, SITE_B, STAFF, aClientRow, aStaffActor } from '../testing/factories';
import { theSeededBandDefinitions } from '../testing/screening-factories';
import { answersFor } from '../testing/screening-answers';
import { type UnitWorld, injected, unitWorld } from '../testing/unit-world';
import { INSTRUMENTS } from './instruments';
import { type SubmitScreeningDto } from './screening.dto';
import { SubmitScreening } from './submit-screening';

describe('SubmitScreening', () => {
  let world: UnitWorld;
  let submit: SubmitScreening;
  const client = aClientRow();
  const ciwa = (total: number, overrides: Partial<SubmitScreeningDto> = {}): SubmitScreeningDto => ({
    instrument: ScreeningInstrument.CiwaAr,
    answers: answersFor(INSTRUMENTS[ScreeningInstrument.CiwaAr], total),
    completedAt: '2026-03-10T14:30:00Z',
    ...overrides,
  });

  beforeEach(() => {
    world = unitWorld();
    world.tables.put(CLIENT.table, client);
    world.screenings.seedDefinitions(theSeededBandDefinitions());
    const d = injected(world);
    submit = new SubmitScreening(d.unitOfWork, d.records, d.screenings, d.clock);
  });

  it('scores and bands by the default definition, stores it at the client’s site and publishes the result only', async () => {
    const body = ciwa(9);

    const view = await submit.execute(aStaffActor(), client.id, body);

    expect(view).toEqual({
      id: view.id,
      clientId: client.id,
      instrument: ScreeningInstrument.CiwaAr,
      instrumentVersion: 'ciwa-ar@1',
      answers: body.answers,
      totalScore: 9,
      band: ScreeningBand.Moderate,
      bandDefinitionVersion: 'ciwa-ar.sullivan-1989@1',
      urgentFlags: [],
      completedAt: '2026-03-10T14:30:00.000Z',
    });
    expect(world.screenings.row(view.id)).toMatchObject({ site_id: SITE_A, network_id: client.network_id });
    expect(world.unitOfWork.published).toEqual([
      {
        type: 'ScreeningCompleted',
        payload: {
          screeningId: view.id,
          clientId: client.id,
          siteId: SITE_A,
          instrument: ScreeningInstrument.CiwaAr,
          totalScore: 9,
          band: ScreeningBand.Moderate,
          bandDefinitionVersion: 'ciwa-ar.sullivan-1989@1',
          urgentFlags: [],
          completedAt: '2026-03-10T14:30:00.000Z',
        },
      },
    ]);
    expect(world.audit.outcomes()).toEqual(['create:screening:allowed']);
  });

  it('bands by the stored definition asked for, flagging severe withdrawal in its severe band', async () => {
    const moderate = await submit.execute(
      aStaffActor(),
      client.id,
      ciwa(18, { bandDefinition: 'ciwa-ar.mild-10-19@1' }),
    );
    const severe = await submit.execute(
      aStaffActor(),
      client.id,
      ciwa(19, { bandDefinition: 'ciwa-ar.mild-10-19@1' }),
    );

    expect(moderate).toMatchObject({ band: ScreeningBand.Moderate, urgentFlags: [] });
    expect(severe).toMatchObject({
      band: ScreeningBand.Severe,
      bandDefinitionVersion: 'ciwa-ar.mild-10-19@1',
      urgentFlags: [UrgentFlag.SevereWithdrawal],
    });
  });

  it('keeps an item’s own flag (PHQ-9 item 9) whatever the band', async () => {
    const view = await submit.execute(aStaffActor(), client.id, {
      instrument: ScreeningInstrument.Phq9,
      answers: [0, 0, 0, 0, 0, 0, 0, 0, 1],
      completedAt: '2026-03-10T14:30:00Z',
    });

    expect(view).toMatchObject({
      totalScore: 1,
      band: ScreeningBand.Minimal,
      urgentFlags: [UrgentFlag.SelfHarmRisk],
    });
  });

  it('names each answer out of range in a 422, storing and publishing nothing', async () => {
    await expect(
      submit.execute(aStaffActor(), client.id, { ...ciwa(0), answers: [8, 0, 0, 0, 0, 0, 0, 0, 0, 0] }),
    ).rejects.toMatchObject({ code: 'answers-out-of-range' });
    expect(world.screenings.rows()).toEqual([]);
    expect(world.unitOfWork.published).toEqual([]);
  });

  it('refuses a completion more than five minutes ahead of now, and a band definition not stored (422)', async () => {
    await expect(
      submit.execute(aStaffActor(), client.id, ciwa(0, { completedAt: '2026-03-10T15:05:01Z' })),
    ).rejects.toMatchObject({
      code: 'unprocessable',
      problem: { errors: [{ field: 'completedAt', problems: ['completedAt must not be in the future'] }] },
    });
    await expect(
      submit.execute(aStaffActor(), client.id, ciwa(0, { completedAt: '2026-03-10T15:05:00Z' })),
    ).resolves.toMatchObject({ completedAt: '2026-03-10T15:05:00.000Z' });
    await expect(
      submit.execute(aStaffActor(), client.id, ciwa(0, { bandDefinition: 'phq-9.kroenke-2001@1' })),
    ).rejects.toMatchObject({
      code: 'unprocessable',
      problem: {
        errors: [{ field: 'bandDefinition', problems: ['no stored band definition of ciwa-ar by that id'] }],
      },
    });
  });

  it('answers 404 for a client at a site outside the caller’s, auditing the denial', async () => {
    const elsewhere = world.tables.put(CLIENT.table, aClientRow({ site_id: SITE_B }));

    await expect(submit.execute(aStaffActor(), elsewhere.id, ciwa(0))).rejects.toMatchObject({
      code: 'not-found',
    });
    expect(world.audit.outcomes()).toEqual(['screen:client:denied']);
    expect(world.unitOfWork.published).toEqual([]);
  });

  it('records who administered it', async () => {
    const view = await submit.execute(aStaffActor(), client.id, ciwa(0));

    expect(world.screenings.administeredBy.get(view.id)).toBe(STAFF);
  });
});

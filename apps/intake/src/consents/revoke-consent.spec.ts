import { SITE_B, aStaffActor } from '../testing/factories';
import { aConsentRow } from '../testing/consent-factories';
import { type UnitWorld, injected, unitWorld } from '../testing/unit-world';
import { RevokeConsent } from './revoke-consent';

describe('RevokeConsent', () => {
  let world: UnitWorld;
  let revoke: RevokeConsent;

  beforeEach(() => {
    world = unitWorld();
    const d = injected(world);
    revoke = new RevokeConsent(d.unitOfWork, d.records, d.consents, d.clock);
  });

  it('records the written revocation as of now and publishes ConsentRevoked', async () => {
    const consent = world.consents.seed(aConsentRow());

    const view = await revoke.execute(aStaffActor(), consent.id, {
      revokedBy: 'client',
      receivedOn: '2026-03-10',
    });

    expect(view).toMatchObject({
      revokedAt: '2026-03-10T15:00:00.000Z',
      revokedBy: 'client',
      revocationReceivedOn: '2026-03-10',
    });
    expect(world.unitOfWork.published).toEqual([
      {
        type: 'ConsentRevoked',
        payload: {
          consentId: consent.id,
          clientId: consent.client_id,
          revokedAt: '2026-03-10T15:00:00.000Z',
        },
      },
    ]);
    expect(world.audit.entries).toEqual([expect.objectContaining({ action: 'revoke', outcome: 'allowed' })]);
  });

  it('answers 409 for a consent already revoked', async () => {
    const consent = world.consents.seed(aConsentRow({ revoked_at: new Date('2026-03-05T00:00:00Z') }));

    await expect(
      revoke.execute(aStaffActor(), consent.id, { revokedBy: 'client', receivedOn: '2026-03-10' }),
    ).rejects.toMatchObject({ code: 'invalid-transition' });
    expect(world.unitOfWork.published).toEqual([]);
  });

  it('answers 422 for a revocation received in the future', async () => {
    const consent = world.consents.seed(aConsentRow());

    await expect(
      revoke.execute(aStaffActor(), consent.id, { revokedBy: 'client', receivedOn: '2026-03-11' }),
    ).rejects.toMatchObject({ code: 'unprocessable', problem: { errors: [{ field: 'receivedOn' }] } });
    expect(world.consents.row(consent.id)?.revoked_at).toBeNull();
  });

  it('answers 404 for a consent at another site', async () => {
    const consent = world.consents.seed(aConsentRow({ site_id: SITE_B }));

    await expect(
      revoke.execute(aStaffActor(), consent.id, { revokedBy: 'client', receivedOn: '2026-03-10' }),
    ).rejects.toMatchObject({ code: 'not-found' });
  });
});

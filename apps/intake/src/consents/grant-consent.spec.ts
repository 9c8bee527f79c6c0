import { ConsentPurpose, InformationCategory, RecipientKind } from '@stepwise/contracts';
import { CLIENT } from '../clients/clients.repository';
import { SISTER, aGrantBody } from '../testing/consent-factories';
import { SITE_B, aClientRow, aStaffActor } from '../testing/factories';
import { type UnitWorld, injected, unitWorld } from '../testing/unit-world';
import { GrantConsent } from './grant-consent';

describe('GrantConsent', () => {
  let world: UnitWorld;
  let grant: GrantConsent;
  const client = aClientRow();

  beforeEach(() => {
    world = unitWorld();
    world.tables.put(CLIENT.table, client);
    const d = injected(world);
    grant = new GrantConsent(d.unitOfWork, d.records, d.consents, d.clock);
  });

  it('records the consent at the client’s site and publishes ConsentGranted without the recipient’s name', async () => {
    const body = aGrantBody();

    const consent = await grant.execute(aStaffActor(), client.id, body);

    expect(consent).toMatchObject({
      clientId: client.id,
      recipient: { kind: RecipientKind.FamilyMember, id: SISTER, name: 'Bea Example', phone: '+15555550100' },
      grantedAt: '2026-03-10T15:00:00.000Z',
      expiresAt: '2027-03-10T00:00:00.000Z',
      expiresOnEvent: null,
      revokedAt: null,
    });
    expect(world.consents.row(consent.id)?.site_id).toBe(client.site_id);
    expect(world.unitOfWork.published).toEqual([
      {
        type: 'ConsentGranted',
        payload: {
          consentId: consent.id,
          clientId: client.id,
          recipient: { kind: RecipientKind.FamilyMember, id: SISTER },
          purposes: [ConsentPurpose.FamilyInvolvement],
          informationCategories: [InformationCategory.Attendance],
          grantedAt: '2026-03-10T15:00:00.000Z',
          expiresAt: '2027-03-10T00:00:00.000Z',
        },
      },
    ]);
    expect(world.audit.entries).toEqual([
      expect.objectContaining({ action: 'create', resourceType: 'consent', resourceId: consent.id }),
    ]);
  });

  it('names every missing §2.31 element in a 422 consent-incomplete', async () => {
    const { purposes: _purposes, signature: _signature, ...incomplete } = aGrantBody();

    await expect(
      grant.execute(aStaffActor(), client.id, { ...incomplete, rightToRevokeAcknowledged: false }),
    ).rejects.toMatchObject({
      code: 'consent-incomplete',
      problem: {
        errors: [{ field: 'purposes' }, { field: 'signature' }, { field: 'rightToRevokeAcknowledged' }],
      },
    });
    expect(world.unitOfWork.published).toEqual([]);
  });

  it('answers 422 for a consent already expired or signed in the future', async () => {
    await expect(
      grant.execute(aStaffActor(), client.id, aGrantBody({ expiresAt: '2026-03-10T15:00:00Z' })),
    ).rejects.toMatchObject({ code: 'unprocessable', problem: { errors: [{ field: 'expiresAt' }] } });
    await expect(
      grant.execute(
        aStaffActor(),
        client.id,
        aGrantBody({ signature: { signedBy: 'client', signedOn: '2026-03-11' } }),
      ),
    ).rejects.toMatchObject({
      code: 'unprocessable',
      problem: { errors: [{ field: 'signature.signedOn' }] },
    });
  });

  it('answers 404 for a client at another site, auditing the denial', async () => {
    await expect(grant.execute(aStaffActor([SITE_B]), client.id, aGrantBody())).rejects.toMatchObject({
      code: 'not-found',
    });
    expect(world.audit.entries).toEqual([expect.objectContaining({ action: 'consent', outcome: 'denied' })]);
    expect(world.unitOfWork.published).toEqual([]);
  });
});

import { ConsentPurpose, InformationCategory, RecipientKind } from '@stepwise/contracts';
import { CLIENT } from '../clients/clients.repository';
import { SISTER, aGrantBody } from '../testing/consent-factories';
import { SITE_B, aClientRow, aStaffActor } from '../testing/factories';
import { type UnitWorld, injected, unitWorld } from '../testing/unit-world';
import { GrantConsent } from './grant-consent';
import { type MinorConsentPolicy } from './minor-consent';
import { currentRedisclosureStatement } from './redisclosure-statements';

describe('GrantConsent', () => {
  let world: UnitWorld;
  let grant: GrantConsent;
  const client = aClientRow();
  const policy: MinorConsentPolicy = { rule: 'minor-and-guardian', ageOfMajority: 18, selfConsentAge: 12 };

  beforeEach(() => {
    world = unitWorld();
    world.tables.put(CLIENT.table, client);
    const d = injected(world);
    grant = new GrantConsent(d.unitOfWork, d.records, d.consents, d.clock, policy);
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
      guardianSignature: null,
      // The redisclosure statement in force is stored with the consent, version and exact text.
      redisclosure: currentRedisclosureStatement(),
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

  it("refuses a consent without the recipient's name, naming it among every missing element", async () => {
    const body = aGrantBody();
    const { name: _name, ...unnamed } = body.recipient ?? { kind: RecipientKind.FamilyMember, id: SISTER };
    const { expiresAt: _expiresAt, ...rest } = body;

    await expect(
      grant.execute(aStaffActor(), client.id, { ...rest, recipient: unnamed }),
    ).rejects.toMatchObject({
      code: 'consent-incomplete',
      problem: {
        detail: 'Missing: recipient.name, expiresAt',
        errors: [{ field: 'recipient.name' }, { field: 'expiresAt' }],
      },
    });
    await expect(
      grant.execute(aStaffActor(), client.id, aGrantBody({ recipient: { ...unnamed, name: '   ' } })),
    ).rejects.toMatchObject({
      code: 'consent-incomplete',
      problem: { errors: [{ field: 'recipient.name' }] },
    });
    expect(world.consents.rows()).toEqual([]);
  });

  describe("a minor's consent (42 CFR 2.14), by the program's policy", () => {
    // 15 when signing on 2026-03-09; 18 on 2029-01-01.
    const minor = aClientRow({ date_of_birth: '2011-01-01' });
    const withPolicy = (rule: MinorConsentPolicy['rule'], selfConsentAge = 12): GrantConsent => {
      const d = injected(world);
      return new GrantConsent(d.unitOfWork, d.records, d.consents, d.clock, {
        rule,
        ageOfMajority: 18,
        selfConsentAge,
      });
    };
    beforeEach(() => world.tables.put(CLIENT.table, minor));

    it('needs the minor and a parent or guardian where the minor may not consent alone', async () => {
      const grantAs = withPolicy('minor-and-guardian');
      await expect(grantAs.execute(aStaffActor(), minor.id, aGrantBody())).rejects.toMatchObject({
        code: 'consent-incomplete',
        problem: { errors: [{ field: 'guardianSignature' }] },
      });
      await expect(
        grantAs.execute(
          aStaffActor(),
          minor.id,
          aGrantBody({ signature: { signedBy: 'legal-representative', signedOn: '2026-03-09' } }),
        ),
      ).rejects.toMatchObject({
        problem: { errors: [{ field: 'signature.signedBy' }, { field: 'guardianSignature' }] },
      });
      const consent = await grantAs.execute(
        aStaffActor(),
        minor.id,
        aGrantBody({ guardianSignature: { signedBy: 'parent', signedOn: '2026-03-09' } }),
      );
      expect(consent.guardianSignature).toEqual({ signedBy: 'parent', signedOn: '2026-03-09' });
      expect(world.consents.row(consent.id)?.signer_rule).toBe('minor-and-guardian');
    });

    it('takes the minor alone where the jurisdiction allows, never the guardian instead', async () => {
      const grantAs = withPolicy('minor-alone');
      const consent = await grantAs.execute(aStaffActor(), minor.id, aGrantBody());
      expect(world.consents.row(consent.id)?.signer_rule).toBe('minor-alone');
      await expect(
        grantAs.execute(
          aStaffActor(),
          minor.id,
          aGrantBody({ signature: { signedBy: 'legal-representative', signedOn: '2026-03-09' } }),
        ),
      ).rejects.toMatchObject({ problem: { errors: [{ field: 'signature.signedBy' }] } });
    });

    it('needs a guardian too below the self-consent age, and nobody but the client for an adult', async () => {
      await expect(
        withPolicy('minor-alone', 16).execute(aStaffActor(), minor.id, aGrantBody()),
      ).rejects.toMatchObject({ problem: { errors: [{ field: 'guardianSignature' }] } });
      const adult = await withPolicy('minor-and-guardian').execute(aStaffActor(), client.id, aGrantBody());
      expect(world.consents.row(adult.id)?.signer_rule).toBeNull();
    });

    it('judges the age on the signing date: the day before the 18th birthday is still a minor', async () => {
      const turning = aClientRow({ date_of_birth: '2008-03-10' });
      world.tables.put(CLIENT.table, turning);
      const grantAs = withPolicy('minor-and-guardian');
      await expect(
        grantAs.execute(
          aStaffActor(),
          turning.id,
          aGrantBody({ signature: { signedBy: 'client', signedOn: '2026-03-09' } }),
        ),
      ).rejects.toMatchObject({ problem: { errors: [{ field: 'guardianSignature' }] } });
      world.clock.set('2026-03-10T15:00:00Z');
      await expect(
        grantAs.execute(
          aStaffActor(),
          turning.id,
          aGrantBody({ signature: { signedBy: 'client', signedOn: '2026-03-10' } }),
        ),
      ).resolves.toMatchObject({ guardianSignature: null });
    });
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

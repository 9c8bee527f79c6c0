import { ConsentPurpose, InformationCategory, RecipientKind } from '@stepwise/contracts';
import { CLIENT } from '../clients/clients.repository';
import { type DisclosureCheckDto } from './consent.dto';
import { SISTER, aConsentRow } from '../testing/consent-factories';
import { SITE_B, aClientRow, aStaffActor, anEpisodeRow } from '../testing/factories';
import { type UnitWorld, injected, unitWorld } from '../testing/unit-world';
import { CheckDisclosure } from './check-disclosure';
import { DisclosureRefusal } from './disclosure';

describe('CheckDisclosure', () => {
  let world: UnitWorld;
  let check: CheckDisclosure;
  const client = aClientRow();
  const request: DisclosureCheckDto = {
    clientId: client.id,
    recipientKind: RecipientKind.FamilyMember,
    recipientId: SISTER,
    category: InformationCategory.Attendance,
    purpose: ConsentPurpose.FamilyInvolvement,
  };

  beforeEach(() => {
    world = unitWorld();
    world.tables.put(CLIENT.table, client);
    const d = injected(world);
    check = new CheckDisclosure(d.records, d.consents, d.audit, d.clock);
  });

  it('allows a disclosure a current consent covers, auditing the consent that allowed it', async () => {
    const consent = world.consents.seed(aConsentRow({ client_id: client.id }));

    await expect(check.execute(aStaffActor(), request)).resolves.toEqual({
      allowed: true,
      consentId: consent.id,
      terms: {
        informationCategories: consent.information_categories,
        purposes: consent.purposes,
        expiresAt: consent.expires_at.toISOString(),
        expiresOnEvent: null,
        redisclosure: { version: consent.redisclosure_version, text: consent.redisclosure_text },
      },
    });
    expect(world.audit.entries).toEqual([
      {
        action: 'allow',
        resourceType: 'disclosure',
        resourceId: consent.id,
        clientId: client.id,
        siteId: client.site_id,
        outcome: 'allowed',
      },
    ]);
  });

  it('refuses once the consent ended with a discharge after it was granted, auditing the refusal', async () => {
    world.consents.seed(aConsentRow({ client_id: client.id, expiry_event: 'discharge' }));
    world.episodes.seed(
      anEpisodeRow({
        client_id: client.id,
        status: 'discharged',
        discharged_at: new Date('2026-03-08T12:00:00Z'),
      }),
    );

    await expect(check.execute(aStaffActor(), request)).resolves.toEqual({
      allowed: false,
      reason: DisclosureRefusal.ConsentExpired,
    });
    expect(world.audit.entries).toEqual([expect.objectContaining({ action: 'refuse' })]);
    expect(world.audit.entries[0]).not.toHaveProperty('resourceId');
  });

  it('answers 404 for a client outside the caller’s sites, auditing the denial and no decision', async () => {
    await expect(check.execute(aStaffActor([SITE_B]), request)).rejects.toMatchObject({ code: 'not-found' });
    expect(world.audit.outcomes()).toEqual(['check:client:denied']);
  });
});

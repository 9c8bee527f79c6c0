import { EmergencyAccessReason } from '@stepwise/contracts';
import { CLIENT } from '../clients/clients.repository';
import { ReadClient } from '../clients/read-client';
import { NETWORK, SITE_B, STAFF, aClientRow, aStaffActor } from '../testing/factories';
import { type UnitWorld, unitWorld } from '../testing/unit-world';
import { GrantEmergencyAccess } from './grant-emergency-access';

describe('GrantEmergencyAccess (break-glass)', () => {
  let world: UnitWorld;
  let grant: GrantEmergencyAccess;
  let read: ReadClient;
  // A client at site B; the clinician works at site A.
  const client = aClientRow({ site_id: SITE_B, network_id: NETWORK });
  const clinician = aStaffActor();

  beforeEach(() => {
    world = unitWorld();
    world.tables.put(CLIENT.table, client);
    grant = new GrantEmergencyAccess(world.unitOfWork, world.records, { minutes: 60 });
    read = new ReadClient(world.records);
  });

  it('grants one hour of access to that client, publishing the alert event, and the record is answered', async () => {
    await expect(read.execute(clinician, client.id)).rejects.toMatchObject({ code: 'not-found' });

    const granted = await grant.execute(clinician, client.id, {
      reasonCode: EmergencyAccessReason.MedicalEmergency,
    });

    expect(granted).toMatchObject({
      clientId: client.id,
      reasonCode: 'medical-emergency',
      grantedAt: '2026-03-10T15:00:00.000Z',
      expiresAt: '2026-03-10T16:00:00.000Z',
    });
    expect(world.unitOfWork.published).toEqual([
      {
        type: 'EmergencyAccessGranted',
        payload: {
          grantId: granted.grantId,
          clientId: client.id,
          siteId: SITE_B,
          staffId: STAFF,
          reasonCode: 'medical-emergency',
          grantedAt: '2026-03-10T15:00:00.000Z',
          expiresAt: '2026-03-10T16:00:00.000Z',
        },
      },
    ]);
    await expect(read.execute(clinician, client.id)).resolves.toMatchObject({ id: client.id });
    expect(world.records.trail.outcomes()).toEqual([
      'read:client:denied',
      'break-glass:client:allowed',
      'break-glass-read:client:allowed',
    ]);
  });

  it('expires after the configured time (injectable clock)', async () => {
    await grant.execute(clinician, client.id, { reasonCode: EmergencyAccessReason.RiskOfHarm });
    world.clock.set('2026-03-10T15:59:59Z');
    await expect(read.execute(clinician, client.id)).resolves.toMatchObject({ id: client.id });
    world.clock.set('2026-03-10T16:00:00Z');
    await expect(read.execute(clinician, client.id)).rejects.toMatchObject({ code: 'not-found' });
  });
});

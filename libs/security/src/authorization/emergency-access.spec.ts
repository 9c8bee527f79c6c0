import { EmergencyAccessReason } from '@stepwise/contracts';
import { ManualClock } from '@stepwise/platform';
import { type EntityManager } from 'typeorm';
import { type Actor } from '../auth/principal';
import { InMemoryScopedRecords } from '../testing/in-memory-scoped-records';
import { type RecordKind } from './scoped-records';

interface ClientRow {
  readonly id: string;
  readonly site_id: string;
  readonly network_id: string | null;
}
interface CounselingNoteRow extends ClientRow {
  readonly client_id: string;
}

const CLIENT: RecordKind<ClientRow> = {
  table: 'svc.clients',
  columns: 'id, site_id, network_id',
  resourceType: 'client',
  clientIdOf: (row) => row.id,
  emergencyAccess: true,
};
/** SUD counseling notes: no emergency reaches them. */
const COUNSELING_NOTE: RecordKind<CounselingNoteRow> = {
  table: 'svc.counseling_notes',
  columns: 'id, site_id, network_id, client_id',
  resourceType: 'counseling-note',
  clientIdOf: (row) => row.client_id,
};

const SITE_A = '0c6e9a51-2d0a-4b1e-8d8f-6f2f7b1f6a01';
const SITE_B = '0c6e9a51-2d0a-4b1e-8d8f-6f2f7b1f6b02';
const NETWORK = '5b0b6a8e-8f6e-4d55-9a65-3d2e0b8f2c11';
const OTHER_NETWORK = '5b0b6a8e-8f6e-4d55-9a65-3d2e0b8f2c22';
const PATIENT = 'c1e2d3c4-b5a6-4978-8a1b-2c3d4e5f6a7b';
const OTHER_PATIENT = 'c1e2d3c4-b5a6-4978-8a1b-2c3d4e5f6a7c';
const NOTE = 'a3f1c2d4-5b6e-4f70-8a9b-0c1d2e3f4a5b';
const TX = {} as EntityManager;

const clinician: Actor = {
  principal: { id: 'dr-1', kind: 'user', roles: ['counselor'], sites: [SITE_A], network: NETWORK },
  requestId: 'req-1',
  sourceAddress: undefined,
};

describe('break-glass (emergency access through ScopedRecords)', () => {
  let clock: ManualClock;
  let records: InMemoryScopedRecords;
  const request = { clientId: PATIENT, reasonCode: EmergencyAccessReason.MedicalEmergency, minutes: 60 };

  beforeEach(() => {
    clock = new ManualClock('2026-03-10T02:00:00Z');
    records = new InMemoryScopedRecords({ clock });
    records.put(CLIENT, { id: PATIENT, site_id: SITE_B, network_id: NETWORK });
    records.put(CLIENT, { id: OTHER_PATIENT, site_id: SITE_B, network_id: NETWORK });
    records.put(COUNSELING_NOTE, { id: NOTE, site_id: SITE_B, network_id: NETWORK, client_id: PATIENT });
  });

  it('answers the one client outside the caller’s sites while the grant lasts, each read audited as break-glass', async () => {
    await expect(records.read(clinician, CLIENT, PATIENT)).rejects.toMatchObject({ code: 'not-found' });

    const grant = await records.grantEmergencyAccess(clinician, CLIENT, request, TX);
    expect(grant).toMatchObject({
      actorId: 'dr-1',
      clientId: PATIENT,
      siteId: SITE_B,
      reasonCode: 'medical-emergency',
      grantedAt: new Date('2026-03-10T02:00:00Z'),
      expiresAt: new Date('2026-03-10T03:00:00Z'),
    });
    await expect(records.read(clinician, CLIENT, PATIENT)).resolves.toMatchObject({ id: PATIENT });
    // Only that client: the grant opens nothing else at the site.
    await expect(records.read(clinician, CLIENT, OTHER_PATIENT)).rejects.toMatchObject({ code: 'not-found' });
    // Reads, never changes.
    await expect(records.load(clinician, CLIENT, PATIENT, 'update')).rejects.toMatchObject({
      code: 'not-found',
    });
    expect(records.trail.outcomes()).toEqual([
      'read:client:denied',
      'break-glass:client:allowed',
      'break-glass-read:client:allowed',
      'read:client:denied',
      'update:client:denied',
    ]);
    expect(records.trail.entries[2]).toMatchObject({
      clientId: PATIENT,
      siteId: SITE_B,
      resourceId: PATIENT,
    });
  });

  it('expires: a minute before the end it answers, at the end it does not', async () => {
    await records.grantEmergencyAccess(clinician, CLIENT, request, TX);
    clock.set('2026-03-10T02:59:00Z');
    await expect(records.read(clinician, CLIENT, PATIENT)).resolves.toMatchObject({ id: PATIENT });
    clock.set('2026-03-10T03:00:00Z');
    await expect(records.read(clinician, CLIENT, PATIENT)).rejects.toMatchObject({ code: 'not-found' });
    expect(records.trail.outcomes().slice(-2)).toEqual([
      'break-glass-read:client:allowed',
      'read:client:denied',
    ]);
  });

  it('never reaches SUD counseling notes, nor another clinician, nor a kind that does not allow it', async () => {
    await records.grantEmergencyAccess(clinician, CLIENT, request, TX);
    await expect(records.read(clinician, COUNSELING_NOTE, NOTE)).rejects.toMatchObject({ code: 'not-found' });
    const colleague = { ...clinician, principal: { ...clinician.principal, id: 'dr-2' } };
    await expect(records.read(colleague, CLIENT, PATIENT)).rejects.toMatchObject({ code: 'not-found' });
    await expect(
      records.grantEmergencyAccess(clinician, COUNSELING_NOTE, { ...request, clientId: NOTE }, TX),
    ).rejects.toMatchObject({ code: 'not-found' });
    expect(records.emergency.grants).toHaveLength(1);
  });

  it('crosses sites, never networks: a client of another network is 404 and the attempt audited', async () => {
    records.put(CLIENT, { id: OTHER_PATIENT, site_id: SITE_B, network_id: OTHER_NETWORK });
    await expect(
      records.grantEmergencyAccess(clinician, CLIENT, { ...request, clientId: OTHER_PATIENT }, TX),
    ).rejects.toMatchObject({ code: 'not-found' });
    expect(records.trail.outcomes()).toEqual(['break-glass:client:denied']);
    expect(records.emergency.grants).toEqual([]);
  });
});

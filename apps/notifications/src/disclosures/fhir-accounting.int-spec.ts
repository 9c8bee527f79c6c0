import { randomUUID } from 'node:crypto';
import { examplePayload } from '@stepwise/contracts';
import {
  type TestDatabase,
  createTestDatabase,
  openServiceDataSource,
  serviceTestEnv,
} from '@stepwise/testing';
import { type DataSource } from 'typeorm';
import { DisclosuresRepository } from './disclosures.repository';
import { notificationsMigrations } from '../migrations';
import { FakePeers } from '../testing/fake-servers';
import { ENV_EXAMPLE, type Replica, Replicas, careEvent } from '../testing/fixture';
import { NoTimers } from '../timers/notification-timers';

/* Intake's FHIR reads (RecordsDisclosed) in the accounting of disclosures, on real Postgres. */
describe('accounting of FHIR disclosures (RecordsDisclosed from intake)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  const peers = new FakePeers();
  let replicas: Replicas;
  let r: Replica;

  beforeAll(async () => {
    db = await createTestDatabase('notif_fhir_accounting');
    dataSource = await openServiceDataSource(db, 'notifications', {
      label: 'notif_fhir_accounting',
      migrations: notificationsMigrations,
    });
    replicas = new Replicas(serviceTestEnv('notifications', db, ENV_EXAMPLE), {
      peers: await peers.start(),
      smtp: 'smtp://127.0.0.1:1',
    });
    r = await replicas.start({ timers: new NoTimers() });
  }, 120_000);

  afterAll(async () => {
    await replicas?.closeAll();
    await dataSource?.destroy();
    await db?.drop();
    await peers.stop();
  });

  it('records each read once (a redelivery under a new event id changes nothing), as the auditors read it', async () => {
    const clientId = randomUUID();
    const read = { ...examplePayload('RecordsDisclosed'), disclosureId: randomUUID(), clientId };
    await r.apply(careEvent('RecordsDisclosed', read));
    await r.apply(careEvent('RecordsDisclosed', read));
    const consentRead = {
      ...read,
      disclosureId: randomUUID(),
      resourceType: 'Consent',
      category: undefined,
      disclosedAt: '2025-04-02T10:05:00.000Z',
    } as typeof read;
    await r.apply(careEvent('RecordsDisclosed', consentRead));
    const rows = await new DisclosuresRepository(dataSource).accounting(
      clientId,
      { networkWide: true, sites: [] },
      10,
      undefined,
    );
    expect(rows.map(({ id: _id, disclosed_key: _key, ...row }) => row)).toEqual([
      {
        site_id: read.siteId,
        recipient_kind: 'provider-organization',
        recipient_id: read.recipientId,
        consent_id: read.consentId,
        purpose: 'care-coordination',
        category: 'level-of-care',
        event_type: 'fhir:EpisodeOfCare',
        notice_version: 'part2-notice@2024',
        channel: 'fhir',
        content_sha256: read.contentSha256,
        redisclosure_version: 'redisclosure@2024',
        consent_scope: {
          informationCategories: ['level-of-care', 'attendance'],
          purposes: ['care-coordination'],
          expiresAt: '2026-04-01T00:00:00.000Z',
          expiresOnEvent: 'discharge',
        },
        disclosed_at: new Date(read.disclosedAt),
      },
      expect.objectContaining({ event_type: 'fhir:Consent', category: 'consent' }),
    ]);
  });
});

import { randomUUID } from 'node:crypto';
import { StaffRole } from '@stepwise/contracts';
import {
  type TestDatabase,
  createTestDatabase,
  openServiceDataSource,
  serviceTestEnv,
} from '@stepwise/testing';
import { type DataSource } from 'typeorm';
import { ManualClock } from '@stepwise/platform';
import { T } from '../delivery/notification-store';
import { notificationsMigrations } from '../migrations';
import { FakePeers, MailCatcher } from '../testing/fake-servers';
import { ENV_EXAMPLE, type Replica, Replicas, careEvent } from '../testing/fixture';
import { NoTimers } from '../timers/notification-timers';

/*
 * A client transferred to another site of the network (ClientTransferred): their alerts follow them to the new
 * site's staff — an alert not yet sent is cancelled and queued again for them, a later fact still naming the old
 * site alerts them — and the old site's appointments from the transfer on are reminded of no more. On the real
 * schema and SQL (the projection, the notification rows, the delivery log).
 */
describe('a site transfer (real Postgres)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  const mail = new MailCatcher();
  const peers = new FakePeers();
  // 22:00 in Chicago on 30 September: quiet hours hold the counselor's alert, so it is still queued.
  const clock = new ManualClock(new Date('2025-10-01T03:00:00Z'));
  let replicas: Replicas;
  let r: Replica;
  const networkId = randomUUID();
  const [oldSite, newSite] = [randomUUID(), randomUUID()];
  const [counselor, supervisorOld, supervisorNew] = [randomUUID(), randomUUID(), randomUUID()];
  const clientId = randomUUID();
  const episodeId = randomUUID();

  beforeAll(async () => {
    db = await createTestDatabase('notif_transfers');
    dataSource = await openServiceDataSource(db, 'notifications', {
      label: 'notif_transfers',
      migrations: notificationsMigrations,
    });
    replicas = new Replicas(
      serviceTestEnv('notifications', db, ENV_EXAMPLE),
      { peers: await peers.start(), smtp: await mail.start() },
      { DEFAULT_QUIET_HOURS: '21:00-08:00' },
    );
    r = await replicas.start({ clock, timers: new NoTimers() });
    for (const siteId of [oldSite, newSite]) {
      await r.apply(careEvent('SiteUpserted', { siteId, networkId, timeZone: 'America/Chicago' }));
    }
    for (const [staffId, role, site] of [
      [counselor, StaffRole.Counselor, oldSite],
      [supervisorOld, StaffRole.ClinicalSupervisor, oldSite],
      [supervisorNew, StaffRole.ClinicalSupervisor, newSite],
    ] as const) {
      await r.apply(
        careEvent('StaffMemberUpserted', {
          staffId,
          networkId,
          siteIds: [site],
          roles: [role],
          active: true,
        }),
      );
    }
    await r.apply(
      careEvent('ClientAdmitted', { clientId, episodeId, siteId: oldSite, primaryCounselorId: counselor }),
    );
  }, 120_000);

  afterAll(async () => {
    await replicas?.closeAll();
    await dataSource?.destroy();
    await db?.drop();
    await mail.stop();
    await peers.stop();
  });

  const alertRows = () =>
    dataSource.query<
      { id: string; recipient_id: string; site_id: string; status: string; reason: string | null }[]
    >(
      `SELECT id, recipient_id, site_id, status, reason FROM ${T('notifications')}
        WHERE client_id = $1 AND kind = 'alert' ORDER BY status, recipient_id, id`,
      [clientId],
    );
  const remindersOf = (appointmentId: string) =>
    dataSource.query<{ status: string; reason: string | null }[]>(
      `SELECT status, reason FROM ${T('notifications')} WHERE appointment_id = $1 ORDER BY dedupe_key`,
      [appointmentId],
    );
  // To the new clinic from Monday 6 October, 00:00 in Chicago.
  const transfer = () =>
    careEvent('ClientTransferred', {
      clientId,
      episodeId,
      fromSiteId: oldSite,
      siteId: newSite,
      effectiveAt: '2025-10-06T05:00:00Z',
    });
  const appointment = (appointmentId: string, siteId: string, startsAt: string) =>
    careEvent('AppointmentScheduled', { appointmentId, clientId, episodeId, siteId, startsAt });

  it('moves alerts and reminders with the client', async () => {
    const [before, after] = [randomUUID(), randomUUID()];
    await r.apply(appointment(before, oldSite, '2025-10-02T23:00:00Z'));
    await r.apply(appointment(after, oldSite, '2025-10-09T23:00:00Z'));
    const risk = careEvent('EngagementRiskDetected', { clientId, episodeId, siteId: oldSite });
    await r.apply(risk);
    expect(await alertRows()).toEqual([
      expect.objectContaining({ recipient_id: counselor, site_id: oldSite, status: 'queued' }),
    ]);

    await r.apply(transfer());

    const [cancelled, readdressed] = await alertRows();
    expect(cancelled).toMatchObject({
      recipient_id: counselor,
      status: 'cancelled',
      reason: 'client-transferred',
    });
    expect(readdressed).toMatchObject({ recipient_id: supervisorNew, site_id: newSite, status: 'queued' });
    const log = await dataSource.query<{ status: string; reason: string | null }[]>(
      `SELECT status, reason FROM ${T('notification_log')} WHERE notification_id = $1 ORDER BY id`,
      [cancelled?.id],
    );
    expect(log.at(-1)).toEqual({ status: 'cancelled', reason: 'client-transferred' });
    expect(await remindersOf(before)).toEqual([
      { status: 'queued', reason: null },
      { status: 'queued', reason: null },
    ]);
    expect(await remindersOf(after)).toEqual([
      { status: 'cancelled', reason: 'client-transferred' },
      { status: 'cancelled', reason: 'client-transferred' },
    ]);

    // A fact about the episode that still names the old site alerts the new site's staff.
    await r.apply(careEvent('EngagementRiskDetected', { clientId, episodeId, siteId: oldSite }));
    expect((await alertRows()).at(-1)).toMatchObject({ recipient_id: supervisorNew, site_id: newSite });
    // Replayed, the transfer changes nothing more.
    const rows = await alertRows();
    await r.apply(transfer());
    expect(await alertRows()).toEqual(rows);
  });
});

import { randomUUID } from 'node:crypto';
import {
  type TestDatabase,
  createTestDatabase,
  openServiceDataSource,
  redisUrl,
  serviceTestEnv,
  waitFor,
} from '@stepwise/testing';
import Redis from 'ioredis';
import { type DataSource } from 'typeorm';
import { ManualClock } from '@stepwise/platform';
import { DeliveryRepository } from '../delivery/delivery.repository';
import { T } from '../delivery/notification-store';
import { notificationsMigrations } from '../migrations';
import { FakePeers, MailCatcher } from '../testing/fake-servers';
import { ENV_EXAMPLE, type Replica, Replicas, careEvent, outboxEvents } from '../testing/fixture';
import { BullmqTimers, NoTimers } from '../timers/notification-timers';

const HOUR = 3_600_000;

describe('reminders (real Postgres, Redis timers, SMTP server)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  const mail = new MailCatcher();
  const peers = new FakePeers();
  let replicas: Replicas;
  const siteId = randomUUID();

  beforeAll(async () => {
    db = await createTestDatabase('notif_reminders');
    dataSource = await openServiceDataSource(db, 'notifications', {
      label: 'notif_rem',
      migrations: notificationsMigrations,
    });
    replicas = new Replicas(serviceTestEnv('notifications', db, ENV_EXAMPLE), {
      peers: await peers.start(),
      smtp: await mail.start(),
    });
  });
  afterEach(() => replicas.closeAll());
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
    await mail.stop();
    await peers.stop();
  });

  /** A client reachable by e-mail, at a Chicago site. */
  async function newClient(r: Replica): Promise<string> {
    const clientId = randomUUID();
    peers.contacts.set(`client:${clientId}:email`, {
      address: `client-${clientId.slice(0, 8)}@example.test`,
      timeZone: 'America/Chicago',
      preferredLanguage: 'en-US',
    });
    await dataSource.query(
      `INSERT INTO ${T('recipient_preferences')} (recipient_id, recipient_kind, site_id, channels, updated_by)
       VALUES ($1, 'client', $2, '{email}', 'test')`,
      [clientId, siteId],
    );
    await r.apply(careEvent('SiteUpserted', { siteId, timeZone: 'America/Chicago' }));
    return clientId;
  }

  /** A replica on a manual clock and a client who set quiet hours 21:00-08:00 in Chicago. */
  async function clientWithQuietHours(): Promise<{ clock: ManualClock; r: Replica; clientId: string }> {
    const clock = new ManualClock(new Date('2025-08-01T12:00:00Z'));
    const r = await replicas.start({ clock, timers: new NoTimers() });
    const clientId = await newClient(r);
    await dataSource.query(
      `UPDATE ${T('recipient_preferences')} SET quiet_start = '21:00', quiet_end = '08:00', time_zone = 'America/Chicago'
        WHERE recipient_id = $1`,
      [clientId],
    );
    return { clock, r, clientId };
  }

  const reminders = (
    appointmentId: string,
  ): Promise<{ id: string; status: string; due_at: Date; reason: string | null }[]> =>
    dataSource.query(
      `SELECT id, status, due_at, reason FROM ${T('notifications')} WHERE appointment_id = $1 ORDER BY dedupe_key`,
      [appointmentId],
    );

  /** What the mail relay received for a client (their address as `newClient` registers it). */
  const mailsTo = (clientId: string) =>
    mail.mails.filter((m) => m.to.includes(`client-${clientId.slice(0, 8)}@example.test`));

  const schedule = (clientId: string, startsAt: Date, extra: Record<string, string> = {}) =>
    careEvent('AppointmentScheduled', {
      appointmentId: randomUUID(),
      clientId,
      siteId,
      episodeId: randomUUID(),
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + HOUR).toISOString(),
      ...extra,
    });

  it('arms 24 h and 2 h reminders in the client time zone, none in the past, one per offset however often the fact arrives', async () => {
    const clock = new ManualClock(new Date('2025-06-01T12:00:00Z'));
    const r = await replicas.start({ clock, timers: new NoTimers() });
    const clientId = await newClient(r);
    const event = schedule(clientId, new Date('2025-06-10T23:00:00Z'));
    await r.apply(event);
    await r.apply(event); // the consumer's inbox stops a redelivery; a re-published fact must change nothing either
    await r.apply({ ...event, id: randomUUID() });
    const rows = await reminders(event.data.appointmentId);
    expect(rows.map((row) => [row.status, row.due_at.toISOString()])).toEqual([
      ['queued', '2025-06-09T23:00:00.000Z'],
      ['queued', '2025-06-10T21:00:00.000Z'],
    ]);

    const soon = schedule(clientId, new Date(clock.now().getTime() + 3 * HOUR));
    await r.apply(soon);
    expect((await reminders(soon.data.appointmentId)).map((row) => row.due_at.toISOString())).toEqual([
      new Date(clock.now().getTime() + HOUR).toISOString(),
    ]);
    const past = schedule(clientId, new Date(clock.now().getTime() - HOUR));
    await r.apply(past);
    expect(await reminders(past.data.appointmentId)).toEqual([]);
  });

  it('moves both reminders on reschedule, removes them on cancellation and all of a discharged episode', async () => {
    const clock = new ManualClock(new Date('2025-06-01T12:00:00Z'));
    const r = await replicas.start({ clock, timers: new NoTimers() });
    const clientId = await newClient(r);
    const first = schedule(clientId, new Date('2025-06-10T23:00:00Z'));
    await r.apply(first);
    const before = await reminders(first.data.appointmentId);
    await r.apply(
      careEvent('AppointmentRescheduled', {
        appointmentId: first.data.appointmentId,
        clientId,
        siteId,
        episodeId: first.data.episodeId,
        startsAt: '2025-06-12T15:00:00.000Z',
        endsAt: '2025-06-12T16:00:00.000Z',
      }),
    );
    const moved = await reminders(first.data.appointmentId);
    expect(moved.map((row) => [row.status, row.due_at.toISOString()])).toEqual([
      ['queued', '2025-06-11T15:00:00.000Z'],
      ['queued', '2025-06-12T13:00:00.000Z'],
    ]);
    expect(moved.map((row) => row.id)).not.toEqual(expect.arrayContaining(before.map((row) => row.id)));

    await r.apply(
      careEvent('AppointmentCancelled', {
        appointmentId: first.data.appointmentId,
        clientId,
        siteId,
        episodeId: first.data.episodeId,
      }),
    );
    expect((await reminders(first.data.appointmentId)).map((row) => [row.status, row.reason])).toEqual([
      ['cancelled', 'appointment-cancelled'],
      ['cancelled', 'appointment-cancelled'],
    ]);

    const episodeId = randomUUID();
    const a = schedule(clientId, new Date('2025-06-20T15:00:00Z'), { episodeId });
    const b = schedule(clientId, new Date('2025-06-21T15:00:00Z'), { episodeId });
    await r.apply(a);
    await r.apply(b);
    await r.apply(
      careEvent('ClientDischarged', {
        clientId,
        siteId,
        episodeId,
        dischargedAt: '2025-06-15T00:00:00.000Z',
      }),
    );
    for (const appointment of [a, b])
      expect((await reminders(appointment.data.appointmentId)).map((row) => row.status)).toEqual([
        'cancelled',
        'cancelled',
      ]);
    // An appointment of the discharged episode arriving late gets no reminder.
    const late = schedule(clientId, new Date('2025-06-22T15:00:00Z'), { episodeId });
    await r.apply(late);
    expect(await reminders(late.data.appointmentId)).toEqual([]);
  });

  it('two replicas sending the due reminders send each exactly once', async () => {
    const clock = new ManualClock(new Date('2025-07-01T12:00:00Z'));
    const one = await replicas.start({ clock, timers: new NoTimers() });
    const two = await replicas.start({ clock, timers: new NoTimers() });
    const clientId = await newClient(one);
    const appointments = Array.from({ length: 6 }, (_, i) =>
      schedule(clientId, new Date(`2025-07-03T1${i}:00:00Z`)),
    );
    for (const appointment of appointments) await one.apply(appointment);
    const ids = new Set(appointments.map((a) => a.data.appointmentId));
    // Before the first appointment: every 24 h reminder is due, and the 2 h ones of 10:00 and 11:00.
    clock.set('2025-07-03T09:59:00Z');
    await Promise.all([one.dispatch.run(), two.dispatch.run(), one.dispatch.run()]);
    const sent = await dataSource.query<{ id: string }[]>(
      `SELECT id FROM ${T('notifications')} WHERE appointment_id = ANY($1) AND status = 'sent'`,
      [[...ids]],
    );
    expect(sent).toHaveLength(6 + 2);
    const to = `client-${clientId.slice(0, 8)}@example.test`;
    expect(mail.mails.filter((m) => m.to.includes(to))).toHaveLength(sent.length);
    const events = (await outboxEvents(dataSource)).filter(
      (e) => e.type === 'NotificationSent' && sent.some((s) => s.id === e.payload['notificationId']),
    );
    expect(events).toHaveLength(sent.length);
    expect(mail.mails.find((m) => m.to.includes(to))?.raw).toMatch(/Subject: Appointment reminder/);
  });

  it('Redis timers send a due reminder; after Redis lost its keys they are rebuilt from Postgres and it is still sent once', async () => {
    const queuePrefix = `t${randomUUID().slice(0, 8)}`;
    // The system clock and the Redis timers the module builds from its configuration: nothing overridden.
    const withTimers = { env: { TIMER_QUEUE_PREFIX: queuePrefix } };
    const first = await replicas.start(withTimers);
    const clientId = await newClient(first);
    const appointment = schedule(clientId, new Date(Date.now() + 2 * HOUR + 3_000));
    await first.apply(appointment);
    const [reminder] = await reminders(appointment.data.appointmentId);
    expect(reminder?.status).toBe('queued');
    await first.close();

    // Redis loses everything this queue held (as after a flush or a failover without persistence).
    const redis = new Redis(redisUrl());
    const keys = await redis.keys(`stepwise:notifications:${queuePrefix}timers*`);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(key).not.toMatch(/@|client-/);
    await redis.del(...keys);

    // A replica starting now rebuilds the timers from Postgres (as its worker does once connected); no sweep runs,
    // so only the timer can send it.
    const timers = (await replicas.start(withTimers)).timers;
    if (!(timers instanceof BullmqTimers)) throw new Error('the replica runs without its Redis timers');
    await timers.rebuild(await new DeliveryRepository().pendingTimers(dataSource.manager));
    try {
      await waitFor(
        'the reminder sent by its rebuilt timer',
        () => reminders(appointment.data.appointmentId),
        (rows) => rows[0]?.status === 'sent',
        15_000,
      );
      const to = `client-${clientId.slice(0, 8)}@example.test`;
      expect(mail.mails.filter((m) => m.to.includes(to))).toHaveLength(1);
      expect(await redis.keys(`stepwise:notifications:${queuePrefix}timers:*@*`)).toEqual([]);
    } finally {
      await redis.quit();
    }
  });

  it('defers a routine reminder through quiet hours (not dropped) and sends it when they end', async () => {
    const { clock, r, clientId } = await clientWithQuietHours();
    // 09:00 Chicago on 2025-08-05: its 24 h reminder is due at 09:00 on the 4th, its 2 h one at 07:00 (quiet).
    const appointment = schedule(clientId, new Date('2025-08-05T14:00:00Z'));
    await r.apply(appointment);
    clock.set('2025-08-05T12:00:00Z'); // 07:00 in Chicago
    await r.dispatch.run();
    const [, twoHours] = await reminders(appointment.data.appointmentId);
    expect([twoHours?.status, twoHours?.due_at.toISOString()]).toEqual([
      'queued',
      '2025-08-05T13:00:00.000Z',
    ]);
    const events = await outboxEvents(dataSource);
    expect(
      events
        .filter((e) => e.payload['notificationId'] === twoHours?.id)
        .map((e) => [e.type, e.payload['reason']]),
    ).toEqual([['NotificationSuppressed', 'quiet-hours-deferred']]);
    clock.set('2025-08-05T13:00:00Z');
    await r.dispatch.run();
    expect((await reminders(appointment.data.appointmentId))[1]?.status).toBe('sent');
    const log = await dataSource.query<{ status: string }[]>(
      `SELECT status FROM ${T('notification_log')} WHERE notification_id = $1 ORDER BY id`,
      [twoHours?.id],
    );
    expect(log.map((l) => l.status)).toEqual(['queued', 'deferred', 'sent']);
  });

  it('suppresses a routine reminder that quiet hours would hold past its appointment, instead of sending it late', async () => {
    const { clock, r, clientId } = await clientWithQuietHours();
    const toClient = () => mailsTo(clientId);
    // 07:30 Chicago on 2025-08-06: both reminders fall in quiet hours (07:30 on the 5th, 05:30 on the 6th).
    const appointment = schedule(clientId, new Date('2025-08-06T12:30:00Z'));
    await r.apply(appointment);
    clock.set('2025-08-05T12:30:00Z');
    await r.dispatch.run();
    let [dayBefore, twoHours] = await reminders(appointment.data.appointmentId);
    // Quiet hours end at 08:00 on the 5th, long before the appointment: deferred.
    expect([dayBefore?.status, dayBefore?.due_at.toISOString()]).toEqual([
      'queued',
      '2025-08-05T13:00:00.000Z',
    ]);
    clock.set('2025-08-05T13:00:00Z');
    await r.dispatch.run();
    expect(toClient()).toHaveLength(1);

    clock.set('2025-08-06T10:30:00Z'); // 05:30: quiet until 08:00, after the 07:30 appointment
    await r.dispatch.run();
    [dayBefore, twoHours] = await reminders(appointment.data.appointmentId);
    expect([dayBefore?.status, twoHours?.status, twoHours?.reason]).toEqual([
      'sent',
      'suppressed',
      'quiet-hours-deferred',
    ]);
    clock.set('2025-08-06T13:00:00Z'); // quiet hours over: nothing is sent late
    await r.dispatch.run();
    expect(toClient()).toHaveLength(1);
    expect((await reminders(appointment.data.appointmentId))[1]?.status).toBe('suppressed');
    const log = await dataSource.query<{ status: string }[]>(
      `SELECT status FROM ${T('notification_log')} WHERE notification_id = $1 ORDER BY id`,
      [twoHours?.id],
    );
    expect(log.map((l) => l.status)).toEqual(['queued', 'suppressed']);
    const events = (await outboxEvents(dataSource)).filter(
      (e) => e.payload['notificationId'] === twoHours?.id,
    );
    expect(events.map((e) => [e.type, e.payload['reason']])).toEqual([
      ['NotificationSuppressed', 'quiet-hours-deferred'],
    ]);
  });

  it('suppresses a reminder reached only after its appointment began (service down) as expired, sending nothing', async () => {
    const clock = new ManualClock(new Date('2025-08-10T12:00:00Z'));
    const r = await replicas.start({ clock, timers: new NoTimers() });
    const clientId = await newClient(r);
    const toClient = () => mailsTo(clientId);
    const appointment = schedule(clientId, new Date('2025-08-12T18:00:00Z'));
    await r.apply(appointment);
    // Nothing ran from before the 24 h reminder until after the appointment had started.
    clock.set('2025-08-12T18:05:00Z');
    await r.dispatch.run();
    const rows = await reminders(appointment.data.appointmentId);
    expect(rows.map((row) => [row.status, row.reason])).toEqual([
      ['suppressed', 'expired'],
      ['suppressed', 'expired'],
    ]);
    expect(toClient()).toHaveLength(0);
    const events = (await outboxEvents(dataSource)).filter((e) =>
      rows.some((row) => row.id === e.payload['notificationId']),
    );
    expect(events.map((e) => [e.type, e.payload['reason']])).toEqual([
      ['NotificationSuppressed', 'expired'],
      ['NotificationSuppressed', 'expired'],
    ]);
  });

  it('with the SMTP server down retries with backoff, then fails with the reason and NotificationFailed', async () => {
    const clock = new ManualClock(new Date('2025-09-01T12:00:00Z'));
    const down = { SMTP_URL: `smtp://127.0.0.1:${await closedPort()}` };
    const r = await replicas.start({ clock, timers: new NoTimers(), env: down });
    const clientId = await newClient(r);
    const appointment = schedule(clientId, new Date('2025-09-01T15:00:00Z'));
    await r.apply(appointment);
    const [reminder] = await reminders(appointment.data.appointmentId);
    clock.set('2025-09-01T13:00:00Z');
    for (let i = 0; i < 3; i += 1) {
      await r.dispatch.run();
      clock.advance(1_000);
    }
    const [row] = await dataSource.query<{ status: string; reason: string; attempts: number }[]>(
      `SELECT status, reason, attempts FROM ${T('notifications')} WHERE id = $1`,
      [reminder?.id],
    );
    expect(row).toEqual({
      status: 'failed',
      reason: expect.stringMatching(/^provider-unavailable:smtp-/),
      attempts: 3,
    });
    const log = await dataSource.query<{ status: string }[]>(
      `SELECT status FROM ${T('notification_log')} WHERE notification_id = $1 ORDER BY id`,
      [reminder?.id],
    );
    expect(log.map((l) => l.status)).toEqual(['queued', 'retrying', 'retrying', 'failed']);
    const failed = (await outboxEvents(dataSource)).find((e) => e.payload['notificationId'] === reminder?.id);
    expect(failed).toMatchObject({
      type: 'NotificationFailed',
      payload: { channel: 'email', attempts: 3, errorCode: 'provider-unavailable', recipientId: clientId },
    });
  });
});

async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

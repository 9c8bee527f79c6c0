import { createHash, randomUUID } from 'node:crypto';
import { Logger, type LoggerService } from '@nestjs/common';
import {
  ConsentPurpose,
  DrugScreenResult,
  EngagementRiskReason,
  InformationCategory,
  RecipientKind,
  StaffRole,
  SubstanceCode,
  UrgentFlag,
} from '@stepwise/contracts';
import {
  type TestDatabase,
  createTestDatabase,
  openServiceDataSource,
  serviceTestEnv,
} from '@stepwise/testing';
import { type CloudEvent, HTTP } from 'cloudevents';
import { Webhook } from 'standardwebhooks';
import { type DataSource } from 'typeorm';
import { ManualClock } from '@stepwise/platform';
import { NoAlertRecipientError } from '../alerts/clinical-alerts';
import { newWebhookSecret } from '../channels/webhook-signature';
import { T } from '../delivery/notification-store';
import { notificationsMigrations } from '../migrations';
import { FakePeers, MailCatcher, WebhookReceiver } from '../testing/fake-servers';
import { ENV_EXAMPLE, type Replica, Replicas, careEvent, outboxEvents } from '../testing/fixture';
import { NoTimers } from '../timers/notification-timers';
import { DISCLOSURE_NOTICES } from './disclosure-notice';

/** Every log line written while the tests run: the canary scan reads them. */
class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  log(message: unknown, ...rest: unknown[]): void {
    this.lines.push(JSON.stringify([message, ...rest]));
  }
  error = this.log.bind(this);
  warn = this.log.bind(this);
  debug = this.log.bind(this);
  verbose = this.log.bind(this);
}

describe('clinical alerts and consent-checked disclosures (real Postgres, SMTP server, HTTP receivers)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  const mail = new MailCatcher();
  const peers = new FakePeers();
  const receiver = new WebhookReceiver();
  const logs = new CapturingLogger();
  const clock = new ManualClock(new Date('2025-10-01T03:00:00Z')); // 22:00 in Chicago: quiet hours
  let replicas: Replicas;
  let r: Replica;
  const siteId = randomUUID();
  const networkId = randomUUID();
  const counselorId = randomUUID();
  const supervisorId = randomUUID();
  const CANARY = {
    phone: '+15550109999',
    email: 'canary.person@example.test',
    name: 'Canary Quill',
    familyEmail: 'canary.family@example.test',
  };

  beforeAll(async () => {
    Logger.overrideLogger(logs);
    db = await createTestDatabase('notif_alerts');
    dataSource = await openServiceDataSource(db, 'notifications', {
      label: 'notif_alerts',
      migrations: notificationsMigrations,
    });
    await receiver.start();
    replicas = new Replicas(
      serviceTestEnv('notifications', db, ENV_EXAMPLE),
      { peers: await peers.start(), smtp: await mail.start() },
      { DEFAULT_QUIET_HOURS: '21:00-08:00' },
    );
    r = await replicas.start({ clock, timers: new NoTimers(), logger: logs });
    await r.apply(careEvent('SiteUpserted', { siteId, networkId, timeZone: 'America/Chicago' }));
    for (const [staffId, role] of [
      [counselorId, StaffRole.Counselor],
      [supervisorId, StaffRole.ClinicalSupervisor],
    ] as const) {
      await r.apply(
        careEvent('StaffMemberUpserted', {
          staffId,
          networkId,
          siteIds: [siteId],
          roles: [role],
          active: true,
        }),
      );
      peers.contacts.set(`staff:${staffId}:email`, {
        address: CANARY.email,
        timeZone: 'America/Chicago',
        preferredLanguage: 'en',
        displayName: CANARY.name,
      });
      peers.contacts.set(`staff:${staffId}:sms`, {
        address: CANARY.phone,
        timeZone: 'America/Chicago',
        preferredLanguage: 'en',
        displayName: CANARY.name,
      });
    }
  });
  afterAll(async () => {
    await replicas?.closeAll();
    Logger.overrideLogger(false);
    await dataSource?.destroy();
    await db?.drop();
    await Promise.all([mail.stop(), peers.stop(), receiver.stop()]);
  });

  async function admitted(): Promise<{ clientId: string; episodeId: string }> {
    const clientId = randomUUID();
    const episodeId = randomUUID();
    await r.apply(
      careEvent('ClientAdmitted', { clientId, episodeId, siteId, primaryCounselorId: counselorId }),
    );
    return { clientId, episodeId };
  }

  const alertsOf = (clientId: string) =>
    dataSource.query<
      { id: string; kind: string; status: string; recipient_id: string; channel: string; urgent: boolean }[]
    >(
      `SELECT id, kind, status, recipient_id, channel, urgent FROM ${T('notifications')}
        WHERE client_id = $1 AND kind IN ('alert', 'escalation') ORDER BY created_at, kind`,
      [clientId],
    );

  it('lets an urgent screening alert through quiet hours, escalates it unacknowledged to the supervisor on SMS, logging each step', async () => {
    const { clientId } = await admitted();
    await r.apply(
      careEvent('ScreeningCompleted', { clientId, siteId, urgentFlags: [UrgentFlag.SelfHarmRisk] }),
    );
    await r.apply(careEvent('EngagementRiskDetected', { clientId, siteId }));
    await r.dispatch.run();
    let alerts = await alertsOf(clientId);
    expect(alerts.map((a) => [a.urgent, a.status])).toEqual(
      expect.arrayContaining([
        [true, 'sent'],
        [false, 'queued'], // routine: deferred to the end of quiet hours
      ]),
    );
    const urgent = alerts.find((a) => a.urgent);
    expect(urgent).toMatchObject({ recipient_id: counselorId, channel: 'email' });
    expect(mail.mails.at(-1)?.raw).toMatch(/Subject: Urgent: a client needs your attention now/);

    clock.advance(61_000);
    await r.dispatch.run();
    alerts = await alertsOf(clientId);
    const escalation = alerts.find((a) => a.kind === 'escalation');
    expect(escalation).toMatchObject({ recipient_id: supervisorId, channel: 'sms', status: 'sent' });
    expect(r.smsSink.sent.at(-1)?.text).toMatch(/^URGENT: an alert was not acknowledged/);
    const log = await dataSource.query<{ status: string }[]>(
      `SELECT status FROM ${T('notification_log')} WHERE notification_id = $1 ORDER BY id`,
      [urgent?.id],
    );
    expect(log.map((l) => l.status)).toEqual(['queued', 'sent', 'escalated']);
    clock.advance(600_000);
    await r.dispatch.run();
    expect((await alertsOf(clientId)).filter((a) => a.kind === 'escalation')).toHaveLength(1);
  });

  it('does not escalate an acknowledged urgent alert; a negative drug screen alerts nobody', async () => {
    const { clientId } = await admitted();
    await r.apply(
      careEvent('ScreeningCompleted', { clientId, siteId, urgentFlags: [UrgentFlag.SevereWithdrawal] }),
    );
    await r.apply(
      careEvent('DrugScreenResulted', {
        clientId,
        siteId,
        result: DrugScreenResult.Negative,
        substanceCodes: [],
      }),
    );
    await r.dispatch.run();
    const [alert] = await alertsOf(clientId);
    await dataSource.query(
      `UPDATE ${T('notifications')} SET acknowledged_at = now(), acknowledged_by = 'u1' WHERE id = $1`,
      [alert?.id],
    );
    clock.advance(120_000);
    await r.dispatch.run();
    expect((await alertsOf(clientId)).map((a) => a.kind)).toEqual(['alert']);
  });

  it('withdraws a shortfall alert late documentation resolved: never sent while held, marked when sent, logged', async () => {
    const held = await admitted();
    const sent = await admitted();
    const week = (c: { clientId: string; episodeId: string }) => ({ ...c, siteId, weekStart: '2025-09-22' });
    const resolved = (c: { clientId: string; episodeId: string }) =>
      careEvent('WeeklyHoursRecalculated', {
        ...week(c),
        attendedMinutesBefore: 360,
        attendedMinutes: 540,
        requiredMinutes: 540,
        shortBefore: true,
        short: false,
      });
    await r.apply(careEvent('WeeklyHoursShortfall', { ...week(held), attendedMinutes: 360 }));
    await r.apply(careEvent('WeeklyHoursShortfall', { ...week(sent), attendedMinutes: 360 }));
    // 22:00 in Chicago: the routine alerts are held for quiet hours.
    await r.dispatch.run();
    const [heldAlert] = await alertsOf(held.clientId);
    const [sentAlert] = await alertsOf(sent.clientId);
    expect(heldAlert?.status).toBe('queued');
    await dataSource.query(`UPDATE ${T('notifications')} SET status = 'sent' WHERE id = $1`, [sentAlert?.id]);

    await r.apply(resolved(held));
    await r.apply(resolved(sent));
    await r.apply(resolved(sent));

    expect((await alertsOf(held.clientId)).map((a) => a.status)).toEqual(['cancelled']);
    expect((await alertsOf(sent.clientId)).map((a) => a.status)).toEqual(['sent']);
    const logOf = (id: string | undefined) =>
      dataSource.query<{ status: string; reason: string | null }[]>(
        `SELECT status, reason FROM ${T('notification_log')} WHERE notification_id = $1 ORDER BY id`,
        [id],
      );
    expect((await logOf(heldAlert?.id)).at(-1)).toEqual({
      status: 'cancelled',
      reason: 'shortfall-corrected-by-late-documentation',
    });
    expect((await logOf(sentAlert?.id)).filter((step) => step.status === 'withdrawn')).toEqual([
      { status: 'withdrawn', reason: 'shortfall-corrected-by-late-documentation' },
    ]);
    // The dispatcher claims queued rows only: the cancelled alert is never sent.
  });

  async function staffMember(site: string, role: StaffRole): Promise<string> {
    const staffId = randomUUID();
    await r.apply(
      careEvent('StaffMemberUpserted', { staffId, networkId, siteIds: [site], roles: [role], active: true }),
    );
    return staffId;
  }

  it('alerts the site when the counselor is unknown: supervisors first, else program directors', async () => {
    // A shortfall for a client whose admission this service has not seen: the site's supervisor is alerted.
    const unknownClient = randomUUID();
    await r.apply(careEvent('WeeklyHoursShortfall', { clientId: unknownClient, siteId }));
    expect((await alertsOf(unknownClient)).map((a) => a.recipient_id)).toEqual([supervisorId]);

    // A site with a program director and no supervisor: the director is.
    const otherSite = randomUUID();
    await r.apply(careEvent('SiteUpserted', { siteId: otherSite, networkId, timeZone: 'America/Chicago' }));
    const directorId = await staffMember(otherSite, StaffRole.ProgramDirector);
    const clientThere = randomUUID();
    await r.apply(careEvent('EngagementRiskDetected', { clientId: clientThere, siteId: otherSite }));
    expect((await alertsOf(clientThere)).map((a) => a.recipient_id)).toEqual([directorId]);
  });

  it('never drops an alert no one can receive: the event fails (to be dead-lettered), and applies once staff exist', async () => {
    const emptySite = randomUUID();
    await r.apply(careEvent('SiteUpserted', { siteId: emptySite, networkId, timeZone: 'America/Chicago' }));
    // Its staff are known (a counselor), none of whom receives site alerts: not a wait for staff to arrive.
    await staffMember(emptySite, StaffRole.Counselor);
    const clientId = randomUUID();
    const screening = careEvent('ScreeningCompleted', {
      clientId,
      siteId: emptySite,
      urgentFlags: [UrgentFlag.SelfHarmRisk],
    });
    await expect(r.apply(screening)).rejects.toThrow(
      new NoAlertRecipientError('urgent-screening-flag', screening.id, emptySite),
    );
    expect(await alertsOf(clientId)).toEqual([]);

    // The site gets a supervisor; the dead-lettered event is replayed and the alert goes out.
    const lateSupervisor = await staffMember(emptySite, StaffRole.ClinicalSupervisor);
    await r.apply(screening);
    expect(await alertsOf(clientId)).toEqual([
      expect.objectContaining({ kind: 'alert', recipient_id: lateSupervisor, urgent: true }),
    ]);
  });

  async function subscribe(
    organisationId: string,
    eventTypes: string[],
    registeredIn: { network: string; url: string } = { network: networkId, url: receiver.url },
  ): Promise<{ id: string; secret: string }> {
    const subscription = { id: randomUUID(), secret: newWebhookSecret() };
    await dataSource.query(
      `INSERT INTO ${T('webhook_subscriptions')} (id, network_id, organisation_id, recipient_kind, purposes, event_types, url,
          secret, status, created_by)
       VALUES ($1, $2, $3, 'provider-organization', '{care-coordination}', $4, $5, $6, 'active', 'test')`,
      [
        subscription.id,
        registeredIn.network,
        organisationId,
        eventTypes,
        registeredIn.url,
        subscription.secret,
      ],
    );
    return subscription;
  }

  /** A consent to an organisation for care coordination, or (`family`) to a family member for family involvement. */
  const consent = (
    clientId: string,
    recipientId: string,
    categories: InformationCategory[],
    family = false,
  ) => {
    const granted = careEvent('ConsentGranted', {
      consentId: randomUUID(),
      clientId,
      recipient: {
        kind: family ? RecipientKind.FamilyMember : RecipientKind.ProviderOrganization,
        id: recipientId,
      },
      purposes: [family ? ConsentPurpose.FamilyInvolvement : ConsentPurpose.CareCoordination],
      informationCategories: categories,
      grantedAt: '2025-01-01T00:00:00.000Z',
      expiresAt: '2027-01-01T00:00:00.000Z',
    });
    peers.grant(granted.data); // intake (the stand-in) allows under it, with its terms
    return granted;
  };

  it('delivers care events by signed webhook only under consent, with the §2.32 notice, and accounts for each disclosure', async () => {
    const organisationId = randomUUID();
    const subscription = await subscribe(organisationId, ['DrugScreenResulted', 'SessionAttended']);
    const consented = await admitted();
    const other = await admitted();
    await r.apply(consent(consented.clientId, organisationId, [InformationCategory.DrugScreens]));
    receiver.received.length = 0;
    await r.apply(
      careEvent('DrugScreenResulted', {
        clientId: consented.clientId,
        siteId,
        result: DrugScreenResult.Positive,
        substanceCodes: [SubstanceCode.Alcohol],
      }),
    );
    await r.apply(careEvent('SessionAttended', { clientId: consented.clientId, siteId })); // category not consented
    await r.apply(careEvent('DrugScreenResulted', { clientId: other.clientId, siteId })); // no consent at all
    await r.dispatch.run();

    expect(receiver.received).toHaveLength(1);
    const [delivery] = receiver.received;
    // A receiver checks the signature with a Standard Webhooks library (at the time it receives the delivery)…
    const headers = delivery?.headers as Record<string, string>;
    jest.spyOn(Date, 'now').mockReturnValue(clock.now().getTime());
    const body = new Webhook(subscription.secret).verify(delivery?.body ?? '', headers) as Record<
      string,
      unknown
    >;
    expect(() => new Webhook(newWebhookSecret()).verify(delivery?.body ?? '', headers)).toThrow(
      'No matching signature found',
    );
    jest.restoreAllMocks();
    // …and reads a CloudEvent in structured mode, with the event's Kafka attributes and the consent's terms.
    expect(headers['content-type']).toBe('application/cloudevents+json; charset=utf-8');
    expect((HTTP.toEvent({ headers, body: delivery?.body }) as CloudEvent<unknown>).validate()).toBe(true);
    expect(body).toMatchObject({
      specversion: '1.0',
      type: 'care.sessions.DrugScreenResulted.v1',
      source: '/stepwise/sessions',
      subject: consented.clientId,
      data: {
        payload: { clientId: consented.clientId, result: 'positive', substanceCodes: ['alcohol'] },
        disclosure: {
          purpose: 'care-coordination',
          informationCategory: 'drug-screens',
          notice: {
            version: DISCLOSURE_NOTICES[0].version,
            text: expect.stringMatching(/^This record which has been disclosed/) as unknown,
          },
          consent: {
            informationCategories: ['drug-screens'],
            purposes: ['care-coordination'],
            expiresAt: '2027-01-01T00:00:00.000Z',
          },
          redisclosure: { version: 'redisclosure@2024' },
          withheldFields: [],
        },
      },
    });

    // The delivery log and the accounting record exactly what was sent: the hash of the body, the notice version.
    const sha256 = createHash('sha256')
      .update(delivery?.body ?? '')
      .digest('hex');
    const accounting = await dataSource.query<Record<string, unknown>[]>(
      `SELECT client_id, recipient_id, category, notice_version, channel, content_sha256, redisclosure_version,
              consent_scope
         FROM ${T('disclosures')} WHERE recipient_id = $1`,
      [organisationId],
    );
    expect(accounting).toEqual([
      {
        client_id: consented.clientId,
        recipient_id: organisationId,
        category: 'drug-screens',
        notice_version: 'part2-notice@2024',
        channel: 'webhook',
        content_sha256: sha256,
        redisclosure_version: 'redisclosure@2024',
        consent_scope: {
          informationCategories: ['drug-screens'],
          purposes: ['care-coordination'],
          expiresAt: '2027-01-01T00:00:00.000Z',
          expiresOnEvent: null,
        },
      },
    ]);
    expect(
      await dataSource.query(
        `SELECT l.content_sha256, l.notice_version FROM ${T('notification_log')} l
           JOIN ${T('notifications')} n ON n.id = l.notification_id
          WHERE n.subscription_id = $1 AND l.status = 'sent'`,
        [subscription.id],
      ),
    ).toEqual([{ content_sha256: sha256, notice_version: 'part2-notice@2024' }]);
    const suppressed = await dataSource.query<{ client_id: string; reason: string }[]>(
      `SELECT client_id, reason FROM ${T('notifications')} WHERE subscription_id = $1 AND status = 'suppressed' ORDER BY client_id`,
      [subscription.id],
    );
    expect(suppressed.map((s) => s.reason)).toEqual(['no-consent', 'no-consent']);
    expect(suppressed.map((s) => s.client_id).sort()).toEqual([consented.clientId, other.clientId].sort());
  });

  it('discloses enrollments, shortfalls and engagement risk only as far as the consent covers them', async () => {
    const organisationId = randomUUID();
    const subscription = await subscribe(organisationId, [
      'ClientEnrolled',
      'WeeklyHoursShortfall',
      'EngagementRiskDetected',
    ]);
    const { clientId } = await admitted();
    await r.apply(consent(clientId, organisationId, [InformationCategory.Attendance]));
    receiver.received.length = 0;
    const enrolled = careEvent('ClientEnrolled', { clientId, siteId }); // schedule: not covered
    const shortfall = careEvent('WeeklyHoursShortfall', { clientId, siteId }); // its level of care: not covered
    // Found in drug screens, which the consent does not cover.
    const risk = careEvent('EngagementRiskDetected', {
      clientId,
      siteId,
      reason: EngagementRiskReason.PositiveScreens,
    });
    for (const event of [enrolled, shortfall, risk]) await r.apply(event);
    await r.dispatch.run();

    expect(receiver.received).toHaveLength(1);
    const [delivered] = receiver.received.map((d) => JSON.parse(d.body) as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any -- a parsed body
    expect(delivered).toMatchObject({ id: shortfall.id, type: 'care.sessions.WeeklyHoursShortfall.v1' });
    const { levelOfCare: _withheld, ...rest } = shortfall.data;
    expect(delivered?.['data'].payload).toEqual(rest);
    expect(delivered?.['data'].disclosure.withheldFields).toEqual(['levelOfCare']);
    const rows = await dataSource.query<{ status: string; reason: string | null; event: string }[]>(
      `SELECT status, reason, trigger_event_id AS event FROM ${T('notifications')} WHERE subscription_id = $1`,
      [subscription.id],
    );
    expect(new Map(rows.map((row) => [row.event, [row.status, row.reason]]))).toEqual(
      new Map([
        [enrolled.id, ['suppressed', 'no-consent']],
        [shortfall.id, ['sent', null]],
        [risk.id, ['suppressed', 'no-consent']],
      ]),
    );
  });

  it("serves several networks from one deployment: an event is disclosed only to its own network's subscriber", async () => {
    const otherNetwork = randomUUID();
    const otherSite = randomUUID();
    await r.apply(
      careEvent('SiteUpserted', { siteId: otherSite, networkId: otherNetwork, timeZone: 'America/Chicago' }),
    );
    const otherReceiver = new WebhookReceiver();
    try {
      // Each network's admin registered a subscription, both naming the same organisation (a shared payer).
      const organisationId = randomUUID();
      const ours = await subscribe(organisationId, ['SessionMissed']);
      const theirs = await subscribe(organisationId, ['SessionMissed'], {
        network: otherNetwork,
        url: await otherReceiver.start(),
      });
      const ourClient = randomUUID();
      const theirClient = randomUUID();
      for (const clientId of [ourClient, theirClient])
        await r.apply(consent(clientId, organisationId, [InformationCategory.Attendance]));
      receiver.received.length = 0;
      await r.apply(careEvent('SessionMissed', { clientId: ourClient, siteId }));
      await r.apply(careEvent('SessionMissed', { clientId: theirClient, siteId: otherSite }));
      await r.dispatch.run();

      const clientsAt = (hooks: WebhookReceiver): unknown[] =>
        hooks.received.map((d) => (JSON.parse(d.body) as { subject: string }).subject);
      expect(clientsAt(receiver)).toEqual([ourClient]);
      expect(clientsAt(otherReceiver)).toEqual([theirClient]);
      const queued = await dataSource.query<{ subscription_id: string; client_id: string }[]>(
        `SELECT subscription_id, client_id FROM ${T('notifications')} WHERE subscription_id = ANY($1::uuid[])`,
        [[ours.id, theirs.id]],
      );
      expect(queued.map((q) => [q.subscription_id, q.client_id]).sort()).toEqual(
        [
          [ours.id, ourClient],
          [theirs.id, theirClient],
        ].sort(),
      );

      // An event of a site whose network is not projected yet discloses nothing: it fails, to be replayed.
      const unknownSite = randomUUID();
      const early = careEvent('SessionMissed', { clientId: ourClient, siteId: unknownSite });
      await expect(r.apply(early)).rejects.toThrow(/network of SessionMissed .* is not known yet/);
      await r.apply(
        careEvent('SiteUpserted', { siteId: unknownSite, networkId, timeZone: 'America/Chicago' }),
      );
      await r.apply(early);
      await r.dispatch.run();
      expect(clientsAt(receiver)).toEqual([ourClient, ourClient]);
      expect(clientsAt(otherReceiver)).toEqual([theirClient]);
    } finally {
      await otherReceiver.stop();
    }
  });

  it('suppresses as consent-revoked, sending nothing, when the consent is revoked between queueing and sending', async () => {
    const organisationId = randomUUID();
    const subscription = await subscribe(organisationId, ['SessionMissed']);
    const { clientId } = await admitted();
    const granted = consent(clientId, organisationId, [InformationCategory.Attendance]);
    await r.apply(granted);
    await r.apply(careEvent('SessionMissed', { clientId, siteId }));
    await r.apply(
      careEvent('ConsentRevoked', {
        consentId: granted.data.consentId,
        clientId,
        revokedAt: clock.now().toISOString(),
      }),
    );
    receiver.received.length = 0;
    await r.dispatch.run();
    expect(receiver.received).toHaveLength(0);
    const [row] = await dataSource.query<{ id: string; status: string; reason: string }[]>(
      `SELECT id, status, reason FROM ${T('notifications')} WHERE subscription_id = $1`,
      [subscription.id],
    );
    expect(row).toMatchObject({ status: 'suppressed', reason: 'consent-revoked' });
    const event = (await outboxEvents(dataSource)).find((e) => e.payload['notificationId'] === row?.id);
    expect(event).toMatchObject({
      type: 'NotificationSuppressed',
      payload: { reason: 'consent-revoked', recipientKind: 'system' },
    });

    // Intake knows of a revocation this service has not heard of yet: its check at send time stops it too.
    const second = await admitted();
    const org2 = randomUUID();
    const sub2 = await subscribe(org2, ['SessionMissed']);
    await r.apply(consent(second.clientId, org2, [InformationCategory.Attendance]));
    await r.apply(careEvent('SessionMissed', { clientId: second.clientId, siteId }));
    peers.revokedRecipients.add(org2);
    await r.dispatch.run();
    expect(receiver.received).toHaveLength(0);
    expect(
      await dataSource.query(`SELECT status, reason FROM ${T('notifications')} WHERE subscription_id = $1`, [
        sub2.id,
      ]),
    ).toEqual([{ status: 'suppressed', reason: 'consent-revoked' }]);
  });

  it('tells the organisation a consent names of its grant and of its revocation — although the consent has ended — in order, accounting for both', async () => {
    const organisationId = randomUUID();
    const subscription = await subscribe(organisationId, [
      'ConsentGranted',
      'ConsentRevoked',
      'SessionMissed',
    ]);
    const bystander = await subscribe(randomUUID(), ['ConsentGranted', 'ConsentRevoked']);
    const { clientId } = await admitted();
    receiver.received.length = 0;
    const granted = consent(clientId, organisationId, [InformationCategory.Attendance]);
    await r.apply(granted);
    const missed = careEvent('SessionMissed', { clientId, siteId });
    await r.apply(missed);
    await r.dispatch.run();
    const revoked = careEvent('ConsentRevoked', {
      consentId: granted.data.consentId,
      clientId,
      revokedAt: clock.now().toISOString(),
    });
    await r.apply(revoked);
    // Intake (the stand-in) refuses everything under the ended consent, as the real one does.
    peers.revokedRecipients.add(organisationId);
    await r.apply(careEvent('SessionMissed', { clientId, siteId }));
    await r.dispatch.run();

    // A receiver verifies each with a Standard Webhooks library and reads a CloudEvent.
    jest.spyOn(Date, 'now').mockReturnValue(clock.now().getTime());
    const bodies = receiver.received.map((delivery) => {
      const headers = delivery.headers as Record<string, string>;
      expect((HTTP.toEvent({ headers, body: delivery.body }) as CloudEvent<unknown>).validate()).toBe(true);
      return new Webhook(subscription.secret).verify(delivery.body, headers) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a parsed body
    });
    jest.restoreAllMocks();
    expect(bodies.map((b) => [b['id'], b['type']])).toEqual([
      [granted.id, 'care.intake.ConsentGranted.v1'],
      [missed.id, 'care.sessions.SessionMissed.v1'],
      [revoked.id, 'care.intake.ConsentRevoked.v1'],
    ]);
    expect(bodies[2]).toMatchObject({
      subject: clientId,
      data: {
        payload: revoked.data,
        disclosure: {
          informationCategory: 'consent',
          consent: { id: granted.data.consentId, informationCategories: ['attendance'] },
          redisclosure: { version: 'consent-ended@1' },
        },
      },
    });
    expect(
      await dataSource.query(
        `SELECT n.params->>'eventType' AS type, n.status, n.reason FROM ${T('notifications')} n
          WHERE subscription_id = $1 ORDER BY queue_seq`,
        [subscription.id],
      ),
    ).toEqual([
      { type: 'ConsentGranted', status: 'sent', reason: null },
      { type: 'SessionMissed', status: 'sent', reason: null },
      { type: 'ConsentRevoked', status: 'sent', reason: null },
      { type: null, status: 'suppressed', reason: 'no-consent' }, // after the revocation
    ]);
    expect(
      await dataSource.query(
        `SELECT event_type, category, site_id FROM ${T('disclosures')} WHERE recipient_id = $1 ORDER BY disclosed_at, event_type`,
        [organisationId],
      ),
    ).toEqual([
      { event_type: 'ConsentGranted', category: 'consent', site_id: siteId },
      { event_type: 'ConsentRevoked', category: 'consent', site_id: siteId },
      { event_type: 'SessionMissed', category: 'attendance', site_id: siteId },
    ]);
    // Another organisation's subscription hears nothing of a consent that does not name it.
    expect(
      await dataSource.query(`SELECT id FROM ${T('notifications')} WHERE subscription_id = $1`, [
        bystander.id,
      ]),
    ).toEqual([]);
  });

  it('retries a receiver answering 500 with backoff, fails the delivery and disables the subscription after repeated failures', async () => {
    const organisationId = randomUUID();
    const subscription = await subscribe(organisationId, ['SessionAttended']);
    const { clientId } = await admitted();
    await r.apply(consent(clientId, organisationId, [InformationCategory.Attendance]));
    receiver.status = 500;
    receiver.received.length = 0;
    try {
      for (let i = 0; i < 3; i += 1) await r.apply(careEvent('SessionAttended', { clientId, siteId }));
      for (let round = 0; round < 8; round += 1) {
        await r.dispatch.run();
        clock.advance(1_000);
      }
    } finally {
      receiver.status = 200;
    }
    const rows = await dataSource.query<{ status: string; reason: string | null; attempts: number }[]>(
      `SELECT status, reason, attempts FROM ${T('notifications')} WHERE subscription_id = $1 ORDER BY queue_seq`,
      [subscription.id],
    );
    // One client's deliveries go in order: the first failed after 3 attempts (WEBHOOK_DISABLE_AFTER_FAILURES = 2),
    // which let the second go; it failed after 3 too and disabled the subscription, which withdrew the third —
    // held behind them all along, never attempted.
    expect(rows).toEqual([
      { status: 'failed', reason: 'webhook-rejected:http-500', attempts: 3 },
      { status: 'failed', reason: 'webhook-rejected:http-500', attempts: 3 },
      { status: 'cancelled', reason: 'subscription-disabled', attempts: 0 },
    ]);
    expect(receiver.received).toHaveLength(3 + 3);
    const [state] = await dataSource.query<{ status: string }[]>(
      `SELECT status FROM ${T('webhook_subscriptions')} WHERE id = $1`,
      [subscription.id],
    );
    expect(state?.status).toBe('disabled');
  });

  it('sends a family update queued under consent, deferred past quiet hours, consent re-checked with intake, to the contact intake gives for that family member', async () => {
    const { clientId } = await admitted();
    const [informed, revokedAtIntake, otherTopic] = [randomUUID(), randomUUID(), randomUUID()];
    const familyConsent = (recipientId: string, categories: InformationCategory[]) =>
      consent(clientId, recipientId, categories, true);
    const granted = familyConsent(informed, [InformationCategory.Attendance]);
    await r.apply(granted);
    await r.apply(familyConsent(revokedAtIntake, [InformationCategory.Attendance]));
    await r.apply(familyConsent(otherTopic, [InformationCategory.DrugScreens])); // not told about attendance
    for (const recipientId of [informed, revokedAtIntake])
      peers.contacts.set(`family:${clientId}:${recipientId}:email`, {
        address: CANARY.familyEmail,
        timeZone: 'America/Chicago',
        preferredLanguage: 'en',
        displayName: CANARY.name,
      });
    clock.set('2025-10-01T04:00:00Z'); // 23:00 in Chicago
    const missed = careEvent('SessionMissed', { clientId, siteId });
    await r.apply(missed);
    await r.apply(missed); // redelivered: still one update per family member

    const updates = () =>
      dataSource.query<{ id: string; recipient_id: string; status: string; reason: string | null }[]>(
        `SELECT id, recipient_id, status, reason FROM ${T('notifications')}
          WHERE client_id = $1 AND kind = 'family-update' ORDER BY recipient_id`,
        [clientId],
      );
    expect((await updates()).map((u) => [u.recipient_id, u.status])).toEqual(
      [
        [informed, 'queued'],
        [revokedAtIntake, 'queued'],
      ].sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? '')),
    );
    const toFamily = () => mail.mails.filter((m) => m.to.includes(CANARY.familyEmail));
    await r.dispatch.run();
    expect(toFamily()).toHaveLength(0); // quiet hours in the family member's time zone: deferred, not sent
    expect((await updates()).every((u) => u.status === 'queued')).toBe(true);

    peers.revokedRecipients.add(revokedAtIntake);
    peers.requests.length = 0;
    clock.set('2025-10-01T13:00:00Z'); // 08:00 in Chicago: quiet hours are over
    await r.dispatch.run();

    const byRecipient = new Map((await updates()).map((u) => [u.recipient_id, u]));
    expect(byRecipient.get(informed)).toMatchObject({ status: 'sent', reason: null });
    expect(byRecipient.get(revokedAtIntake)).toMatchObject({
      status: 'suppressed',
      reason: 'consent-revoked',
    });
    const [sent] = toFamily();
    expect(toFamily()).toHaveLength(1);
    expect(sent?.raw).toMatch(/Subject: An update you asked to receive/);
    expect(sent?.raw).toMatch(/There is an update about attendance/);
    const unfolded = sent?.raw.replace(/=\r?\n/g, '').replace(/\r?\n/g, ' ') ?? '';
    expect(unfolded).toContain('This record which has been disclosed');
    expect(unfolded).toContain(`It covers: attendance; for: family involvement`);
    expect(unfolded).toContain('Redisclosure is permitted only as the consent and 45 CFR part 164 allow.');

    // Consent checked with intake first, then the contact looked up for that family member, with a service token.
    const calls = peers.requests.filter((q) => q.path !== '/oauth/token');
    const checkOf = (recipientId: string) =>
      calls.findIndex(
        (q) =>
          q.path === '/v1/internal/disclosure-checks' &&
          (JSON.parse(q.body) as { recipientId?: string }).recipientId === recipientId,
      );
    const contactPath = `/v1/internal/clients/${clientId}/family-members/${informed}/contact`;
    const lookup = calls.findIndex((q) => q.path === contactPath);
    expect(checkOf(informed)).toBeGreaterThanOrEqual(0);
    expect(lookup).toBeGreaterThan(checkOf(informed));
    expect(calls[lookup]).toMatchObject({ method: 'GET', query: '?channel=email' });
    expect(calls[lookup]?.authorization).toMatch(/^Bearer service-token-/);
    expect(JSON.parse(calls[checkOf(informed)]?.body ?? '{}')).toEqual({
      clientId,
      recipientKind: 'family-member',
      recipientId: informed,
      category: 'attendance',
      purpose: 'family-involvement',
    });
    expect(checkOf(revokedAtIntake)).toBeGreaterThanOrEqual(0);
    expect(calls.some((q) => q.path.includes(`/family-members/${revokedAtIntake}/`))).toBe(false);

    const log = await dataSource.query<{ status: string }[]>(
      `SELECT status FROM ${T('notification_log')} WHERE notification_id = $1 ORDER BY id`,
      [byRecipient.get(informed)?.id],
    );
    expect(log.map((l) => l.status)).toEqual(['queued', 'deferred', 'sent']);
    expect(
      await dataSource.query(
        `SELECT recipient_kind, recipient_id, consent_id, purpose, category, event_type, notice_version
           FROM ${T('disclosures')} WHERE client_id = $1`,
        [clientId],
      ),
    ).toEqual([
      {
        recipient_kind: 'family-member',
        recipient_id: informed,
        consent_id: granted.data.consentId,
        purpose: 'family-involvement',
        category: 'attendance',
        event_type: 'SessionMissed',
        notice_version: DISCLOSURE_NOTICES[0].version,
      },
    ]);
    const events = (await outboxEvents(dataSource)).filter((e) =>
      [...byRecipient.values()].some((u) => u.id === e.payload['notificationId']),
    );
    expect(
      events.map((e) => [e.type, e.payload['recipientKind'], e.payload['reason'] ?? null]).sort(),
    ).toEqual(
      [
        ['NotificationSent', 'family', null],
        ['NotificationSuppressed', 'family', 'consent-revoked'],
        ['NotificationSuppressed', 'family', 'quiet-hours-deferred'],
        ['NotificationSuppressed', 'family', 'quiet-hours-deferred'],
      ].sort(),
    );
  });

  it('canary: no log line, event or stored row holds a contact detail or a name', async () => {
    expect(mail.mails.length + r.smsSink.sent.length).toBeGreaterThan(0); // the canary contacts were used
    const events = JSON.stringify(await outboxEvents(dataSource));
    const tables = JSON.stringify(
      await dataSource.query(
        `SELECT (SELECT json_agg(n) FROM ${T('notifications')} n) AS n, (SELECT json_agg(l) FROM ${T('notification_log')} l) AS l`,
      ),
    );
    for (const text of [events, tables, logs.lines.join('\n')])
      for (const canary of [CANARY.phone, CANARY.email, CANARY.familyEmail, CANARY.name, '5550109999'])
        expect(text).not.toContain(canary);
  });
});

import { CareEventWatch, type ObservedEvent } from '../client/care-events';
import { type CohortResult, PATHWAY_COHORT, runCohort } from '../demo/cohort';
import { type TestSystem, startTestSystem } from '../system/test-system';

/*
 * The care pathway end to end: the four services as separate processes on the real broker, database and
 * Redis, driven through their public APIs only, observed as any subscriber would see it (the care topics).
 * One small cohort per profile at each of the three sites, eight weeks on past dates:
 *   steady     → attends, negative screens, goals met → StepDownRecommended → review approved →
 *                LevelOfCareChanged → moved to the continuing-care track → counselor alerted → discharged;
 *   struggling → misses sessions, positive screens → engagement risk → StepUpRecommended → moved to PHP;
 *   consent    → family updates sent under consent, suppressed after revocation; the outside system's
 *                webhook sees only clients who consented to it.
 */

jest.setTimeout(900_000);

let env: TestSystem;
let watch: CareEventWatch;
let cohort: CohortResult;
const log: string[] = [];

const of = (type: string, clientId?: string): ObservedEvent[] =>
  watch.ofType(type).filter((e) => clientId === undefined || e.subject === clientId);

beforeAll(async () => {
  env = await startTestSystem('pathway');
  watch = await CareEventWatch.start(env.brokers, env.prefix);
  // Planned as of now, which decides only where the eight weeks fall: the outcomes are the same on any date
  // (cohort-plan.spec.ts proves it without the services).
  cohort = await runCohort(
    env.system.urls,
    env.receiver.url,
    watch,
    (line) => log.push(line),
    // The outside system's receiver verifies deliveries with the subscription's secret, as an integrator would.
    { ...PATHWAY_COHORT, onWebhookSubscribed: ({ secret }) => env.receiver.trust(secret) },
  );
});

afterAll(async () => {
  await watch?.stop();
  const codes = await env?.stop();
  // Every service stopped in order (readiness, consumers, relay, connections) with exit code 0.
  expect(codes).toEqual({ intake: 0, scheduling: 0, sessions: 0, notifications: 0 });
});

const clientsOf = (profile: string) => cohort.clients.filter((c) => c.profile === profile);

describe('main path: referral to step-down', () => {
  it('admits every client once, from referral, screenings and assessment, and enrolls them', () => {
    for (const client of cohort.clients) {
      expect(of('ClientAdmitted', client.id)).toHaveLength(1);
      expect(of('ScreeningCompleted', client.id)).toHaveLength(2);
      expect(of('AssessmentCompleted', client.id)).toHaveLength(1);
      expect(of('TreatmentPlanSigned', client.id)).toHaveLength(1);
      expect(of('ClientEnrolled', client.id).length).toBeGreaterThanOrEqual(1);
    }
    expect(watch.ofType('ReferralReceived')).toHaveLength(cohort.clients.length);
  });

  it('schedules their past and coming sessions in the site time zone, and records attendance once each', () => {
    for (const client of cohort.clients) {
      const scheduled = of('AppointmentScheduled', client.id);
      expect(scheduled.length).toBeGreaterThan(8 * 3);
      // The sessions that had ended when the cohort was planned: a group ending while the suite runs is not
      // documented yet, as at any clinic.
      const groupAppointments = new Set(
        scheduled
          .filter(
            (e) =>
              e.data['kind'] === 'group' &&
              Date.parse(String(e.data['endsAt'])) <= Date.parse(cohort.plannedAt),
          )
          .map((e) => e.data['appointmentId']),
      );
      const attended = [...of('SessionAttended', client.id), ...of('SessionMissed', client.id)];
      expect(new Set(attended.map((e) => e.data['appointmentId']))).toEqual(groupAppointments);
    }
  });

  it("judges each closed week by the attendance documented for it, against its level's minimum", () => {
    // Every client has whole weeks behind them (admitted at least seven weeks ago).
    expect(new Set(cohort.weeks.map((w) => w.clientId)).size).toBe(cohort.clients.length);
    for (const week of cohort.weeks) {
      expect({ ...week, short: week.attendedMinutes < week.requiredMinutes }).toEqual(week);
      expect(week.attendedMinutes).toBe(week.documentedMinutes);
    }
  });

  it('recommends a step-down for steady clients, with the evidence, once', async () => {
    for (const client of clientsOf('steady')) {
      const [recommendation, ...more] = await watch.waitFor(
        'a step-down',
        (e) => e.type.endsWith('StepDownRecommended.v1') && e.subject === client.id,
      );
      expect(more).toEqual([]);
      const evidence = recommendation?.data['evidence'] as Record<string, number>;
      expect(evidence['weeksInProgram']).toBeGreaterThanOrEqual(6);
      expect(evidence['attendanceRate']).toBeGreaterThanOrEqual(0.85);
      expect(evidence['consecutiveNegativeScreens']).toBeGreaterThanOrEqual(3);
      expect(of('StepUpRecommended', client.id)).toEqual([]);
    }
  });

  it('changes the level once the clinician approves, moves the schedule to the new track and alerts the counselor', async () => {
    for (const client of clientsOf('steady')) {
      const [change] = await watch.waitFor(
        'the level change',
        (e) => e.type.endsWith('LevelOfCareChanged.v1') && e.subject === client.id,
      );
      expect(change?.data).toMatchObject({
        fromLevel: '2.1',
        toLevel: '1',
        reasonCode: 'step-down',
        newProgramTrackId: client.site.outpatientTrackId,
      });
      await watch.waitFor(
        'the old track cancelled and the new one scheduled',
        (e) =>
          e.subject === client.id &&
          ((e.type.endsWith('AppointmentCancelled.v1') && e.data['reason'] === 'level-of-care-changed') ||
            (e.type.endsWith('AppointmentScheduled.v1') &&
              Date.parse(String(e.data['startsAt'])) > Date.parse(String(change?.data['effectiveAt'])))),
        (m) =>
          m.some((e) => e.type.endsWith('AppointmentCancelled.v1')) &&
          m.some((e) => e.type.endsWith('AppointmentScheduled.v1')),
      );
    }
    // The counselors were told (alerts to staff by e-mail, through the mail relay).
    await watch.waitFor(
      'a staff alert sent',
      (e) => e.type.endsWith('NotificationSent.v1') && e.data['recipientKind'] === 'staff',
    );
    expect(env.smtp.received.length).toBeGreaterThan(0);
  });
});

describe('billing', () => {
  it("bills each site's attended days and accounts for exactly the attendance documented there", () => {
    expect(cohort.billing).toHaveLength(cohort.network.sites.length);
    for (const site of cohort.billing) {
      expect(site.documentedRecords).toBeGreaterThan(0);
      expect({ records: site.exportedRecords, minutes: site.exportedMinutes }).toEqual({
        records: site.documentedRecords,
        minutes: site.documentedMinutes,
      });
      // Steady clients attend three evenings of three hours: their days meet H0015's daily minimum.
      expect(site.codes.get('H0015') ?? 0).toBeGreaterThan(0);
    }
    for (const client of cohort.clients) {
      expect(of('EpisodeDiagnosesChanged', client.id)).toHaveLength(1);
      expect(of('PayerAuthorizationRecorded', client.id)).toHaveLength(1);
    }
  });
});

describe('step-up path', () => {
  it('flags engagement risk and recommends a step-up for struggling clients, approved to PHP', async () => {
    for (const client of clientsOf('struggling')) {
      await watch.waitFor(
        'a step-up',
        (e) => e.type.endsWith('StepUpRecommended.v1') && e.subject === client.id,
      );
      expect(of('DrugScreenResulted', client.id).some((e) => e.data['result'] === 'positive')).toBe(true);
      expect(of('StepDownRecommended', client.id)).toEqual([]);
      const [change] = await watch.waitFor(
        'the step-up level change',
        (e) => e.type.endsWith('LevelOfCareChanged.v1') && e.subject === client.id,
      );
      expect(change?.data).toMatchObject({ toLevel: '2.5', newProgramTrackId: client.site.phpTrackId });
    }
    expect(watch.ofType('EngagementRiskDetected').length).toBeGreaterThan(0);
  });
});

describe('discharge path', () => {
  it('cancels every future appointment of a discharged client', async () => {
    expect(cohort.discharged.length).toBeGreaterThan(0);
    for (const client of cohort.discharged) {
      const [discharge] = await watch.waitFor(
        'the discharge',
        (e) => e.type.endsWith('ClientDischarged.v1') && e.subject === client.id,
      );
      const dischargedAt = Date.parse(String(discharge?.data['dischargedAt']));
      const scheduledAhead = new Set(
        of('AppointmentScheduled', client.id)
          .filter((e) => Date.parse(String(e.data['startsAt'])) > dischargedAt)
          .map((e) => e.data['appointmentId']),
      );
      // Each of them cancelled (the cancellations may trail the discharge event on the topic).
      const cancellations = await watch.waitFor(
        'the future appointments cancelled',
        (e) => e.subject === client.id && e.type.endsWith('AppointmentCancelled.v1'),
        (m) => [...scheduledAhead].every((id) => m.some((e) => e.data['appointmentId'] === id)),
      );
      const cancelled = new Set(cancellations.map((e) => e.data['appointmentId']));
      expect(cancellations.some((e) => e.data['reason'] === 'client-discharged')).toBe(true);
      for (const id of scheduledAhead) expect(cancelled.has(id)).toBe(true);
    }
  });
});

describe('consent path', () => {
  it('sends family updates under consent and suppresses them once it is revoked', async () => {
    await watch.waitFor(
      'a family update sent',
      (e) => e.type.endsWith('NotificationSent.v1') && e.data['recipientKind'] === 'family',
    );
    await watch.suppressed('family', 'consent-revoked');
  });

  it('delivers to the outside system only the events of clients who consented to it', async () => {
    const suppressed = await watch.waitFor(
      'deliveries withheld for clients without consent',
      (e) => e.type.endsWith('NotificationSuppressed.v1') && e.data['reason'] === 'no-consent',
    );
    expect(suppressed.length).toBeGreaterThan(0);
    const consented = new Set(cohort.clients.filter((_, i) => i % 3 === 0).map((c) => c.id));
    await waitForDelivery();
    // A receiver built from the published contract and a Standard Webhooks library verified and parsed each one.
    expect(env.receiver.deliveries.filter((d) => d.refused !== undefined).map((d) => d.refused)).toEqual([]);
    for (const event of env.receiver.events) {
      expect(consented.has(event.subject)).toBe(true);
      expect(event.data.payload['clientId']).toBe(event.subject);
      // Each disclosure carries the §2.32 notice and the consent's scope, and only what that consent covers.
      expect(event.data.disclosure.notice.text).toContain('42 CFR part 2');
      expect(event.data.disclosure.consent.informationCategories).toContain(
        event.data.disclosure.informationCategory,
      );
      // The same event as on Kafka: its id, type, source, subject and time.
      const onKafka = watch.events.find((e) => e.id === event.id);
      expect(onKafka && [onKafka.type, onKafka.source, onKafka.subject, onKafka.time]).toEqual([
        event.type,
        event.source,
        event.subject,
        event.time,
      ]);
    }
  });
});

/** The outside system's first delivery (deliveries are retried with backoff, so they may trail the events). */
async function waitForDelivery(): Promise<void> {
  await watch.waitFor(
    'a webhook delivery sent',
    (e) => e.type.endsWith('NotificationSent.v1') && e.data['recipientKind'] === 'system',
  );
  expect(env.receiver.deliveries.length).toBeGreaterThan(0);
}

describe('the whole run', () => {
  it('dead-lettered nothing', () => {
    expect(watch.deadLetters).toEqual([]);
  });
});

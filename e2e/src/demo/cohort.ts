import { randomUUID } from 'node:crypto';
import { addDays, localDateOf, weekStartOf } from '@stepwise/care-rules';
import { type CareEventWatch } from '../client/care-events';
import { ApiError, type HttpApi } from '../client/http-api';
import { localNetworkId } from '../system/local-network';
import {
  GOALS_PER_PLAN,
  type PlanOptions,
  type PlannedClient,
  type Profile,
  planCohort,
  plannedMinutes,
} from './cohort-plan';
import {
  Callers,
  type DemoIdentity,
  IOP_SLOTS,
  type Network,
  SITE_PLANS,
  type ServiceUrls,
  type Site,
  seedNetwork,
} from './network';

import {
  bookFamilySession,
  familySessionClient,
  loadNetworkRuleSets,
  recordFamilyParticipant,
  transferOne,
} from './network-changes';

export { DEMO_COHORT, PATHWAY_COHORT, type Profile } from './cohort-plan';

export interface CohortOptions extends PlanOptions {
  /**
   * Told the outside system's webhook subscription once it exists: its signing secret (the receiver verifies
   * deliveries with it) and how to end it, so whoever runs the cohort can disable it when its receiver goes
   * away (else a shared database keeps a subscription to a dead address).
   */
  readonly onWebhookSubscribed?: (subscription: WebhookSubscription) => void;
  /**
   * The demo's network changes (network-changes.ts): the network's own rule sets loaded first, a family
   * session with a family member present, and a transfer at the end. Off for the suites that run the cohort
   * for its clinical outcomes alone.
   */
  readonly networkChanges?: boolean;
  /**
   * A real identity provider's accounts (keycloak-identity.ts): the network gets their site and staff ids and
   * every call their tokens. Without it, the local token server issues the tokens and the ids are fresh.
   */
  readonly identity?: DemoIdentity;
}

/** The outside system's subscription, as its creation answered it. */
export interface WebhookSubscription {
  readonly secret: string;
  readonly disable: () => Promise<void>;
}

export interface CohortClient {
  readonly id: string;
  readonly site: Site;
  readonly profile: Profile;
  readonly counselorId: string;
  readonly admittedOn: string;
  /** What the cohort planned for this client, and then recorded. */
  readonly plan: PlannedClient;
  episodeId: string;
  goalIds: string[];
  planId: string;
  familyConsentId?: string;
  familyMemberId?: string;
}

const DAY = 86_400_000;

/** Retries a call the receiving service cannot accept yet because an event it needs is still on its way. */
async function whenProjected<T>(call: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      const waiting =
        error instanceof ApiError && (error.status === 404 || error.status === 409 || error.status === 422);
      if (!waiting || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/** The staff of one site, as their tokens would say. */
export class SiteTeam {
  readonly coordinator: { intake: HttpApi };
  readonly counselor: { intake: HttpApi; sessions: HttpApi };
  readonly supervisor: { intake: HttpApi; sessions: HttpApi };
  readonly billing: { sessions: HttpApi };

  constructor(callers: Callers, site: Site) {
    const sites = [site.id];
    this.coordinator = { intake: callers.as('intake', ['intake-coordinator'], sites) };
    const counselorSub = site.counselorIds[0] ?? randomUUID();
    this.counselor = {
      intake: callers.as('intake', ['counselor'], sites, counselorSub),
      sessions: callers.as('sessions', ['counselor'], sites, counselorSub),
    };
    this.supervisor = {
      intake: callers.as('intake', ['clinical-supervisor'], sites, site.supervisorId),
      sessions: callers.as('sessions', ['clinical-supervisor'], sites, site.supervisorId),
    };
    this.billing = { sessions: callers.as('sessions', ['billing'], sites, site.billingId) };
  }
}

/**
 * Drives the cohort through the public APIs only: referral, screenings, ASAM assessment, admission, plan,
 * consents, then weeks of attendance, drug screens and plan reviews documented in the order they happened, and
 * finally the clinicians' decisions on the step-down and step-up reviews the evidence opened. What each client
 * does is planned first (cohort-plan.ts), as of `now`, so the outcome is the same whatever day it runs.
 */
export async function runCohort(
  urls: ServiceUrls,
  receiverUrl: string,
  watch: CareEventWatch,
  say: (line: string) => void,
  options: CohortOptions,
  now: Date = new Date(),
): Promise<CohortResult> {
  const plan = planCohort(
    now,
    options,
    SITE_PLANS.map((site) => site.timeZone),
    IOP_SLOTS,
  );
  const callers = new Callers(urls, localNetworkId(), options.identity);
  say('==> Seeding the network: sites, tracks, staff and group series (scheduling)');
  const network = await seedNetwork(callers, say);
  const teams = new Map(network.sites.map((site) => [site.id, new SiteTeam(callers, site)]));
  const team = (site: Site): SiteTeam => teams.get(site.id) as SiteTeam;
  await watch.waitFor(
    'the reference data on its topic',
    (e) => e.type.endsWith('ProgramTrackUpserted.v1'),
    (m) => m.length >= network.sites.length * 3,
  );
  if (options.networkChanges === true) {
    say("==> The network administrator loads the network's own rule sets (scheduling, to sessions)");
    await loadNetworkRuleSets(callers, watch, say);
  }

  say(`==> Admitting ${plan.clients.length} clients on past dates (intake)`);
  const clients: CohortClient[] = [];
  for (const planned of plan.clients) {
    const site = network.sites[planned.siteIndex] as Site;
    clients.push(await admit(team(site), site, planned));
  }
  await watch.waitFor(
    'the cohort enrolled by scheduling',
    (e) => e.type.endsWith('ClientEnrolled.v1') || e.type.endsWith('ClientWaitlisted.v1'),
    (m) => new Set(m.map((e) => e.subject)).size >= clients.length,
    120_000,
  );

  say('==> Consents: family members and an outside care-coordination system (intake, notifications)');
  await consentsAndSubscriber(callers, network, clients, receiverUrl, options.onWebhookSubscribed);
  // Booked now, ahead of its start (nothing is booked in the past); the family is recorded once it began.
  const familyClient = options.networkChanges === true ? familySessionClient(clients) : undefined;
  const familySession = familyClient && (await bookFamilySession(callers, familyClient));

  say(
    `==> ${options.weeks} weeks of groups: attendance, drug screens, plan reviews, in date order (sessions)`,
  );
  await treatmentWeeks(team, watch, clients, now, say);

  say('==> Some clients revoke their family consent in writing (intake)');
  await revokeSomeConsents(callers, clients, now);

  say('==> Clinicians decide the level-of-care reviews the evidence opened (intake)');
  await decideReviews(team, watch, clients, network, say);

  say('==> Discharges: clients who completed the step-down (intake)');
  const discharged = await dischargeSome(team, watch, clients);
  const weeks = await closedWeeks(team, clients);
  say("==> Each site's biller exports its billable days (sessions)");
  const billing = await billingExports(team, network, clients, now);
  if (familyClient !== undefined && familySession !== undefined) {
    say('==> A family member takes part in a family session (sessions)');
    await recordFamilyParticipant(callers, familyClient, familySession.appointmentId, watch);
  }
  let transferred: CohortClient | undefined;
  if (options.networkChanges === true) {
    // Last: the old clinic's staff no longer see the client (the progress summaries above were read before).
    say('==> A client moves to another clinic of the network (intake, scheduling, sessions, notifications)');
    transferred = await transferOne(callers, network, clients, watch, say);
  }
  return { network, clients, discharged, plannedAt: plan.plannedAt, weeks, transferred, billing };
}

export interface CohortResult {
  readonly network: Network;
  readonly clients: readonly CohortClient[];
  /** Clients discharged (completed) at the end. */
  readonly discharged: readonly CohortClient[];
  /** The moment the cohort was planned for: sessions that ended after it were not documented. */
  readonly plannedAt: string;
  /** Every client's closed weeks, as the counselor's progress summary shows them at the end. */
  readonly weeks: readonly ClosedWeek[];
  /** The client transferred to another clinic at the end, if the cohort had one to move. */
  readonly transferred: CohortClient | undefined;
  /** Each site's billing export over the cohort's weeks, next to what the cohort documented there. */
  readonly billing: readonly SiteBilling[];
}

/** One site's billing export for the cohort's period, and the attendance the cohort documented in it. */
export interface SiteBilling {
  readonly site: Site;
  readonly from: string;
  readonly to: string;
  readonly billedDays: number;
  readonly billedUnits: number;
  readonly codes: ReadonlyMap<string, number>;
  readonly unbilledDays: number;
  readonly unbilledReasons: ReadonlyMap<string, number>;
  /** What the export says the site's attendance records hold. */
  readonly exportedRecords: number;
  readonly exportedMinutes: number;
  /** What the cohort documented at the site in the period. */
  readonly documentedRecords: number;
  readonly documentedMinutes: number;
}

/** One closed week of one client: what the service judged, and what the cohort documented for it. */
export interface ClosedWeek {
  readonly clientId: string;
  readonly weekStart: string;
  readonly attendedMinutes: number;
  readonly requiredMinutes: number;
  readonly short: boolean;
  /** Minutes the cohort documented for the week's sessions. */
  readonly documentedMinutes: number;
}

/** One client from referral to a signed plan: referral, registration, screenings, ASAM assessment, admission. */
export async function admit(team: SiteTeam, site: Site, planned: PlannedClient): Promise<CohortClient> {
  const { n, profile, admittedOn } = planned;
  const intake = team.coordinator.intake;
  const referral = await intake.post<{ id: string }>('/referrals', {
    siteId: site.id,
    source: (['self', 'family', 'physician', 'court', 'employer', 'step-down'] as const)[n % 6],
    reasonCode: n % 3 === 0 ? 'co-occurring' : 'substance-use',
    referrer: { name: `Referrer ${n}`, organization: 'Community Health', phone: '+15550100999' },
  });
  const client = await intake.post<{ id: string }>('/clients', {
    siteId: site.id,
    referralId: referral.id,
    givenName: `Client${n}`,
    familyName: site.name.split(' ')[0] ?? 'Demo',
    dateOfBirth: `19${70 + (n % 25)}-0${1 + (n % 9)}-1${n % 9}`,
    preferredLanguage: n % 5 === 0 ? 'es' : 'en',
    timeZone: site.timeZone,
    phone: `+1555020${String(1000 + n).slice(-4)}`,
    email: `client${n}.${site.id.slice(0, 4)}@mail.example`,
  });
  const completedAt = `${admittedOn}T15:00:00.000Z`;
  const phq = profile === 'struggling' ? [2, 2, 2, 1, 2, 1, 1, 1, 0] : [1, 1, 1, 1, 0, 1, 0, 1, 0];
  await intake.post(`/clients/${client.id}/screenings`, { instrument: 'phq-9', answers: phq, completedAt });
  await intake.post(`/clients/${client.id}/screenings`, {
    instrument: 'dast-10',
    answers: [1, 1, 0, 1, 0, 0, 1, 0, 0, 1],
    completedAt,
  });
  const counselorId = site.counselorIds[n % site.counselorIds.length] ?? site.supervisorId;
  await intake.post(`/clients/${client.id}/assessments`, {
    dimensionRatings: planned.dimensionRatings,
    assessedAt: completedAt,
    overrideLevel: '2.1',
    overrideReason: 'clinical-judgement',
  });
  const episode = await whenProjected(() =>
    intake.post<{ id: string }>(`/clients/${client.id}/admissions`, {
      siteId: site.id,
      programTrackId: site.iopTrackId,
      levelOfCare: '2.1',
      population: 'adult',
      primaryCounselorId: counselorId,
      admittedOn,
      referralId: referral.id,
    }),
  );
  // What a claim needs besides attendance: the treating counselor's diagnoses and the payer's authorization
  // (units counted down from attended billable days, so long stays reach the payer's low-units alert).
  await team.counselor.intake.post(`/episodes/${episode.id}/diagnoses`, {
    diagnosisCodes: n % 3 === 0 ? ['F10.20', 'F32.1'] : ['F11.20'],
    effectiveOn: admittedOn,
  });
  await intake.post(`/episodes/${episode.id}/authorizations`, {
    levelOfCare: '2.1',
    authorizationNumber: `DEMO-${site.name.split(' ')[0] ?? 'SITE'}-${n}`.toUpperCase(),
    payerCode: n % 2 === 0 ? 'state-medicaid' : 'regional-health-plan',
    units: DEMO_AUTHORIZED_DAYS,
    startsOn: admittedOn,
    endsOn: addDays(admittedOn, 90),
  });
  const targetDate = addDays(admittedOn, 84);
  const goal = (description: string, measure: string) => ({
    description,
    objectives: [{ description, measure, targetDate }],
    interventions: [{ description: 'Group and individual counseling', frequency: 'weekly' }],
  });
  const plan = await team.counselor.intake.post<{ id: string; problems: { goals: { id: string }[] }[] }>(
    `/episodes/${episode.id}/plans`,
    {
      problems: [
        {
          description: 'Substance use affecting work and family',
          goals: [
            goal('Maintain abstinence', 'Negative weekly drug screens'),
            goal('Build a relapse-prevention plan', 'Written plan reviewed in group'),
          ],
        },
        {
          description: 'Low mood',
          goals: [goal('Reduce depressive symptoms', 'PHQ-9 below 10'), goal('Daily routine', 'Log kept')],
        },
        { description: 'Isolation', goals: [goal('Reconnect with supports', 'Two peer meetings a week')] },
      ],
    },
  );
  const goalIds = plan.problems.flatMap((p) => p.goals.map((g) => g.id));
  if (goalIds.length !== GOALS_PER_PLAN) {
    throw new Error(`The plan has ${goalIds.length} goals; the cohort plans reviews of ${GOALS_PER_PLAN}`);
  }
  await team.counselor.intake.post(`/plans/${plan.id}/signature`, { clientSignedOn: admittedOn });
  return {
    id: client.id,
    site,
    profile,
    counselorId,
    admittedOn,
    plan: planned,
    episodeId: episode.id,
    planId: plan.id,
    goalIds,
  };
}

/**
 * Disclosures: a family member of every fourth client may hear about attendance and level of care (consent
 * naming them); an outside care-coordination system subscribes to care events, but only the clients who
 * consented to it will reach it — for the others notifications suppresses the delivery (no consent).
 */
async function consentsAndSubscriber(
  callers: Callers,
  network: Network,
  clients: CohortClient[],
  receiverUrl: string,
  onSubscribed: CohortOptions['onWebhookSubscribed'],
): Promise<void> {
  const organisationId = randomUUID();
  const notifications = callers.networkAdmin('notifications');
  const subscription = await notifications.post<{ id: string; secret: string }>('/webhook-subscriptions', {
    organisationId,
    recipientKind: 'care-coordinator',
    purposes: ['care-coordination'],
    // Its consents cover level of care and discharge: recommendations arrive without their evidence, and
    // enrollments, shortfalls and engagement risk (schedule, attendance) are withheld.
    eventTypes: [
      'ClientAdmitted',
      'LevelOfCareChanged',
      'StepDownRecommended',
      'StepUpRecommended',
      'ClientEnrolled',
      'WeeklyHoursShortfall',
      'EngagementRiskDetected',
      'ClientDischarged',
    ],
    url: receiverUrl,
  });
  onSubscribed?.({
    secret: subscription.secret,
    disable: () => notifications.delete(`/webhook-subscriptions/${subscription.id}`),
  });
  for (const [i, client] of clients.entries()) {
    const coordinator = callers.as('intake', ['intake-coordinator'], [client.site.id]);
    const grant = (recipient: object, informationCategories: string[], purposes: string[]) =>
      coordinator.post<{ id: string }>(`/clients/${client.id}/consents`, {
        disclosingProgramId: network.programId,
        informationCategories,
        recipient,
        purposes,
        expiresAt: new Date(Date.now() + 365 * DAY).toISOString(),
        expiresOnEvent: 'discharge',
        signature: { signedBy: 'client', signedOn: client.admittedOn },
        rightToRevokeAcknowledged: true,
      });
    if (i % 4 === 0) {
      const familyMemberId = randomUUID();
      const consent = await grant(
        {
          kind: 'family-member',
          id: familyMemberId,
          name: 'Family member',
          email: `family.${client.id.slice(0, 8)}@mail.example`,
        },
        ['attendance', 'schedule', 'level-of-care'],
        ['family-involvement'],
      );
      client.familyConsentId = consent.id;
      client.familyMemberId = familyMemberId;
    }
    if (i % 3 === 0) {
      await grant(
        { kind: 'care-coordinator', id: organisationId, name: 'County care coordination' },
        ['level-of-care', 'discharge-summary'],
        ['care-coordination'],
      );
    }
  }
}

/** Half the family consents are revoked in writing midway: later updates to those families are suppressed. */
async function revokeSomeConsents(callers: Callers, clients: CohortClient[], now: Date): Promise<void> {
  const withFamily = clients.filter((c) => c.familyConsentId !== undefined);
  for (const client of withFamily.filter((_, i) => i % 2 === 0)) {
    await callers
      .as('intake', ['intake-coordinator'], [client.site.id])
      .post(`/consents/${client.familyConsentId}/revocation`, {
        revokedBy: 'client',
        // Received today at the clinic: its own calendar date.
        receivedOn: localDateOf(now, client.site.timeZone),
      });
  }
}

interface GroupAppointment {
  readonly appointmentId: string;
  readonly occurrenceId: string;
  readonly endsAt: number;
}

/**
 * Each client's group appointments that ended by `now`, by site-local date, once the watch has seen exactly
 * the sessions the plan expects: a plan that disagrees with the schedule is a broken cohort, said plainly.
 */
async function plannedAppointments(
  watch: CareEventWatch,
  clients: readonly CohortClient[],
  now: Date,
): Promise<Map<string, Map<string, GroupAppointment>>> {
  const byId = new Map(clients.map((c) => [c.id, c]));
  const collect = (): Map<string, Map<string, GroupAppointment>> => {
    const found = new Map(clients.map((c) => [c.id, new Map<string, GroupAppointment>()]));
    for (const e of watch.ofType('AppointmentScheduled')) {
      const client = byId.get(String(e.data['clientId']));
      const endsAt = Date.parse(String(e.data['endsAt']));
      if (client === undefined || e.data['kind'] !== 'group' || endsAt > now.getTime()) continue;
      found.get(client.id)?.set(localDateOf(String(e.data['startsAt']), client.site.timeZone), {
        appointmentId: String(e.data['appointmentId']),
        occurrenceId: String(e.data['occurrenceId']),
        endsAt,
      });
    }
    return found;
  };
  const differences = (found: Map<string, Map<string, GroupAppointment>>): string[] =>
    clients.flatMap((client) => {
      const planned = client.plan.sessions.map((s) => s.sessionDate).join(',');
      const scheduled = [...(found.get(client.id)?.keys() ?? [])].sort().join(',');
      return planned === scheduled ? [] : [`${client.id}: planned ${planned}; scheduled ${scheduled}`];
    });
  try {
    await watch.waitFor(
      'the planned sessions scheduled',
      (e) => e.type.endsWith('AppointmentScheduled.v1'),
      () => differences(collect()).length === 0,
      60_000,
    );
  } catch {
    throw new Error(`The schedule differs from the cohort's plan:\n${differences(collect()).join('\n')}`);
  }
  return collect();
}

/**
 * The weeks of treatment, documented as a clinic does: each group's attendance the evening it met, each screen
 * when it was read, each plan review when it was held — all clients together, in the order it happened.
 */
async function treatmentWeeks(
  teams: (site: Site) => SiteTeam,
  watch: CareEventWatch,
  clients: CohortClient[],
  now: Date,
  say: (line: string) => void,
): Promise<void> {
  const appointments = await plannedAppointments(watch, clients, now);
  const steps: { at: number; order: number; run: () => Promise<unknown> }[] = [];
  const groups = new Map<string, { site: Site; endsAt: number; entries: object[] }>();
  for (const client of clients) {
    const team = teams(client.site);
    for (const session of client.plan.sessions) {
      const appointment = appointments.get(client.id)?.get(session.sessionDate) as GroupAppointment;
      const group = groups.get(appointment.occurrenceId) ?? {
        site: client.site,
        endsAt: appointment.endsAt,
        entries: [],
      };
      group.entries.push({ appointmentId: appointment.appointmentId, ...session.attendance });
      groups.set(appointment.occurrenceId, group);
    }
    // MAT clients' medication list, kept by the site's clinical supervisor before their first screen.
    for (const medication of client.plan.medications) {
      steps.push({
        at: Date.parse(`${medication.startsOn}T00:00:00.000Z`),
        order: -1,
        run: () =>
          whenProjected(() =>
            team.supervisor.sessions.post(`/episodes/${client.episodeId}/medications`, {
              medicationCode: medication.medicationCode,
              mat: medication.mat,
              prescriberId: client.site.supervisorId,
              startsOn: medication.startsOn,
              expectedSubstances: medication.expectedSubstances,
            }),
          ),
      });
    }
    for (const screen of client.plan.screens) {
      steps.push({
        at: Date.parse(screen.resultedAt),
        order: 1,
        run: () =>
          whenProjected(() =>
            team.counselor.sessions.post('/drug-screens', {
              episodeId: client.episodeId,
              collectedAt: screen.collectedAt,
              resultedAt: screen.resultedAt,
              result: screen.result,
              substanceCodes: screen.substanceCodes,
            }),
          ),
      });
    }
    for (const review of client.plan.reviews) {
      steps.push({
        at: Date.parse(review.reviewedAt),
        order: 0,
        run: () =>
          team.counselor.intake.post(`/plans/${client.planId}/reviews`, {
            goalsMet: client.goalIds.slice(0, review.goalsMet),
            reviewedAt: review.reviewedAt,
          }),
      });
    }
  }
  for (const [occurrenceId, group] of groups) {
    steps.push({
      at: group.endsAt,
      order: 2,
      run: () =>
        whenProjected(() =>
          teams(group.site).counselor.sessions.put(`/occurrences/${occurrenceId}/attendance`, {
            entries: group.entries,
          }),
        ),
    });
  }
  steps.sort((a, b) => a.at - b.at || a.order - b.order);
  for (const [i, step] of steps.entries()) {
    await step.run();
    if ((i + 1) % 200 === 0) say(`    ${i + 1} of ${steps.length} facts documented`);
  }
  say(`    ${groups.size} group sessions, ${steps.length - groups.size} screens and plan reviews documented`);
}

/** Days a demo authorization covers: fewer than twelve weeks of three evenings, so steady attenders run low. */
const DEMO_AUTHORIZED_DAYS = 30;
/** The longest period one billing export covers (sessions' limit is 92 days). */
const EXPORT_DAYS = 91;

interface BillingExport {
  lines: { code: string; units: number }[];
  unbilled: { reason: string }[];
  reconciliation: {
    attendanceRecords: number;
    attendedMinutes: number;
    billedDays: number;
    billedUnits: number;
  };
}

const tally = (values: readonly string[]): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
};

/**
 * Each site's biller reads the billing export over the cohort's weeks, up to yesterday at the site: it must
 * account for exactly the attendance the cohort documented there (every record and minute, billed or with the
 * reason it is not), which is what a billing office reconciles before it sends claims.
 */
async function billingExports(
  teams: (site: Site) => SiteTeam,
  network: Network,
  clients: readonly CohortClient[],
  now: Date,
): Promise<SiteBilling[]> {
  const results: SiteBilling[] = [];
  for (const site of network.sites) {
    const atSite = clients.filter((client) => client.site.id === site.id);
    if (atSite.length === 0) continue;
    const to = addDays(localDateOf(now, site.timeZone), -1);
    const earliest = atSite.map((client) => client.admittedOn).reduce((a, b) => (a < b ? a : b));
    const from = earliest > addDays(to, -(EXPORT_DAYS - 1)) ? earliest : addDays(to, -(EXPORT_DAYS - 1));
    const exported = await teams(site).billing.sessions.get<BillingExport>(
      `/sites/${site.id}/billing-export?from=${from}&to=${to}`,
    );
    const documented = atSite
      .flatMap((client) => client.plan.sessions)
      .filter((session) => session.sessionDate >= from && session.sessionDate <= to);
    results.push({
      site,
      from,
      to,
      billedDays: exported.reconciliation.billedDays,
      billedUnits: exported.reconciliation.billedUnits,
      codes: tally(exported.lines.map((line) => line.code)),
      unbilledDays: exported.unbilled.length,
      unbilledReasons: tally(exported.unbilled.map((line) => line.reason)),
      exportedRecords: exported.reconciliation.attendanceRecords,
      exportedMinutes: exported.reconciliation.attendedMinutes,
      documentedRecords: documented.length,
      documentedMinutes: documented.reduce((sum, session) => sum + plannedMinutes(session), 0),
    });
  }
  return results;
}

/**
 * Every client's closed weeks as their counselor's progress summary shows them, next to the minutes the cohort
 * documented for each week: a week is short exactly when it holds fewer minutes than its level requires.
 */
async function closedWeeks(teams: (site: Site) => SiteTeam, clients: CohortClient[]): Promise<ClosedWeek[]> {
  const weeks: ClosedWeek[] = [];
  for (const client of clients) {
    const documented = new Map<string, number>();
    for (const session of client.plan.sessions) {
      const week = weekStartOf(session.sessionDate);
      documented.set(week, (documented.get(week) ?? 0) + plannedMinutes(session));
    }
    const summary = await teams(client.site).counselor.sessions.get<{
      weeks: {
        weekStart: string;
        attendedMinutes: number;
        requiredMinutes: number;
        closed: boolean;
        short: boolean;
      }[];
    }>(`/clients/${client.id}/progress`);
    for (const week of summary.weeks.filter((w) => w.closed)) {
      weeks.push({
        clientId: client.id,
        weekStart: week.weekStart,
        attendedMinutes: week.attendedMinutes,
        requiredMinutes: week.requiredMinutes,
        short: week.short,
        documentedMinutes: documented.get(week.weekStart) ?? 0,
      });
    }
  }
  return weeks;
}

/**
 * The clinicians' side of the pathway: each open review (opened by intake from a StepDownRecommended or
 * StepUpRecommended) is approved with the track of the new level, so scheduling moves the client. The plan says
 * who must have one (steady clients a step-down, struggling ones a step-up): those are waited for, so none is
 * left undecided because its review opened a moment after the list was read.
 */
async function decideReviews(
  teams: (site: Site) => SiteTeam,
  watch: CareEventWatch,
  clients: CohortClient[],
  network: Network,
  say: (line: string) => void,
): Promise<void> {
  const expected = new Set(clients.filter((c) => c.profile !== 'average').map((c) => c.id));
  const recommended = await watch.waitFor(
    'a recommendation for every steady and struggling client',
    (e) => e.type.endsWith('StepDownRecommended.v1') || e.type.endsWith('StepUpRecommended.v1'),
    (m) => [...expected].every((id) => m.some((e) => e.subject === id)),
    180_000,
  );
  say(`    ${recommended.length} recommendation(s); reviews are being decided`);
  const ours = new Set(clients.map((c) => c.id));
  for (const site of network.sites) {
    const supervisor = teams(site).supervisor.intake;
    const waitingFor = clients.filter((c) => c.site.id === site.id && expected.has(c.id)).map((c) => c.id);
    // Step-down and step-up reviews; the length-of-stay reviews of clients who reached their track's expected
    // length stay in the queue (a level change or discharge closes them).
    const moves = (page: { items: { id: string; clientId: string; direction: string }[] }) =>
      page.items.filter((r) => r.direction === 'step-down' || r.direction === 'step-up');
    const open = await until(
      'the reviews opened',
      () =>
        supervisor.get<{ items: { id: string; clientId: string; direction: string }[] }>(
          `/sites/${site.id}/reviews?status=open&limit=100`,
        ),
      (page) => waitingFor.every((id) => moves(page).some((r) => r.clientId === id)),
    );
    for (const review of moves(open).filter((r) => ours.has(r.clientId))) {
      const programTrackId = review.direction === 'step-down' ? site.outpatientTrackId : site.phpTrackId;
      await supervisor.post(`/reviews/${review.id}/approve`, { programTrackId });
    }
  }
}

/** Polls `read` until `done` holds (another service's projection catching up); fails after a minute. */
async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Clients who stepped down finish the program: discharged as completed, referred to continuing care. */
async function dischargeSome(
  teams: (site: Site) => SiteTeam,
  watch: CareEventWatch,
  clients: CohortClient[],
): Promise<CohortClient[]> {
  const steady = clients.filter((c) => c.profile === 'steady').map((c) => c.id);
  const changed = await watch.waitFor(
    'the approved step-downs carried out',
    (e) => e.type.endsWith('LevelOfCareChanged.v1') && e.data['reasonCode'] === 'step-down',
    (m) => steady.every((id) => m.some((e) => e.subject === id)),
    120_000,
  );
  const steppedDown = new Set(changed.map((e) => String(e.data['clientId'])));
  // Not those whose family follows their care: their consent ends at discharge (§2.31 expiry on an event),
  // and the family would not hear of the step-down that is still on its way to them.
  const leaving = clients.filter((c) => steppedDown.has(c.id) && c.familyConsentId === undefined).slice(0, 3);
  for (const client of leaving) {
    await teams(client.site).supervisor.intake.post(`/episodes/${client.episodeId}/discharge`, {
      dischargedAt: new Date().toISOString(),
      reason: 'completed',
      referredTo: ['outpatient-therapy', 'alumni-group'],
    });
  }
  return leaving;
}

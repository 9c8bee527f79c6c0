import { randomUUID } from 'node:crypto';
import { type CareEventWatch, type ObservedEvent } from '../client/care-events';
import { ApiError, type HttpApi } from '../client/http-api';
import { localNetworkId } from '../system/local-network';
import { Callers, type Network, type ServiceUrls, type Site, seedNetwork } from './network';

/**
 * How a client's twelve weeks go. Steady clients attend, test negative and meet their goals (step-down);
 * struggling ones miss sessions and test positive (step-up); the rest are in between.
 */
export type Profile = 'steady' | 'struggling' | 'average';

export interface CohortOptions {
  /** Clients per site. */
  readonly clientsPerSite: number;
  /** Weeks of treatment already behind the cohort (admissions spread over the first two). */
  readonly weeks: number;
  /** Random but repeatable: the same seed drives the same cohort. */
  readonly seed: number;
  /** Fixed profiles, cycled over each site's clients (tests); drawn at random when absent. */
  readonly profiles?: readonly Profile[];
  /**
   * Told how to end the outside system's webhook subscription once it exists, so whoever runs the cohort can
   * disable it when its receiver goes away (else a shared database keeps a subscription to a dead address).
   */
  readonly onWebhookSubscribed?: (disable: () => Promise<void>) => void;
}

export const DEMO_COHORT: CohortOptions = { clientsPerSite: 20, weeks: 12, seed: 20_261_124 };

export interface CohortClient {
  readonly id: string;
  readonly site: Site;
  readonly profile: Profile;
  readonly counselorId: string;
  readonly admittedOn: string;
  episodeId: string;
  goalIds: string[];
  planId: string;
  familyConsentId?: string;
  familyMemberId?: string;
}

/** A small deterministic generator (mulberry32): the demo tells the same story each run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const DAY = 86_400_000;
const isoDate = (time: number): string => new Date(time).toISOString().slice(0, 10);

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
class SiteTeam {
  readonly coordinator: { intake: HttpApi };
  readonly counselor: { intake: HttpApi; sessions: HttpApi };
  readonly supervisor: { intake: HttpApi; sessions: HttpApi };

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
  }
}

/**
 * Drives the cohort through the public APIs only: referral, screenings, ASAM assessment, admission, plan,
 * consents, then weeks of attendance, signed group notes, drug screens and plan reviews, and finally the
 * clinicians' decisions on the step-down and step-up reviews the evidence opened.
 */
export async function runCohort(
  urls: ServiceUrls,
  receiverUrl: string,
  watch: CareEventWatch,
  say: (line: string) => void,
  options: CohortOptions = DEMO_COHORT,
): Promise<CohortResult> {
  const rand = random(options.seed);
  const callers = new Callers(urls, localNetworkId());
  say('==> Seeding the network: sites, tracks, staff and group series (scheduling)');
  const network = await seedNetwork(callers, say);
  const teams = new Map(network.sites.map((site) => [site.id, new SiteTeam(callers, site)]));
  const team = (site: Site): SiteTeam => teams.get(site.id) as SiteTeam;
  await watch.waitFor(
    'the reference data on its topic',
    (e) => e.type.endsWith('ProgramTrackUpserted.v1'),
    (m) => m.length >= network.sites.length * 3,
  );

  const start = Date.now() - options.weeks * 7 * DAY;
  say(`==> Admitting ${options.clientsPerSite * network.sites.length} clients on past dates (intake)`);
  const clients: CohortClient[] = [];
  for (const site of network.sites) {
    for (let n = 0; n < options.clientsPerSite; n++) {
      const roll = rand();
      const profile: Profile =
        options.profiles?.[n % options.profiles.length] ??
        (roll < 0.4 ? 'steady' : roll < 0.65 ? 'struggling' : 'average');
      const admittedOn = isoDate(start + Math.floor(rand() * 10) * DAY);
      clients.push(await admit(team(site), site, profile, admittedOn, n));
    }
  }
  await watch.waitFor(
    'the cohort enrolled by scheduling',
    (e) => e.type.endsWith('ClientEnrolled.v1') || e.type.endsWith('ClientWaitlisted.v1'),
    (m) => new Set(m.map((e) => e.subject)).size >= clients.length,
    120_000,
  );

  say('==> Consents: family members and an outside care-coordination system (intake, notifications)');
  await consentsAndSubscriber(callers, network, clients, receiverUrl, options.onWebhookSubscribed);

  say(
    `==> ${options.weeks} weeks of groups: attendance, signed notes, drug screens, plan reviews (sessions)`,
  );
  await treatmentWeeks(team, watch, clients, options, rand, say);

  say('==> Some clients revoke their family consent in writing (intake)');
  await revokeSomeConsents(callers, clients);

  say('==> Clinicians decide the level-of-care reviews the evidence opened (intake)');
  await decideReviews(team, watch, clients, network, say);

  say('==> Discharges: clients who completed the step-down (intake)');
  const discharged = await dischargeSome(team, watch, clients);
  return { network, clients, discharged };
}

export interface CohortResult {
  readonly network: Network;
  readonly clients: readonly CohortClient[];
  /** Clients discharged (completed) at the end. */
  readonly discharged: readonly CohortClient[];
}

async function admit(
  team: SiteTeam,
  site: Site,
  profile: Profile,
  admittedOn: string,
  n: number,
): Promise<CohortClient> {
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
  const ratings = profile === 'struggling' ? [1, 1, 2, 3, 3, 2] : [1, 0, 2, 2, 2, 2];
  const counselorId = site.counselorIds[n % site.counselorIds.length] ?? site.supervisorId;
  await intake.post(`/clients/${client.id}/assessments`, {
    dimensionRatings: ratings,
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
  const targetDate = new Date(Date.parse(admittedOn) + 84 * DAY).toISOString().slice(0, 10);
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
  await team.counselor.intake.post(`/plans/${plan.id}/signature`, { clientSignedOn: admittedOn });
  return {
    id: client.id,
    site,
    profile,
    counselorId,
    admittedOn,
    episodeId: episode.id,
    planId: plan.id,
    goalIds: plan.problems.flatMap((p) => p.goals.map((g) => g.id)),
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
  const subscription = await notifications.post<{ id: string }>('/webhook-subscriptions', {
    organisationId,
    recipientKind: 'care-coordinator',
    purposes: ['care-coordination'],
    eventTypes: ['ClientAdmitted', 'LevelOfCareChanged', 'ClientDischarged'],
    url: receiverUrl,
  });
  onSubscribed?.(() => notifications.delete(`/webhook-subscriptions/${subscription.id}`));
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
async function revokeSomeConsents(callers: Callers, clients: CohortClient[]): Promise<void> {
  const withFamily = clients.filter((c) => c.familyConsentId !== undefined);
  for (const client of withFamily.filter((_, i) => i % 2 === 0)) {
    await callers
      .as('intake', ['intake-coordinator'], [client.site.id])
      .post(`/consents/${client.familyConsentId}/revocation`, {
        revokedBy: 'client',
        receivedOn: new Date().toISOString().slice(0, 10),
      });
  }
}

/** Appointments the watch saw, grouped by occurrence, for sessions already in the past. */
function pastOccurrences(watch: CareEventWatch): Map<string, ObservedEvent[]> {
  const now = Date.now();
  const byOccurrence = new Map<string, ObservedEvent[]>();
  for (const e of watch.ofType('AppointmentScheduled')) {
    if (Date.parse(String(e.data['endsAt'])) > now || e.data['kind'] !== 'group') continue;
    const id = String(e.data['occurrenceId']);
    byOccurrence.set(id, [...(byOccurrence.get(id) ?? []), e]);
  }
  return byOccurrence;
}

async function treatmentWeeks(
  teams: (site: Site) => SiteTeam,
  watch: CareEventWatch,
  clients: CohortClient[],
  options: CohortOptions,
  rand: () => number,
  say: (line: string) => void,
): Promise<void> {
  const byId = new Map(clients.map((c) => [c.id, c]));
  const occurrences = [...pastOccurrences(watch).entries()].sort(
    ([, a], [, b]) => Date.parse(String(a[0]?.data['startsAt'])) - Date.parse(String(b[0]?.data['startsAt'])),
  );
  let recorded = 0;
  for (const [occurrenceId, appointments] of occurrences) {
    const attendees = appointments.filter((a) => byId.has(String(a.data['clientId'])));
    if (attendees.length === 0) continue;
    const site = byId.get(String(attendees[0]?.data['clientId']))?.site as Site;
    const team = teams(site);
    const entries = attendees.map((a) => {
      const client = byId.get(String(a.data['clientId'])) as CohortClient;
      const attendRate = client.profile === 'steady' ? 0.97 : client.profile === 'average' ? 0.8 : 0.45;
      const present = rand() < attendRate;
      const minutes = Math.round(
        (Date.parse(String(a.data['endsAt'])) - Date.parse(String(a.data['startsAt']))) / 60_000,
      );
      return present
        ? { appointmentId: String(a.data['appointmentId']), status: 'present', minutesAttended: minutes }
        : { appointmentId: String(a.data['appointmentId']), status: 'absent', reasonCode: 'no-show' };
    });
    await whenProjected(() =>
      team.counselor.sessions.put(`/occurrences/${occurrenceId}/attendance`, { entries }),
    );
    recorded += 1;
    if (recorded % 50 === 0) say(`    ${recorded} of ${occurrences.length} group sessions recorded`);
  }
  say(`    ${recorded} group sessions recorded`);

  // Weekly drug screens and plan reviews every four weeks, on the dates they happened.
  for (const client of clients) {
    const team = teams(client.site);
    const admitted = Date.parse(client.admittedOn);
    let positives = 0;
    for (let week = 1; week <= options.weeks - 1; week++) {
      const collected = admitted + week * 7 * DAY + 16 * 3_600_000;
      if (collected > Date.now() - DAY) break;
      const lateWeeks = week >= options.weeks - 4;
      const positive =
        client.profile === 'struggling'
          ? lateWeeks && positives < 3
          : client.profile === 'average' && rand() < 0.1;
      if (positive) positives += 1;
      await whenProjected(() =>
        team.counselor.sessions.post('/drug-screens', {
          episodeId: client.episodeId,
          collectedAt: new Date(collected).toISOString(),
          resultedAt: new Date(collected + DAY).toISOString(),
          result: positive ? 'positive' : 'negative',
          substanceCodes: positive ? ['opiates'] : [],
        }),
      );
      if (week % 4 === 0) {
        const met = client.profile === 'steady' ? client.goalIds : client.goalIds.slice(0, week / 4);
        await team.counselor.intake.post(`/plans/${client.planId}/reviews`, {
          goalsMet: met,
          reviewedAt: new Date(collected).toISOString(),
        });
      }
    }
  }
}

/**
 * The clinicians' side of the pathway: each open review (opened by intake from a StepDownRecommended or
 * StepUpRecommended) is approved with the track of the new level, so scheduling moves the client.
 */
async function decideReviews(
  teams: (site: Site) => SiteTeam,
  watch: CareEventWatch,
  clients: CohortClient[],
  network: Network,
  say: (line: string) => void,
): Promise<void> {
  const recommended = await watch
    .waitFor(
      'recommendations from the evidence',
      (e) => e.type.endsWith('StepDownRecommended.v1') || e.type.endsWith('StepUpRecommended.v1'),
      (m) => m.length > 0,
      120_000,
    )
    .catch(() => []);
  say(`    ${recommended.length} recommendation(s) so far; reviews are being decided`);
  const ours = new Set(clients.map((c) => c.id));
  for (const site of network.sites) {
    const supervisor = teams(site).supervisor.intake;
    const page = await supervisor.get<{ items: { id: string; clientId: string; direction: string }[] }>(
      `/sites/${site.id}/reviews?status=open&limit=100`,
    );
    for (const review of page.items.filter((r) => ours.has(r.clientId))) {
      const programTrackId = review.direction === 'step-down' ? site.outpatientTrackId : site.phpTrackId;
      await supervisor.post(`/reviews/${review.id}/approve`, { programTrackId });
    }
  }
}

/** Clients who stepped down finish the program: discharged as completed, referred to continuing care. */
async function dischargeSome(
  teams: (site: Site) => SiteTeam,
  watch: CareEventWatch,
  clients: CohortClient[],
): Promise<CohortClient[]> {
  const changed = await watch
    .waitFor(
      'level-of-care changes',
      (e) => e.type.endsWith('LevelOfCareChanged.v1') && e.data['reasonCode'] === 'step-down',
      (m) => m.length > 0,
      60_000,
    )
    .catch(() => []);
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

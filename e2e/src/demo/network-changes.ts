import { ILLUSTRATIVE_PROGRAM_POLICY, ILLUSTRATIVE_PROGRESS, localDateOf } from '@stepwise/care-rules';
import { type CareEventWatch } from '../client/care-events';
import { ApiError } from '../client/http-api';
import type { CohortClient } from './cohort';
import { type Callers, type Network, type Site } from './network';

/*
 * What a network does besides treating its cohort: its administrator loads the provider's rule sets, a family
 * member takes part in a family session, and a clinician transfers a client to another clinic of the network.
 * Each through the public APIs, each visible to any subscriber as its events.
 */

/** The rule set codes the demo network loads (its own ids; the numbers are the illustrative ones). */
export const DEMO_RULE_SETS = { progress: 'demo-network-progress', programPolicy: 'demo-network-policy' };

/**
 * The network administrator loads the network's own progress rule set and program policy (scheduling, which
 * publishes them to sessions). Their numbers are the illustrative ones — labelled so — so the cohort's planned
 * outcomes hold; from then on every recommendation, screen reading and closed week names these versions.
 */
export async function loadNetworkRuleSets(
  callers: Callers,
  watch: CareEventWatch,
  say: (line: string) => void,
): Promise<void> {
  const admin = callers.networkAdmin('scheduling');
  const loaded = [
    await admin.post<{ ruleSetId: string }>('/care-rule-sets', {
      code: DEMO_RULE_SETS.progress,
      kind: 'progress',
      illustrative: true,
      progress: ILLUSTRATIVE_PROGRESS.progress,
    }),
    await admin.post<{ ruleSetId: string }>('/care-rule-sets', {
      code: DEMO_RULE_SETS.programPolicy,
      kind: 'program-policy',
      illustrative: true,
      programPolicy: ILLUSTRATIVE_PROGRAM_POLICY.programPolicy,
    }),
  ];
  const ids = new Set(loaded.map((set) => set.ruleSetId));
  await watch.waitFor(
    'the rule sets on the reference topic',
    (e) => e.type.endsWith('CareRuleSetLoaded.v1') && ids.has(String(e.data['ruleSetId'])),
    (m) => m.length >= ids.size,
  );
  say(`    loaded ${[...ids].join(' and ')} (in force from now on; sessions applies them)`);
}

/** Retries a call while the receiving service waits for an event it needs (or the session to begin). */
async function whenReady<T>(call: () => Promise<T>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      const waiting = error instanceof ApiError && (error.status === 404 || error.status === 422);
      if (!waiting || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

/** The client whose family session the demo holds: one whose family consent stays (none is revoked). */
export function familySessionClient(clients: readonly CohortClient[]): CohortClient | undefined {
  // revokeSomeConsents revokes every other family consent, starting with the first.
  return clients.filter((c) => c.familyConsentId !== undefined)[1];
}

/**
 * Books a family therapy session (telehealth, with the site's clinical supervisor) starting in `leadSeconds`:
 * appointments cannot be booked in the past, and family members are recorded once the session has begun.
 */
export async function bookFamilySession(
  callers: Callers,
  client: CohortClient,
  leadSeconds = 20,
): Promise<{ appointmentId: string; startsAt: Date }> {
  const site = client.site;
  const scheduler = callers.as(
    'scheduling',
    ['clinical-supervisor', 'site-admin'],
    [site.id],
    site.supervisorId,
  );
  const startsAt = new Date(Date.now() + leadSeconds * 1_000);
  // The site's supervisor, else another of its clinicians when they are booked then: with the realm's fixed
  // staff ids, an earlier demo's family session of the last hour holds the supervisor.
  for (const facilitatorId of [site.supervisorId, ...site.counselorIds]) {
    try {
      const booked = await scheduler.post<{ id: string }>(`/sites/${site.id}/appointments`, {
        clientId: client.id,
        episodeId: client.episodeId,
        kind: 'family',
        sessionType: 'family-therapy',
        facilitatorId,
        videoLink: 'https://video.example/family-session',
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 60 * 60_000).toISOString(),
      });
      return { appointmentId: booked.id, startsAt };
    } catch (error) {
      if (!(error instanceof ApiError && error.problem?.code === 'schedule-conflict')) throw error;
    }
  }
  throw new Error(`Every clinician of ${site.name} is booked at ${startsAt.toISOString()}`);
}

/** The consented family member is recorded present (ids only; never part of the client's hours). */
export async function recordFamilyParticipant(
  callers: Callers,
  client: CohortClient,
  appointmentId: string,
  watch: CareEventWatch,
): Promise<void> {
  const counselor = callers.as('sessions', ['counselor'], [client.site.id], client.counselorId);
  await whenReady(() =>
    counselor.put(`/appointments/${appointmentId}/family-participants`, {
      participants: [{ familyMemberId: client.familyMemberId, status: 'present' }],
    }),
  );
  await watch.waitFor(
    'the family participation recorded',
    (e) => e.type.endsWith('FamilyParticipationRecorded.v1') && e.data['appointmentId'] === appointmentId,
  );
}

/**
 * A client moves to the evening IOP of another clinic of the network (relocation), from today in that clinic's
 * time zone: intake publishes ClientTransferred; scheduling moves the schedule, sessions and notifications
 * follow the client (alerts to the new clinic's staff, the old clinic's reminders cancelled). Chosen among the
 * clients still at level 2.1 with no family following their care; the first one the network has.
 */
export async function transferOne(
  callers: Callers,
  network: Network,
  clients: readonly CohortClient[],
  watch: CareEventWatch,
  say: (line: string) => void,
): Promise<CohortClient | undefined> {
  const moved = new Set(
    watch
      .ofType('LevelOfCareChanged')
      .map((e) => String(e.data['clientId']))
      .concat(watch.ofType('ClientDischarged').map((e) => String(e.data['clientId']))),
  );
  const client = clients.find(
    (c) => c.profile === 'average' && c.familyConsentId === undefined && !moved.has(c.id),
  );
  const to = network.sites.find((site) => site.id !== client?.site.id) as Site | undefined;
  if (client === undefined || to === undefined) return undefined;
  const supervisor = callers.as(
    'intake',
    ['clinical-supervisor'],
    [client.site.id, to.id],
    client.site.supervisorId,
  );
  await whenReady(() =>
    supervisor.post(`/episodes/${client.episodeId}/transfers`, {
      programTrackId: to.iopTrackId,
      reasonCode: 'client-relocation',
      effectiveOn: localDateOf(new Date(), to.timeZone),
    }),
  );
  await watch.waitFor(
    'the transfer carried out by scheduling',
    (e) =>
      e.type.endsWith('ClientEnrolled.v1') && e.data['clientId'] === client.id && e.data['siteId'] === to.id,
    undefined,
    120_000,
  );
  say(`    a client of ${client.site.name} continues at ${to.name} (ClientTransferred)`);
  return client;
}

import { randomUUID } from 'node:crypto';
import { mintToken } from '@stepwise/infra';
import { type Random } from './random';

/** What the client finally knew about one logical request, after its retries. */
export type Outcome =
  /** A 2xx: the write is accepted and must be there. */
  | 'accepted'
  /** A 4xx other than "still in progress": refused, and must have left nothing. */
  | 'rejected'
  /** Never answered definitively (connection cut, timeouts, 5xx, or the key still "in progress" at the end). */
  | 'indeterminate';

/** One logical request and everything the client saw for it: the ledger's line. */
export interface LedgerEntry {
  readonly journey: string;
  readonly step: Step;
  /** The caller (token subject): each journey acts as its own principal, so its records can be found. */
  readonly sub: string;
  readonly method: string;
  readonly path: string;
  readonly idempotencyKey: string;
  readonly startedAt: number;
  endedAt: number;
  outcome: Outcome;
  status: number | undefined;
  /** The created record's id (from a 2xx answer). */
  id: string | undefined;
  /** Each attempt: the replica asked and what came back (status, or the error's name). */
  readonly attempts: { port: number; answer: string; at: number }[];
}

export type Step = 'referral' | 'client' | 'screening' | 'assessment' | 'admission';

export interface SiteSetup {
  readonly networkId: string;
  readonly siteId: string;
  readonly trackId: string;
  readonly counselorId: string;
}

export interface LoadOptions {
  /** Base URLs of each service's replicas (a real client behind a load balancer reaches any of them). */
  readonly intake: readonly string[];
  readonly scheduling: readonly string[];
  readonly workers: number;
  /** Gives up on one request after this long (ms) of retries. */
  readonly requestDeadlineMs: number;
  readonly attemptTimeoutMs: number;
  readonly random: Random;
}

const RETRYABLE_CODES = new Set(['idempotency-request-in-progress']);

/**
 * A client that behaves as a careful real one: one Idempotency-Key per logical create, kept across retries;
 * retries on a timeout, a connection error, a 5xx or a 429, and on "request with this key still in progress",
 * with capped exponential backoff, each retry on the next replica. Every logical request goes in the ledger.
 */
export class LedgerClient {
  readonly ledger: LedgerEntry[] = [];
  private next = 0;

  constructor(private readonly options: LoadOptions) {}

  async call(
    service: 'intake' | 'scheduling',
    journey: string,
    step: Step | 'setup',
    token: { sub: string; value: string },
    method: 'POST' | 'PUT',
    path: string,
    body: unknown,
  ): Promise<LedgerEntry> {
    const entry: LedgerEntry = {
      journey,
      step: step as Step,
      sub: token.sub,
      method,
      path,
      idempotencyKey: randomUUID(),
      startedAt: Date.now(),
      endedAt: 0,
      outcome: 'indeterminate',
      status: undefined,
      id: undefined,
      attempts: [],
    };
    if (step !== 'setup') this.ledger.push(entry);
    const replicas = this.options[service];
    const deadline = entry.startedAt + this.options.requestDeadlineMs;
    let delay = 100;
    for (;;) {
      const base = replicas[this.next++ % replicas.length] as string;
      const port = Number(new URL(base).port);
      let retry = false;
      try {
        const response = await fetch(`${base}/v1${path}`, {
          method,
          headers: {
            authorization: `Bearer ${token.value}`,
            'content-type': 'application/json',
            'idempotency-key': entry.idempotencyKey,
          },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(this.options.attemptTimeoutMs),
        });
        const text = await response.text();
        // Not every answer is the service's JSON (a balancer's own 503 page): its status still counts.
        const parsed = (text.startsWith('{') ? JSON.parse(text) : {}) as { id?: string; code?: string };
        entry.attempts.push({ port, answer: String(response.status), at: Date.now() });
        entry.status = response.status;
        if (response.ok) {
          entry.outcome = 'accepted';
          entry.id = parsed.id;
        } else if (
          response.status >= 500 ||
          response.status === 429 ||
          RETRYABLE_CODES.has(parsed.code ?? '')
        ) {
          entry.outcome = 'indeterminate';
          retry = true;
        } else {
          entry.outcome = 'rejected';
          entry.attempts[entry.attempts.length - 1] = {
            port,
            answer: `${response.status} ${parsed.code ?? ''}`,
            at: Date.now(),
          };
        }
      } catch (error) {
        entry.attempts.push({ port, answer: (error as Error).name, at: Date.now() });
        entry.status = undefined;
        entry.outcome = 'indeterminate';
        retry = true;
      }
      if (!retry || Date.now() + delay > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, this.options.random.jitter(delay)));
      delay = Math.min(delay * 2, 2000);
    }
    entry.endedAt = Date.now();
    return entry;
  }
}

/** A token for `sub` as the identity provider would issue it to an intake coordinator of the site. */
async function coordinatorToken(setup: SiteSetup, sub: string): Promise<{ sub: string; value: string }> {
  return {
    sub,
    value: await mintToken({
      sub,
      roles: ['intake-coordinator'],
      sites: [setup.siteId],
      network: setup.networkId,
      ttlSeconds: 3600,
    }),
  };
}

/**
 * The site the journeys use, through scheduling (the owner of reference data): the site, an IOP track and a
 * counselor. Intake learns them from the reference topic; the first admission waits for that.
 */
export async function seedSite(client: LedgerClient, random: Random): Promise<SiteSetup> {
  const siteId = random.uuid();
  const networkId = random.uuid();
  const sub = random.uuid();
  const admin = {
    sub,
    value: await mintToken({
      sub,
      roles: ['network-admin'],
      sites: [siteId],
      network: networkId,
      ttlSeconds: 3600,
    }),
  };
  const must = (entry: LedgerEntry): LedgerEntry => {
    if (entry.outcome !== 'accepted')
      throw new Error(`Set-up ${entry.path} failed: ${JSON.stringify(entry.attempts)}`);
    return entry;
  };
  must(
    await client.call('scheduling', 'setup', 'setup', admin, 'PUT', `/sites/${siteId}`, {
      name: 'Fault Clinic',
      timeZone: 'America/New_York',
      closures: [],
      active: true,
    }),
  );
  const counselor = must(
    await client.call('scheduling', 'setup', 'setup', admin, 'POST', '/staff', {
      siteIds: [siteId],
      // A clinical supervisor: clients not yet admitted have no counselor, and their urgent alerts go to the site's.
      roles: ['clinical-supervisor', 'counselor'],
      displayName: 'Supervisor F',
      email: 'counselor.f@clinic.example',
      phone: '+15550100001',
      timeZone: 'America/New_York',
      preferredLanguage: 'en',
      active: true,
    }),
  );
  const track = must(
    await client.call('scheduling', 'setup', 'setup', admin, 'POST', `/sites/${siteId}/tracks`, {
      name: 'Adult SUD evening IOP',
      levelOfCare: '2.1',
      population: 'adult',
      modality: 'in-person',
      weeklyPattern: [
        { weekday: 'monday', start: '18:00', minutes: 180, sessionType: 'process-group' },
        { weekday: 'tuesday', start: '18:00', minutes: 180, sessionType: 'relapse-prevention' },
        { weekday: 'thursday', start: '18:00', minutes: 180, sessionType: 'skills-development' },
      ],
      active: true,
    }),
  );
  return { networkId, siteId, trackId: track.id ?? '', counselorId: counselor.id ?? '' };
}

/**
 * One client's way in, each step a create through intake's public API: referral, client record, PHQ-9
 * screening, assessment, admission. A step that was not accepted ends the journey (its successors need its id).
 */
export async function runJourney(
  client: LedgerClient,
  setup: SiteSetup,
  random: Random,
  today: string,
): Promise<void> {
  const journey = random.uuid();
  const token = await coordinatorToken(setup, random.uuid());
  const n = random.int(1000);
  const referral = await client.call('intake', journey, 'referral', token, 'POST', '/referrals', {
    siteId: setup.siteId,
    source: 'self',
    reasonCode: 'substance-use',
    referrer: { name: `Referrer ${n}`, organization: 'Community Health', phone: '+15550100999' },
  });
  if (referral.outcome !== 'accepted') return;
  const registered = await client.call('intake', journey, 'client', token, 'POST', '/clients', {
    siteId: setup.siteId,
    referralId: referral.id,
    givenName: `Client${n}`,
    familyName: 'Fault',
    dateOfBirth: '1980-01-15',
    preferredLanguage: 'en',
    timeZone: 'America/New_York',
    phone: '+15550201000',
    email: `client${n}@mail.example`,
  });
  if (registered.outcome !== 'accepted') return;
  // An hour ago: a screening or assessment can not be dated in the future.
  const completedAt = new Date(Date.now() - 3_600_000).toISOString();
  const screening = await client.call(
    'intake',
    journey,
    'screening',
    token,
    'POST',
    `/clients/${registered.id}/screenings`,
    // One client in three answers item 9 (self-harm): an urgent alert to the site's supervisor by e-mail.
    { instrument: 'phq-9', answers: [1, 1, 1, 1, 0, 1, 0, 1, random.int(3) === 0 ? 1 : 0], completedAt },
  );
  if (screening.outcome !== 'accepted') return;
  const assessment = await client.call(
    'intake',
    journey,
    'assessment',
    token,
    'POST',
    `/clients/${registered.id}/assessments`,
    {
      dimensionRatings: [1, 1, 2, 2, 2, 1],
      assessedAt: completedAt,
      overrideLevel: '2.1',
      overrideReason: 'clinical-judgement',
    },
  );
  if (assessment.outcome !== 'accepted') return;
  await client.call('intake', journey, 'admission', token, 'POST', `/clients/${registered.id}/admissions`, {
    siteId: setup.siteId,
    programTrackId: setup.trackId,
    levelOfCare: '2.1',
    population: 'adult',
    primaryCounselorId: setup.counselorId,
    admittedOn: today,
    referralId: referral.id,
  });
}

/** Waits until intake has projected the site and track (an admission is refused until then). */
export async function waitForProjection(
  client: LedgerClient,
  setup: SiteSetup,
  random: Random,
  today: string,
): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const before = client.ledger.length;
    await runJourney(client, setup, random, today);
    const last = client.ledger[client.ledger.length - 1];
    // The warm-up journeys stay in the ledger: they are accepted writes like any other.
    if (client.ledger.length > before && last?.step === 'admission' && last.outcome === 'accepted') return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error('Intake did not accept an admission within 120 s: the site or track was not projected');
}

/** Runs `workers` journeys at a time until `stop()` resolves. */
export async function runLoad(
  client: LedgerClient,
  setup: SiteSetup,
  random: Random,
  today: string,
  workers: number,
  stopped: () => boolean,
): Promise<void> {
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (!stopped()) await runJourney(client, setup, random, today);
    }),
  );
}

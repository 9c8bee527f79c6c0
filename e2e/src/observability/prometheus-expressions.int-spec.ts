import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SERVICES, Topics } from '@stepwise/contracts';
import {
  type RunningPrometheus,
  ensurePrometheusBinaries,
  startPrometheus,
  workspaceRoot,
} from '@stepwise/infra';
import {
  ALERT_RULES,
  type LiveExpectation,
  type ObservabilityExpression,
  RECORDING_RULES,
  allObservabilityExpressions,
  liveExpectation,
  resolveGrafanaVariables,
} from '@stepwise/observability';
import { freePort, waitFor } from '@stepwise/testing';
import { CareEventWatch } from '../client/care-events';
import { ApiError } from '../client/http-api';
import { sendPoisonRecord } from '../client/poison-record';
import { type PlanOptions } from '../demo/cohort-plan';
import { runCohort } from '../demo/cohort';
import { Callers } from '../demo/network';
import { localNetworkId } from '../system/local-network';
import { type TestSystem, startTestSystem } from '../system/test-system';
import { PrometheusApi } from './prometheus-api';

/*
 * Every dashboard query and every recording and alerting rule, evaluated by a real Prometheus (Debian's
 * package, through tools/infra) that scrapes the four services every second while a cohort goes through the
 * care pathway on their public APIs: admissions, enrollment, attendance, drug screens, plan reviews, consents,
 * notifications, level-of-care reviews decided, discharges. Every expression must parse and execute; those
 * expected to have data (tools/observability/src/live-expectations.ts) must return series, at the end of the run
 * or during it, as a Grafana panel over the run would show; the dead-letter ones, quiet in a healthy run, must
 * return series once a poison record is written to a care topic.
 */

jest.setTimeout(600_000);

/** The smallest cohort that still walks every path: a steady and a struggling client at each of the sites. */
const COHORT: PlanOptions = { clientsPerSite: 2, weeks: 8, seed: 7, profiles: ['steady', 'struggling'] };
const SCRAPE_SECONDS = 1;

interface Checked {
  readonly expression: ObservabilityExpression;
  readonly expectation: LiveExpectation;
}

const expressions: Checked[] = allObservabilityExpressions().map((expression) => ({
  expression,
  expectation: liveExpectation(expression),
}));
let env: TestSystem | undefined;
let prometheus: RunningPrometheus | undefined;
let watch: CareEventWatch | undefined;
let api: PrometheusApi;
let siteIds: string[] = [];
/** The run, in Prometheus's seconds: from the first scrape to the end of the cohort. */
let runStart = 0;
let runEnd = 0;
/** Series each expression returned at the end of the run. */
const atEnd = new Map<string, number>();
const startedAt = Date.now();
/** What each expression returned, written next to the services' logs (the figures of docs/observability.md). */
const report: string[] = [];
const reportFile = (): string =>
  join(workspaceRoot(), '.infra', 'e2e', env?.run ?? 'unstarted', 'prometheus-expressions.txt');

beforeAll(async () => {
  try {
    ensurePrometheusBinaries();
  } catch (error) {
    // Never skipped: without a real Prometheus the expressions are unchecked, and that is a failure.
    throw new Error(
      `This test needs a real Prometheus (Debian's prometheus package, fetched by tools/infra) and could not get one: ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
  }
  env = await startTestSystem('prom');
  const { urls } = env.system;
  prometheus = await startPrometheus({
    targets: SERVICES.map((service) => ({ service, url: urls[service] })),
    port: await freePort(),
    dataDir: mkdtempSync(join(tmpdir(), 'stepwise-prometheus-')),
    intervalSeconds: SCRAPE_SECONDS,
    removeDataDirOnStop: true,
  });
  api = new PrometheusApi(prometheus.url);
  await waitFor(
    'Prometheus scraping all four services',
    () => api.targets(),
    (targets) => targets.length === SERVICES.length && targets.every((t) => t.health === 'up'),
    30_000,
  );
  runStart = Date.now() / 1000;
  watch = await CareEventWatch.start(env.brokers, env.prefix);
  const cohort = await runCohort(urls, env.receiver.url, watch, () => undefined, COHORT);
  siteIds = cohort.network.sites.map((site) => site.id);
  // The last consequences of the cohort: the staff alerts and family updates sent.
  await watch.waitFor(
    'a notification sent',
    (e) => e.type.endsWith('NotificationSent.v1'),
    undefined,
    120_000,
  );
  await refusedRequests(urls.intake, siteIds[0] ?? '');
  runEnd = await scrapedPast(Date.now() / 1000);
});

afterAll(async () => {
  await watch?.stop();
  await prometheus?.stop();
  await env?.stop();
  report.push(`${Math.round((Date.now() - startedAt) / 1000)} s in all`);
  mkdirSync(dirname(reportFile()), { recursive: true });
  writeFileSync(reportFile(), `${report.join('\n')}\n`);
  process.stdout.write(`Prometheus expression check: ${report[0] ?? ''}; details in ${reportFile()}\n`);
});

/**
 * A day at a clinic has its refused requests too: one without a token (401) and one a validation rejects (400),
 * each answered application/problem+json — the error panels must show them.
 */
async function refusedRequests(intakeUrl: string, siteId: string): Promise<void> {
  const anonymous = await fetch(`${intakeUrl}/v1/referrals`, { method: 'POST' });
  expect(anonymous.status).toBe(401);
  const coordinator = new Callers(
    { intake: intakeUrl, scheduling: '', sessions: '', notifications: '' },
    localNetworkId(),
  ).as('intake', ['intake-coordinator'], [siteId]);
  const invalid = await coordinator
    .post('/referrals', { siteId, source: 'carrier-pigeon' })
    .catch((e: unknown) => e);
  expect(invalid).toBeInstanceOf(ApiError);
  expect((invalid as ApiError).status).toBe(400);
}

/** Waits until Prometheus has scraped every service and evaluated the rules after `time`; returns that moment. */
async function scrapedPast(time: number): Promise<number> {
  const past = async (): Promise<boolean> => {
    const [scrapes, evaluations] = await Promise.all([api.targets(), api.rules()]);
    const lastScrapes = scrapes.map((t) => Date.parse(t.lastScrape));
    return (
      lastScrapes.every((at) => at / 1000 > time + SCRAPE_SECONDS) &&
      evaluations.every((rule) => Date.parse(rule.lastEvaluation) / 1000 > time + SCRAPE_SECONDS)
    );
  };
  await waitFor('scrapes and rule evaluations after the run', past, (done) => done, 20_000);
  return Date.now() / 1000;
}

const describeExpectation = (e: LiveExpectation): string =>
  e.kind === 'data'
    ? 'data'
    : e.kind === 'planned'
      ? `planned metric ${e.metrics.join(', ')}`
      : `quiet: ${e.reason}`;

describe('Prometheus with the project rules, scraping the four services during a cohort', () => {
  it('loads every recording and alerting rule and evaluates each without an error', async () => {
    const rules = await api.rules();
    expect(rules.map((rule) => rule.name).sort()).toEqual(
      [...RECORDING_RULES.map((r) => r.record), ...ALERT_RULES.map((r) => r.alert)].sort(),
    );
    expect(rules.filter((rule) => rule.health !== 'ok')).toEqual([]);
  });

  it('executes every dashboard query and rule expression', async () => {
    const failures: string[] = [];
    for (const { expression } of expressions) {
      try {
        atEnd.set(expression.id, (await api.query(expression.expr, runEnd)).length);
      } catch (error) {
        failures.push(`${expression.id}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(atEnd.size).toBe(expressions.length);
  });

  it('returns series for every expression expected to have data, at the end of the run or during it', async () => {
    const empty: string[] = [];
    const lines: string[] = [];
    for (const { expression, expectation } of expressions) {
      let series = atEnd.get(expression.id) ?? 0;
      let when = 'at the end';
      if (series === 0) {
        series = await api.queryRange(expression.expr, runStart, runEnd, 2);
        when = 'during the run';
      }
      if (series === 0 && expectation.kind === 'data') empty.push(expression.id);
      lines.push(
        `${series > 0 ? `data ${when}`.padEnd(20) : 'empty'.padEnd(20)} ${expression.id} (${describeExpectation(expectation)})`,
      );
    }
    const withData = lines.filter((line) => line.startsWith('data')).length;
    report.unshift(`${expressions.length} expressions checked, ${withData} returned data`, ...lines.sort());
    expect(empty).toEqual([]);
  });

  it('executes the site and service queries with one site and one service chosen, as a user would', async () => {
    const [site] = siteIds;
    const chosen = { $site: site ?? '', $service: 'sessions' };
    const failures: string[] = [];
    let withData = 0;
    const variableQueries = expressions.filter(({ expression }) =>
      /\$\{?(site|service)\b/.test(expression.written),
    );
    // The site variable lists the sites of this run (label values of its selector).
    const sites = await api.query('count by (site) (stepwise_active_clients{job="stepwise"})', runEnd);
    expect(sites.map((s) => s.metric['site']).sort()).toEqual([...siteIds].sort());
    for (const { expression, expectation } of variableQueries) {
      try {
        const expr = resolveGrafanaVariables(expression.written, chosen);
        const series = (await api.query(expr, runEnd)).length;
        if (series > 0) withData += 1;
        if (expectation.kind === 'data' && (atEnd.get(expression.id) ?? 0) > 0 && series === 0) {
          // One site or service need not have every kind of series (its errors, its consumers): reported only.
          report.push(`no data with one site/service chosen: ${expression.id}`);
        }
      } catch (error) {
        failures.push(`${expression.id}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(withData).toBeGreaterThan(0);
  });

  it('returns the dead letters, and fires DeadLetterRecorded, once a poison record reaches a care topic', async () => {
    const proven = expressions.filter(
      ({ expectation }) => expectation.kind === 'quiet' && expectation.provenBy === 'poison-record',
    );
    expect(proven.map(({ expression }) => expression.id)).toEqual(
      expect.arrayContaining(['alert/DeadLetterRecorded']),
    );
    await sendPoisonRecord(env?.brokers ?? [], `${env?.prefix ?? ''}${Topics.IntakeEvents}`);
    const dead = await waitFor(
      'the poison record dead-lettered',
      () => Promise.resolve(watch?.deadLetters ?? []),
      (letters) => letters.length > 0,
      30_000,
    );
    expect(dead[0]?.reason).toBe('contract-violation');
    for (const { expression } of proven) {
      const series = await waitFor(
        `${expression.id} to return the dead letter`,
        () => api.query(expression.expr),
        (result) => result.length > 0,
        30_000,
      );
      expect(series[0]?.metric).toMatchObject({ reason: 'contract-violation' });
    }
    const alerts = await waitFor(
      'DeadLetterRecorded to fire',
      () => api.alerts(),
      (list) => list.some((a) => a.labels['alertname'] === 'DeadLetterRecorded' && a.state === 'firing'),
      30_000,
    );
    const fired = alerts.find((a) => a.labels['alertname'] === 'DeadLetterRecorded');
    expect(fired?.labels).toMatchObject({ reason: 'contract-violation' });
  });
});

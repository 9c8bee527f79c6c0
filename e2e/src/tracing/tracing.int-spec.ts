import { join } from 'node:path';
import { type LocalZipkin, freePort, startZipkin, workspaceRoot } from '@stepwise/infra';
import { CareEventWatch } from '../client/care-events';
import { SiteTeam, admit } from '../demo/cohort';
import { planCohort } from '../demo/cohort-plan';
import { Callers, IOP_SLOTS, SITE_PLANS, seedNetwork } from '../demo/network';
import { localNetworkId } from '../system/local-network';
import { type TestSystem, startTestSystem } from '../system/test-system';

/*
 * Traces exported end to end: the four services as processes with OTEL_TRACES_EXPORTER=zipkin, a real Zipkin
 * server (Maven Central's exec jar) as the collector. One admission through intake's API must come back from
 * Zipkin's API as one trace spanning intake (HTTP, use case, outbox), the Kafka hop (the relay's producer
 * span, the consumer's span) and scheduling (enrollment and the appointments it schedules) — and no span of
 * any trace may carry the client's name, birth date, contacts, plan text or a bearer token.
 */

jest.setTimeout(300_000);

interface ZipkinSpan {
  readonly traceId: string;
  readonly id: string;
  readonly parentId?: string;
  readonly name?: string;
  readonly kind?: 'CLIENT' | 'SERVER' | 'PRODUCER' | 'CONSUMER';
  readonly localEndpoint?: { readonly serviceName?: string };
  readonly tags?: Readonly<Record<string, string>>;
  readonly annotations?: readonly { readonly value: string }[];
}

let zipkin: LocalZipkin | undefined;
let env: TestSystem | undefined;
let watch: CareEventWatch | undefined;

afterAll(async () => {
  await watch?.stop();
  const codes = await env?.stop();
  await zipkin?.stop();
  // Tracing changes nothing of an orderly stop (the last spans are flushed within it).
  expect(codes).toEqual({ intake: 0, scheduling: 0, sessions: 0, notifications: 0 });
});

async function zipkinJson<T>(path: string): Promise<T | undefined> {
  const response = await fetch(`${zipkin?.url}${path}`);
  return response.ok ? ((await response.json()) as T) : undefined;
}

/** Polls Zipkin until `done` holds for the trace (spans arrive in batches, from four processes). */
async function traceUntil(traceId: string, done: (spans: ZipkinSpan[]) => boolean): Promise<ZipkinSpan[]> {
  const deadline = Date.now() + 60_000;
  let spans: ZipkinSpan[] = [];
  while (Date.now() < deadline) {
    spans = (await zipkinJson<ZipkinSpan[]>(`/api/v2/trace/${traceId}`)) ?? [];
    if (done(spans)) return spans;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return spans;
}

const of = (spans: ZipkinSpan[], service: string, kind?: ZipkinSpan['kind'], name?: RegExp): ZipkinSpan[] =>
  spans.filter(
    (s) =>
      s.localEndpoint?.serviceName === service &&
      (kind === undefined || s.kind === kind) &&
      (name === undefined || name.test(s.name ?? '')),
  );

it('shows one admission as one trace across intake, Kafka and scheduling, without PHI', async () => {
  const started = Date.now();
  // Zipkin starts while the services migrate and start: their first spans come once it answers.
  const zipkinPort = await freePort();
  const zipkinStarted = startZipkin({
    port: zipkinPort,
    logFile: join(workspaceRoot(), '.infra', 'e2e', `zipkin-${zipkinPort}.log`),
  });
  const systemStarted = startTestSystem('tracing', {
    OTEL_TRACES_EXPORTER: 'zipkin',
    OTEL_EXPORTER_ZIPKIN_ENDPOINT: `http://127.0.0.1:${zipkinPort}/api/v2/spans`,
  });
  [zipkin, env] = await Promise.all([zipkinStarted, systemStarted]);
  const { system } = env;
  watch = await CareEventWatch.start(env.brokers, env.prefix);
  const systemAfter = Math.round((Date.now() - started) / 1000);

  // Admission → enrollment → appointments, through the public APIs as the demo's cohort does it.
  const callers = new Callers(system.urls, localNetworkId());
  const network = await seedNetwork(callers, () => undefined);
  const plan = planCohort(
    new Date(),
    { clientsPerSite: 1, weeks: 8, seed: 11, profiles: ['steady'] },
    SITE_PLANS.map((site) => site.timeZone),
    IOP_SLOTS,
  );
  const planned = plan.clients[0];
  const site = planned === undefined ? undefined : network.sites[planned.siteIndex];
  if (planned === undefined || site === undefined) throw new Error('The plan has no client');
  const team = new SiteTeam(callers, site);
  const client = await admit(team, site, planned);
  const [admitted] = await watch.waitFor(
    'ClientAdmitted',
    (e) => e.type.endsWith('ClientAdmitted.v1') && e.subject === client.id,
  );
  await watch.waitFor(
    'the enrollment and its appointments',
    (e) => e.subject === client.id && /\.(ClientEnrolled|AppointmentScheduled)\.v1$/.test(e.type),
    (m) => m.some((e) => e.type.endsWith('ClientEnrolled.v1')) && m.length > 1,
  );

  // The admission's trace, as its event carried it to every subscriber, found through Zipkin's API.
  const traceId = admitted?.traceparent.split('-')[1] ?? '';
  expect(traceId).toMatch(/^[0-9a-f]{32}$/);
  const admittedAfter = Math.round((Date.now() - started) / 1000);
  const spans = await traceUntil(
    traceId,
    (all) =>
      of(all, 'intake', 'SERVER').length > 0 &&
      of(all, 'intake', 'PRODUCER', /^publish clientadmitted$/).length > 0 &&
      of(all, 'scheduling', 'CONSUMER', /^apply clientadmitted$/).length > 0 &&
      of(all, 'scheduling', 'PRODUCER', /^publish appointmentscheduled$/).length > 0,
  );
  const summary = spans.map((s) => `${s.localEndpoint?.serviceName} ${s.kind ?? 'INTERNAL'} ${s.name}`);
  process.stdout.write(
    `System up after ${systemAfter} s; trace ${traceId}: ${spans.length} spans in ${new Set(summary.map((s) => s.split(' ')[0])).size} services, ` +
      `admitted and enrolled after ${admittedAfter} s, trace complete after ${Math.round((Date.now() - started) / 1000)} s\n${[...new Set(summary)].sort().join('\n')}\n`,
  );

  // intake: the HTTP request, its handler, the use case's transaction and the outbox append …
  const [request] = of(spans, 'intake', 'SERVER');
  expect(request?.name).toBe('post /v1/clients/:clientid/admissions');
  expect(request?.tags?.['http.route']).toBe('/v1/clients/:clientId/admissions');
  expect(of(spans, 'intake', undefined, /^clientscontroller\.|^episodescontroller\./).length).toBeGreaterThan(
    0,
  );
  expect(of(spans, 'intake', undefined, /^use case transaction$/)).toHaveLength(1);
  const [append] = of(spans, 'intake', undefined, /^outbox append clientadmitted$/);
  expect(append?.tags?.['stepwise.event.type']).toBe('ClientAdmitted');
  expect(of(spans, 'intake', 'CLIENT', /^pg\.query/).length).toBeGreaterThan(0);
  // … the Kafka hop: intake's relay publishes in the admission's trace, scheduling consumes in it …
  const [publish] = of(spans, 'intake', 'PRODUCER', /^publish clientadmitted$/);
  expect(publish?.parentId).toBe(append?.id);
  expect(publish?.tags).toMatchObject({
    'stepwise.event.id': admitted?.id,
    'messaging.destination.name': admitted?.topic,
    'messaging.system': 'kafka',
  });
  const [consume] = of(spans, 'scheduling', 'CONSUMER', /^apply clientadmitted$/);
  expect(consume?.parentId).toBe(publish?.id);
  expect(consume?.tags).toMatchObject({
    'stepwise.event.id': admitted?.id,
    'stepwise.consumer': 'scheduling',
    'messaging.destination.partition.id': expect.stringMatching(/^\d+$/),
  });
  // … and scheduling: the enrollment's queries and its events, published in the same trace again.
  expect(of(spans, 'scheduling', 'CLIENT', /^pg\.query/).length).toBeGreaterThan(0);
  expect(of(spans, 'scheduling', undefined, /^outbox append/).length).toBeGreaterThan(0);
  expect(of(spans, 'scheduling', 'PRODUCER', /^publish clientenrolled$/)).toHaveLength(1);
  expect(of(spans, 'scheduling', 'PRODUCER', /^publish appointmentscheduled$/).length).toBeGreaterThan(0);
  expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([traceId]));

  // No PHI in any span of any trace: what the client and the plan say, as intake's API answers it.
  const person = await team.coordinator.intake.get<Record<string, unknown>>(`/clients/${client.id}`);
  const planText = await team.counselor.intake.get<{ problems: { description: string }[] }>(
    `/plans/${client.planId}`,
  );
  const phi = [
    person['givenName'],
    person['familyName'],
    person['dateOfBirth'],
    person['phone'],
    person['email'],
    ...planText.problems.map((p) => p.description),
  ].map(String);
  expect(phi.every((value) => value.length >= 5)).toBe(true);
  const everything: ZipkinSpan[] = [];
  for (const service of ['intake', 'scheduling', 'sessions', 'notifications']) {
    const traces =
      (await zipkinJson<ZipkinSpan[][]>(
        `/api/v2/traces?serviceName=${service}&limit=100000&lookback=${Date.now() - started + 60_000}`,
      )) ?? [];
    everything.push(...traces.flat());
  }
  expect(everything.length).toBeGreaterThanOrEqual(spans.length);
  const leaks = everything.flatMap((span) => {
    const text = JSON.stringify([span.name, span.tags, span.annotations]);
    const found = [...phi, client.id, 'Bearer ', 'eyJ'].filter((value) => text.includes(value));
    return found.length === 0 ? [] : [`${span.localEndpoint?.serviceName} ${span.name}: ${found.join(', ')}`];
  });
  expect(leaks).toEqual([]);
  // Nor the client's id (a record key), nor a URL with its path or query: the route template stands for them.
  const keys = new Set(everything.flatMap((span) => Object.keys(span.tags ?? {})));
  for (const key of ['http.url', 'http.target', 'url.full', 'url.query', 'messaging.kafka.message.key']) {
    expect(keys).not.toContain(key);
  }
  // Probes and scrapes make no spans.
  expect(everything.filter((span) => /health|metrics/.test(span.tags?.['http.route'] ?? ''))).toEqual([]);
});

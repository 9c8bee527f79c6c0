/**
 * Scheduling benchmark: the initial four-week horizon of a network (default 500 sites × 60 clients: three
 * evening groups and a weekly individual session each, about 480,000 appointments and as many
 * AppointmentScheduled events in the outbox), persisted in a fresh Postgres database through the service's
 * own generation code (ExtendHorizon, one transaction per site), then one daily extension. The same network at
 * 25 % and 50 % of the clients, in the same run, shows how the cost grows; a small untimed network first warms
 * the process up, so the first measured size does not pay for it. Prints time, rows/s and peak memory; exits 1
 * when a target is missed (initial <= 60 s and extension <= 15 s at full size, and linear growth: doubling the
 * clients at most 2.5× the time).
 *
 *   npm run bench:scheduling [-- --sites 500 --clients 60]
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { bootstrapDatabase, dropDatabase, ensureInfrastructure } from '@stepwise/infra';
import { Outbox, UnitOfWork } from '@stepwise/messaging';
import { dataSourceOptions, runMigrations } from '@stepwise/platform';
import { DataSource } from 'typeorm';
import { CareRulesRepository } from '../src/care-rules/care-rules.repository';
import { schedulingMigrations } from '../src/migrations';
import { ExtendHorizon } from '../src/schedule/extend-horizon';
import { ScheduleGenerator } from '../src/schedule/schedule-generator';
import { ScheduleRepository } from '../src/schedule/schedule.repository';
import { SCHEDULING_SCHEMA } from '../src/scheduling.schema';

const { values: args } = parseArgs({
  options: {
    sites: { type: 'string', default: '500' },
    clients: { type: 'string', default: '60' },
  },
});
const SITES = Number(args.sites);
const CLIENTS = Number(args.clients);
const TARGET_INITIAL_S = 60;
const TARGET_EXTENSION_S = 15;
/** Doubling the clients may cost at most this much more time; above it, growth is worse than linear. */
const MAX_DOUBLING_FACTOR = 2.5;
const FRACTIONS = [0.25, 0.5, 1] as const;
/** A Tuesday noon UTC: the horizon runs to the Tuesday four weeks later. */
const NOW = new Date('2026-12-01T12:00:00Z');
const DAY_MS = 86_400_000;
const ZONES = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles'];
const S = `"${SCHEDULING_SCHEMA}"`;

interface Measured {
  seconds: number;
  appointments: number;
  events: number;
  peakRssMiB: number;
  peakHeapMiB: number;
  /** Checkpoints the server began during the run, by anyone (after each, a page changed next is logged whole). */
  checkpoints: number;
}

/** Samples memory while `work` runs; peak RSS and heap of this process (the database is another process). */
async function measure(
  work: () => Promise<unknown>,
  count: () => Promise<[number, number, number]>,
): Promise<Measured> {
  const [appointmentsBefore, eventsBefore, checkpointsBefore] = await count();
  global.gc?.();
  let peakRss = process.memoryUsage().rss;
  let peakHeap = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 50);
  const started = process.hrtime.bigint();
  try {
    await work();
  } finally {
    clearInterval(sampler);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const [appointments, events, checkpoints] = await count();
  return {
    seconds,
    appointments: appointments - appointmentsBefore,
    events: events - eventsBefore,
    checkpoints: checkpoints - checkpointsBefore,
    peakRssMiB: peakRss / 2 ** 20,
    peakHeapMiB: peakHeap / 2 ** 20,
  };
}

/**
 * The network as admissions would have left it, written in bulk (not timed): sites in four zones, one
 * track each with groups Monday, Tuesday and Wednesday 18:00–21:00 (capacity = clients per site) and an
 * individual counseling slot on Thursday, staff, enrollments, seats, and one individual series per client
 * (with one of six counselors per site, on the hour from 09:00).
 */
async function seed(owner: DataSource, sites: number, clients: number): Promise<void> {
  // Deterministic ids shaped as UUIDv4 (the contracts validate versions), from a name.
  await owner.query(`
    CREATE FUNCTION ${S}.bench_uuid(name text) RETURNS uuid LANGUAGE sql IMMUTABLE AS
    $$ SELECT overlay(overlay(md5(name) placing '4' from 13) placing '8' from 17)::uuid $$`);
  await owner.query(
    `
    INSERT INTO ${S}.sites (id, network_id, name, time_zone, closures, active)
    SELECT ${S}.bench_uuid('site' || s), ${S}.bench_uuid('network'), 'Site ' || s, ($1::text[])[1 + s % 4], '{}', true
      FROM generate_series(1, $2) s`,
    [ZONES, sites],
  );
  await owner.query(
    `
    INSERT INTO ${S}.program_tracks (id, site_id, name, level_of_care, population, modality, weekly_pattern, active)
    SELECT ${S}.bench_uuid('track' || s), ${S}.bench_uuid('site' || s), 'Adult evening', '2.1', 'adult', 'in-person', $1::jsonb, true
      FROM generate_series(1, $2) s`,
    [
      JSON.stringify([
        { weekday: 'monday', start: '18:00', minutes: 180, sessionType: 'process-group' },
        { weekday: 'tuesday', start: '18:00', minutes: 180, sessionType: 'relapse-prevention' },
        { weekday: 'wednesday', start: '18:00', minutes: 180, sessionType: 'skills-development' },
        { weekday: 'thursday', start: '09:00', minutes: 60, sessionType: 'individual-counseling' },
      ]),
      sites,
    ],
  );
  await owner.query(
    `
    INSERT INTO ${S}.staff_members (id, network_id, site_ids, roles, display_name, time_zone, preferred_language, active)
    SELECT ${S}.bench_uuid('staff' || s || '/' || k), ${S}.bench_uuid('network'), ARRAY[${S}.bench_uuid('site' || s)], '{counselor}',
           'Staff ' || k, 'America/New_York', 'en', true
      FROM generate_series(1, $1) s, generate_series(0, 6) k`,
    [sites],
  );
  await owner.query(
    `
    INSERT INTO ${S}.group_series (id, site_id, program_track_id, kind, session_type, weekday, start_time, minutes,
                                   facilitator_id, room, modality, capacity, starts_on)
    SELECT ${S}.bench_uuid('series' || s || '/' || g), ${S}.bench_uuid('site' || s), ${S}.bench_uuid('track' || s), 'group',
           (ARRAY['process-group','relapse-prevention','skills-development'])[g],
           (ARRAY['monday','tuesday','wednesday'])[g], '18:00', 180, ${S}.bench_uuid('staff' || s || '/0'),
           'Room ' || g, 'in-person', $2, '2026-11-01'
      FROM generate_series(1, $1) s, generate_series(1, 3) g`,
    [sites, clients],
  );
  await owner.query(
    `
    INSERT INTO ${S}.enrollments (id, episode_id, client_id, site_id, program_track_id, level_of_care, population,
                                  primary_counselor_id, starts_on)
    SELECT ${S}.bench_uuid('enrollment' || s || '/' || c), ${S}.bench_uuid('episode' || s || '/' || c),
           ${S}.bench_uuid('client' || s || '/' || c), ${S}.bench_uuid('site' || s), ${S}.bench_uuid('track' || s), '2.1', 'adult',
           ${S}.bench_uuid('staff' || s || '/' || (1 + c % 6)), '2026-11-02'
      FROM generate_series(1, $1) s, generate_series(1, $2) c`,
    [sites, clients],
  );
  await owner.query(
    `
    INSERT INTO ${S}.group_series (id, site_id, program_track_id, kind, session_type, weekday, start_time, minutes,
                                   facilitator_id, modality, capacity, starts_on)
    SELECT ${S}.bench_uuid('individual' || s || '/' || c), ${S}.bench_uuid('site' || s), ${S}.bench_uuid('track' || s), 'individual',
           'individual-counseling', 'thursday', lpad((9 + c / 6 % 12)::text, 2, '0') || ':00', 60,
           ${S}.bench_uuid('staff' || s || '/' || (1 + c % 6)), 'in-person', 1, '2026-11-02'
      FROM generate_series(1, $1) s, generate_series(1, $2) c`,
    [sites, clients],
  );
  await owner.query(
    `
    INSERT INTO ${S}.series_members (id, series_id, enrollment_id, client_id, episode_id, status, joined_on)
    SELECT gen_random_uuid(), x.series_id, ${S}.bench_uuid('enrollment' || s || '/' || c), ${S}.bench_uuid('client' || s || '/' || c),
           ${S}.bench_uuid('episode' || s || '/' || c), 'seated', '2026-11-02'
      FROM generate_series(1, $1) s, generate_series(1, $2) c,
           LATERAL (SELECT ${S}.bench_uuid('series' || s || '/' || g) AS series_id FROM generate_series(1, 3) g
                    UNION ALL SELECT ${S}.bench_uuid('individual' || s || '/' || c)) x`,
    [sites, clients],
  );
  await owner.query(`DROP FUNCTION ${S}.bench_uuid(text)`);
  await owner.query(`ANALYZE`);
}

async function run(
  adminUrl: string,
  sites: number,
  clients: number,
): Promise<{ initial: Measured; extension: Measured }> {
  const database = `stepwise_bench_sched_${randomBytes(3).toString('hex')}`;
  const [db] = (await bootstrapDatabase(adminUrl, database)).filter((d) => d.service === 'scheduling');
  if (db === undefined) throw new Error('no scheduling schema');
  await runMigrations(db.migrationUrl, 'bench', {
    schema: SCHEDULING_SCHEMA,
    migrations: schedulingMigrations,
  });
  const owner = await new DataSource(
    dataSourceOptions(db.migrationUrl, {
      schema: SCHEDULING_SCHEMA,
      migrations: [],
      applicationName: 'bench-seed',
      poolSize: 2,
    }),
  ).initialize();
  const dataSource = await new DataSource(
    dataSourceOptions(db.url, {
      schema: SCHEDULING_SCHEMA,
      migrations: [],
      applicationName: 'bench',
      poolSize: 4,
    }),
  ).initialize();
  try {
    await seed(owner, sites, clients);
    const repository = new ScheduleRepository(dataSource);
    const extension = new ExtendHorizon(
      new UnitOfWork(dataSource, new Outbox(SCHEDULING_SCHEMA)),
      repository,
      new ScheduleGenerator(repository, new CareRulesRepository(dataSource)),
    );
    // A shared server checkpoints whenever anyone drops a database (PostgreSQL 15 forces one) or writes a
    // max_wal_size of WAL: counted per run, as the load is, to tell a slow run's cause.
    const count = async (): Promise<[number, number, number]> => {
      const [row] = await dataSource.query<{ a: string; e: string; c: string }[]>(
        `SELECT (SELECT count(*) FROM ${S}.appointments) AS a, (SELECT count(*) FROM ${S}.outbox) AS e,
                (SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter) AS c`,
      );
      return [Number(row?.a), Number(row?.e), Number(row?.c)];
    };
    const initial = await measure(() => extension.execute(NOW), count);
    await owner.query(`VACUUM ANALYZE`);
    const next = await measure(() => extension.execute(new Date(NOW.getTime() + DAY_MS)), count);
    return { initial, extension: next };
  } finally {
    await dataSource.destroy();
    await owner.destroy();
    await dropDatabase(adminUrl, database);
  }
}

function line(label: string, clients: number, m: Measured): string {
  const rows = m.appointments + m.events;
  return (
    `  ${label.padEnd(17)} ${String(SITES * clients).padStart(7)} clients  ${m.seconds.toFixed(1).padStart(6)} s  ` +
    `${String(m.appointments).padStart(7)} appointments + ${String(m.events).padStart(7)} events  ` +
    `${Math.round(rows / m.seconds)
      .toString()
      .padStart(7)} rows/s  peak RSS ${m.peakRssMiB.toFixed(0)} MiB, heap ${m.peakHeapMiB.toFixed(0)} MiB, ` +
    `${m.checkpoints} checkpoints`
  );
}

/** The machine's 1-minute load average, the context every figure needs on a shared machine. */
const load = (): string => loadavg()[0]?.toFixed(1) ?? '?';

async function main(): Promise<void> {
  const env = await ensureInfrastructure(() => undefined);
  const adminUrl = env['POSTGRES_ADMIN_URL'] ?? '';
  const sizes = FRACTIONS.map((f) => Math.max(1, Math.round(CLIENTS * f)));
  console.log(
    `Scheduling horizon benchmark: ${SITES} sites at ${sizes.join(', ')} clients per site (load ${load()})`,
  );
  // Warm-up (not counted): JIT, the contracts' validators and the database's catalog caches.
  await run(adminUrl, Math.max(1, Math.round(SITES / 10)), sizes[0] ?? 1);
  const results: { clients: number; initial: Measured; extension: Measured }[] = [];
  for (const clients of sizes) {
    const measured = await run(adminUrl, SITES, clients);
    results.push({ clients, ...measured });
    console.log(line(`initial ×${clients}`, clients, measured.initial) + `  (load ${load()})`);
    console.log(line(`extension ×${clients}`, clients, measured.extension) + `  (load ${load()})`);
  }
  let linear = true;
  for (let i = 1; i < results.length; i++) {
    const before = results[i - 1];
    const after = results[i];
    if (before === undefined || after === undefined) continue;
    const clientsFactor = after.clients / before.clients;
    const timeFactor = after.initial.seconds / before.initial.seconds;
    // Judged per doubling of clients, so a 25 → 50 → 100 % run checks growth twice.
    const allowed = MAX_DOUBLING_FACTOR ** Math.log2(clientsFactor);
    const ok = timeFactor <= allowed;
    linear &&= ok;
    console.log(
      `  growth ×${before.clients} → ×${after.clients}: ${clientsFactor.toFixed(2)}x clients, ` +
        `${timeFactor.toFixed(2)}x time (allowed ${allowed.toFixed(2)}x) ${ok ? '✔' : '✘'}`,
    );
  }
  console.log(
    `  machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, PostgreSQL local`,
  );
  const full = results[results.length - 1];
  const ok =
    full !== undefined &&
    full.initial.seconds <= TARGET_INITIAL_S &&
    full.extension.seconds <= TARGET_EXTENSION_S &&
    linear;
  console.log(
    `  targets: initial <= ${TARGET_INITIAL_S} s, extension <= ${TARGET_EXTENSION_S} s, growth linear → ` +
      (ok ? 'RESULT: targets met' : 'RESULT: targets MISSED'),
  );
  process.exitCode = ok ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

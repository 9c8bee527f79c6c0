import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readInfraEnv, workspaceRoot } from '@stepwise/infra';
import { SmtpSink } from '../system/smtp-sink';
import { FaultSystem } from './fault-system';
import { faultRun } from './fault-run';
import { printReport, failures } from './report';
import { PROFILES } from './schedule';
import { LedgerClient, seedSite, waitForProjection } from './load';
import { Random } from './random';
import { soak } from './soak';

/*
 * `npm run test:faults [-- --profile long] [--seed N]`: an isolated Stepwise (its own PostgreSQL, Kafka, Redis,
 * two replicas of each service) under load and seeded faults, judged by the independent checker. Exits 1 on
 * any loss, duplicate, order violation, stray dead letter or a negative control that did not fail.
 */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      profile: { type: 'string', default: 'short' },
      seed: { type: 'string', default: '20261204' },
      // Minutes of steady load with memory and handles sampled each minute, instead of the fault run.
      soak: { type: 'string' },
    },
  });
  const profile = PROFILES[values.profile as keyof typeof PROFILES];
  if (profile === undefined) throw new Error(`Unknown profile ${values.profile}; use short or long`);
  const seed = Number(values.seed);
  const identity = readInfraEnv();
  if (identity === undefined) throw new Error('Run `npm run infra:up` first (the local identity provider)');
  const runId = `${new Date().toISOString().replace(/[:.]/g, '-')}-${seed}`;
  const runDir = join(workspaceRoot(), '.infra', 'faults', runId);
  mkdirSync(runDir, { recursive: true });
  const say = (line: string): void => void process.stdout.write(`${line}\n`);
  say(`==> Fault run (${profile.name} profile, seed ${seed}); files in ${runDir}`);
  // The mail relay: notifications' alerts land here, where the checker counts them.
  const mail = await SmtpSink.start();
  const system = await FaultSystem.start({
    runDir,
    identity,
    replicas: 2,
    log: say,
    env: {
      notifications: {
        SMTP_URL: `smtp://127.0.0.1:${mail.port}`,
        NOTIFICATION_SWEEP_INTERVAL_MS: '2000',
        // No quiet hours: whatever the hour of the run, a message is due when it is queued.
        DEFAULT_QUIET_HOURS: '00:00-00:00',
      },
    },
  }).catch(async (error: unknown) => {
    await mail.close();
    throw error;
  });
  // Interrupted (Ctrl-C, CI's timeout): take the whole system down, not only this process.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      say(`  ${signal}: stopping the fault system`);
      void system.stop().finally(() => process.exit(130));
    });
  }
  let code = 1;
  try {
    if (values.soak !== undefined)
      return (code = await soakRun(system, Number(values.soak), seed, runDir, say));
    const result = await faultRun(system, profile, seed, runDir, mail, say);
    const reportFile = join(runDir, 'report.json');
    writeFileSync(reportFile, `${JSON.stringify(result, null, 2)}\n`);
    writeFileSync(
      join(workspaceRoot(), '.infra', 'faults', 'last-report.json'),
      `${JSON.stringify(result, null, 2)}\n`,
    );
    printReport(result, say);
    say(`  report: ${reportFile}`);
    code = failures(result).length === 0 ? 0 : 1;
  } finally {
    await system.stop();
    await mail.close();
  }
  // A passing run keeps its report, ledger and logs; the database cluster and the broker's log go.
  if (code === 0) {
    for (const data of ['postgres/data', 'kafka/data'])
      rmSync(join(runDir, data), { recursive: true, force: true });
  }
  return code;
}

/** `--soak N`: N minutes of steady load; fails when a replica's memory or handles keep growing. */
async function soakRun(
  system: FaultSystem,
  minutes: number,
  seed: number,
  runDir: string,
  say: (line: string) => void,
): Promise<number> {
  const random = new Random(seed);
  const client = new LedgerClient({
    intake: system.replicasOf('intake').map((r) => r.url),
    scheduling: system.replicasOf('scheduling').map((r) => r.url),
    workers: 3,
    requestDeadlineMs: 45_000,
    attemptTimeoutMs: 8_000,
    random,
  });
  const setup = await seedSite(client, random);
  await system.waitForStaffProjection(setup.siteId);
  await waitForProjection(client, setup, random, new Date().toISOString().slice(0, 10));
  say(`==> Soak: ${minutes} minutes of steady load, each replica sampled every minute`);
  const result = await soak(system, client, setup, random, minutes, 3, say);
  writeFileSync(join(runDir, 'soak.json'), `${JSON.stringify(result, null, 2)}\n`);
  for (const line of result.growing) say(`  FAILED: sustained growth ${line}`);
  say(`  ${result.requests} requests; samples in ${join(runDir, 'soak.json')}`);
  return result.growing.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readInfraEnv, workspaceRoot } from '@stepwise/infra';
import { FaultSystem } from './fault-system';
import { faultRun } from './fault-run';
import { printReport, failures } from './report';
import { PROFILES } from './schedule';

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
      keep: { type: 'boolean', default: false },
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
  const system = await FaultSystem.start({ runDir, identity, replicas: 2, log: say });
  // Interrupted (Ctrl-C, CI's timeout): take the whole system down, not only this process.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      say(`  ${signal}: stopping the fault system`);
      void system.stop().finally(() => process.exit(130));
    });
  }
  let code = 1;
  try {
    const result = await faultRun(system, profile, seed, runDir, say);
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
  }
  return code;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);

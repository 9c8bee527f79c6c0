import { type FaultRunResult } from './fault-run';

/** The minimum fault counts of a run that may pass (the short profile). */
export const MINIMUM_FAULTS: Readonly<Record<string, number>> = {
  'kill-replica': 10,
  'kill-broker': 2,
  'pause-broker': 1,
  'restart-postgres': 1,
  'lose-redis': 1,
  poison: 1,
};

/** Why the run fails: broken guarantees, too few faults, or a negative control that saw nothing. */
export function failures(result: FaultRunResult): string[] {
  const out = [...result.check.violations];
  for (const [kind, minimum] of Object.entries(MINIMUM_FAULTS)) {
    if ((result.counts[kind] ?? 0) < minimum)
      out.push(`only ${result.counts[kind] ?? 0} × ${kind} (at least ${minimum})`);
  }
  const rolling = result.rollingRestart;
  if (rolling.failed > 0)
    out.push(`rolling restart: ${rolling.failed} failed requests (${rolling.failures.join('; ')})`);
  if (rolling.acceptedMissing > 0)
    out.push(`rolling restart: ${rolling.acceptedMissing} accepted writes missing`);
  if (!result.negativeControl.passed) out.push('the negative control was not reported by the checker');
  return out;
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

/** The figures as a table, the way CI's log shows them. */
export function printReport(result: FaultRunResult, say: (line: string) => void): void {
  const f = result.check.figures;
  const row = (what: string, value: string | number, expected = ''): void =>
    say(`  ${what.padEnd(58)} ${String(value).padStart(8)}  ${expected}`);
  say('');
  say(
    `==> Fault run figures (profile ${result.profile}, seed ${result.seed}, ${Math.round(result.durationMs / 1000)} s)`,
  );
  row(
    'faults injected',
    Object.entries(result.counts)
      .map(([k, n]) => `${k} ${n}`)
      .join(', '),
  );
  row('requests (logical writes)', f.requests);
  row('  accepted (2xx)', f.accepted);
  row('  rejected (4xx after retries)', f.rejected);
  row('  indeterminate (no definitive answer)', f.indeterminate);
  row('    of which left state (outcome unknown to the client)', f.indeterminateThatLeftState);
  row('accepted writes missing', f.acceptedMissing, 'must be 0');
  row('accepted writes applied more than once', f.acceptedDuplicated, 'must be 0');
  row('rejected writes that left state', f.rejectedThatLeftState, 'must be 0');
  row('events implied by the stored records', f.impliedEvents);
  row('  missing from the topics', f.impliedEventsMissing, 'must be 0');
  row('facts published twice with different ids', f.factsPublishedTwice, 'must be 0');
  row('events without the state they announce', f.eventsWithoutState, 'must be 0');
  row('records redelivered with the same id (at-least-once)', f.redeliveredRecords, 'allowed');
  row('per-key order violations (outbox sequence)', f.orderViolations, 'must be 0');
  for (const service of Object.keys(f.inboxMissing)) {
    row(
      `${service}: events applied ≠ once (missing / phantom)`,
      `${f.inboxMissing[service]} / ${f.inboxPhantom[service]}`,
      'must be 0 / 0',
    );
  }
  row('poison dead-letters expected / found', `${f.poisonRecords} rec`, '');
  row('  dead-lettered with reason (per consumer)', f.poisonDeadLettered - f.poisonDeadLetteredWithoutReason);
  row('  other records dead-lettered', f.otherDeadLetters, 'must be 0');
  const ready = result.faults.map((r) => r.readyMs);
  const lag = result.faults.map((r) => r.lagZeroMs).filter((v): v is number => v !== null);
  row('recovery: fault → all ready, median / max (ms)', `${percentile(ready, 50)} / ${Math.max(...ready)}`);
  row(
    'recovery: fault → lag 0, median / max (ms)',
    lag.length === 0 ? 'n/a' : `${percentile(lag, 50)} / ${Math.max(...lag)}`,
  );
  row(
    'negative control reported by the checker',
    result.negativeControl.passed ? 'yes' : 'NO',
    'must be yes',
  );
  const failed = failures(result);
  say('');
  for (const line of failed) say(`  FAILED: ${line}`);
  // One plain closing line, as the test script sums them.
  const checks = 12;
  say(
    `Tests: ${failed.length === 0 ? checks : checks - Math.min(checks, failed.length)} passed, ${Math.min(checks, failed.length)} failed`,
  );
}

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

/** Each guarantee the run judges, passed or not: the closing line counts them. */
export function verdicts(result: FaultRunResult): { readonly name: string; readonly ok: boolean }[] {
  const f = result.check.figures;
  const rolling = result.rollingRestart;
  const sum = (values: Readonly<Record<string, number>>): number =>
    Object.values(values).reduce((a, b) => a + b, 0);
  return [
    { name: 'accepted writes present', ok: f.acceptedMissing === 0 },
    { name: 'accepted writes applied once', ok: f.acceptedDuplicated === 0 },
    { name: 'rejected writes left nothing', ok: f.rejectedThatLeftState === 0 },
    { name: 'implied events published', ok: f.impliedEventsMissing === 0 },
    { name: 'no fact published twice', ok: f.factsPublishedTwice === 0 },
    { name: 'no event without its state', ok: f.eventsWithoutState === 0 },
    { name: 'per-key order kept', ok: f.orderViolations === 0 },
    { name: 'each consumer applied each event once', ok: sum(f.inboxMissing) + sum(f.inboxPhantom) === 0 },
    {
      name: 'poison dead-lettered with a reason',
      ok:
        f.poisonDeadLettered > 0 &&
        f.poisonDeadLetteredWithoutReason === 0 &&
        !result.check.violations.some((v) => v.startsWith('poison')),
    },
    { name: 'nothing else dead-lettered', ok: f.otherDeadLetters === 0 },
    { name: 'every urgent screening alerted', ok: f.alertsMissing === 0 && f.urgentScreenings > 0 },
    { name: 'every notification settled', ok: f.notificationsNotSettled === 0 },
    {
      name: 'each e-mail delivered once after dedupe by Message-ID',
      ok: f.mailsDuplicated === 0 && f.mailsLost === 0 && f.mailsReceived > 0,
    },
    {
      name: "the profile's faults all injected",
      ok: Object.entries(MINIMUM_FAULTS).every(([kind, minimum]) => (result.counts[kind] ?? 0) >= minimum),
    },
    {
      name: 'rolling restart without a failed request',
      ok: rolling.failed === 0 && rolling.acceptedMissing === 0,
    },
    { name: 'negative control reported', ok: result.negativeControl.passed },
  ];
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
  row('urgent screenings / without an alert', `${f.urgentScreenings} / ${f.alertsMissing}`, 'must be n / 0');
  row(
    'notifications sent / due but not settled',
    `${f.notificationsSent} / ${f.notificationsNotSettled}`,
    'must be n / 0',
  );
  row(
    'e-mails received / resent (same Message-ID) / duplicated after dedupe / lost',
    `${f.mailsReceived} / ${f.mailsResent} / ${f.mailsDuplicated} / ${f.mailsLost}`,
    'must be n / any / 0 / 0',
  );
  const ready = result.faults.map((r) => r.readyMs);
  const lag = result.faults.map((r) => r.lagZeroMs).filter((v): v is number => v !== null);
  row('recovery: fault → all ready, median / max (ms)', `${percentile(ready, 50)} / ${Math.max(...ready)}`);
  row(
    'recovery: fault → lag 0, median / max (ms)',
    lag.length === 0 ? 'n/a' : `${percentile(lag, 50)} / ${Math.max(...lag)}`,
  );
  const rolling = result.rollingRestart;
  row(
    `rolling restart: ${rolling.replicasReplaced} ${rolling.service} replicas behind HAProxy, requests`,
    rolling.requests,
  );
  row('  failed requests (one attempt each, no client retries)', rolling.failed, 'must be 0');
  row('  accepted writes missing', rolling.acceptedMissing, 'must be 0');
  row(
    'negative control reported by the checker',
    result.negativeControl.passed ? 'yes' : 'NO',
    'must be yes',
  );
  const failed = failures(result);
  say('');
  for (const line of failed) say(`  FAILED: ${line}`);
  // One closing line in Jest's words, which scripts/test.sh adds to its totals.
  const judged = verdicts(result);
  say(`Tests: ${judged.filter((v) => v.ok).length} passed, ${judged.filter((v) => !v.ok).length} failed`);
}

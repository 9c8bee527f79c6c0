import { type FaultSystem } from './fault-system';
import { type LedgerClient, type SiteSetup, runLoad } from './load';
import { type Random } from './random';

/** One replica's process figures at one moment (from its own `/metrics`). */
export interface Sample {
  readonly minute: number;
  readonly replica: string;
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  readonly handles: number;
}

export interface SoakResult {
  readonly minutes: number;
  readonly requests: number;
  readonly samples: readonly Sample[];
  /** Replicas whose memory or handles grew through the run (see `sustainedGrowth`). */
  readonly growing: readonly string[];
}

const METRICS = {
  rssBytes: 'process_resident_memory_bytes',
  heapUsedBytes: 'nodejs_heap_size_used_bytes',
  handles: 'nodejs_active_handles_total',
} as const;

async function sample(url: string): Promise<Omit<Sample, 'minute' | 'replica'>> {
  const text = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5000) }).then((r) => r.text());
  const value = (name: string): number => {
    const line = text.split('\n').find((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
    return Number(line?.split(' ').pop() ?? Number.NaN);
  };
  return {
    rssBytes: value(METRICS.rssBytes),
    heapUsedBytes: value(METRICS.heapUsedBytes),
    handles: value(METRICS.handles),
  };
}

/**
 * Sustained growth: every one of the last three samples above the warmed-up baseline (the mean of minutes
 * 2–4) by more than the allowance — 25 % for RSS and heap, 50 for handles. A one-off peak (a GC cycle, a burst)
 * does not count; a leak does.
 */
export function sustainedGrowth(samples: readonly Sample[]): string[] {
  const growing: string[] = [];
  for (const replica of new Set(samples.map((s) => s.replica))) {
    const series = samples.filter((s) => s.replica === replica).sort((a, b) => a.minute - b.minute);
    if (series.length < 8) continue;
    const baseline = series.slice(1, 4);
    const last = series.slice(-3);
    const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
    const checks: [keyof typeof METRICS, (base: number) => number][] = [
      ['rssBytes', (base) => base * 1.25],
      ['heapUsedBytes', (base) => base * 1.25],
      ['handles', (base) => base + 50],
    ];
    for (const [metric, limit] of checks) {
      const base = mean(baseline.map((s) => s[metric]));
      if (last.every((s) => s[metric] > limit(base)))
        growing.push(`${replica} ${metric}: ${Math.round(base)} → ${last.map((s) => s[metric]).join(', ')}`);
    }
  }
  return growing;
}

/** Steady load for `minutes`, each replica's RSS, heap and handles sampled once a minute. */
export async function soak(
  system: FaultSystem,
  client: LedgerClient,
  setup: SiteSetup,
  random: Random,
  minutes: number,
  workers: number,
  log: (line: string) => void,
): Promise<SoakResult> {
  let stopped = false;
  const today = new Date().toISOString().slice(0, 10);
  const load = runLoad(client, setup, random, today, workers, () => stopped);
  const samples: Sample[] = [];
  try {
    for (let minute = 0; minute <= minutes; minute += 1) {
      for (const replica of system.replicas) {
        const name = `${replica.service}#${replica.index}`;
        samples.push({ minute, replica: name, ...(await sample(replica.url)) });
      }
      const mb = (n: number): number => Math.round(n / 1048576);
      const now = samples.filter((s) => s.minute === minute);
      log(
        `  minute ${minute}: ${client.ledger.length} requests; RSS MB ${now.map((s) => mb(s.rssBytes)).join(' ')}; handles ${now.map((s) => s.handles).join(' ')}`,
      );
      if (minute < minutes) await new Promise((resolve) => setTimeout(resolve, 60_000));
    }
  } finally {
    stopped = true;
    await load;
  }
  return { minutes, requests: client.ledger.length, samples, growing: sustainedGrowth(samples) };
}

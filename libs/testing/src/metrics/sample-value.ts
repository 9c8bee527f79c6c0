import { type Registry } from 'prom-client';

/**
 * The value of a metric's sample whose labels are exactly `labels` (besides the registry's default ones), read
 * from a real prom-client registry as a scrape would (gauges' `collect` runs); 0 when there is none, as
 * `rate()` and `increase()` read a series that was never incremented.
 */
export async function sampleValue(
  registry: Registry,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const metric = await registry.getSingleMetric(name)?.get();
  if (metric === undefined) throw new Error(`${name} is not registered`);
  const wanted = JSON.stringify(Object.entries(labels).sort());
  const sample = metric.values.find(
    (value) => JSON.stringify(Object.entries(value.labels).sort()) === wanted,
  );
  return sample?.value ?? 0;
}

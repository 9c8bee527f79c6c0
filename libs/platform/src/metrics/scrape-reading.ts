/**
 * One database reading shared by the gauges a scrape collects together: prom-client calls every gauge's
 * `collect` at once, so gauges computed from one query (a count and the oldest age, say) await the same
 * reading instead of each sending the query. A call while a reading is in flight joins it; the next scrape
 * reads afresh. A failed reading rejects every gauge waiting for it (each keeps its last value).
 */
export function readingPerScrape<T>(read: () => Promise<T>): () => Promise<T> {
  let reading: Promise<T> | undefined;
  return () => (reading ??= read().finally(() => (reading = undefined)));
}

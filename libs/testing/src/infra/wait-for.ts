/**
 * Waits until `probe` returns a value accepted by `until`, polling; never a fixed sleep. On timeout the
 * error names the condition and shows the last value seen, which is what a failing test needs to say.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T>,
  until: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  let delay = 50;
  while (Date.now() < deadline) {
    try {
      last = await probe();
      if (until(last)) return last;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 500);
  }
  const seen = last !== undefined ? JSON.stringify(last) : String(lastError);
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${seen}`);
}

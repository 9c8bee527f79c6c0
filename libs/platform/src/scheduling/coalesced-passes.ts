/**
 * Runs a background pass one at a time per process — a dispatcher, a drain — however often it is woken: a
 * call during a pass does not start a second one beside it (they would claim the same rows) but asks for one
 * more pass after it, so what was woken for is never missed. Many calls during one pass make one more.
 */
export class CoalescedPasses {
  private running: Promise<void> | undefined;
  private again = false;

  constructor(private readonly pass: () => Promise<void>) {}

  /** Runs a pass now, or after the one in progress; resolves once no further pass was asked for. */
  run(): Promise<void> {
    if (this.running !== undefined) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.pass();
        } while (this.again);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** The passes in progress, if any: what a stopping owner waits for. */
  get current(): Promise<void> | undefined {
    return this.running;
  }
}

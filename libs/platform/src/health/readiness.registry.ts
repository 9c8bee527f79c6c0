import { type BeforeApplicationShutdown, Injectable } from '@nestjs/common';

/** A dependency the service needs to do useful work; `check` rejects when it is unusable. */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<void>;
}

/** One check's answer: `message` says why it is down (driver messages: operational, never client data). */
export interface ReadinessResult {
  readonly name: string;
  readonly up: boolean;
  readonly message?: string;
}

const CHECK_TIMEOUT_MS = 2_000;

function withTimeout(work: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Where each platform module (database, Kafka, Redis, consumers) registers what readiness depends on, so
 * the health endpoint needs no knowledge of which modules an app composes. A service that is shutting down
 * is not ready, whatever its dependencies say: load balancers stop sending work before the process stops
 * taking it.
 */
@Injectable()
export class ReadinessRegistry implements BeforeApplicationShutdown {
  private readonly checks = new Map<string, ReadinessCheck>();
  private shuttingDown = false;

  register(check: ReadinessCheck): void {
    this.checks.set(check.name, check);
  }

  all(): ReadinessCheck[] {
    return [...this.checks.values()];
  }

  /**
   * Runs every check now (each bounded by a timeout), plus `lifecycle`, down while shutting down: what
   * `/health/ready` answers and `stepwise_readiness` exposes, computed the same way for both.
   */
  async evaluate(): Promise<ReadinessResult[]> {
    const results = await Promise.all(
      this.all().map(async (dependency): Promise<ReadinessResult> => {
        try {
          await withTimeout(dependency.check());
          return { name: dependency.name, up: true };
        } catch (error) {
          return {
            name: dependency.name,
            up: false,
            message: error instanceof Error ? error.message : 'unavailable',
          };
        }
      }),
    );
    results.push(
      this.shuttingDown
        ? { name: 'lifecycle', up: false, message: 'shutting down' }
        : { name: 'lifecycle', up: true },
    );
    return results;
  }

  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  /** Nest calls this first on SIGTERM, before any module closes its connections. */
  beforeApplicationShutdown(): void {
    this.markShuttingDown();
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }
}

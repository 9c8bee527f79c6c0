import { type BeforeApplicationShutdown, Injectable } from '@nestjs/common';

/** A dependency the service needs to do useful work; `check` rejects when it is unusable. */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<void>;
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

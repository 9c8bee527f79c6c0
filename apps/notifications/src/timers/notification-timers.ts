import { Logger } from '@nestjs/common';
import { Queue, Worker } from 'bullmq';
import Redis from 'ioredis';

/**
 * Wakes the dispatcher when a queued notification falls due. Only a timer: Postgres holds the schedule, and a
 * periodic sweep sends whatever is due even if every timer was lost.
 */
export abstract class NotificationTimers {
  abstract schedule(notificationId: string, dueAt: Date): Promise<void>;
}

/** Timers for a process that has none (unit tests, one-off commands): the sweep alone sends. */
export class NoTimers extends NotificationTimers {
  schedule(): Promise<void> {
    return Promise.resolve();
  }
}

export interface BullmqTimerOptions {
  readonly redisUrl: string;
  /** Distinguishes environments sharing one Redis; the keys are `stepwise:notifications:<prefix>timers:…`. */
  readonly queuePrefix: string;
  /** What a timer does when it fires: look for due work (it is never told what to send). */
  readonly onDue?: () => Promise<void>;
}

const KEY_PREFIX = 'stepwise:notifications';

/**
 * BullMQ delayed jobs as timers. A job holds the notification id only (no recipient, no contact), its id is
 * `<notification id>-<due ms>` so scheduling the same timer twice (a redelivered event, a rebuild) adds one
 * job, and a moved reminder gets a new one (the old one fires, finds nothing due and ends).
 */
export class BullmqTimers extends NotificationTimers {
  private readonly logger = new Logger('NotificationTimers');
  private queue: Queue | undefined;
  private worker: Worker | undefined;
  private readonly connections: Redis[] = [];
  private lastError = '';
  private onDue: () => Promise<void>;
  private onReconnect: (() => void) | undefined;

  constructor(private readonly options: BullmqTimerOptions) {
    super();
    this.onDue = options.onDue ?? (() => Promise.resolve());
  }

  /** What firing timers do, and what to do when Redis comes back after an outage (rebuild the timers). */
  setHandlers(onDue: () => Promise<void>, onReconnect?: () => void): void {
    this.onDue = onDue;
    this.onReconnect = onReconnect;
  }

  private connection(): Redis {
    const redis = new Redis(this.options.redisUrl, {
      maxRetriesPerRequest: null,
      connectionName: 'notifications-timers',
    });
    redis.on('error', (error: Error) => {
      if (error.message !== this.lastError) this.logger.warn(`Timer store unavailable: ${error.message}`);
      this.lastError = error.message;
    });
    redis.on('ready', () => {
      // Back after an outage: Redis may have lost the timers (restart without persistence, failover).
      if (this.lastError !== '') this.onReconnect?.();
      this.lastError = '';
    });
    this.connections.push(redis);
    return redis;
  }

  private get name(): string {
    return `${this.options.queuePrefix}timers`;
  }

  private ensureQueue(): Queue {
    if (this.queue === undefined) {
      this.queue = new Queue(this.name, { connection: this.connection(), prefix: KEY_PREFIX });
      this.queue.on('error', () => undefined);
    }
    return this.queue;
  }

  /** Starts taking fired timers (connections are opened here, not at construction). */
  start(): void {
    this.ensureQueue();
    this.worker = new Worker(this.name, () => this.onDue(), {
      connection: this.connection(),
      prefix: KEY_PREFIX,
      concurrency: 1,
    });
    this.worker.on('error', () => undefined);
  }

  async schedule(notificationId: string, dueAt: Date): Promise<void> {
    try {
      await this.ensureQueue().add(
        'due',
        { id: notificationId },
        {
          jobId: `${notificationId}-${dueAt.getTime()}`,
          delay: Math.max(0, dueAt.getTime() - Date.now()),
          removeOnComplete: true,
          removeOnFail: true,
        },
      );
    } catch (error) {
      // Redis away: the sweep will find the row when it is due, and the timers are rebuilt when Redis is back.
      this.logger.warn(`Timer not set: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Re-creates the timers of every queued notification (at start, and after Redis lost its data). */
  async rebuild(pending: readonly { id: string; due_at: Date }[]): Promise<void> {
    for (const row of pending) await this.schedule(row.id, row.due_at);
  }

  async close(): Promise<void> {
    await this.worker?.close().catch(() => undefined);
    await this.queue?.close().catch(() => undefined);
    for (const redis of this.connections) await redis.quit().catch(() => redis.disconnect());
  }
}

import { randomUUID } from 'node:crypto';
import { CARE_TOPICS, DEAD_LETTER_TOPICS } from '@stepwise/contracts';
import { type Consumer, Kafka, logLevel } from 'kafkajs';

/** One event as a subscriber sees it: the CloudEvents attributes from the headers, and the JSON payload. */
export interface ObservedEvent {
  readonly topic: string;
  readonly type: string;
  readonly id: string;
  readonly subject: string;
  readonly source: string;
  readonly time: string;
  /** The W3C trace context the record carries (the trace of the request that caused it). */
  readonly traceparent: string;
  readonly data: Record<string, unknown>;
}

/**
 * Watches every care topic (and the dead-letter topics) from the moment it starts, the way another service
 * subscribing to care events would: events by type, dead letters, and waiting for a particular event.
 */
export class CareEventWatch {
  readonly events: ObservedEvent[] = [];
  readonly deadLetters: { topic: string; reason: string }[] = [];
  private readonly waiters = new Set<() => void>();

  private constructor(private readonly consumer: Consumer) {}

  static async start(brokers: readonly string[], prefix = ''): Promise<CareEventWatch> {
    const kafka = new Kafka({
      clientId: 'stepwise-watch',
      brokers: [...brokers],
      logLevel: logLevel.NOTHING,
    });
    const consumer = kafka.consumer({
      groupId: `stepwise-watch-${randomUUID()}`,
      allowAutoTopicCreation: false,
    });
    const watch = new CareEventWatch(consumer);
    const care = CARE_TOPICS.map((t) => `${prefix}${t.name}`);
    const dead = new Set(DEAD_LETTER_TOPICS.map((t) => `${prefix}${t.name}`));
    await consumer.connect();
    // A new group starts at the end of each topic: only what happens from now on is counted.
    await consumer.subscribe({ topics: [...care, ...dead], fromBeginning: false });
    let joined: () => void = () => undefined;
    const member = new Promise<void>((resolve) => (joined = resolve));
    consumer.on(consumer.events.GROUP_JOIN, () => joined());
    await consumer.run({
      eachMessage: ({ topic, message }) => {
        const header = (name: string): string => String(message.headers?.[name] ?? '');
        if (dead.has(topic)) {
          watch.deadLetters.push({ topic, reason: header('dlq_reason') });
        } else {
          watch.events.push({
            topic,
            type: header('ce_type'),
            id: header('ce_id'),
            subject: header('ce_subject'),
            source: header('ce_source'),
            time: header('ce_time'),
            traceparent: header('traceparent'),
            data: JSON.parse(message.value?.toString() ?? '{}') as Record<string, unknown>,
          });
        }
        for (const wake of watch.waiters) wake();
        return Promise.resolve();
      },
    });
    await member;
    return watch;
  }

  /** `care.intake.ClientAdmitted.v1` → `ClientAdmitted`. */
  static shortType(type: string): string {
    return type.split('.')[2] ?? type;
  }

  ofType(name: string): ObservedEvent[] {
    return this.events.filter((e) => CareEventWatch.shortType(e.type) === name);
  }

  countsByType(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const e of this.events) {
      const name = CareEventWatch.shortType(e.type);
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    return new Map([...counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  /** Resolves with the matching events once `until` holds; rejects after `timeoutMs`. */
  waitFor(
    what: string,
    match: (event: ObservedEvent) => boolean,
    until: (matching: ObservedEvent[]) => boolean = (m) => m.length > 0,
    timeoutMs = 60_000,
  ): Promise<ObservedEvent[]> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const matching = this.events.filter(match);
        if (!until(matching)) return false;
        cleanup();
        resolve(matching);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const wake = (): void => void check();
      const cleanup = (): void => {
        clearTimeout(timer);
        this.waiters.delete(wake);
      };
      this.waiters.add(wake);
      check();
    });
  }

  /** Resolves once a notification to a `recipientKind` was withheld for `reason` (NotificationSuppressed). */
  suppressed(recipientKind: string, reason: string): Promise<ObservedEvent[]> {
    return this.waitFor(
      `a notification to ${recipientKind} suppressed (${reason})`,
      (e) =>
        e.type.endsWith('NotificationSuppressed.v1') &&
        e.data['recipientKind'] === recipientKind &&
        e.data['reason'] === reason,
    );
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}

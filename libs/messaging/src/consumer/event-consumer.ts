import { createHash } from 'node:crypto';
import {
  type AnyCareEvent,
  type CareEvent,
  ContractViolation,
  type EventTypeName,
  decodeEvent,
} from '@stepwise/contracts';
import { SPAN_ATTRIBUTES, childTraceparent, inSpan, runWithTraceparent } from '@stepwise/platform';
import { type DataSource } from 'typeorm';
import { type BrokerProducer } from '../broker/broker';
import {
  type BatchContext,
  type BrokerSubscriber,
  type IncomingRecord,
  type PartitionBatch,
} from '../broker/subscriber';
import { DeferredCommits } from './deferred-commits';
import { type Outbox } from '../outbox/outbox';
import { type OutboxWakeUp, POLL_ONLY } from '../outbox/outbox-wake-up';
import { Transaction } from '../outbox/unit-of-work';
import {
  ConsumerStoppingError,
  RetryLaterError,
  describeError,
  isTransientError,
} from '../errors/transient-error';

/** A handler runs inside the transaction that records the event in the inbox; `tx.publish` adds events. */
export type ConsumerHandler<K extends EventTypeName> = (
  event: CareEvent<K>,
  tx: Transaction,
) => Promise<void>;
/** Handlers for any subset of event types; a type without one is skipped deliberately (and counted). */
export type EventHandlerMap = { readonly [K in EventTypeName]?: ConsumerHandler<K> };

export interface EventConsumerOptions {
  /** The inbox's `consumer` column and the dead letters' `dlq_consumer`: the consuming service. */
  readonly name: string;
  readonly schema: string;
  readonly deadLetterTopic: string;
  /** Failed attempts of a handler (counted durably) before its record goes to the dead-letter topic. */
  readonly maxAttempts: number;
  readonly retryDelayMs?: number;
  /** Prefix of the topic names read (test isolation); stripped before checking an event's declared topic. */
  readonly topicPrefix?: string;
  /** Only a test's negative control turns the inbox off, to show that it is what prevents duplicates. */
  readonly inbox?: boolean;
  /**
   * Records of one partition batch applied together in one transaction when all of them are new, valid and
   * handled (see `applyRun`); 1 applies every record on its own. Default 50.
   */
  readonly runSize?: number;
}

export type DeadLetterReason = 'contract-violation' | 'handler-failed';

export interface ConsumerObserver {
  consumed?(type: string, seconds: number): void;
  duplicate?(type: string): void;
  conflict?(type: string): void;
  unhandled?(type: string): void;
  failed?(type: string): void;
  deadLettered?(type: string, reason: DeadLetterReason): void;
  transient?(error: unknown): void;
  lag?(topic: string, partition: number, lag: number): void;
  /** A run of records applied in one transaction, or handed to the per-record path (see `applyRun`). */
  run?(outcome: RunOutcome, records: number): void;
}

export type RunOutcome = 'applied' | 'per-record';

export interface ConsumerLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** At most this long between a record's processing and its offset's commit (see DeferredCommits). */
const COMMIT_WITHIN_MS = 250;
const HEARTBEAT_EVERY_MS = 3_000;
const MAX_TRANSIENT_BACKOFF_MS = 5_000;

type Outcome = 'applied' | 'duplicate' | 'conflict';
/** What became of one record: applied, skipped (duplicate, conflicting id, unhandled type) or dead-lettered. */
export type RecordOutcome = Outcome | 'unhandled' | 'dead-lettered';

const DEAD_LETTER_HEADER_PREFIX = 'dlq_';

const DEFAULT_RUN_SIZE = 50;

/** The inbox's payload hash: the same id with another hash is a reused id, not a redelivery. */
function payloadHash(record: IncomingRecord): string {
  return createHash('sha256')
    .update(record.value ?? Buffer.alloc(0))
    .digest('hex');
}

/** Rolls back a run that the fast path cannot take (see `applyRun`). */
class RunNotApplicable extends Error {}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function headerText(value: Buffer | string | undefined): string | undefined {
  return value === undefined ? undefined : value.toString();
}

/**
 * Applies care events exactly once per consumer:
 *  - decode and validate against the contract inside the failure path (a bad record is dead-lettered, never
 *    a crash or a stuck partition);
 *  - run the handler in a database transaction that also inserts the inbox row, so a redelivered event is
 *    skipped (counted) and one id with a different payload is flagged;
 *  - commit the offset (`offset + 1`) only after that transaction committed;
 *  - retry transient failures (database or broker away, or a handler's RetryLaterError) for as long as they
 *    last without counting them;
 *    retry handler failures up to `maxAttempts`, counted in the database, then dead-letter the record with
 *    its coordinates and the error, and move on.
 * An event type the consumer has no handler for is skipped deliberately and counted.
 */
export class EventConsumer {
  private stopping = false;
  private inFlight = 0;
  private idle: (() => void) | undefined;
  private readonly commits = new DeferredCommits(COMMIT_WITHIN_MS, (error) =>
    this.logger.warn(`Offset commit failed; tried again shortly: ${describeError(error)}`),
  );

  constructor(
    private readonly options: EventConsumerOptions,
    private readonly subscriber: BrokerSubscriber,
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly deadLetters: BrokerProducer,
    private readonly handlers: EventHandlerMap,
    private readonly logger: ConsumerLogger,
    private readonly observer: ConsumerObserver = {},
    /** Wakes the relay after a handler's `tx.publish` committed (see UnitOfWork). */
    private readonly wakeUp: OutboxWakeUp = POLL_ONLY,
  ) {}

  start(): Promise<void> {
    this.stopping = false;
    return this.subscriber.run((batch, context) => this.onBatch(batch, context));
  }

  /** For readiness: whether this replica currently holds partitions of its group. */
  isMember(): boolean {
    return this.subscriber.isMember();
  }

  /**
   * Feeds a dead letter back through the same path as the original record (decode, inbox, handler, failure
   * counting), once its cause is fixed. The inbox makes this safe to repeat: an event already applied is
   * skipped. A record that still fails is dead-lettered again, with a fresh attempt count.
   */
  async replay(deadLetter: IncomingRecord): Promise<RecordOutcome> {
    const header = (name: string): string | undefined => headerText(deadLetter.headers[name]);
    const topic = header('dlq_original_topic');
    const partition = header('dlq_original_partition');
    const offset = header('dlq_original_offset');
    if (topic === undefined || partition === undefined || offset === undefined) {
      throw new Error(
        `${deadLetter.topic}[${deadLetter.partition}]@${deadLetter.offset} is not a dead letter (no dlq_original_* headers)`,
      );
    }
    const original: IncomingRecord = {
      topic,
      partition: Number(partition),
      offset,
      key: deadLetter.key,
      value: deadLetter.value,
      headers: Object.fromEntries(
        Object.entries(deadLetter.headers).filter(([name]) => !name.startsWith(DEAD_LETTER_HEADER_PREFIX)),
      ),
    };
    return this.processUntilDone(original, {
      isRunning: () => !this.stopping,
      heartbeat: () => Promise.resolve(),
    });
  }

  /**
   * Graceful stop, in order: take no new batch and stop fetching; let the record in flight on each partition
   * finish and commit its offset; then leave the group and disconnect.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.subscriber.pause();
    if (this.inFlight > 0) await new Promise<void>((resolve) => (this.idle = resolve));
    await this.commits
      .flush()
      .catch((error: unknown) =>
        this.logger.warn(
          `Offsets not committed before stopping (redelivered, then skipped): ${describeError(error)}`,
        ),
      );
    await this.subscriber.stop();
  }

  private async onBatch(batch: PartitionBatch, context: BatchContext): Promise<void> {
    if (this.stopping) return;
    this.inFlight += 1;
    try {
      await this.consumeBatch(batch, context);
    } catch (error) {
      // The broker client retries the batch from the last committed offset; without this line an error that
      // escaped the record's own failure path (dead-letter topic unwritable, say) would loop in silence.
      if (!(error instanceof ConsumerStoppingError)) {
        this.logger.error(
          `Batch at ${batch.topic}[${batch.partition}] failed and will be retried from the last committed offset: ${describeError(error)}`,
        );
      }
      throw error;
    } finally {
      this.inFlight -= 1;
      if (this.inFlight === 0) this.idle?.();
    }
  }

  private async consumeBatch(batch: PartitionBatch, context: BatchContext): Promise<void> {
    this.observer.lag?.(batch.topic, batch.partition, batch.lag);
    // Long handlers must not cost the partition its group membership.
    const beat = setInterval(() => void context.heartbeat().catch(() => undefined), HEARTBEAT_EVERY_MS);
    const runSize = Math.max(1, this.options.runSize ?? DEFAULT_RUN_SIZE);
    try {
      for (let start = 0; start < batch.records.length; start += runSize) {
        if (this.stopping || !context.isRunning()) break;
        const run = batch.records.slice(start, start + runSize);
        // The common case in one transaction; anything unusual record by record, exactly as before.
        const applied = await this.applyRun(run);
        for (const record of run) {
          if (!applied) {
            if (this.stopping || !context.isRunning()) break;
            await this.processUntilDone(record, context);
          }
          context.processed(record);
          this.commits.note(record, context.commit);
        }
      }
    } finally {
      clearInterval(beat);
      // A partition this member is leaving (stop, revocation): what it processed is committed before the batch
      // returns, so the next owner starts after it. Otherwise the commit follows off the event's path.
      if (this.stopping || !context.isRunning()) await this.commits.flush();
    }
  }

  /**
   * The fast path: a run of records applied in one transaction with one multi-row inbox insert and one
   * commit, instead of four round trips and a WAL flush per record. Taken only when every record of the run
   * decodes, has a handler and is new to the inbox, and every handler succeeds; otherwise the transaction
   * rolls back (nothing of the run was applied) and returns false, and the caller takes the records one by
   * one through the per-record path, which counts failures, dead-letters, skips and waits out outages. So
   * the outcome of every record is what the per-record path alone would have given.
   */
  private async applyRun(records: readonly IncomingRecord[]): Promise<boolean> {
    if (records.length < 2 || this.options.inbox === false) return false;
    const applied = await this.tryRun(records);
    this.observer.run?.(applied ? 'applied' : 'per-record', records.length);
    return applied;
  }

  private async tryRun(records: readonly IncomingRecord[]): Promise<boolean> {
    const events: { record: IncomingRecord; event: AnyCareEvent; handler: ConsumerHandler<EventTypeName> }[] =
      [];
    for (const record of records) {
      const event = this.decodeOrUndefined(record);
      const handler = event === undefined ? undefined : this.handlerFor(event);
      if (event === undefined || handler === undefined) return false;
      events.push({ record, event, handler });
    }
    const started = performance.now();
    let wroteOutbox = false;
    const applied: Transaction[] = [];
    try {
      await this.dataSource.transaction(async (manager) => {
        // One array per column, unnested into rows: one statement whatever the run's length.
        const columns = [
          events.map(() => this.options.name),
          events.map(({ event }) => event.id),
          events.map(({ record }) => payloadHash(record)),
          events.map(({ event }) => event.ceType),
          events.map(({ record }) => record.topic),
          events.map(({ record }) => record.partition),
          events.map(({ record }) => record.offset),
        ];
        const inserted = await manager.query<unknown[]>(
          `INSERT INTO "${this.options.schema}"."inbox" (consumer, event_id, payload_hash, event_type, topic, partition, "offset")
           SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::int[], $7::bigint[])
           ON CONFLICT (consumer, event_id) DO NOTHING RETURNING event_id`,
          columns,
        );
        // A redelivery or a repeated id: the per-record path tells duplicates from conflicts and counts them.
        if (inserted.length !== events.length) throw new RunNotApplicable();
        for (const { record, event, handler } of events) {
          const tx = new Transaction(manager, this.outbox);
          await runWithTraceparent(childTraceparent(event.traceparent ?? ''), () =>
            this.inApplySpan(record, event, () => handler(event as CareEvent<EventTypeName>, tx)),
          );
          wroteOutbox ||= tx.wroteOutbox;
          applied.push(tx);
        }
      });
    } catch {
      // Rolled back, whatever the reason (a handler's error, an outage): the per-record path finds out again.
      return false;
    }
    if (wroteOutbox) this.wakeUp.committed();
    for (const tx of applied) tx.committed();
    const seconds = (performance.now() - started) / 1000 / events.length;
    for (const { event } of events) this.observer.consumed?.(event.ceType, seconds);
    return true;
  }

  /** The record's event, or undefined when it breaks the contract (the per-record path dead-letters it). */
  private decodeOrUndefined(record: IncomingRecord): AnyCareEvent | undefined {
    try {
      return this.decode(record);
    } catch (error) {
      if (error instanceof ContractViolation) return undefined;
      throw error;
    }
  }

  private decode(record: IncomingRecord): AnyCareEvent {
    const prefix = this.options.topicPrefix ?? '';
    return decodeEvent(
      { key: record.key, value: record.value, headers: { ...record.headers } },
      { topic: record.topic.startsWith(prefix) ? record.topic.slice(prefix.length) : record.topic },
    );
  }

  private handlerFor(event: AnyCareEvent): ConsumerHandler<EventTypeName> | undefined {
    return Object.prototype.hasOwnProperty.call(this.handlers, event.type)
      ? (this.handlers[event.type] as ConsumerHandler<EventTypeName> | undefined)
      : undefined;
  }

  /** Retries transient failures with backoff until the record is done (applied, skipped or dead-lettered). */
  private async processUntilDone(
    record: IncomingRecord,
    context: Pick<BatchContext, 'isRunning' | 'heartbeat'>,
  ): Promise<RecordOutcome> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.process(record);
      } catch (error) {
        if (!isTransientError(error)) throw error;
        this.observer.transient?.(error);
        if (attempt === 0 || attempt % 10 === 0) {
          this.logger.warn(
            `Waiting out ${error instanceof RetryLaterError ? 'a missing fact' : 'an outage'} at ${record.topic}[${record.partition}]@${record.offset}: ${(error as Error).message}`,
          );
        }
        if (this.stopping || !context.isRunning()) throw new ConsumerStoppingError();
        await sleep(Math.min(200 * 2 ** Math.min(attempt, 5), MAX_TRANSIENT_BACKOFF_MS));
        await context.heartbeat().catch(() => undefined);
      }
    }
  }

  private async process(record: IncomingRecord): Promise<RecordOutcome> {
    let event: AnyCareEvent;
    try {
      event = this.decode(record);
    } catch (error) {
      if (!(error instanceof ContractViolation)) throw error;
      await this.deadLetter(
        record,
        'contract-violation',
        error.code,
        error.message,
        1,
        headerText(record.headers['ce_type']),
      );
      return 'dead-lettered';
    }
    const handler = this.handlerFor(event);
    if (handler === undefined) {
      this.observer.unhandled?.(event.ceType);
      return 'unhandled';
    }
    // The trace the event arrived with continues here: the handler's log lines and the events it publishes
    // carry it (a new span of the same trace; a new trace when the producer sent none).
    return runWithTraceparent(childTraceparent(event.traceparent ?? ''), () =>
      this.inApplySpan(record, event, () => this.apply(record, event, handler, 0)),
    );
  }

  /**
   * Applies an event in a span of the trace it was published in (its record's `traceparent`, the relay's
   * publish span): the handler's queries and the events it publishes belong to the request that caused it.
   */
  private inApplySpan<T>(record: IncomingRecord, event: AnyCareEvent, work: () => Promise<T>): Promise<T> {
    return inSpan(
      `apply ${event.type}`,
      {
        kind: 'consumer',
        parent: event.traceparent,
        attributes: {
          [SPAN_ATTRIBUTES.consumer]: this.options.name,
          [SPAN_ATTRIBUTES.eventType]: event.type,
          [SPAN_ATTRIBUTES.eventId]: event.id,
          [SPAN_ATTRIBUTES.topic]: record.topic,
          [SPAN_ATTRIBUTES.partition]: String(record.partition),
          [SPAN_ATTRIBUTES.offset]: record.offset,
          [SPAN_ATTRIBUTES.messagingSystem]: 'kafka',
          [SPAN_ATTRIBUTES.messagingOperation]: 'process',
        },
      },
      work,
    );
  }

  private async apply(
    record: IncomingRecord,
    event: AnyCareEvent,
    handler: ConsumerHandler<EventTypeName>,
    previousFailures: number,
  ): Promise<RecordOutcome> {
    const hash = payloadHash(record);
    const started = performance.now();
    try {
      const [outcome, tx] = await this.dataSource.transaction(
        async (manager): Promise<[Outcome, Transaction | undefined]> => {
          if (this.options.inbox !== false) {
            const inserted = await manager.query<unknown[]>(
              `INSERT INTO "${this.options.schema}"."inbox" (consumer, event_id, payload_hash, event_type, topic, partition, "offset")
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (consumer, event_id) DO NOTHING RETURNING event_id`,
              [
                this.options.name,
                event.id,
                hash,
                event.ceType,
                record.topic,
                record.partition,
                record.offset,
              ],
            );
            if (inserted.length === 0) {
              const [existing] = await manager.query<{ payload_hash: string }[]>(
                `SELECT payload_hash FROM "${this.options.schema}"."inbox" WHERE consumer = $1 AND event_id = $2`,
                [this.options.name, event.id],
              );
              return [existing?.payload_hash === hash ? 'duplicate' : 'conflict', undefined];
            }
          }
          const tx = new Transaction(manager, this.outbox);
          await handler(event as CareEvent<EventTypeName>, tx);
          if (previousFailures > 0) {
            await manager.query(
              `DELETE FROM "${this.options.schema}"."consumer_failures"
              WHERE consumer = $1 AND topic = $2 AND partition = $3 AND "offset" = $4`,
              [this.options.name, record.topic, record.partition, record.offset],
            );
          }
          return ['applied', tx];
        },
      );
      if (tx?.wroteOutbox === true) this.wakeUp.committed();
      tx?.committed();
      switch (outcome) {
        case 'applied':
          this.observer.consumed?.(event.ceType, (performance.now() - started) / 1000);
          return outcome;
        case 'duplicate':
          this.observer.duplicate?.(event.ceType);
          return outcome;
        case 'conflict':
          // Never applied: the same id with different content is a producer bug or tampering.
          this.observer.conflict?.(event.ceType);
          this.logger.error(
            `Event ${event.id} (${event.ceType}) at ${record.topic}[${record.partition}]@${record.offset} reuses an id already applied with a different payload; not applied`,
          );
          return outcome;
      }
    } catch (error) {
      if (isTransientError(error)) throw error;
      const attempts = await this.recordFailure(record, event.id, error);
      this.observer.failed?.(event.ceType);
      if (attempts >= this.options.maxAttempts) {
        await this.deadLetter(
          record,
          'handler-failed',
          (error as Error).name,
          (error as Error).message,
          attempts,
          event.ceType,
        );
        return 'dead-lettered';
      }
      await sleep((this.options.retryDelayMs ?? 200) * attempts);
      return this.apply(record, event, handler, attempts);
    }
  }

  /** Counts a failed attempt in the database (it survives restarts) and returns the count so far. */
  private async recordFailure(record: IncomingRecord, eventId: string, error: unknown): Promise<number> {
    const message = describeError(error);
    const [row] = await this.dataSource.query<{ attempts: number }[]>(
      `INSERT INTO "${this.options.schema}"."consumer_failures" (consumer, topic, partition, "offset", event_id, attempts, last_error)
       VALUES ($1, $2, $3, $4, $5, 1, $6)
       ON CONFLICT (consumer, topic, partition, "offset")
       DO UPDATE SET attempts = consumer_failures.attempts + 1, last_error = EXCLUDED.last_error, updated_at = now()
       RETURNING attempts`,
      [this.options.name, record.topic, record.partition, record.offset, eventId, message.slice(0, 2_000)],
    );
    return row?.attempts ?? 1;
  }

  /**
   * Publishes the record, unchanged, to the dead-letter topic with where it came from and why it failed.
   * Only once the broker acknowledged it does the consumer move past the record.
   */
  private async deadLetter(
    record: IncomingRecord,
    reason: DeadLetterReason,
    code: string,
    message: string,
    attempts: number,
    type: string | undefined,
  ): Promise<void> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(record.headers)) {
      const text = headerText(value);
      if (text !== undefined) headers[name] = text;
    }
    Object.assign(headers, {
      dlq_consumer: this.options.name,
      dlq_original_topic: record.topic,
      dlq_original_partition: String(record.partition),
      dlq_original_offset: record.offset,
      dlq_reason: reason,
      dlq_error_code: code,
      dlq_error_message: message.slice(0, 1_000),
      dlq_attempts: String(attempts),
      dlq_failed_at: new Date().toISOString(),
    });
    await this.deadLetters.send([
      {
        topic: this.options.deadLetterTopic,
        key: record.key?.toString() ?? null,
        value: record.value,
        headers,
      },
    ]);
    this.observer.deadLettered?.(type ?? 'unknown', reason);
    this.logger.warn(
      `Dead-lettered ${record.topic}[${record.partition}]@${record.offset} (${reason}: ${code}) after ${attempts} attempt(s)`,
    );
    await this.dataSource
      .query(
        `DELETE FROM "${this.options.schema}"."consumer_failures" WHERE consumer = $1 AND topic = $2 AND partition = $3 AND "offset" = $4`,
        [this.options.name, record.topic, record.partition, record.offset],
      )
      .catch(() => undefined);
  }
}

import { findEventDefinitionByCeType } from '@stepwise/contracts';
import { type OpenSpan, SPAN_ATTRIBUTES, startSpan } from '@stepwise/platform';
import { Client, type Notification } from 'pg';
import { type BrokerProducer, type OutgoingRecord } from '../broker/broker';
import { describeError, isConnectionLost } from '../errors/transient-error';
import { outboxChannel } from '../outbox/outbox-table';
import { type OutboxWakeUp } from '../outbox/outbox-wake-up';

export interface RelayOptions {
  /** Postgres URL of the service's application role. */
  readonly connectionString: string;
  readonly schema: string;
  /** Names this replica in logs and metrics (pod name in Kubernetes). */
  readonly holderId: string;
  readonly batchSize: number;
  /** Safety-net poll while idle; NOTIFY normally wakes the relay at once. */
  readonly pollIntervalMs: number;
  /** How often a standby replica tries to take the lease. */
  readonly leaseRetryMs: number;
  /** Published rows older than this are deleted. */
  readonly retentionMs: number;
  readonly pruneIntervalMs?: number;
  /** Prepended to every topic name (isolated test topics, shared clusters); empty in production. */
  readonly topicPrefix?: string;
}

export interface RelayLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Observes the relay (metrics). Every method is optional. */
export interface RelayObserver {
  published?(records: readonly { id: string; type: string; createdAt: Date }[]): void;
  publishFailed?(error: unknown, batchSize: number): void;
  leaseChanged?(holding: boolean): void;
  pruned?(rows: number): void;
}

/** Test hooks; production passes none. */
export interface RelayHooks {
  /** Called after the broker acknowledged a batch and before the rows are marked published. */
  afterSend?(ids: readonly string[]): Promise<void>;
}

interface OutboxRow {
  id: string;
  /** bigint, kept as text by the driver */
  sequence: string;
  topic: string;
  aggregateid: string;
  type: string;
  payload: string;
  headers: string;
  created_at: Date;
}

const MAX_BACKOFF_MS = 5_000;

// payload and headers as text: the payload goes to the broker exactly as stored, never parsed.
const ROW_COLUMNS =
  'id, sequence, topic, aggregateid, type, payload::text AS payload, headers::text AS headers, created_at';

/**
 * Publishes committed outbox rows to Kafka in `sequence` order.
 *
 * One replica at a time: the relay holds a session-level Postgres advisory lock (the lease) on its own
 * connection, and does all its reads and marks on that connection. Other replicas stand by and retry; when
 * the holder dies, Postgres ends its session and releases the lock, and a standby takes over within
 * `leaseRetryMs`. Because only one relay reads at a time and each key's rows are committed in sequence
 * order (see Outbox), every key's events reach Kafka in order.
 *
 * Rows are marked published only after the broker acknowledged them; a crash in between republishes them
 * (at-least-once; consumers drop duplicates by event id).
 */
export class OutboxRelay implements OutboxWakeUp {
  private client: Client | undefined;
  private leader = false;
  private stopping = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private pendingWake = false;
  private lastPrune = 0;
  private failures = 0;

  constructor(
    private readonly options: RelayOptions,
    private readonly producer: BrokerProducer,
    private readonly logger: RelayLogger,
    private readonly observer: RelayObserver = {},
    private readonly hooks: RelayHooks = {},
  ) {}

  get isLeader(): boolean {
    return this.leader;
  }

  /**
   * Wakes this relay directly: a use case of the same process committed outbox rows. No round trip, so the
   * rows are read as soon as the commit returns (`preferLocalRelay`); a no-op effect while it is not leader.
   */
  committed(): void {
    this.wake();
  }

  start(): void {
    if (this.loop !== undefined) return;
    this.stopping = false;
    // The loop handles its own errors; this only guards against a bug in that handling taking the process down.
    this.loop = this.run().catch((error: unknown) => {
      this.logger.error(`Outbox relay stopped unexpectedly: ${describeError(error)}`);
    });
  }

  /** Finishes the batch in flight (send and mark), releases the lease and closes the connection. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.loop;
    this.loop = undefined;
  }

  private wake(): void {
    this.pendingWake = true;
    this.wakeUp?.();
  }

  /** Waits up to `ms`, or less if a notification (or stop) arrives. */
  private idle(ms: number): Promise<void> {
    if (this.pendingWake || this.stopping) {
      this.pendingWake = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        this.pendingWake = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        const client = await this.connection();
        if (!this.leader) {
          await this.tryTakeLease(client);
          if (!this.leader) {
            await this.idle(this.options.leaseRetryMs);
            continue;
          }
        }
        const drained = await this.drain(client);
        this.failures = 0;
        await this.pruneIfDue(client);
        // A drain that ended on a full batch may have stopped for a late row: start again from the oldest.
        if (!drained.mayHaveMore) await this.idle(this.options.pollIntervalMs);
      } catch (error) {
        this.failures += 1;
        const delay = Math.min(100 * 2 ** Math.min(this.failures, 6), MAX_BACKOFF_MS);
        this.logger.warn(
          `Outbox relay error (attempt ${this.failures}, retrying in ${delay} ms): ${describeError(error)}`,
        );
        if (isConnectionLost(error)) await this.dropConnection();
        await this.idle(delay);
      }
    }
    await this.dropConnection();
  }

  private async connection(): Promise<Client> {
    if (this.client !== undefined) return this.client;
    const client = new Client({
      connectionString: this.options.connectionString,
      application_name: `stepwise-relay:${this.options.holderId}`.slice(0, 63),
      keepAlive: true,
      connectionTimeoutMillis: 5_000,
    });
    client.on('error', () => void this.dropConnection());
    client.on('notification', (_: Notification) => this.wake());
    await client.connect();
    await client.query(`LISTEN "${outboxChannel(this.options.schema)}"`);
    this.client = client;
    return client;
  }

  private async dropConnection(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (this.leader) {
      this.leader = false;
      this.observer.leaseChanged?.(false);
      this.logger.info(`Released the outbox relay lease (${this.options.holderId})`);
    }
    // Ending the session releases the advisory lock, whichever way it ends.
    await client?.end().catch(() => undefined);
  }

  private async tryTakeLease(client: Client): Promise<void> {
    const result = await client.query<{ taken: boolean }>(
      'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS taken',
      [`stepwise-outbox-relay:${this.options.schema}`],
    );
    if (result.rows[0]?.taken === true) {
      this.leader = true;
      this.observer.leaseChanged?.(true);
      this.logger.info(`Holding the outbox relay lease (${this.options.holderId})`);
    }
  }

  /**
   * Publishes unpublished rows in sequence order until fewer than a batch remain, as a pipeline: while a
   * batch is in flight to the broker, the connection marks the previous batch and reads the next one. A batch
   * is sent only after the one before it was acknowledged, and marked only after its own acknowledgement, so
   * a crash anywhere leaves unmarked rows that are sent again (duplicates, never gaps or reordering).
   *
   * Reading ahead past the last row read must not overtake a row that was invisible when the reading
   * passed its sequence: a transaction draws its sequences as it appends, so a use case that appends, waits
   * while other keys' transactions commit (and are read), then appends again and commits, leaves an earlier
   * row of its key below the read position and a later one above it. Both become visible at its commit, so
   * the read-ahead looks for such a late row in the same statement (any unpublished row at or below the read
   * position that this drain has not read) and, finding one, returns nothing: the drain ends and the next
   * one starts again from the oldest unpublished row, which puts the late row first.
   */
  private async drain(client: Client): Promise<{ total: number; mayHaveMore: boolean }> {
    // Rows this drain has read whose marking has not finished: not late, just in flight.
    const unmarked = new Set<string>();
    const read = async (fetching: Promise<OutboxRow[]>): Promise<OutboxRow[]> => {
      const rows = await fetching;
      for (const row of rows) unmarked.add(row.id);
      return rows;
    };
    const readAhead = (batch: readonly OutboxRow[]): Promise<OutboxRow[]> => {
      const last = batch[batch.length - 1];
      return batch.length === this.options.batchSize && !this.stopping && last !== undefined
        ? read(this.fetchAfter(client, last.sequence, [...unmarked]))
        : Promise.resolve([]);
    };
    let current = await read(this.fetch(client));
    let next = readAhead(current);
    let marking: Promise<void> = Promise.resolve();
    let total = 0;
    let lastFull = current.length === this.options.batchSize;
    try {
      while (current.length > 0) {
        await this.send(current);
        const sent = current;
        await this.hooks.afterSend?.(sent.map((row) => row.id));
        marking = marking.then(async () => {
          await this.mark(client, sent);
          for (const row of sent) unmarked.delete(row.id);
        });
        current = await next;
        if (current.length > 0) lastFull = current.length === this.options.batchSize;
        next = readAhead(current);
        total += sent.length;
      }
      await marking;
      return { total, mayHaveMore: lastFull && !this.stopping };
    } finally {
      // On failure, let queued queries settle before the caller decides about the connection.
      await Promise.allSettled([marking, next]);
    }
  }

  private async mark(client: Client, rows: readonly OutboxRow[]): Promise<void> {
    await client.query(
      `UPDATE "${this.options.schema}"."outbox" SET published_at = now() WHERE id = ANY($1::uuid[])`,
      [rows.map((row) => row.id)],
    );
    this.observer.published?.(rows.map((row) => ({ id: row.id, type: row.type, createdAt: row.created_at })));
  }

  /** The oldest unpublished rows: where every drain starts. */
  private async fetch(client: Client): Promise<OutboxRow[]> {
    const { rows } = await client.query<OutboxRow>(
      `SELECT ${ROW_COLUMNS} FROM "${this.options.schema}"."outbox"
        WHERE published_at IS NULL
        ORDER BY sequence
        LIMIT $1`,
      [this.options.batchSize],
    );
    return rows;
  }

  /**
   * The unpublished rows after `afterSequence`, or none when a row at or below it that this drain has not
   * read (`inFlight` are the ones it has) became visible: one statement, so one snapshot sees both.
   */
  private async fetchAfter(
    client: Client,
    afterSequence: string,
    inFlight: readonly string[],
  ): Promise<OutboxRow[]> {
    const table = `"${this.options.schema}"."outbox"`;
    const { rows } = await client.query<OutboxRow>(
      `SELECT ${ROW_COLUMNS} FROM ${table}
        WHERE published_at IS NULL AND sequence > $2
          AND NOT EXISTS (SELECT 1 FROM ${table} late
                           WHERE late.published_at IS NULL AND late.sequence <= $2
                             AND NOT (late.id = ANY($3::uuid[])))
        ORDER BY sequence
        LIMIT $1`,
      [this.options.batchSize, afterSequence, inFlight],
    );
    return rows;
  }

  /**
   * Sends a batch. Each record is published in a span of the trace that appended it (the trace context stored
   * with its row), and carries that span as its `traceparent`: the consumer continues the same trace, so one
   * request is one trace across services even though the relay sends many requests' events together.
   */
  private async send(rows: readonly OutboxRow[]): Promise<void> {
    const prefix = this.options.topicPrefix ?? '';
    const spans: OpenSpan[] = [];
    const records: OutgoingRecord[] = rows.map((row) => {
      const topic = `${prefix}${row.topic}`;
      const headers = JSON.parse(row.headers) as Record<string, string>;
      // `ClientAdmitted`, as the outbox append and the consumer name it (the row holds the `ce_type`).
      const type = findEventDefinitionByCeType(row.type)?.type ?? row.type;
      const span = startSpan(`publish ${type}`, {
        kind: 'producer',
        parent: headers['traceparent'],
        attributes: {
          [SPAN_ATTRIBUTES.eventType]: type,
          [SPAN_ATTRIBUTES.eventId]: row.id,
          [SPAN_ATTRIBUTES.topic]: topic,
          [SPAN_ATTRIBUTES.messagingSystem]: 'kafka',
          [SPAN_ATTRIBUTES.messagingOperation]: 'send',
        },
      });
      spans.push(span);
      return {
        topic,
        key: row.aggregateid,
        value: row.payload,
        headers: span.traceparent === undefined ? headers : { ...headers, traceparent: span.traceparent },
      };
    });
    try {
      await this.producer.send(records);
      for (const span of spans) span.end();
    } catch (error) {
      for (const span of spans) span.end(error);
      this.observer.publishFailed?.(error, rows.length);
      throw error;
    }
  }

  private async pruneIfDue(client: Client): Promise<void> {
    const interval = this.options.pruneIntervalMs ?? 60_000;
    if (Date.now() - this.lastPrune < interval) return;
    this.lastPrune = Date.now();
    // Bounded deletes keep each statement short, so a large backlog of old rows never blocks publishing.
    const result = await client.query(
      `DELETE FROM "${this.options.schema}"."outbox"
        WHERE id IN (SELECT id FROM "${this.options.schema}"."outbox"
                      WHERE published_at < now() - make_interval(secs => $1::double precision / 1000)
                      LIMIT 10000)`,
      [this.options.retentionMs],
    );
    if ((result.rowCount ?? 0) > 0) this.observer.pruned?.(result.rowCount ?? 0);
  }
}

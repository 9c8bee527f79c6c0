import { type EventPayload } from '@stepwise/contracts';
import {
  type BrokerProducer,
  KafkajsProducer,
  Outbox,
  OutboxRelay,
  PgOutboxWakeUp,
  UnitOfWork,
  pendingEvent,
  preferLocalRelay,
} from '@stepwise/messaging';
import { DataSource } from 'typeorm';
import { type BenchPath, type Committed, wallNow } from './bench-path';
import { INSERT_ATTENDANCE, SCHEMA, benchDataSourceOptions } from './bench-tables';

/** How the use case writes: one autocommitted statement (`runStatement`), or a transaction (`run`). */
export type WritePath = 'statement' | 'transaction';

/** The use case as a service writes it: the domain row and its event, committed together. */
class RecordAttendance {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly writePath: WritePath,
  ) {}

  async execute(payload: EventPayload<'SessionAttended'>): Promise<string> {
    const parameters = [payload.attendanceId, payload.clientId, 'stepwise', payload.minutesAttended];
    if (this.writePath === 'statement') {
      // The hot path: row and event in one round trip.
      const { message } = await this.unitOfWork.runStatement(
        { sql: `${INSERT_ATTENDANCE} RETURNING id`, parameters },
        pendingEvent('SessionAttended', payload),
      );
      return message.headers['ce_id'] ?? '';
    }
    const message = await this.unitOfWork.run(async (tx) => {
      await tx.manager.query(INSERT_ATTENDANCE, parameters);
      return tx.publish('SessionAttended', payload);
    });
    return message.headers['ce_id'] ?? '';
  }
}

export interface StepwisePathOptions {
  readonly url: string;
  readonly brokers: readonly string[];
  readonly topicPrefix: string;
  readonly poolSize: number;
  readonly relayBatchSize: number;
  readonly writePath: WritePath;
}

/** The relay's producer, noting when each record was handed to the broker and when its batch was acked. */
function timedProducer(producer: BrokerProducer, sends: BenchPath['sends']): BrokerProducer {
  return {
    send: async (records) => {
      const sent = wallNow();
      await producer.send(records);
      const acked = wallNow();
      for (const record of records) sends.set(record.headers['ce_id'] ?? '', { sent, acked });
    },
    close: () => producer.close(),
  };
}

/**
 * Producing side of the Stepwise path, in the benchmark's process, as a service runs it: the use case
 * (request) returns at commit; the OutboxRelay of the same process, woken directly after the commit
 * (`preferLocalRelay`; NOTIFY only if another process held the lease), publishes committed rows in batches.
 */
export async function startStepwisePath(options: StepwisePathOptions): Promise<BenchPath> {
  const dataSource = new DataSource(benchDataSourceOptions(options.url, 'bench-stepwise', options.poolSize));
  await dataSource.initialize();
  const notify = new PgOutboxWakeUp({ connectionString: options.url, schema: SCHEMA });
  const sends: BenchPath['sends'] = new Map();
  const producer = new KafkajsProducer({ clientId: 'bench-stepwise-relay', brokers: options.brokers });
  const relay = new OutboxRelay(
    {
      connectionString: options.url,
      schema: SCHEMA,
      holderId: 'bench-stepwise',
      batchSize: options.relayBatchSize,
      pollIntervalMs: 250,
      leaseRetryMs: 1_000,
      retentionMs: 3_600_000,
      topicPrefix: options.topicPrefix,
    },
    timedProducer(producer, sends),
    { info: () => undefined, warn: (m) => console.warn(m), error: (m) => console.error(m) },
  );
  const useCase = new RecordAttendance(
    new UnitOfWork(dataSource, new Outbox(SCHEMA), preferLocalRelay(relay, notify)),
    options.writePath,
  );
  relay.start();
  while (!relay.isLeader) await new Promise((resolve) => setTimeout(resolve, 20));
  return {
    name: 'stepwise',
    label: `Stepwise: outbox (${options.writePath}) -> relay -> inbox consumer`,
    request: async (payload): Promise<Committed> => {
      const eventId = await useCase.execute(payload);
      return { eventId, committedAt: wallNow() };
    },
    sends,
    close: async () => {
      await relay.stop();
      await producer.close();
      await notify.close();
      await dataSource.destroy();
    },
  };
}

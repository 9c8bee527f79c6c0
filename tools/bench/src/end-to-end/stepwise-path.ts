import { type EventPayload } from '@stepwise/contracts';
import { KafkajsProducer, Outbox, OutboxRelay, PgOutboxWakeUp, UnitOfWork } from '@stepwise/messaging';
import { dataSourceOptions } from '@stepwise/platform';
import { DataSource } from 'typeorm';
import { type BenchPath, type Committed, wallNow } from './bench-path';
import { INSERT_ATTENDANCE, SCHEMA } from './bench-tables';

/** The use case as a service writes it: the domain row and its event in one transaction. */
class RecordAttendance {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  async execute(payload: EventPayload<'SessionAttended'>): Promise<string> {
    const message = await this.unitOfWork.run(async (tx) => {
      await tx.manager.query(INSERT_ATTENDANCE, [
        payload.attendanceId,
        payload.clientId,
        'stepwise',
        payload.minutesAttended,
      ]);
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
}

/**
 * Producing side of the Stepwise path, in the benchmark's process: the use case (request) returns at commit;
 * the OutboxRelay, woken after commit by the UnitOfWork's coalesced NOTIFY, publishes committed rows in
 * batches.
 */
export async function startStepwisePath(options: StepwisePathOptions): Promise<BenchPath> {
  const dataSource = new DataSource(
    dataSourceOptions(options.url, {
      schema: SCHEMA,
      migrations: [],
      applicationName: 'bench-stepwise',
      poolSize: options.poolSize,
    }),
  );
  await dataSource.initialize();
  const wakeUp = new PgOutboxWakeUp({ connectionString: options.url, schema: SCHEMA });
  const useCase = new RecordAttendance(new UnitOfWork(dataSource, new Outbox(SCHEMA), wakeUp));
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
    producer,
    { info: () => undefined, warn: (m) => console.warn(m), error: (m) => console.error(m) },
  );
  relay.start();
  while (!relay.isLeader) await new Promise((resolve) => setTimeout(resolve, 20));
  return {
    name: 'stepwise',
    label: 'Stepwise: outbox -> relay -> inbox consumer',
    request: async (payload): Promise<Committed> => {
      const eventId = await useCase.execute(payload);
      return { eventId, committedAt: wallNow() };
    },
    close: async () => {
      await relay.stop();
      await producer.close();
      await wakeUp.close();
      await dataSource.destroy();
    },
  };
}

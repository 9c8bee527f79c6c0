import { join } from 'node:path';
import { type DynamicModule, Injectable, Module } from '@nestjs/common';
import {
  type EncodedMessage,
  Topics,
  deadLetterTopic,
  encodeEvent,
  examplePayload,
} from '@stepwise/contracts';
import { PlatformModule, ServiceConfig, type ServiceDefinition } from '@stepwise/platform';
import { type ServiceApp, http, metricValue, startServiceApp, waitFor } from '@stepwise/testing';
import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { MessagingModule } from '../messaging.module';
import { createOutboxTableV1 } from '../outbox/outbox-table';
import { createInboxTablesV1 } from './inbox-tables';
import { type ConsumerHandlers } from './event-consumer';
import { type EventHandlerSet } from './event-handler-set';
import { replayDeadLettersCommand } from './replay-command';

const SCHEMA = 'notifications';
/** Until `cause.fixed`, the handler fails for this revision: a handler bug that a deployment later fixes. */
const BUGGY_REVISION = 666;
const cause = { fixed: false };

class ServiceTables1700000000000 implements MigrationInterface {
  name = 'ServiceTables1700000000000';
  async up(queryRunner: QueryRunner): Promise<void> {
    await createOutboxTableV1(queryRunner, SCHEMA);
    await createInboxTablesV1(queryRunner, SCHEMA);
    // No unique key: a second application of one event would show as a second row.
    await queryRunner.query(
      `CREATE TABLE "${SCHEMA}".effects (event_id uuid NOT NULL, revision int NOT NULL)`,
    );
  }
  async down(): Promise<void> {
    // test schema only
  }
}

/** An app's handler set, as services write them: an injectable provider of the app's own module. */
@Injectable()
class AttendanceHandlers implements EventHandlerSet<'SessionAttended'> {
  readonly topics = [Topics.SessionsEvents];
  readonly handlers: ConsumerHandlers<'SessionAttended'> = {
    SessionAttended: async (event, tx) => {
      if (event.data.revision === BUGGY_REVISION && !cause.fixed) throw new Error('handler bug');
      await tx.manager.query(`INSERT INTO "${SCHEMA}".effects (event_id, revision) VALUES ($1, $2)`, [
        event.id,
        event.data.revision,
      ]);
    },
  };
}

@Module({ providers: [AttendanceHandlers] })
class AttendanceModule {}

const database = { schema: SCHEMA, migrations: [ServiceTables1700000000000] };
const definition: ServiceDefinition<ServiceConfig> = {
  name: 'notifications',
  config: ServiceConfig,
  database,
  module: (config): DynamicModule => ({
    module: class ConsumingServiceModule {},
    imports: [
      PlatformModule.forService({ service: 'notifications', config, database }),
      MessagingModule.forService({ schema: SCHEMA, consumer: AttendanceHandlers }),
      AttendanceModule,
    ],
  }),
  configureHttp: () => undefined,
};

const attended = (revision: number): EncodedMessage =>
  encodeEvent('SessionAttended', examplePayload('SessionAttended', { revision }));

describe('a service consuming events through MessagingModule', () => {
  let service: ServiceApp;
  const effects = async (): Promise<{ event_id: string; revision: number }[]> =>
    service.dataSource.query(`SELECT event_id, revision FROM "${SCHEMA}".effects ORDER BY revision`);

  beforeAll(async () => {
    service = await startServiceApp(definition, {
      label: 'consumer_service',
      envExample: join(__dirname, '../../../../apps/notifications/.env.example'),
      env: { CONSUMER_MAX_ATTEMPTS: '2' },
    });
  }, 120_000);
  afterAll(() => service?.close());

  it('is ready only as a member of its consumer group, and says so', async () => {
    const ready = await http<{ info: Record<string, { status: string }> }>(`${service.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(ready.body.info['consumer']).toEqual({ status: 'up' });
  });

  it('applies each event once, however often it is delivered, and counts the skips', async () => {
    const [first, second] = await service.publish(attended(1), attended(2));
    await service.publish(first as EncodedMessage, second as EncodedMessage);
    await waitFor(
      'two effects and two duplicates',
      () => http<string>(`${service.url}/metrics`),
      (m) =>
        metricValue(m.body, 'stepwise_events_skipped_duplicate_total', {
          consumer: 'notifications',
          type: 'care.sessions.SessionAttended.v1',
        }) === 2,
    );
    expect((await effects()).map((e) => e.revision)).toEqual([1, 2]);
  });

  it('dead-letters a record its handler cannot apply, and the replay command applies it once fixed', async () => {
    const [buggy] = await service.publish(attended(BUGGY_REVISION));
    const dlq = deadLetterTopic('notifications');
    const [deadLetter] = await service.readRecords(dlq, (records) => records.length === 1);
    expect(deadLetter?.headers).toMatchObject({
      dlq_reason: 'handler-failed',
      dlq_attempts: '2',
      dlq_original_topic: `${service.prefix}${Topics.SessionsEvents}`,
      ce_id: buggy?.headers['ce_id'],
    });
    // The partition moved on: a later record on it is applied.
    await service.publish(attended(3));
    await waitFor('the record behind it', effects, (rows) => rows.some((r) => r.revision === 3));

    // Replaying before the fix dead-letters it again (exit 1) rather than losing it.
    expect(await replayDeadLettersCommand.run(service.app, [])).toBe(1);
    await service.readRecords(dlq, (records) => records.length === 2);

    cause.fixed = true;
    expect(await replayDeadLettersCommand.run(service.app, [])).toBe(0);
    expect((await effects()).map((e) => e.revision)).toEqual([1, 2, 3, BUGGY_REVISION]);
    // A second run finds nothing new to replay; the effect stays single.
    expect(await replayDeadLettersCommand.run(service.app, [])).toBe(0);
    expect((await effects()).filter((e) => e.revision === BUGGY_REVISION)).toHaveLength(1);
  }, 60_000);
});

import { join } from 'node:path';
import { type DynamicModule, Module } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import {
  type EncodedMessage,
  type EventPayload,
  Topics,
  consumerGroupId,
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
import { BROKER_ADMIN, type BrokerAdmin } from '../broker/broker';
import { EventTransport } from './event-transport';
import { type InboxContext } from './inbox-context';
import { EventsController, OnEvent } from './on-event';
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
    // No unique key: a second application of one event would show as a second row. `in_inbox`: whether the
    // handler's transaction already held the event's inbox row, i.e. the handler ran inside it.
    await queryRunner.query(
      `CREATE TABLE "${SCHEMA}".effects (event_id uuid NOT NULL, revision int NOT NULL, client_id uuid NOT NULL, in_inbox boolean NOT NULL)`,
    );
  }
  async down(): Promise<void> {
    // test schema only
  }
}

/**
 * An app's event handlers, as services write them: a controller of the app's own module. It handles
 * SessionAttended only; SessionMissed, on the same topic, has no handler.
 */
@EventsController()
class AttendanceEvents {
  @OnEvent('SessionAttended')
  async attended(
    @Payload() attendance: EventPayload<'SessionAttended'>,
    @Ctx() { event, tx }: InboxContext<'SessionAttended'>,
  ): Promise<void> {
    if (attendance.revision === BUGGY_REVISION && !cause.fixed) throw new Error('handler bug');
    await tx.manager.query(
      `INSERT INTO "${SCHEMA}".effects (event_id, revision, client_id, in_inbox)
       SELECT $1, $2, $3, EXISTS (SELECT 1 FROM "${SCHEMA}".inbox WHERE event_id = $1)`,
      [event.id, attendance.revision, attendance.clientId],
    );
  }
}

@Module({ controllers: [AttendanceEvents] })
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
      MessagingModule.forService({ schema: SCHEMA }),
      AttendanceModule,
    ],
  }),
  configureHttp: () => undefined,
};

const attended = (revision: number): EncodedMessage =>
  encodeEvent('SessionAttended', examplePayload('SessionAttended', { revision }));

interface Effect {
  event_id: string;
  revision: number;
  client_id: string;
  in_inbox: boolean;
}

describe('a service consuming events through its Nest transport strategy (EventTransport)', () => {
  let service: ServiceApp;
  const effects = async (): Promise<Effect[]> =>
    service.dataSource.query(
      `SELECT event_id, revision, client_id, in_inbox FROM "${SCHEMA}".effects ORDER BY revision`,
    );

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

  it('reads the topics the handled event types are published on', () => {
    expect(service.app.get(EventTransport).topics()).toEqual([Topics.SessionsEvents]);
  });

  it('hands an @OnEvent method the typed payload and the inbox transaction', async () => {
    const payload = examplePayload('SessionAttended', { revision: 7 });
    const [message] = await service.publish(encodeEvent('SessionAttended', payload));
    const [effect] = await waitFor('the effect', effects, (rows) => rows.some((r) => r.revision === 7));
    expect(effect).toEqual({
      event_id: message?.headers['ce_id'],
      revision: 7,
      client_id: payload.clientId,
      in_inbox: true,
    });
    await service.dataSource.query(`DELETE FROM "${SCHEMA}".effects`);
  });

  it('commits its offsets as the consumer group libs/contracts names (the group the KafkaUser ACLs allow)', async () => {
    const group = `${service.prefix}${consumerGroupId('notifications')}`;
    expect(service.app.get(EventTransport).groupId()).toBe(group);
    // Offsets are committed off the event's path, within a quarter of a second of the effect (DeferredCommits).
    const committed = await waitFor(
      'a committed offset',
      () =>
        service.app
          .get<BrokerAdmin>(BROKER_ADMIN)
          .committedOffsets(group, `${service.prefix}${Topics.SessionsEvents}`),
      (offsets) => [...offsets.values()].some((offset) => offset > 0n),
    );
    expect([...committed.values()].some((offset) => offset > 0n)).toBe(true);
  });

  it('skips and counts an event type without an @OnEvent method', async () => {
    await service.publish(encodeEvent('SessionMissed', examplePayload('SessionMissed')));
    await waitFor(
      'one unhandled SessionMissed',
      () => http<string>(`${service.url}/metrics`),
      (m) =>
        metricValue(m.body, 'stepwise_events_skipped_unhandled_total', {
          consumer: 'notifications',
          type: 'care.sessions.SessionMissed.v1',
        }) === 1,
    );
    expect(await effects()).toEqual([]);
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

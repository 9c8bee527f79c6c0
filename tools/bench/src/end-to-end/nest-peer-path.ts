import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type ClientKafka, ClientsModule, Transport } from '@nestjs/microservices';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import { type EventPayload } from '@stepwise/contracts';
import { lastValueFrom } from 'rxjs';
import { type DataSource } from 'typeorm';
import { type BenchPath, type Committed, wallNow } from './bench-path';
import { INSERT_ATTENDANCE, type PeerEvent, benchDataSourceOptions } from './bench-tables';

const EVENTS_CLIENT = 'EVENTS_CLIENT';

export interface NestPeerPathOptions {
  readonly url: string;
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly groupId: string;
  readonly poolSize: number;
}

/**
 * Producing side of the NestJS peer: the request handler's service inserts its row (committed on its own),
 * then `ClientKafka.emit`s the event and awaits the broker's ack before the request completes. Nest's
 * defaults: one kafkajs producer (not idempotent, acks from all replicas, one record per send).
 */
export async function startNestPeerPath(options: NestPeerPathOptions): Promise<BenchPath> {
  const sends: BenchPath['sends'] = new Map();
  @Injectable()
  class RecordAttendancePeer {
    constructor(
      @Inject(getDataSourceToken()) private readonly dataSource: DataSource,
      @Inject(EVENTS_CLIENT) private readonly events: ClientKafka,
    ) {}

    async execute(payload: EventPayload<'SessionAttended'>): Promise<Committed> {
      await this.dataSource.query(INSERT_ATTENDANCE, [
        payload.attendanceId,
        payload.clientId,
        'peer',
        payload.minutesAttended,
      ]);
      const committed = { eventId: randomUUID(), committedAt: wallNow() };
      const event: PeerEvent = { id: committed.eventId, type: 'SessionAttended', data: { ...payload } };
      await lastValueFrom(this.events.emit(options.topic, { key: payload.clientId, value: event }));
      sends.set(committed.eventId, { sent: committed.committedAt, acked: wallNow() });
      return committed;
    }
  }

  @Module({
    imports: [
      TypeOrmModule.forRoot(benchDataSourceOptions(options.url, 'bench-peer', options.poolSize)),
      ClientsModule.register([
        {
          name: EVENTS_CLIENT,
          transport: Transport.KAFKA,
          options: {
            client: { clientId: 'bench-peer', brokers: [...options.brokers] },
            consumer: { groupId: options.groupId },
          },
        },
      ]),
    ],
    providers: [RecordAttendancePeer],
  })
  class PeerAppModule {}

  const app = await NestFactory.createApplicationContext(PeerAppModule, { logger: ['error', 'warn'] });
  await app.init();
  const useCase = app.get(RecordAttendancePeer);
  return {
    name: 'peer',
    label: 'NestJS peer: ClientKafka.emit -> @EventPattern',
    request: (payload) => useCase.execute(payload),
    sends,
    close: () => app.close(),
  };
}

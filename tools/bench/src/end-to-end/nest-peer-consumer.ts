/**
 * The consuming side a NestJS user would build: a microservice on Nest's Kafka transport with an
 * `@EventPattern` handler that inserts the effect row (no inbox, no transaction of its own). Nest's defaults
 * throughout — `eachMessage`, one partition at a time, kafkajs auto-commit — except a group id unique to the
 * run and `fromBeginning` (the topic is new; events produced before the group's first join must count).
 * Prints READY once listening; closes on SIGTERM.
 */
import 'reflect-metadata';
import { Controller, Inject, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, type MicroserviceOptions, Payload, Transport } from '@nestjs/microservices';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import { type DataSource } from 'typeorm';
import {
  INSERT_EFFECT,
  type PeerEvent,
  benchDataSourceOptions,
  requiredEnv,
  runConsumerProcess,
  wallNow,
} from './bench-tables';

/** The topic is known only at run time, and decorators are evaluated when the class is defined. */
function effectsController(topic: string): Type {
  @Controller()
  class AttendanceEffectsController {
    constructor(@Inject(getDataSourceToken()) private readonly dataSource: DataSource) {}

    @EventPattern(topic)
    async onAttended(@Payload() event: PeerEvent): Promise<void> {
      await this.dataSource.query(INSERT_EFFECT, ['peer', event.id, event.data.attendanceId, wallNow()]);
    }
  }
  return AttendanceEffectsController;
}

async function start(): Promise<() => Promise<void>> {
  @Module({
    imports: [
      TypeOrmModule.forRoot(
        benchDataSourceOptions(
          requiredEnv('DATABASE_URL'),
          'bench-peer-consumer',
          Number(requiredEnv('POOL_SIZE')),
        ),
      ),
    ],
    controllers: [effectsController(requiredEnv('TOPIC'))],
  })
  class PeerConsumerModule {}

  const app = await NestFactory.createMicroservice<MicroserviceOptions>(PeerConsumerModule, {
    transport: Transport.KAFKA,
    options: {
      client: { clientId: 'bench-peer', brokers: requiredEnv('KAFKA_BROKERS').split(',') },
      consumer: { groupId: requiredEnv('GROUP_ID') },
      subscribe: { fromBeginning: true },
    },
    logger: ['error', 'warn'],
  });
  await app.listen();
  return () => app.close();
}

runConsumerProcess(start);

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import {
  SINGLE_NODE_BROKER_SETTINGS,
  groupIdsCoveringOffsets,
  offsetsPartitionOf,
  workspaceRoot,
} from '@stepwise/infra';
import { kafkaContainerEnvironment, testImages } from './test-containers';

describe('the integration tests containers', () => {
  it('use the official images unless locally built ones are named', () => {
    expect(testImages({})).toEqual({
      postgres: 'postgres:15',
      redis: 'redis:7',
      kafka: 'apache/kafka:3.9.1',
    });
    expect(
      testImages({
        STEPWISE_POSTGRES_IMAGE: 'localhost/stepwise-postgres:test',
        STEPWISE_REDIS_IMAGE: 'localhost/stepwise-redis:test',
        STEPWISE_KAFKA_IMAGE: 'localhost/stepwise-kafka:test',
      }),
    ).toEqual({
      postgres: 'localhost/stepwise-postgres:test',
      redis: 'localhost/stepwise-redis:test',
      kafka: 'localhost/stepwise-kafka:test',
    });
  });

  it('give Kafka the local broker settings and a listener advertised on its loopback port', () => {
    const env = kafkaContainerEnvironment(41234, 'c3RlcHdpc2UtY2x1c3Rlcg');
    expect(env).toMatchObject({
      CLUSTER_ID: 'c3RlcHdpc2UtY2x1c3Rlcg',
      KAFKA_LISTENERS: 'PLAINTEXT://0.0.0.0:9092,BROKER://127.0.0.1:9094,CONTROLLER://127.0.0.1:9093',
      KAFKA_ADVERTISED_LISTENERS: 'PLAINTEXT://127.0.0.1:41234,BROKER://127.0.0.1:9094',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
    });
  });

  it('name properties the way the locally built image reads them back (its entrypoint)', () => {
    const env = kafkaContainerEnvironment(41234, 'c3RlcHdpc2UtY2x1c3Rlcg');
    const printed = spawnSync(
      'sh',
      [join(workspaceRoot(), 'tools/containers/kafka-entrypoint.sh'), '--print-config'],
      { env: { ...env, PATH: process.env['PATH'] }, encoding: 'utf8' },
    );
    expect(printed.status).toBe(0);
    const properties = Object.fromEntries(
      printed.stdout
        .trim()
        .split('\n')
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    expect(properties).toEqual({
      ...SINGLE_NODE_BROKER_SETTINGS,
      'node.id': '1',
      'process.roles': 'broker,controller',
      'controller.quorum.voters': '1@127.0.0.1:9093',
      listeners: 'PLAINTEXT://0.0.0.0:9092,BROKER://127.0.0.1:9094,CONTROLLER://127.0.0.1:9093',
      'advertised.listeners': 'PLAINTEXT://127.0.0.1:41234,BROKER://127.0.0.1:9094',
      'controller.listener.names': 'CONTROLLER',
      'inter.broker.listener.name': 'BROKER',
      'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,BROKER:PLAINTEXT',
      'log.dirs': '/tmp/kraft-combined-logs',
    });
  });

  it("ask every partition's group coordinator before declaring Kafka up (the broker's group partitioning)", () => {
    // Java's String.hashCode: "hello" is 99162322, "polygenelubricants" is Integer.MIN_VALUE (Kafka: partition 0).
    expect(offsetsPartitionOf('hello', 12)).toBe(99162322 % 12);
    expect(offsetsPartitionOf('polygenelubricants', 12)).toBe(0);
    expect(offsetsPartitionOf('', 12)).toBe(0);
    const partitions = Number(SINGLE_NODE_BROKER_SETTINGS['offsets.topic.num.partitions']);
    const groups = groupIdsCoveringOffsets(partitions);
    expect(groups.map((g) => offsetsPartitionOf(g, partitions)).sort((a, b) => a - b)).toEqual(
      Array.from({ length: partitions }, (_, i) => i),
    );
  });
});

import { type KafkaSecurity, type ServiceConfig, kafkaSecurity } from '@stepwise/platform';

/**
 * The project's own view of the message broker. Service and platform code depend on these interfaces only;
 * the kafkajs implementation (kafkajs is in maintenance mode upstream) can be swapped for another client
 * without touching them.
 */
export interface BrokerAdmin {
  /** Resolves when the cluster answers a metadata request; rejects otherwise. */
  ping(): Promise<void>;
  /** Each partition's first retained offset (`low`) and the offset the next record will get (`high`). */
  partitionOffsets(topic: string): Promise<PartitionOffsets[]>;
  /** A consumer group's committed offset per partition of `topic` (absent when it has committed none). */
  committedOffsets(groupId: string, topic: string): Promise<Map<number, bigint>>;
  close(): Promise<void>;
}

export interface PartitionOffsets {
  readonly partition: number;
  readonly low: bigint;
  readonly high: bigint;
}

/** One record to publish: already encoded (CloudEvents binary mode), so the broker client adds nothing. */
export interface OutgoingRecord {
  readonly topic: string;
  /** Null only when forwarding a record that had none (dead letters keep the original as it was). */
  readonly key: string | null;
  readonly value: Buffer | string | null;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Publishes records durably: `send` resolves only once every record is acknowledged by all in-sync replicas,
 * and records with the same topic and key keep their order. It rejects if any record was not acknowledged;
 * the caller then retries the whole batch (records may be duplicated, never reordered per key or lost).
 */
export interface BrokerProducer {
  send(records: readonly OutgoingRecord[]): Promise<void>;
  close(): Promise<void>;
}

export interface BrokerConnectionOptions {
  readonly clientId: string;
  readonly brokers: readonly string[];
  /** TLS and SASL (`kafkaSecurity` of the configuration); absent: plaintext without authentication. */
  readonly security?: KafkaSecurity;
}

/** A service's connection to its brokers: the configured brokers and security, under the client's id. */
export function brokerConnection(config: ServiceConfig, clientId: string): BrokerConnectionOptions {
  return { clientId, brokers: config.KAFKA_BROKERS, security: kafkaSecurity(config) };
}

/** Injection tokens. */
export const BROKER_ADMIN = Symbol('BROKER_ADMIN');
export const BROKER_PRODUCER = Symbol('BROKER_PRODUCER');

/**
 * The project's own view of the message broker. Service and platform code depend on these interfaces only;
 * the kafkajs implementation (kafkajs is in maintenance mode upstream) can be swapped for another client
 * without touching them.
 */
export interface BrokerAdmin {
  /** Resolves when the cluster answers a metadata request; rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface BrokerConnectionOptions {
  readonly clientId: string;
  readonly brokers: readonly string[];
}

/** Injection token for the BrokerAdmin. */
export const BROKER_ADMIN = Symbol('BROKER_ADMIN');

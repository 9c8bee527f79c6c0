import { Kafka, type KafkaConfig, type SASLOptions, logLevel } from 'kafkajs';
import { type KafkaSecurity } from '@stepwise/platform';
import { type BrokerConnectionOptions } from '../broker/broker';

/** What a client may tune; who it is, where it connects and how it authenticates come from the connection. */
export type KafkajsTuning = Omit<KafkaConfig, 'clientId' | 'brokers' | 'ssl' | 'sasl' | 'logLevel'>;

/**
 * kafkajs' TLS and SASL options for the configured security. A CA bundle replaces Node's built-in roots (only
 * the cluster's CA is trusted); the broker's certificate is always verified, host name included.
 */
export function kafkajsSecurity(security: KafkaSecurity | undefined): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  if (security === undefined) return {};
  const ssl = security.tls.ca === undefined ? true : { ca: [security.tls.ca], rejectUnauthorized: true };
  if (security.sasl === undefined) return { ssl };
  const { mechanism, username, password } = security.sasl;
  // kafkajs types SASL as a union keyed by mechanism; ours are exactly its `plain` and `scram-sha-*`.
  const sasl: SASLOptions = { mechanism, username, password } as SASLOptions;
  return { ssl, sasl };
}

/**
 * The one place a kafkajs client is created (producer, subscriber, admin), so every one of them connects with
 * the configured TLS and credentials. kafkajs' own logging stays off: the project's classes report what
 * matters, and the library's connection logs would repeat the broker list on every retry.
 */
export function kafkajsClient(options: BrokerConnectionOptions, tuning: KafkajsTuning): Kafka {
  return new Kafka({
    ...tuning,
    clientId: options.clientId,
    brokers: [...options.brokers],
    logLevel: logLevel.NOTHING,
    ...kafkajsSecurity(options.security),
  });
}

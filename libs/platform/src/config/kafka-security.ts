import { readFileSync } from 'node:fs';
import { secretFromSource } from './config-rules';

/**
 * SASL mechanisms a service may authenticate with. SCRAM never sends the password; `plain` does, so like the
 * others it is accepted only over TLS (the configuration refuses SASL without TLS altogether).
 */
export const KAFKA_SASL_MECHANISMS = ['scram-sha-512', 'scram-sha-256', 'plain'] as const;
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

/** The Kafka security variables of the configuration (`ServiceConfig` has them, already validated). */
export interface KafkaSecurityVariables {
  readonly KAFKA_SSL_CA_FILE?: string;
  readonly KAFKA_SSL_SYSTEM_CA: boolean;
  readonly KAFKA_SASL_MECHANISM?: KafkaSaslMechanism;
  readonly KAFKA_SASL_USERNAME?: string;
  readonly KAFKA_SASL_PASSWORD_FILE?: string;
  readonly KAFKA_SASL_PASSWORD?: string;
}

/** How a Kafka client checks the brokers and proves who it is. */
export interface KafkaSecurity {
  /** TLS to every broker; `ca` (PEM) is the only trusted authority, without it the system's CAs are. */
  readonly tls: { readonly ca?: string };
  readonly sasl?: {
    readonly mechanism: KafkaSaslMechanism;
    readonly username: string;
    readonly password: string;
  };
}

/**
 * The security the variables ask for, with the CA bundle and the password read from their files now (a
 * rotated secret file takes effect when the clients are created again, i.e. at the next start). Undefined
 * for a plaintext connection without authentication (local development and tests).
 */
export function kafkaSecurity(config: KafkaSecurityVariables): KafkaSecurity | undefined {
  const ca =
    config.KAFKA_SSL_CA_FILE === undefined ? undefined : readFileSync(config.KAFKA_SSL_CA_FILE, 'utf8');
  if (ca === undefined && !config.KAFKA_SSL_SYSTEM_CA) return undefined;
  const tls = ca === undefined ? {} : { ca };
  const { KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: username } = config;
  if (mechanism === undefined || username === undefined) return { tls };
  const password = secretFromSource(config.KAFKA_SASL_PASSWORD_FILE, config.KAFKA_SASL_PASSWORD) ?? '';
  return { tls, sasl: { mechanism, username, password } };
}

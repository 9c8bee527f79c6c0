import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type AclEntry,
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  type KafkaConfig,
  ResourcePatternTypes,
} from 'kafkajs';
import { run } from './process-utils';

/**
 * A local broker secured the way a production cluster is (Strimzi's `tls` listener with SCRAM-SHA-512
 * users): clients connect over TLS to a certificate of a CA of the broker's own and authenticate with SCRAM;
 * the StandardAuthorizer lets a user do only what an ACL allows. For the tests of the clients' security, on
 * a broker of their own: the shared development broker stays plaintext.
 */
export interface SaslSslOptions {
  /** SCRAM users (SCRAM-SHA-512 and SCRAM-SHA-256 credentials), created when the storage is formatted. */
  readonly users: readonly ScramUser[];
}

export interface ScramUser {
  readonly name: string;
  readonly password: string;
}

/** The TLS and SASL settings of a kafkajs client. */
export type KafkaClientSecurity = Pick<KafkaConfig, 'ssl' | 'sasl'>;

/** The super user the broker itself uses between its listeners (and tools use to create topics and ACLs). */
export const KAFKA_SUPER_USER = 'admin';

/** What the broker's TLS and SASL set-up consists of; kept in its folder so a restart reuses it. */
export interface BrokerSecrets {
  /** PEM of the CA that signed the broker's certificate: the one file a client needs to trust the broker. */
  readonly caFile: string;
  readonly keystore: string;
  readonly truststore: string;
  readonly storePassword: string;
  readonly superUserPassword: string;
}

// Values end up inside `[name=…,password=…]` (storage tool) and JAAS quotes: keep them to plain characters.
const SAFE = /^[A-Za-z0-9._-]+$/;

function assertSafe(what: string, value: string): void {
  if (!SAFE.test(value)) throw new Error(`${what} may contain only letters, digits, ".", "_" and "-"`);
}

const secret = (): string => randomBytes(24).toString('hex');

/**
 * Creates, once, a CA and a broker certificate it signs (for 127.0.0.1 and localhost) with the JDK's
 * keytool, as PKCS12 stores the broker reads and a PEM of the CA for clients. Valid from a day back for a
 * month: the broker lives for one test run, and the day back absorbs clocks that disagree by a little.
 */
export function ensureBrokerSecrets(dir: string): BrokerSecrets {
  const file = join(dir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as BrokerSecrets;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const secrets: BrokerSecrets = {
    caFile: join(dir, 'ca.pem'),
    keystore: join(dir, 'broker.p12'),
    truststore: join(dir, 'truststore.p12'),
    storePassword: secret(),
    superUserPassword: secret(),
  };
  const ca = join(dir, 'ca.p12');
  const csr = join(dir, 'broker.csr');
  const signed = join(dir, 'broker.pem');
  // Passwords through the environment, never on a command line other processes can read.
  const keytool = (command: string, ...args: string[]): void => {
    run('keytool', [command, ...args, '-storepass:env', 'STORE_PASSWORD'], {
      env: { ...process.env, STORE_PASSWORD: secrets.storePassword },
    });
  };
  const validity = ['-startdate', '-1d', '-validity', '30'];
  const newKey = ['-keyalg', 'RSA', '-keysize', '2048', '-storetype', 'PKCS12', ...validity];
  const serverCertificate = [
    ...['-ext', 'SAN=ip:127.0.0.1,dns:localhost'],
    ...['-ext', 'KU=digitalSignature,keyEncipherment'],
    ...['-ext', 'EKU=serverAuth,clientAuth'],
  ];
  keytool(
    '-genkeypair',
    '-alias',
    'ca',
    '-dname',
    'CN=Stepwise local Kafka CA',
    '-ext',
    'bc:c',
    ...newKey,
    '-keystore',
    ca,
  );
  keytool('-exportcert', '-rfc', '-alias', 'ca', '-keystore', ca, '-file', secrets.caFile);
  keytool(
    '-genkeypair',
    '-alias',
    'broker',
    '-dname',
    'CN=localhost',
    ...newKey,
    '-keystore',
    secrets.keystore,
  );
  keytool('-certreq', '-alias', 'broker', '-keystore', secrets.keystore, '-file', csr);
  keytool(
    '-gencert',
    '-alias',
    'ca',
    '-keystore',
    ca,
    '-infile',
    csr,
    '-outfile',
    signed,
    '-rfc',
    ...validity,
    ...serverCertificate,
  );
  // The chain: the CA first, so the keystore accepts the signed certificate as the reply to its request.
  keytool('-importcert', '-noprompt', '-alias', 'ca', '-file', secrets.caFile, '-keystore', secrets.keystore);
  keytool('-importcert', '-alias', 'broker', '-file', signed, '-keystore', secrets.keystore);
  keytool(
    '-importcert',
    '-noprompt',
    '-alias',
    'ca',
    '-file',
    secrets.caFile,
    '-storetype',
    'PKCS12',
    '-keystore',
    secrets.truststore,
  );
  for (const leftover of [ca, csr, signed]) rmSync(leftover);
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  chmodSync(file, 0o600);
  return secrets;
}

/**
 * The listener part of the broker's configuration: clients and the broker itself on SASL_SSL (SCRAM), the
 * controller on SASL_PLAINTEXT with PLAIN (KRaft controllers cannot check SCRAM: the credentials live in the
 * metadata they serve) bound to loopback, so no listener lets an anonymous principal in.
 */
export function saslSslListenerProperties(
  port: number,
  controllerPort: number,
  secrets: BrokerSecrets,
): string[] {
  const password = secrets.superUserPassword;
  return [
    `listeners=SASL_SSL://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=SASL_SSL://127.0.0.1:${port}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=SASL_SSL',
    'listener.security.protocol.map=CONTROLLER:SASL_PLAINTEXT,SASL_SSL:SASL_SSL',
    'sasl.enabled.mechanisms=SCRAM-SHA-512,SCRAM-SHA-256',
    'sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512',
    'sasl.mechanism.controller.protocol=PLAIN',
    'listener.name.controller.sasl.enabled.mechanisms=PLAIN',
    `listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="${KAFKA_SUPER_USER}" password="${password}" user_${KAFKA_SUPER_USER}="${password}";`,
    `listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${KAFKA_SUPER_USER}" password="${password}";`,
    'listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;',
    'ssl.keystore.type=PKCS12',
    `ssl.keystore.location=${secrets.keystore}`,
    `ssl.keystore.password=${secrets.storePassword}`,
    `ssl.key.password=${secrets.storePassword}`,
    'ssl.truststore.type=PKCS12',
    `ssl.truststore.location=${secrets.truststore}`,
    `ssl.truststore.password=${secrets.storePassword}`,
    'ssl.client.auth=none',
    'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    `super.users=User:${KAFKA_SUPER_USER}`,
    'allow.everyone.if.no.acl.found=false',
  ];
}

/** The storage tool's `--add-scram` arguments: the super user and every user, with both SCRAM mechanisms. */
export function scramFormatArguments(users: readonly ScramUser[], secrets: BrokerSecrets): string[] {
  const all = [{ name: KAFKA_SUPER_USER, password: secrets.superUserPassword }, ...users];
  return all.flatMap((user) => {
    assertSafe(`SCRAM user name ${JSON.stringify(user.name)}`, user.name);
    assertSafe(`the password of SCRAM user ${user.name}`, user.password);
    return ['SCRAM-SHA-512', 'SCRAM-SHA-256'].flatMap((mechanism) => [
      '--add-scram',
      `${mechanism}=[name=${user.name},password=${user.password}]`,
    ]);
  });
}

/** kafkajs settings of a client of the secured broker: TLS trusting its CA, SCRAM-SHA-512 as `user`. */
export function saslSslClientConfig(
  secrets: BrokerSecrets,
  user: ScramUser,
): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  return {
    ssl: { ca: [readFileSync(secrets.caFile, 'utf8')], rejectUnauthorized: true },
    sasl: { mechanism: 'scram-sha-512', username: user.name, password: user.password },
  };
}

/**
 * What a service needs to publish to and consume `topic` in `group`: write, read and describe the topic
 * (write includes the idempotent producer's id since Kafka 3.0), read the group.
 */
export function produceConsumeAcls(user: string, topic: string, group: string): AclEntry[] {
  const allow = (
    resourceType: AclResourceTypes,
    resourceName: string,
    operation: AclOperationTypes,
  ): AclEntry => ({
    resourceType,
    resourceName,
    resourcePatternType: ResourcePatternTypes.LITERAL,
    principal: `User:${user}`,
    host: '*',
    operation,
    permissionType: AclPermissionTypes.ALLOW,
  });
  return [
    allow(AclResourceTypes.TOPIC, topic, AclOperationTypes.WRITE),
    allow(AclResourceTypes.TOPIC, topic, AclOperationTypes.READ),
    allow(AclResourceTypes.TOPIC, topic, AclOperationTypes.DESCRIBE),
    allow(AclResourceTypes.GROUP, group, AclOperationTypes.READ),
  ];
}

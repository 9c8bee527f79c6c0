import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { type TopicSpec } from '@stepwise/contracts';
import {
  type BrokerSecrets,
  KAFKA_SUPER_USER,
  type KafkaClientSecurity,
  type SaslSslOptions,
  ensureBrokerSecrets,
  produceConsumeAcls,
  saslSslClientConfig,
  saslSslListenerProperties,
  scramFormatArguments,
} from './kafka-sasl-ssl';
import { commandLine, isAlive, portOpen, run, spawnDetached, stopPid, waitFor } from './process-utils';
import { infraDir, workspaceRoot } from './workspace';

/** Pinned broker version; keep in step with tools/infra/kafka/pom.xml. */
export const KAFKA_VERSION = '3.9.1';

export interface LocalKafkaOptions {
  /** Names the broker's folder under .infra/; the default broker is `kafka`, tests use their own names. */
  readonly name: string;
  readonly port: number;
  readonly controllerPort: number;
  readonly heap?: string;
  /** A SASL_SSL listener on `port` instead of PLAINTEXT, with these SCRAM users and ACLs enforced. */
  readonly saslSsl?: SaslSslOptions;
}

export const DEFAULT_KAFKA: LocalKafkaOptions = { name: 'kafka', port: 9092, controllerPort: 9093 };

const libsDir = (): string => infraDir('kafka-libs', KAFKA_VERSION);

/** Fetches the broker jars from Maven Central once; later runs reuse them. */
export function ensureKafkaJars(log: (line: string) => void): string {
  const dir = libsDir();
  const marker = join(dir, '.complete');
  if (existsSync(marker)) return dir;
  log(`Fetching Apache Kafka ${KAFKA_VERSION} jars from Maven Central (once)...`);
  mkdirSync(dir, { recursive: true });
  run('mvn', [
    '-q',
    '-B',
    '-f',
    join(workspaceRoot(), 'tools/infra/kafka/pom.xml'),
    `-Dkafka.version=${KAFKA_VERSION}`,
    'dependency:copy-dependencies',
    `-DoutputDirectory=${dir}`,
    '-DincludeScope=runtime',
  ]);
  if (!readdirSync(dir).some((f) => f.startsWith(`kafka_2.13-${KAFKA_VERSION}`))) {
    throw new Error(`Maven did not deliver kafka_2.13-${KAFKA_VERSION}.jar into ${dir}`);
  }
  writeFileSync(marker, new Date().toISOString());
  return dir;
}

/**
 * The settings of a single-node broker for development and tests, besides its listeners and folders: the local
 * process and the test container (libs/testing) run with the same ones.
 */
export const SINGLE_NODE_BROKER_SETTINGS: Readonly<Record<string, string>> = {
  'num.partitions': '1',
  'offsets.topic.replication.factor': '1',
  'offsets.topic.num.partitions': '12',
  'transaction.state.log.replication.factor': '1',
  'transaction.state.log.min.isr': '1',
  'share.coordinator.state.topic.replication.factor': '1',
  // Tests join many short-lived consumer groups: no artificial delay before the first rebalance.
  'group.initial.rebalance.delay.ms': '0',
  // Topics come from the declared topic map only, so a typo in a topic name fails instead of creating one.
  'auto.create.topics.enable': 'false',
  'log.retention.check.interval.ms': '60000',
};

function serverProperties(options: LocalKafkaOptions, dataDir: string, secrets?: BrokerSecrets): string {
  const listeners =
    secrets === undefined
      ? [
          `listeners=PLAINTEXT://127.0.0.1:${options.port},CONTROLLER://127.0.0.1:${options.controllerPort}`,
          `advertised.listeners=PLAINTEXT://127.0.0.1:${options.port}`,
          'controller.listener.names=CONTROLLER',
          'inter.broker.listener.name=PLAINTEXT',
          'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
        ]
      : saslSslListenerProperties(options.port, options.controllerPort, secrets);
  return [
    '# Single-node KRaft broker for development and tests (written by tools/infra).',
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${options.controllerPort}`,
    ...listeners,
    `log.dirs=${dataDir}`,
    ...Object.entries(SINGLE_NODE_BROKER_SETTINGS).map(([key, value]) => `${key}=${value}`),
    '',
  ].join('\n');
}

const LOG4J = [
  'log4j.rootLogger=WARN, stdout',
  'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
  'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout',
  'log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n',
  'log4j.logger.kafka.server.KafkaServer=INFO',
  'log4j.logger.kafka.server.BrokerServer=INFO',
  '',
].join('\n');

/**
 * A KRaft cluster id (base64url of 16 random bytes). Like Kafka's own Uuid.randomUuid, never one starting
 * with '-': the storage tool would read it as an option (`-t -0oe…` fails about one run in 64).
 */
export function newClusterId(): string {
  for (;;) {
    const id = Buffer.from(randomUUID().replace(/-/g, ''), 'hex').toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/**
 * A broker run from Maven Central's jars as a local process: started detached, recorded by PID in its
 * folder, stopped by that PID only (never by process name).
 */
export class LocalKafkaBroker {
  private readonly home: string;

  constructor(
    readonly options: LocalKafkaOptions,
    private readonly log: (line: string) => void = () => undefined,
  ) {
    this.home = infraDir(options.name);
  }

  get bootstrap(): string {
    return `127.0.0.1:${this.options.port}`;
  }

  private get pidFile(): string {
    return join(this.home, 'kafka.pid');
  }

  /** The PID of a broker this folder started and that is still running, if any. */
  runningPid(): number | undefined {
    if (!existsSync(this.pidFile)) return undefined;
    const pid = Number(readFileSync(this.pidFile, 'utf8').trim());
    if (Number.isInteger(pid) && isAlive(pid) && commandLine(pid).includes(this.home)) return pid;
    rmSync(this.pidFile, { force: true });
    return undefined;
  }

  /** The TLS and SASL material of a SASL_SSL broker (created at its first start); undefined for plaintext. */
  secrets(): BrokerSecrets | undefined {
    return this.options.saslSsl === undefined ? undefined : ensureBrokerSecrets(join(this.home, 'tls'));
  }

  /** kafkajs TLS and SASL settings of the super user, for tools and tests; none for a plaintext broker. */
  superUserConnection(): KafkaClientSecurity {
    const secrets = this.secrets();
    if (secrets === undefined) return {};
    return saslSslClientConfig(secrets, { name: KAFKA_SUPER_USER, password: secrets.superUserPassword });
  }

  async answers(): Promise<boolean> {
    if (!(await portOpen('127.0.0.1', this.options.port))) return false;
    return brokerAnswers([this.bootstrap], this.superUserConnection());
  }

  /** Lets `user` publish to and consume `topic` in consumer group `group` (a SASL_SSL broker's ACLs). */
  async allowProduceConsume(user: string, topic: string, group: string): Promise<void> {
    const admin = adminFor([this.bootstrap], this.superUserConnection());
    await admin.connect();
    try {
      await admin.createAcls({ acl: produceConsumeAcls(user, topic, group) });
    } finally {
      await admin.disconnect();
    }
  }

  /** Starts the broker unless one already answers on its port; waits until it serves requests. */
  async ensureRunning(): Promise<'reused' | 'started'> {
    if (await this.answers()) return 'reused';
    if (await portOpen('127.0.0.1', this.options.port)) {
      throw new Error(
        `Port ${this.options.port} is taken by something that is not an answering Kafka broker`,
      );
    }
    const libs = ensureKafkaJars(this.log);
    const dataDir = join(this.home, 'data');
    mkdirSync(dataDir, { recursive: true });
    const config = join(this.home, 'server.properties');
    const secrets = this.secrets();
    writeFileSync(config, serverProperties(this.options, dataDir, secrets), { mode: 0o600 });
    writeFileSync(join(this.home, 'log4j.properties'), LOG4J);
    const classpath = `${libs}/*`;
    if (!existsSync(join(dataDir, 'meta.properties'))) {
      // KRaft storage must be formatted once with a cluster id; --ignore-formatted makes re-runs harmless.
      const clusterId = newClusterId();
      run('java', [
        '-cp',
        classpath,
        'kafka.tools.StorageTool',
        'format',
        '-t',
        clusterId,
        '-c',
        config,
        '--ignore-formatted',
        // SCRAM credentials are metadata in KRaft: the storage tool writes the first ones into the log.
        ...(secrets === undefined ? [] : scramFormatArguments(this.options.saslSsl?.users ?? [], secrets)),
      ]);
    }
    const pid = spawnDetached(
      'java',
      [
        `-Xmx${this.options.heap ?? '512m'}`,
        `-Xms${this.options.heap ?? '512m'}`,
        '-XX:+UseG1GC',
        '-Djava.awt.headless=true',
        `-Dlog4j.configuration=file:${join(this.home, 'log4j.properties')}`,
        `-Dkafka.logs.dir=${this.home}`,
        '-cp',
        classpath,
        'kafka.Kafka',
        config,
      ],
      join(this.home, 'kafka.log'),
      this.home,
    );
    writeFileSync(this.pidFile, String(pid));
    this.log(
      `Started Kafka ${KAFKA_VERSION} (pid ${pid}) on ${this.bootstrap}; log ${join(this.home, 'kafka.log')}`,
    );
    await waitFor(
      `Kafka on ${this.bootstrap} (see ${join(this.home, 'kafka.log')})`,
      async () => {
        if (!isAlive(pid))
          throw new Error(`Kafka exited during start-up; see ${join(this.home, 'kafka.log')}`);
        return this.answers();
      },
      90_000,
    );
    return 'started';
  }

  /** Stops the broker this folder started (by its recorded PID). Returns false when none was running. */
  async stop(): Promise<boolean> {
    const pid = this.runningPid();
    if (pid === undefined) return false;
    await stopPid(pid, 30_000);
    rmSync(this.pidFile, { force: true });
    return true;
  }

  /** Kills the broker abruptly (for fault tests). */
  kill(): void {
    const pid = this.runningPid();
    if (pid !== undefined) process.kill(pid, 'SIGKILL');
  }

  /** Deletes the broker's data (only when it is stopped). */
  wipe(): void {
    if (this.runningPid() !== undefined) throw new Error('Stop the broker before wiping its data');
    rmSync(this.home, { recursive: true, force: true });
  }
}

function adminFor(brokers: string[], security: KafkaClientSecurity = {}): ReturnType<Kafka['admin']> {
  return new Kafka({
    ...security,
    clientId: 'stepwise-infra',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2000,
    retry: { retries: 1, initialRetryTime: 200 },
  }).admin();
}

/** True when a broker at `brokers` serves a metadata request. */
export async function brokerAnswers(brokers: string[], security: KafkaClientSecurity = {}): Promise<boolean> {
  const admin = adminFor(brokers, security);
  try {
    await admin.connect();
    await admin.describeCluster();
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** The offsets topic's partition holding a consumer group, as the broker computes it (Java's `String.hashCode`). */
export function offsetsPartitionOf(groupId: string, partitions: number): number {
  let hash = 0;
  for (let i = 0; i < groupId.length; i++) hash = (Math.imul(hash, 31) + groupId.charCodeAt(i)) | 0;
  // Kafka's Utils.abs: the one value Math.abs cannot negate counts as 0.
  return (hash === -2147483648 ? 0 : Math.abs(hash)) % partitions;
}

/** Group ids, one for each of the offsets topic's `partitions`: describing them asks every group coordinator. */
export function groupIdsCoveringOffsets(partitions: number): string[] {
  const byPartition = new Map<number, string>();
  for (let i = 0; byPartition.size < partitions; i++) {
    const groupId = `stepwise-readiness-${i}`;
    const partition = offsetsPartitionOf(groupId, partitions);
    if (!byPartition.has(partition)) byPartition.set(partition, groupId);
  }
  return [...byPartition.values()];
}

const OFFSETS_TOPIC = '__consumer_offsets';

/**
 * True when a broker at `brokers` coordinates consumer groups: its offsets topic exists (asking for a group's
 * coordinator creates it) and the coordinator of each of its partitions has loaded. A broker that has just
 * started on empty storage serves metadata and creates topics well before that; a consumer joining in between is
 * refused with NOT_COORDINATOR, which kafkajs does not retry (the consumer crashes).
 */
export async function groupCoordinatorsAnswer(
  brokers: string[],
  security: KafkaClientSecurity = {},
): Promise<boolean> {
  const admin = adminFor(brokers, security);
  try {
    await admin.connect();
    await admin.describeGroups(['stepwise-readiness']);
    const { topics } = await admin.fetchTopicMetadata({ topics: [OFFSETS_TOPIC] });
    const partitions = topics[0]?.partitions ?? [];
    if (partitions.length === 0 || partitions.some((p) => p.leader < 0)) return false;
    await admin.describeGroups(groupIdsCoveringOffsets(partitions.length));
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export interface TopicChange {
  readonly topic: string;
  readonly action: 'created' | 'partitions-added' | 'existing';
}

/**
 * Makes the broker's topics match the declared specs: creates missing topics, adds partitions (Kafka cannot
 * remove them) and brings retention and cleanup policy in line. Replication factor follows the cluster size.
 */
export async function ensureTopics(
  brokers: string[],
  specs: readonly TopicSpec[],
  security: KafkaClientSecurity = {},
): Promise<TopicChange[]> {
  const admin = adminFor(brokers, security);
  await admin.connect();
  try {
    const cluster = await admin.describeCluster();
    const replicationFactor = Math.min(3, cluster.brokers.length);
    const existing = new Set(await admin.listTopics());
    const changes: TopicChange[] = [];
    const configEntries = (spec: TopicSpec): { name: string; value: string }[] => [
      { name: 'cleanup.policy', value: spec.cleanupPolicy },
      { name: 'retention.ms', value: String(spec.retentionMs) },
    ];
    const missing = specs.filter((s) => !existing.has(s.name));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((spec) => ({
          topic: spec.name,
          numPartitions: spec.partitions,
          replicationFactor,
          configEntries: configEntries(spec),
        })),
      });
      changes.push(...missing.map((s) => ({ topic: s.name, action: 'created' as const })));
    }
    const present = specs.filter((s) => existing.has(s.name));
    if (present.length > 0) {
      const metadata = await admin.fetchTopicMetadata({ topics: present.map((s) => s.name) });
      for (const spec of present) {
        const current = metadata.topics.find((t) => t.name === spec.name)?.partitions.length ?? 0;
        if (current < spec.partitions) {
          await admin.createPartitions({ topicPartitions: [{ topic: spec.name, count: spec.partitions }] });
          changes.push({ topic: spec.name, action: 'partitions-added' });
        }
      }
      await admin.alterConfigs({
        validateOnly: false,
        resources: present.map((spec) => ({
          type: 2 /* TOPIC */,
          name: spec.name,
          configEntries: configEntries(spec),
        })),
      });
      changes.push(...present.map((s) => ({ topic: s.name, action: 'existing' as const })));
    }
    return changes;
  } finally {
    await admin.disconnect();
  }
}

import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceConfig, loadConfig } from '@stepwise/platform';
import { type LocalKafkaBroker, createTopics, startOwnKafka, waitFor } from '@stepwise/testing';
import { type BrokerConnectionOptions, brokerConnection } from '../broker/broker';
import { type IncomingRecord } from '../broker/subscriber';
import { KafkajsBrokerAdmin } from './kafkajs-broker-admin';
import { KafkajsProducer } from './kafkajs-producer';
import { KafkajsSubscriber } from './kafkajs-subscriber';

/**
 * The clients against a broker secured like production's (a SASL_SSL listener, SCRAM-SHA-512 users, the
 * StandardAuthorizer with ACLs), configured through the service's own variables: what `MessagingModule`
 * builds from `KAFKA_SSL_CA_FILE`, `KAFKA_SASL_*`. The broker is the test's own, started from the jars
 * tools/infra fetched and stopped at the end; the shared development broker stays plaintext.
 */
describe('Kafka over TLS with SASL (SCRAM-SHA-512, ACLs)', () => {
  const secret = (): string => randomBytes(16).toString('hex');
  const service = { name: 'stepwise-test-service', password: secret() };
  const stranger = { name: 'stepwise-test-no-acls', password: secret() };
  const run = randomUUID();
  const topic = `test.sasl-ssl.${run}`;
  const group = `test-sasl-ssl-${run}`;
  let broker: LocalKafkaBroker;
  let dir: string;
  let passwordFile: string;

  beforeAll(async () => {
    broker = await startOwnKafka('sasl-ssl', { saslSsl: { users: [service, stranger] } });
    await createTopics([topic], {
      brokers: [broker.bootstrap],
      partitions: 3,
      security: broker.superUserConnection(),
    });
    await broker.allowProduceConsume(service.name, topic, group);
    dir = mkdtempSync(join(tmpdir(), 'kafka-sasl-ssl-'));
    passwordFile = join(dir, 'password');
    // As a mounted secret often is: with a final line break that is not part of the password.
    writeFileSync(passwordFile, `${service.password}\n`, { mode: 0o600 });
  }, 180_000);
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await broker.stop();
    broker.wipe();
  });

  /** The connection a service makes from these variables (validated as at start-up). */
  const connection = (clientId: string, kafka: NodeJS.ProcessEnv): BrokerConnectionOptions =>
    brokerConnection(
      loadConfig('sasl-ssl-test', ServiceConfig, {
        PORT: '3999',
        DATABASE_URL: 'postgres://unused:unused@127.0.0.1:5432/unused',
        REDIS_URL: 'redis://127.0.0.1:6379',
        AUTH_ISSUER: 'http://127.0.0.1:9400',
        AUTH_JWKS_URL: 'http://127.0.0.1:9400/.well-known/jwks.json',
        KAFKA_BROKERS: broker.bootstrap,
        ...kafka,
      }),
      clientId,
    );
  const tls = (): NodeJS.ProcessEnv => ({ KAFKA_SSL_CA_FILE: broker.secrets()?.caFile });
  const scram = (user: string): NodeJS.ProcessEnv => ({
    ...tls(),
    KAFKA_SASL_MECHANISM: 'scram-sha-512',
    KAFKA_SASL_USERNAME: user,
  });
  const record = (
    i: number,
  ): { topic: string; key: string; value: string; headers: Record<string, string> } => ({
    topic,
    key: `client-${i % 3}`,
    value: JSON.stringify({ seq: i }),
    headers: { ce_id: `event-${i}` },
  });

  it('publishes through the producer and consumes through the subscriber, committing offsets', async () => {
    const asService = (clientId: string): BrokerConnectionOptions =>
      connection(clientId, { ...scram(service.name), KAFKA_SASL_PASSWORD_FILE: passwordFile });
    const admin = new KafkajsBrokerAdmin(asService('sasl-ssl-admin'));
    const producer = new KafkajsProducer(asService('sasl-ssl-producer'));
    const subscriber = new KafkajsSubscriber({
      ...asService('sasl-ssl-consumer'),
      groupId: group,
      topics: [topic],
      concurrency: 3,
    });
    const received: IncomingRecord[] = [];
    try {
      await expect(admin.ping()).resolves.toBeUndefined();
      await producer.send(Array.from({ length: 12 }, (_, i) => record(i)));
      await subscriber.run(async (batch, context) => {
        for (const each of batch.records) {
          received.push(each);
          context.processed(each);
          await context.commit(each);
        }
      });
      await waitFor(
        'the 12 records consumed over SASL_SSL',
        () => Promise.resolve(received.length),
        (n) => n >= 12,
        60_000,
      );
      const committed = await waitFor(
        'the commits of all 12',
        () => admin.committedOffsets(group, topic),
        (offsets) => [...offsets.values()].reduce((sum, offset) => sum + offset, 0n) === 12n,
        30_000,
      );
      // Every partition committed up to its end: the group resumes after the last record written.
      for (const { partition, high } of await admin.partitionOffsets(topic))
        expect(committed.get(partition) ?? 0n).toBe(high);
    } finally {
      await subscriber.stop();
      await producer.close();
      await admin.close();
    }
    expect(received.map((r) => String(r.headers['ce_id'])).sort()).toEqual(
      Array.from({ length: 12 }, (_, i) => `event-${i}`).sort(),
    );
    for (const key of ['client-0', 'client-1', 'client-2']) {
      const order = received.filter((r) => r.key?.toString() === key).map((r) => r.value?.toString());
      expect(order).toEqual(
        Array.from({ length: 12 }, (_, i) => record(i))
          .filter((r) => r.key === key)
          .map((r) => r.value),
      );
    }
  }, 120_000);

  it('is refused with an authentication error for a wrong password, which no message repeats', async () => {
    const wrong = secret();
    const asImpostor = (clientId: string): BrokerConnectionOptions =>
      connection(clientId, { ...scram(service.name), KAFKA_SASL_PASSWORD: wrong });
    const admin = new KafkajsBrokerAdmin(asImpostor('sasl-ssl-wrong-password'));
    const producer = new KafkajsProducer(asImpostor('sasl-ssl-wrong-password'));
    try {
      const sent = await producer.send([record(0)]).catch(String);
      const pinged = await admin.ping().catch(String);
      // The producer waits for the broker's answer: it names the refused credentials.
      expect(sent).toMatch(/SASL SCRAM SHA512 authentication failed: .*invalid credentials/);
      // Readiness pings with a 2 s budget by design (an outage must show fast); on a loaded machine the SCRAM
      // exchange of a wrong password can outlast it (seen once in CI), which is a refusal all the same.
      expect(pinged).toMatch(/SASL SCRAM SHA512 authentication failed: .*(invalid credentials|timed out)/);
      for (const refusal of [sent, pinged]) {
        expect(refusal).not.toContain(wrong);
        expect(refusal).not.toContain(service.password);
      }
    } finally {
      await producer.close();
      await admin.close();
    }
  }, 60_000);

  it('is refused with authorization errors for a user without ACLs', async () => {
    const asStranger = (clientId: string): BrokerConnectionOptions =>
      connection(clientId, { ...scram(stranger.name), KAFKA_SASL_PASSWORD: stranger.password });
    const producer = new KafkajsProducer(asStranger('sasl-ssl-no-acls'));
    const subscriber = new KafkajsSubscriber({
      ...asStranger('sasl-ssl-no-acls'),
      groupId: group,
      topics: [topic],
      concurrency: 1,
    });
    try {
      // Authenticated (the password is right) but allowed nothing: not even an idempotent producer id.
      await expect(producer.send([record(0)])).rejects.toThrow(/Cluster authorization failed/);
      await expect(subscriber.run(() => Promise.resolve())).rejects.toThrow(
        /Not authorized to access topics: \[Topic authorization failed\]/,
      );
    } finally {
      await subscriber.stop();
      await producer.close();
    }
  }, 60_000);

  it("is refused when it trusts only the system's CAs: the broker's certificate is the private CA's", async () => {
    const admin = new KafkajsBrokerAdmin(
      connection('sasl-ssl-system-ca', {
        KAFKA_SSL_SYSTEM_CA: 'true',
        KAFKA_SASL_MECHANISM: 'scram-sha-512',
        KAFKA_SASL_USERNAME: service.name,
        KAFKA_SASL_PASSWORD_FILE: passwordFile,
      }),
    );
    try {
      await expect(admin.ping()).rejects.toThrow(/self-signed certificate in certificate chain/);
    } finally {
      await admin.close();
    }
  }, 60_000);
});

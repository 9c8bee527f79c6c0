import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { type InfraEnv, freePort, readInfraEnv, workspaceRoot } from '@stepwise/infra';
import { SmtpSink } from './smtp-sink';
import { type RunningSystem, startSystem } from './system';
import { WebhookReceiver } from './webhook-receiver';

/** The four services of one end-to-end test file, with the outside parts they talk to. */
export interface TestSystem {
  readonly infra: InfraEnv;
  readonly brokers: string[];
  /** This file's own topic prefix (its database is its own too). */
  readonly prefix: string;
  /** The run's id: its logs are in `.infra/e2e/<run>/`. */
  readonly run: string;
  readonly system: RunningSystem;
  /** The mail relay. */
  readonly smtp: SmtpSink;
  /** An outside care-coordination system's webhook. */
  readonly receiver: WebhookReceiver;
  /** Stops the services (returning their exit codes), the mail relay and the receiver; drops the database. */
  stop(): Promise<Awaited<ReturnType<RunningSystem['stop']>>>;
}

/**
 * Starts the system for an end-to-end test file on the shared broker, database server and Redis, isolated by a
 * database, topic prefix and ports of its own (`label` names them), with a local mail relay and webhook
 * receiver, notifications sweeping every 2 s and no default quiet hours (routine messages would otherwise wait
 * for the morning, whenever the suite runs). `env` is given to every service (e.g. the tracing variables).
 */
export async function startTestSystem(label: string, env: Record<string, string> = {}): Promise<TestSystem> {
  const infra = readInfraEnv();
  if (infra === undefined) throw new Error('infra:up did not run');
  const run = randomBytes(3).toString('hex');
  const prefix = `e2e.${label}.${run}.`;
  const smtp = await SmtpSink.start();
  const receiver = await WebhookReceiver.start();
  const system = await startSystem({
    infra,
    database: { kind: 'own', name: `stepwise_e2e_${label}_${run}` },
    topicPrefix: prefix,
    ports: {
      intake: await freePort(),
      scheduling: await freePort(),
      sessions: await freePort(),
      notifications: await freePort(),
    },
    logDir: join(workspaceRoot(), '.infra', 'e2e', run),
    env: {
      intake: env,
      scheduling: env,
      sessions: env,
      notifications: {
        ...env,
        SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
        NOTIFICATION_SWEEP_INTERVAL_MS: '2000',
        DEFAULT_QUIET_HOURS: '00:00-00:00',
      },
    },
  }).catch(async (error: unknown) => {
    await smtp.close();
    await receiver.close();
    throw error;
  });
  return {
    infra,
    brokers: (infra['KAFKA_BROKERS'] ?? '').split(','),
    prefix,
    run,
    system,
    smtp,
    receiver,
    stop: async () => {
      const codes = await system.stop();
      await smtp.close();
      await receiver.close();
      return codes;
    },
  };
}

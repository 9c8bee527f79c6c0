import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { SERVICES } from '@stepwise/contracts';
import { readInfraEnv, workspaceRoot } from '@stepwise/infra';
import { freePort } from '@stepwise/testing';
import { type RunningSystem, startSystem } from './system';

describe('the four services as separate processes', () => {
  let system: RunningSystem | undefined;
  afterAll(async () => {
    await system?.stop();
  });

  it('migrate, become ready (database, Kafka, Redis, consumer) and stop in order with exit code 0', async () => {
    const infra = readInfraEnv();
    if (infra === undefined) throw new Error('infra:up did not run');
    const run = randomBytes(3).toString('hex');
    const ports = {
      intake: await freePort(),
      scheduling: await freePort(),
      sessions: await freePort(),
      notifications: await freePort(),
    };
    system = await startSystem({
      infra,
      database: { kind: 'own', name: `stepwise_e2e_system_${run}` },
      topicPrefix: `e2e.system.${run}.`,
      ports,
      logDir: join(workspaceRoot(), '.infra', 'e2e', run),
    });
    for (const service of SERVICES) {
      const ready = await fetch(`${system.urls[service]}/health/ready`);
      expect({ service, status: ready.status }).toEqual({ service, status: 200 });
      const body = (await ready.json()) as { info: Record<string, { status: string }> };
      expect(Object.keys(body.info)).toEqual(
        expect.arrayContaining(['database', 'kafka', 'redis', 'consumer']),
      );
    }
    const codes = await system.stop();
    system = undefined;
    expect(codes).toEqual({ intake: 0, scheduling: 0, sessions: 0, notifications: 0 });
  }, 180_000);
});

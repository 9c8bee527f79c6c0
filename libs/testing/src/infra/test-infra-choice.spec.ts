import { mkdtempSync, rmSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseTestInfra, containerEngineAnswers, containerEngineSocket } from './test-infra-choice';

describe('choosing the integration tests infrastructure', () => {
  const engine = (answer: boolean) => jest.fn(() => Promise.resolve(answer));
  const podman = { DOCKER_HOST: 'unix:///run/stepwise-podman.sock' };

  it('uses containers when an engine answers and nothing is chosen', async () => {
    await expect(chooseTestInfra(podman, engine(true))).resolves.toBe('containers');
  });

  it('falls back to the local processes when no engine answers', async () => {
    await expect(chooseTestInfra(podman, engine(false))).resolves.toBe('local');
  });

  it('uses the local processes when chosen, without asking any engine', async () => {
    const answers = engine(true);
    await expect(chooseTestInfra({ ...podman, STEPWISE_TEST_INFRA: 'local' }, answers)).resolves.toBe(
      'local',
    );
    expect(answers).not.toHaveBeenCalled();
  });

  it('refuses containers chosen without an engine, and an unknown choice', async () => {
    await expect(
      chooseTestInfra({ ...podman, STEPWISE_TEST_INFRA: 'containers' }, engine(false)),
    ).rejects.toThrow(/STEPWISE_TEST_INFRA=containers but no container engine answers/);
    await expect(chooseTestInfra({ STEPWISE_TEST_INFRA: 'docker' }, engine(true))).rejects.toThrow(
      'STEPWISE_TEST_INFRA must be containers or local, not docker',
    );
  });

  it('asks only a unix socket: podman or Docker, never a TCP engine', () => {
    expect(containerEngineSocket(podman)).toBe('/run/stepwise-podman.sock');
    expect(containerEngineSocket({ DOCKER_HOST: 'tcp://10.0.0.5:2375' })).toBeUndefined();
  });

  describe('an engine on a socket', () => {
    let dir: string;
    let server: Server;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'stepwise-engine-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    afterEach((done) => {
      if (server?.listening) server.close(() => done());
      else done();
    });

    it('answers its ping', async () => {
      const socket = join(dir, 'engine.sock');
      server = createServer((_request, response) => response.end('OK'));
      await new Promise<void>((resolve) => server.listen(socket, resolve));
      await expect(containerEngineAnswers(socket)).resolves.toBe(true);
    });

    it('is absent at once when nothing listens', async () => {
      const started = process.hrtime.bigint();
      await expect(containerEngineAnswers(join(dir, 'missing.sock'))).resolves.toBe(false);
      expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(1_000);
    });
  });
});

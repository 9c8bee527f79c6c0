import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { promisify } from 'node:util';
import { SERVICES, type ServiceName } from '@stepwise/contracts';
import { freePort, mintToken, readInfraEnv, workspaceRoot } from '@stepwise/infra';
import { type RunningSystem, startSystem } from '../system/system';
import { ImageLauncher, podman } from './image-launcher';

// Built by scripts/test-image.sh (`npm run test:image`) before this runs.
const image = process.env['STEPWISE_IMAGE'] ?? 'localhost/stepwise:test';
// The CA bundle the build passed to `npm ci` as a secret (scripts/test-image.sh: NPM_CA_BUNDLE).
const buildCaBundle = process.env['NPM_CA_BUNDLE'] ?? '/etc/ssl/certs/ca-certificates.crt';

describe('the service image', () => {
  it('runs as the unprivileged node user, not root', async () => {
    expect((await podman(['run', '--rm', '--entrypoint', 'id', image, '-u'])).trim()).toBe('1000');
    expect((await podman(['image', 'inspect', '--format', '{{.Config.User}}', image])).trim()).toBe('node');
  });

  describe('its file system', () => {
    let root = '';
    beforeAll(async () => {
      root = (await podman(['image', 'mount', image])).trim();
    });
    afterAll(async () => {
      if (root !== '') await podman(['image', 'unmount', image]);
    });

    it('holds the production dependencies and none that only development needs', () => {
      const { packages } = JSON.parse(readFileSync(join(workspaceRoot(), 'package-lock.json'), 'utf8')) as {
        packages: Record<string, { dev?: boolean; optional?: boolean; devOptional?: boolean }>;
      };
      // The lockfile marks what only devDependencies pull in (`dev`); the rest production needs (`optional`
      // ones exist only on some platforms).
      const topLevel = Object.entries(packages).filter(([path]) =>
        /^node_modules\/(@[^/]+\/)?[^/]+$/.test(path),
      );
      const installed = (path: string): boolean => existsSync(join(root, 'app', path));
      const devOnly = topLevel.filter(([, entry]) => entry.dev === true).map(([path]) => path);
      const needed = topLevel
        .filter(([, entry]) => entry.dev !== true && entry.optional !== true && entry.devOptional !== true)
        .map(([path]) => path);

      expect(devOnly.length).toBeGreaterThan(100);
      expect(devOnly.filter(installed)).toEqual([]);
      for (const tool of ['jest', 'typescript', 'nx', 'webpack', 'eslint', 'tsx', 'testcontainers']) {
        expect({ tool, installed: installed(`node_modules/${tool}`) }).toEqual({ tool, installed: false });
      }
      expect(needed.filter((path) => !installed(path))).toEqual([]);
      for (const service of SERVICES)
        expect(existsSync(join(root, 'app/dist/apps', service, 'main.js'))).toBe(true);
    });

    it("keeps the build's CA bundle out of the image (a build secret, never a layer)", async () => {
      // The CAs the build machine added to its bundle (a TLS-inspecting proxy's, say): neither Node's own nor
      // Debian's public list, which packages may legitimately ship.
      const publicCas = new Set([...rootCertificates, ...debianCas()].map(pemBody));
      const extraCas = pemBlocks(readFileSync(buildCaBundle, 'utf8')).filter(
        (pem) => !publicCas.has(pemBody(pem)),
      );
      // One line from the middle of each, as it would appear in any PEM file holding it.
      const needles = extraCas.map((pem) => {
        const lines = pem.split('\n').filter((line) => line.length === 64);
        return lines[Math.floor(lines.length / 2)] ?? '';
      });
      expect(
        await filesContaining(
          root,
          needles.filter((n) => n !== ''),
        ),
      ).toEqual([]);
      expect(existsSync(join(root, 'run/secrets/npmca'))).toBe(false);
      const env = await podman(['image', 'inspect', '--format', '{{json .Config.Env}}', image]);
      expect(env).not.toMatch(/NODE_EXTRA_CA_CERTS|npm_config_cafile/i);
    });
  });

  describe('each service run from it', () => {
    const run = randomBytes(3).toString('hex');
    const launcher = new ImageLauncher(image, run);
    let system: RunningSystem | undefined;
    afterAll(async () => {
      await system?.stop();
      await launcher.removeContainers();
    });

    it('migrates, becomes ready against the local infrastructure, answers an authenticated request and stops with 0', async () => {
      const infra = readInfraEnv();
      if (infra === undefined) throw new Error('infra:up did not run');
      system = await startSystem({
        infra,
        database: { kind: 'own', name: `stepwise_image_${run}` },
        topicPrefix: `image.${run}.`,
        ports: {
          intake: await freePort(),
          scheduling: await freePort(),
          sessions: await freePort(),
          notifications: await freePort(),
        },
        logDir: join(workspaceRoot(), '.infra', 'image', run),
        launcher,
        // Four containers starting at once on a busy machine.
        readyTimeoutMs: 240_000,
      });
      const siteId = randomUUID();
      const token = await mintToken({
        sub: randomUUID(),
        roles: ['counselor', 'site-admin'],
        sites: [siteId],
        network: randomUUID(),
      });
      // One read each service answers past authentication and authorization: a site with nothing in it yet,
      // or (sessions, whose census needs a site it knows) a note that does not exist.
      const reads: Record<ServiceName, { path: string; status: number }> = {
        intake: { path: `/v1/sites/${siteId}/census`, status: 200 },
        scheduling: { path: '/v1/care-rule-sets', status: 200 },
        sessions: { path: `/v1/notes/${randomUUID()}`, status: 404 },
        notifications: { path: `/v1/sites/${siteId}/alerts`, status: 200 },
      };
      for (const service of SERVICES) {
        const url = `${system.urls[service]}${reads[service].path}`;
        const anonymous = await fetch(url);
        const answer = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
        expect({ service, anonymous: anonymous.status, authenticated: answer.status }).toEqual({
          service,
          anonymous: 401,
          authenticated: reads[service].status,
        });
      }
      const codes = await system.stop();
      system = undefined;
      expect(codes).toEqual({ intake: 0, scheduling: 0, sessions: 0, notifications: 0 });
    }, 600_000);
  });
});

const pemBlocks = (bundle: string): string[] =>
  bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];

/** The certificates of Debian's ca-certificates package, when this machine has it. */
function debianCas(): string[] {
  const dir = '/usr/share/ca-certificates';
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.crt'))
    .flatMap((entry) => pemBlocks(readFileSync(join(entry.parentPath, entry.name), 'utf8')));
}

const pemBody = (pem: string): string => pem.replace(/-----[A-Z ]+-----|\s/g, '');

/** The files under `root` holding any of `needles` (grep: exit 1 is "none"). */
async function filesContaining(root: string, needles: readonly string[]): Promise<string[]> {
  if (needles.length === 0) return [];
  try {
    const { stdout } = await promisify(execFile)(
      'grep',
      ['-rlF', ...needles.flatMap((needle) => ['-e', needle]), root],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    return stdout.split('\n').filter((line) => line !== '');
  } catch (error) {
    if ((error as { code?: number }).code === 1) return [];
    throw error;
  }
}

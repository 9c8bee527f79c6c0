import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { type Manifest } from './manifests';
import { K8S_DIR, render } from './render';

/**
 * The production overlay's placeholders: everything only its operator knows (image, issuer, SMS provider,
 * sender, address ranges, the managed Redis' port) is one line of `overlays/production/settings.env`, put in
 * place by kustomize replacements, and nothing example-like is set anywhere else.
 */

/** Values of the ranges reserved for documentation, and the usual "fill me in" markers. */
const EXAMPLE_VALUE =
  /\bexample\.(com|org|net)\b|\.example\b|\b192\.0\.2\.|\b198\.51\.100\.|\b203\.0\.113\.|change-?me|\bAC0{32}\b|\+1555010\d{4}|set-from-settings/i;

const SETTINGS = join(K8S_DIR, 'overlays', 'production', 'settings.env');

function envFile(text: string): Map<string, string> {
  return new Map(
    text
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

/** Every string in the objects, with where it is. */
function strings(value: unknown, path: string): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((item, i) => strings(item, `${path}/${i}`));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([key, inner]) => strings(inner, `${path}/${key}`));
  return [];
}

const exampleLike = (objects: Manifest[]): [string, string][] =>
  objects.flatMap((o) =>
    strings(o, `${String(o['kind'])}/${String((o['metadata'] as { name: string }).name)}`).filter(([, s]) =>
      EXAMPLE_VALUE.test(s),
    ),
  );

/** A realistic installation: what an operator's settings.env looks like. */
const INSTALLATION = {
  IMAGE: 'registry.acme-health.net/platform/stepwise:1.4.2',
  AUTH_ISSUER: 'https://login.acme-health.net/realms/iop',
  AUTH_JWKS_URL: 'https://login.acme-health.net/realms/iop/protocol/openid-connect/certs',
  AUTH_TOKEN_URL: 'https://login.acme-health.net/realms/iop/protocol/openid-connect/token',
  SMTP_FROM: 'care-team@acme-health.net',
  SMS_API_URL: 'https://api.twilio.com/2010-04-01',
  SMS_ACCOUNT_ID: 'AC8f3c1e0b9a7d6c5b4a39281706f5e4d3',
  SMS_FROM: '+13125550187',
  REDIS_CIDR: '10.40.12.0/28',
  // Not the committed 6380: the port must come from settings.env, not from a patch.
  REDIS_PORT: '6379',
  IDENTITY_PROVIDER_CIDR: '34.117.59.0/24',
};

describe('the operator’s values of the production overlay', () => {
  it('are exactly the keys settings.env declares, each with an example value', () => {
    const settings = envFile(readFileSync(SETTINGS, 'utf8'));
    expect([...settings.keys()].sort()).toEqual(Object.keys(INSTALLATION).sort());
  });

  it('come from settings.env alone: nothing example-like is set anywhere else in production, nor in dev', () => {
    const settings = [...envFile(readFileSync(SETTINGS, 'utf8')).values()];
    const elsewhere = exampleLike(render('overlays/production')).filter(
      ([, value]) => !settings.some((setting) => value.includes(setting)),
    );
    expect(elsewhere).toEqual([]);
    expect(exampleLike(render('overlays/dev'))).toEqual([]);
  });

  it('replace every placeholder: production with an installation’s settings.env renders no example value', () => {
    // A sibling of overlays/production, so its relative paths (../../base) resolve the same.
    const copy = mkdtempSync(join(K8S_DIR, 'overlays', '.settings-test-'));
    try {
      cpSync(join(K8S_DIR, 'overlays', 'production'), copy, { recursive: true });
      writeFileSync(
        join(copy, 'settings.env'),
        Object.entries(INSTALLATION)
          .map(([key, value]) => `${key}=${value}\n`)
          .join(''),
      );
      const objects = render(`overlays/${basename(copy)}`) as Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any -- rendered YAML
      expect(exampleLike(objects)).toEqual([]);

      const find = (kind: string, name: string) =>
        objects.find((o) => o['kind'] === kind && o['metadata'].name === name);
      expect(find('ConfigMap', 'stepwise-operator-settings')).toBeUndefined();
      expect(find('ConfigMap', 'stepwise-config')?.['data']).toMatchObject({
        AUTH_ISSUER: INSTALLATION.AUTH_ISSUER,
        AUTH_JWKS_URL: INSTALLATION.AUTH_JWKS_URL,
      });
      expect(find('ConfigMap', 'notifications-config')?.['data']).toMatchObject({
        AUTH_TOKEN_URL: INSTALLATION.AUTH_TOKEN_URL,
        SMTP_FROM: INSTALLATION.SMTP_FROM,
        SMS_PROVIDER: 'http',
        SMS_API_URL: INSTALLATION.SMS_API_URL,
        SMS_ACCOUNT_ID: INSTALLATION.SMS_ACCOUNT_ID,
        SMS_FROM: INSTALLATION.SMS_FROM,
      });
      const images = objects
        .filter((o) => o['kind'] === 'Deployment' || o['kind'] === 'Job')
        .map((o) => o['spec'].template.spec.containers[0].image as string);
      // Four services, their four migration Jobs and the staff console.
      expect(images).toHaveLength(9);
      expect(new Set(images)).toEqual(new Set([INSTALLATION.IMAGE]));
      expect(find('NetworkPolicy', 'allow-identity-provider')?.['spec'].egress).toEqual([
        {
          to: [{ ipBlock: { cidr: INSTALLATION.IDENTITY_PROVIDER_CIDR } }],
          ports: [{ protocol: 'TCP', port: 443 }],
        },
      ]);
      for (const service of ['intake', 'scheduling', 'sessions', 'notifications'])
        expect(find('NetworkPolicy', service)?.['spec'].egress[2]).toEqual({
          to: [{ ipBlock: { cidr: INSTALLATION.REDIS_CIDR } }],
          ports: [{ protocol: 'TCP', port: Number(INSTALLATION.REDIS_PORT) }],
        });
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

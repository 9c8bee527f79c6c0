import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeEvent, examplePayload } from '@stepwise/contracts';
import { type ServiceApp, startServiceApp, testTokens, waitFor, workspaceRoot } from '@stepwise/testing';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { notificationsDefinition } from '../notifications.definition';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a parsed document

let contract: { ajv: Ajv; document: Json } | undefined;

/** A validator of one message's body from the published webhook contract alone, as a receiver builds it. */
export function webhookContractValidator(message: string): ValidateFunction {
  if (contract === undefined) {
    const document = JSON.parse(
      readFileSync(join(workspaceRoot(), 'libs/contracts/generated/webhooks.asyncapi.json'), 'utf8'),
    ) as Json;
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ components: document['components'] as Json }, 'contract');
    contract = { ajv, document };
  }
  return contract.ajv.compile({
    $ref: (contract.document['components'].messages[message].payload.$ref as string).replace(
      '#',
      'contract#',
    ),
  });
}

/**
 * The notifications service as the webhook tests run it: intake, scheduling and the token endpoint faked at
 * `peersUrl`, a timer queue of its own, `site` known as a site of `network` (every event of the tests names it:
 * its network must be known before the first one is fanned out), and a token of that network's admin.
 */
export async function startWebhookService(options: {
  readonly label: string;
  readonly peersUrl: string;
  readonly site: string;
  readonly network: string;
  readonly env?: Readonly<Record<string, string>>;
}): Promise<{ svc: ServiceApp; admin: string }> {
  const { peersUrl, site, network } = options;
  const svc = await startServiceApp(notificationsDefinition, {
    label: options.label,
    envExample: join(__dirname, '../../.env.example'),
    env: {
      TIMER_QUEUE_PREFIX: `t${randomUUID().slice(0, 8)}`,
      NOTIFICATION_SWEEP_INTERVAL_MS: '500',
      INTAKE_URL: peersUrl,
      SCHEDULING_URL: peersUrl,
      AUTH_TOKEN_URL: `${peersUrl}/oauth/token`,
      AUTH_CLIENT_SECRET: 'test-secret',
      ...options.env,
    },
  });
  const admin = await testTokens.valid({ roles: ['network-admin'], sites: [], network });
  await svc.publish(
    encodeEvent('SiteUpserted', {
      ...examplePayload('SiteUpserted'),
      siteId: site,
      networkId: network,
      timeZone: 'America/Chicago',
    }),
  );
  await waitFor(
    'the site projected',
    () => svc.dataSource.query(`SELECT 1 FROM notifications.sites WHERE site_id = $1`, [site]),
    (rows) => rows.length === 1,
  );
  return { svc, admin };
}

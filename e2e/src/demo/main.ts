/**
 * `npm run demo`: the system on this machine with a realistic multi-site network driven through the public
 * APIs only. Infrastructure, build and migrations are ensured by scripts/demo.sh before this runs.
 *
 *   1. starts a local SMTP sink (the mail relay), Keycloak with the repository's realm (the one issuer the
 *      services trust), the four services as separate processes, and the tools beside them (ops-tools.ts:
 *      Prometheus scraping the services with the project's rules; console-tool.ts: the staff console);
 *   2. watches every care topic, as another subscribing system would;
 *   3. seeds three sites in three time zones with tracks, staff and group series, loads the network's own rule
 *      sets, and drives a 12-week cohort of about 60 clients on past dates (attendance, notes, screens, plan
 *      reviews, consents, reviews), a family session with a family member present, and a transfer between
 *      clinics at the end (network-changes.ts); the sites and staff carry the realm's ids and every call a
 *      demo account's token (keycloak-identity.ts): a demo counselor in the console sees their site's groups;
 *   4. prints a live summary with the console's address and logins until Ctrl-C, then stops the tools, the
 *      services and Keycloak (when it started it) in order.
 * With `--tracing` (`npm run demo -- --tracing`) Zipkin starts first and the services export their traces to it.
 */
import { join } from 'node:path';
import {
  DEMO_PASSWORD,
  dropDatabase,
  ensureInfrastructure,
  ensureKeycloak,
  type LocalKeycloak,
  stopKeycloak,
  workspaceRoot,
} from '@stepwise/infra';
import { CareEventWatch } from '../client/care-events';
import { DEFAULT_PORTS, required, startSystem } from '../system/system';
import { SmtpSink } from '../system/smtp-sink';
import { WebhookReceiver } from '../system/webhook-receiver';
import { DEMO_COHORT, type SiteBilling, runCohort } from './cohort';
import { consoleTool } from './console-tool';
import { demoLogins, keycloakIdentity } from './keycloak-identity';
import { OPS_TOOLS, startOpsTools, stopOpsTools } from './ops-tools';
import { type WeekFigures, billingReconciles, figures, renderSummary, weekFigures } from './summary';
import { demoTracing, withTracing } from './tracing';

/** The database of a demo run on the realm's fixed ids (see main). */
const DEMO_DATABASE = 'stepwise_demo';

const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

async function main(): Promise<number> {
  const infra = await ensureInfrastructure(() => undefined);
  const smtp = await SmtpSink.start();
  const receiver = await WebhookReceiver.start();
  say(
    `==> Mail relay (local SMTP sink) on port ${smtp.port}; an outside system's webhook at ${receiver.url}`,
  );
  // Before the services: they are started with its address.
  const tracing = await demoTracing(process.argv.slice(2), say);
  // The identity provider the services trust (its issuer alone) and the console signs people in at.
  const identity = await demoKeycloak();
  say('==> Starting intake, scheduling, sessions and notifications');
  // With the realm, sites and staff carry the realm's fixed ids, so a second run's group series would clash with
  // the first run's (same facilitators, same hours): each such run gets a database of its own, made afresh (one
  // left by a run that was killed is dropped first) and dropped on Ctrl-C, and a timer queue of its own in Redis.
  if (identity !== undefined) await dropDatabase(required(infra, 'POSTGRES_ADMIN_URL'), DEMO_DATABASE);
  const timerQueue: Record<string, string> =
    identity === undefined ? {} : { TIMER_QUEUE_PREFIX: `demo-${Date.now().toString(36)}` };
  const system = await startSystem({
    infra:
      identity === undefined
        ? infra
        : {
            ...infra,
            AUTH_ISSUER: identity.keycloak.issuer,
            AUTH_JWKS_URL: identity.keycloak.jwksUrl,
            // notifications asks the realm's `notifications` client for its tokens (client credentials).
            AUTH_TOKEN_URL: identity.keycloak.tokenUrl,
          },
    database: identity === undefined ? { kind: 'shared' } : { kind: 'own', name: DEMO_DATABASE },
    topicPrefix: '',
    ports: DEFAULT_PORTS,
    logDir: join(workspaceRoot(), '.infra', 'services'),
    env: withTracing(
      { notifications: { SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, ...timerQueue } },
      tracing,
    ),
  });
  say(`==> Starting ${OPS_TOOLS.map((tool) => tool.name).join(', ')} beside them`);
  const tools = [
    ...(tracing === undefined ? [] : [tracing]),
    ...(await startOpsTools(
      identity === undefined
        ? OPS_TOOLS
        : [...OPS_TOOLS, consoleTool(identity.keycloak.issuer, demoLogins(), DEMO_PASSWORD)],
      system.urls,
      (line) => say(`    ${line}`),
    )),
  ];
  const toolLinks = tools.flatMap((tool) =>
    tool.links.map((link, i) => `    ${(i === 0 ? tool.name : '').padEnd(15)} ${link}`),
  );
  for (const line of toolLinks) say(line);
  const watch = await CareEventWatch.start((infra['KAFKA_BROKERS'] ?? '').split(','));
  let stopping = false;
  let disableSubscription: (() => Promise<void>) | undefined;
  const stop = async (code: number): Promise<never> => {
    if (stopping) process.exit(code);
    stopping = true;
    if (disableSubscription !== undefined) {
      // The demo's webhook receiver goes away with it: so does its subscription.
      say('\n==> Disabling the demo webhook subscription (its receiver stops with the demo)');
      await disableSubscription().catch((error: unknown) =>
        say(`    not disabled: ${error instanceof Error ? error.message : String(error)}`),
      );
    }
    if (tools.length > 0) say(`\n==> Stopping ${tools.map((tool) => tool.name).join(', ')}`);
    await stopOpsTools(tools);
    say('\n==> Stopping the services (each finishes its in-flight work first)');
    const codes = await system.stop();
    await watch.stop().catch(() => undefined);
    await smtp.close();
    await receiver.close();
    if (identity?.started === true) {
      say('==> Stopping Keycloak (the demo started it)');
      await stopKeycloak();
    }
    say(
      `    exit codes: ${Object.entries(codes)
        .map(([s, c]) => `${s} ${String(c)}`)
        .join(', ')}`,
    );
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));

  let weeks: WeekFigures;
  let billing: readonly SiteBilling[];
  try {
    const cohort = await runCohort(system.urls, receiver.url, watch, say, {
      ...DEMO_COHORT,
      networkChanges: true,
      ...(identity === undefined ? {} : { identity: keycloakIdentity(identity.keycloak) }),
      onWebhookSubscribed: ({ secret, disable }) => {
        receiver.trust(secret); // the local receiver verifies every delivery with it
        disableSubscription = disable;
      },
    });
    weeks = weekFigures(cohort.weeks);
    billing = cohort.billing;
  } catch (error) {
    say(`The demo failed: ${error instanceof Error ? error.message : String(error)}`);
    say('Service logs: .infra/services/<service>.log');
    return stop(1);
  }
  say(renderSummary(watch, system.urls, weeks, toolLinks, billing));
  say(
    `  E-mails accepted by the mail relay: ${smtp.received.length}; webhook deliveries verified and parsed: ${receiver.events.length} of ${receiver.deliveries.length}`,
  );
  const f = figures(watch);
  const healthy =
    f.stepDowns > 0 &&
    f.stepUps > 0 &&
    f.levelChanges > 0 &&
    f.notificationsSent > 0 &&
    f.suppressedForConsent > 0 &&
    f.ruleSetsLoaded.length > 0 &&
    f.transfers > 0 &&
    f.familyMembersPresent > 0 &&
    billingReconciles(billing) &&
    weeks.disagreeing === 0;
  say(
    healthy && f.deadLettered === 0
      ? 'The care pathway ran end to end. The services keep running: Ctrl-C stops them.'
      : 'Some part of the pathway did not happen as expected (see the figures above and the service logs).',
  );
  // Live: reprint the figures when new events arrive, until Ctrl-C.
  let seen = watch.events.length;
  setInterval(() => {
    if (watch.events.length === seen) return;
    seen = watch.events.length;
    say(renderSummary(watch, system.urls, weeks, toolLinks, billing));
  }, 10_000);
  return new Promise<number>(() => undefined);
}

/**
 * Keycloak with the repository's realm (reused when it answers; fetched once from Maven Central). Without it
 * (no Java 21, no network on a first run) the demo goes on with the local token server and no console.
 */
async function demoKeycloak(): Promise<{ keycloak: LocalKeycloak; started: boolean } | undefined> {
  say('==> Keycloak (the staff console signs in there; its first start may take several minutes)');
  try {
    const { status, keycloak } = await ensureKeycloak({
      log: (line) => say(`    ${line}`),
      timeoutMs: 10 * 60_000,
    });
    say(`    ${status === 'reused' ? 'already running' : 'started'}: issuer ${keycloak.issuer}`);
    return { keycloak, started: status === 'started' };
  } catch (error) {
    say(`    not started (${error instanceof Error ? error.message : String(error)})`);
    say('    the demo goes on with the local token server; the staff console is not started');
    return undefined;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    say(
      `The demo could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    process.exit(1);
  },
);

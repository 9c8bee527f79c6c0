/**
 * The one infrastructure entry point: `up` (ensure everything runs), `down` (stop what it started),
 * `status`, `env` (print the variables as shell exports), `token` (mint a development token).
 * Run through npm: `npm run infra:up`, `npm run infra:down`, `npm run infra:status`, `npm run token -- …`.
 */
import { parseArgs } from 'node:util';
import { SERVICES } from '@stepwise/contracts';
import {
  ensureInfrastructure,
  readInfraEnv,
  redact,
  shellEnvFile,
  stopInfrastructure,
} from './infrastructure';
import { ensureSigningKey, mintToken, parseTtl } from './identity';
import { jwksAnswers } from './jwks';
import { ensureKeycloak, keycloakAnswers, keycloakPid, localKeycloak, stopKeycloak } from './keycloak';
import { DEFAULT_KAFKA, LocalKafkaBroker, brokerAnswers, ensureKafkaJars } from './kafka-broker';
import { postgresAnswers } from './postgres';
import { prometheusAnswers, recordedPrometheus } from './prometheus-server';
import { redisAnswers } from './redis';
import { clientsFile, ensureServiceClients, givenClientSecrets } from './token-endpoint';

const log = (line: string): void => console.log(line);

async function status(): Promise<number> {
  const env = readInfraEnv();
  if (env === undefined) {
    log('Not set up on this checkout yet: run `npm run infra:up`.');
    return 1;
  }
  const checks: [string, string, Promise<boolean>][] = [
    ['PostgreSQL', redact(env['POSTGRES_ADMIN_URL'] ?? ''), postgresAnswers(env['POSTGRES_ADMIN_URL'] ?? '')],
    ['Redis', env['REDIS_URL'] ?? '', redisAnswers(env['REDIS_URL'] ?? '')],
    ['Kafka', env['KAFKA_BROKERS'] ?? '', brokerAnswers((env['KAFKA_BROKERS'] ?? '').split(','))],
    ['JWKS', env['AUTH_JWKS_URL'] ?? '', jwksAnswers(env['AUTH_JWKS_URL'] ?? '')],
  ];
  let down = 0;
  for (const [name, where, answers] of checks) {
    const ok = await answers;
    if (!ok) down += 1;
    log(`${name.padEnd(11)} ${ok ? 'up  ' : 'DOWN'} ${where}`);
  }
  const pid = new LocalKafkaBroker(DEFAULT_KAFKA).runningPid();
  if (pid !== undefined) log(`Kafka process started by this tool: pid ${pid}`);
  // Not infrastructure the services need (so never counted as down): the demo's Prometheus, while it runs.
  const prometheus = recordedPrometheus();
  const answering = prometheus !== undefined && (await prometheusAnswers(prometheus.url));
  log(
    `${'Prometheus'.padEnd(11)} ${
      prometheus === undefined
        ? 'not running (`npm run demo` starts it)'
        : `${answering ? 'up  ' : 'DOWN'} ${prometheus.url} (the demo's, pid ${prometheus.pid})`
    }`,
  );
  // Not needed by the services' tests either: Keycloak, while one started by `infra:up -- --with keycloak` runs.
  const keycloak = localKeycloak();
  const kcPid = keycloakPid();
  log(
    `${'Keycloak'.padEnd(11)} ${
      kcPid === undefined
        ? 'not running (`npm run infra:up -- --with keycloak` starts it)'
        : `${(await keycloakAnswers(keycloak)) ? 'up  ' : 'DOWN'} ${keycloak.issuer} (pid ${kcPid})`
    }`,
  );
  return down === 0 ? 0 : 1;
}

const TOKEN_USAGE = `usage: npm run token -- --sub <user id> --roles <role,...> [--sites <site id,...>] [--network <id>] [--ttl 15m]
       npm run token -- --service <calling service> [--network <id>] [--ttl 15m]
Prints a bearer token signed by the local key (.infra/auth/), accepted by services configured by infra:up.`;

/** Mints a user token (\`--sub --roles --sites --network --ttl\`) or a service token (\`--service\`). */
async function token(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      sub: { type: 'string' },
      roles: { type: 'string' },
      sites: { type: 'string' },
      network: { type: 'string' },
      service: { type: 'string' },
      ttl: { type: 'string', default: '15m' },
      help: { type: 'boolean', default: false },
    },
  });
  const list = (text: string | undefined): string[] =>
    (text ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
  const service = values.service !== undefined;
  if (values.help || (!service && (values.sub === undefined || values.roles === undefined))) {
    // Usage goes to stderr on a mistake, so `TOKEN=$(npm run -s token …)` never captures it as a token.
    if (values.help) log(TOKEN_USAGE);
    else console.error(TOKEN_USAGE);
    return values.help ? 0 : 64;
  }
  const issuer = readInfraEnv()?.['AUTH_ISSUER'];
  const audience = readInfraEnv()?.['AUTH_AUDIENCE'];
  log(
    await mintToken({
      sub: service ? (values.service ?? '') : (values.sub ?? ''),
      roles: service ? ['service'] : list(values.roles),
      sites: list(values.sites),
      ...(values.network === undefined ? {} : { network: values.network }),
      ttlSeconds: parseTtl(values.ttl),
      ...(issuer === undefined ? {} : { issuer }),
      ...(audience === undefined ? {} : { audience }),
    }),
  );
  return 0;
}

async function main(command: string | undefined): Promise<number> {
  switch (command) {
    case 'up': {
      await ensureInfrastructure(log);
      // Optional extras, started only when asked: `npm run infra:up -- --with keycloak`.
      const { values } = parseArgs({
        args: process.argv.slice(3),
        options: { with: { type: 'string', multiple: true, default: [] } },
      });
      for (const extra of values.with) {
        if (extra !== 'keycloak') throw new Error(`Unknown --with ${extra} (known: keycloak)`);
        const { status, keycloak } = await ensureKeycloak({ log });
        log(`Keycloak ${status === 'reused' ? 'already running' : 'started'}: ${keycloak.issuer}`);
        log(
          `  services accept its tokens with AUTH_ISSUER=${keycloak.issuer} AUTH_JWKS_URL=${keycloak.jwksUrl}`,
        );
      }
      return 0;
    }
    case 'down':
      await stopInfrastructure(log);
      log((await stopKeycloak()) ? 'Stopped Keycloak' : 'Keycloak: not started by this tool');
      return 0;
    case 'status':
      return status();
    case 'env': {
      const env = readInfraEnv();
      if (env === undefined) throw new Error('Run `npm run infra:up` first');
      log(`# generated by tools/infra; also in ${shellEnvFile()}`);
      for (const [key, value] of Object.entries(env)) log(`export ${key}='${value}'`);
      return 0;
    }
    case 'token':
      return token(process.argv.slice(3));
    case 'keys':
      // Creates the local signing key pair if missing and registers the services as clients, with the secrets
      // the environment gives (the docker compose `jwks` service runs this first).
      log(await ensureSigningKey());
      ensureServiceClients(SERVICES, clientsFile(), givenClientSecrets(SERVICES, process.env));
      log(`Registered the clients ${SERVICES.join(', ')} in ${clientsFile()}`);
      return 0;
    case 'kafka-jars':
      // The broker's jars (fetched once), for images built from them: prints their folder.
      log(ensureKafkaJars(() => undefined));
      return 0;
    default:
      log('usage: tsx tools/infra/src/main.ts <up [--with keycloak]|down|status|env|token|keys|kafka-jars>');
      return 2;
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);

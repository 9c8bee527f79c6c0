#!/usr/bin/env bash
# Runs the system on this machine: installs dependencies, starts Postgres, Redis and Kafka (reusing what
# already runs), builds the four services, applies each service's migrations as its schema owner, starts the
# services and waits until each is ready. Ctrl-C (or SIGTERM) stops the services; `npm run infra:down` stops
# the infrastructure this started.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
SERVICES=(intake scheduling sessions notifications)
declare -A PORTS=([intake]=3001 [scheduling]=3002 [sessions]=3003 [notifications]=3004)

ensure_dependencies

echo "==> Infrastructure"
npm run -s infra:up
source .infra/env.sh
# The services verify bearer tokens against the local identity infra:up serves; env.sh exports its variables
# (AUTH_ISSUER, AUTH_AUDIENCE, AUTH_JWKS_URL), so every service started below inherits them.
: "${AUTH_ISSUER:?infra:up did not set AUTH_ISSUER}" "${AUTH_JWKS_URL:?infra:up did not set AUTH_JWKS_URL}"
export AUTH_ISSUER AUTH_AUDIENCE AUTH_JWKS_URL AUTH_TOKEN_URL

echo "==> Building the services"
npx nx run-many -t build -p "${SERVICES[@]}" --outputStyle=static >/dev/null

mkdir -p .infra/services
pids=()
stop_all() {
  trap - EXIT INT TERM
  echo "==> Stopping the services"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait || true
}
trap stop_all EXIT INT TERM

for service in "${SERVICES[@]}"; do
  prefix=${service^^}
  url_var="${prefix}_DATABASE_URL" migration_var="${prefix}_DATABASE_MIGRATION_URL"
  echo "==> ${service}: migrations"
  DATABASE_URL=${!url_var} DATABASE_MIGRATION_URL=${!migration_var} node dist/apps/$service/main.js migrate
  secret_var="${prefix}_CLIENT_SECRET"
  # Each service's credential for calling the others (client credentials at the local identity).
  PORT=${PORTS[$service]} DATABASE_URL=${!url_var} AUTH_CLIENT_ID=$service AUTH_CLIENT_SECRET=${!secret_var:-} \
    node --enable-source-maps dist/apps/$service/main.js >".infra/services/$service.log" 2>&1 &
  pids+=($!)
  echo "$!" >".infra/services/$service.pid"
done

for service in "${SERVICES[@]}"; do
  port=${PORTS[$service]}
  for _ in $(seq 1 120); do
    if curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null; then break; fi
    if ! kill -0 "$(cat .infra/services/$service.pid)" 2>/dev/null; then
      echo "${service} exited; its log:"; cat ".infra/services/$service.log"; exit 1
    fi
    sleep 0.5
  done
  curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null || { echo "${service} did not become ready; see .infra/services/$service.log"; exit 1; }
  echo "    ${service} ready on http://127.0.0.1:$port (log .infra/services/$service.log)"
done

echo "==> Stepwise is running. Ctrl-C stops the services; npm run infra:down stops the infrastructure."
echo "    Tokens: npm run -s token -- --sub <user> --roles <role,...> --sites <site-uuid,...> (see README)"
wait

#!/usr/bin/env bash
# The README's first command: on a fresh clone, installs dependencies, starts Postgres, Redis and Kafka (reusing
# what already runs), builds the four services and the staff console, then runs the demo (e2e/src/demo/main.ts):
# it starts Keycloak (fetched once), migrates and starts the services trusting it, Prometheus and the console
# beside them (e2e/src/demo/ops-tools.ts), seeds a three-site network with the realm's ids, drives a 12-week
# cohort through the public APIs and prints a live summary with the console's logins until Ctrl-C, which stops
# every process it started. `npm run infra:down` stops the infrastructure.
# `npm run demo -- --tracing` also starts Zipkin (Java 17, from Maven Central) and exports the services' traces.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_dependencies

# What was already running stays running afterwards; what the demo starts, it stops on Ctrl-C.
infra_was_up=false
# Read whole first: under pipefail, a status command that `grep -q` leaves early can fail, which read as "not
# up" and made the demo stop infrastructure it had not started on the way out.
infra_status=$(npm run -s infra:status 2>/dev/null || true)
if grep -q '^Kafka  *up' <<<"$infra_status"; then infra_was_up=true; fi

echo "==> Infrastructure"
npm run -s infra:up

echo "==> Building the services and the staff console"
npx nx run-many -t build -p intake scheduling sessions notifications console --outputStyle=static >/dev/null

# node --import tsx (not the tsx CLI, which forks a child that would outlive Ctrl-C). Ctrl-C reaches the demo,
# which stops the services in order; this script then stops the infrastructure it started.
export TSX_TSCONFIG_PATH=tsconfig.scripts.json
trap ':' INT
status=0
node --import tsx e2e/src/demo/main.ts "$@" || status=$?
if [ "$infra_was_up" = false ]; then
  echo "==> Stopping the infrastructure the demo started"
  npm run -s infra:down
fi
exit "$status"

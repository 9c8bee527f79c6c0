#!/usr/bin/env bash
# The whole test suite, from a fresh clone with nothing running: installs dependencies, starts Postgres,
# Redis and Kafka (reusing what already runs), then lint, type-check, unit tests, builds and integration tests
# against the real infrastructure. This is what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
started=$(date +%s)

ensure_dependencies
mkdir -p .infra
log=.infra/test-run.log
: >"$log"

echo "==> Infrastructure"
npm run -s infra:up

echo "==> Format, lint, type-check, unit tests, builds"
npx prettier --check . --log-level warn
npx nx run-many -t lint typecheck test build --parallel=2 --outputStyle=static 2>&1 | tee -a "$log"

echo "==> Integration tests (real Postgres, Kafka and Redis)"
# One project at a time: each starts service processes and brokers' consumer groups of its own.
npx nx run-many -t integration --parallel=1 --outputStyle=static 2>&1 | tee -a "$log"

# One plain closing line with the totals of every Jest run above.
totals=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^Tests: ' | awk '
  { for (i = 2; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
  END { printf "%d passed, %d failed", p, f }')
echo "==> All tests passed in $(( $(date +%s) - started )) s"
echo "$totals"

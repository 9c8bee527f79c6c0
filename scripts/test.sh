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
status=0
npx nx run-many -t lint typecheck test build --parallel=2 --outputStyle=static 2>&1 | tee -a "$log" || status=$?

echo "==> Integration tests (real Postgres, Kafka and Redis)"
# One project at a time: each starts service processes and brokers' consumer groups of its own.
if [ "$status" -eq 0 ]; then
  npx nx run-many -t integration --parallel=1 --outputStyle=static 2>&1 | tee -a "$log" || status=$?
fi

echo "==> Browser tests of the console (Chromium, real services and Keycloak)"
# After the integration tests, alone: Keycloak, the four services and Chromium together fill the two cores.
if [ "$status" -eq 0 ]; then
  ensure_chromium || status=$?
fi
if [ "$status" -eq 0 ]; then
  npx nx run e2e:browser --outputStyle=static 2>&1 | tee -a "$log" || status=$?
fi

echo "==> Fault run (an isolated system under load and seeded faults, judged by an independent checker)"
# Starts its own PostgreSQL, Kafka, Redis and two replicas of each service on free ports; see docs/reliability.md.
# Short profile: ~10 minutes on 2 cores. Its load starts once notifications knows the seeded site's staff.
if [ "$status" -eq 0 ]; then
  npm run -s test:faults 2>&1 | tee -a "$log" || status=$?
fi

echo "==> Container path (testcontainers through podman: messaging and notifications integration suites)"
# The same suites against PostgreSQL, Redis and Kafka in containers built here from Debian's packages; see
# README "Containers for the tests". Status 3 means the machine could not give podman or Debian's packages:
# nothing of ours ran, which the closing lines say plainly instead of failing the run on the machine's account.
containers=skipped
if [ "$status" -eq 0 ]; then
  containers_status=0
  # Its own log: its Jest totals are reported on their own below, not added to the gating suites' totals. Bounded,
  # so a stuck image build or broker cannot take the rest of CI's time.
  containers_log=$(mktemp)
  timeout --kill-after=60 2400 bash scripts/test-containers.sh 2>&1 | tee "$containers_log" || containers_status=$?
  containers_totals=$(sed 's/\x1b\[[0-9;]*m//g' "$containers_log" | grep -E '^Tests: ' | awk '
    { for (i = 2; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
    END { printf "%d passed, %d failed", p, f }')
  rm -f "$containers_log"
  case "$containers_status" in
  0) containers="passed ($containers_totals)" ;;
  124 | 137) containers="FAILED (stopped after 40 minutes: $containers_totals; not yet gating the run)" ;;
  3) containers="NOT EXERCISED (the machine could not provide podman or Debian's packages; see above)" ;;
  *)
    # Reported, not yet gating: the broker-readiness failure is fixed (README), but the path has passed one
    # whole run here, not yet in CI. Make this `status=$containers_status` once CI has passed it.
    containers="FAILED (status $containers_status, $containers_totals, see above; not yet gating the run)"
    ;;
  esac
fi

# One plain closing line with the totals of every Jest run above (the fault run prints one in the same words).
# Vitest (the console's unit and component tests) writes "Tests  N passed (N)": read the same way.
totals=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | sed -E 's/^ +Tests +/Tests: /; s/ \([0-9]+\)$//' | grep -E '^Tests: ' | awk '
  { for (i = 2; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
  END { printf "%d passed, %d failed", p, f }')
if [ "$status" -ne 0 ]; then
  # CI keeps only the end of the output: repeat what failed here, where it is read.
  echo "==> FAILED after $(( $(date +%s) - started )) s: $totals"
  # Each failed test with the first lines of its message, then the failed Nx tasks.
  sed 's/\x1b\[[0-9;]*m//g' "$log" | awk '
    /● .+ › / { n = 14 }
    n > 0 { print; n-- }
    /^Failed tasks:/ { tasks = 1; next }
    tasks && /^- / { print }' | head -200 || true
  exit "$status"
fi
echo "==> All tests passed in $(( $(date +%s) - started )) s (container path: $containers)"
echo "$totals"

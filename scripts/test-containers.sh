#!/usr/bin/env bash
# `npm run test:containers`: the integration tests' container path (testcontainers), exercised on a machine
# without a Docker engine or an image registry (Debian, as root). Installs podman when missing, builds the
# PostgreSQL, Redis and Kafka images from Debian's packages and Maven Central's Kafka jars (cached: a
# debootstrap root file system under .infra/containers and podman's image store), serves podman's
# Docker-compatible socket and runs, with STEPWISE_TEST_INFRA=containers:
#   - libs/testing's container suite (each image on its own, published on 127.0.0.1 only),
#   - libs/messaging's and the notifications service's integration suites, unchanged, against the containers
#     their global setup starts.
# Arguments are passed to every Jest run (e.g. `-t pattern`). Everything it starts is stopped on exit.
# On a machine with Docker, `STEPWISE_TEST_INFRA=containers npx nx run messaging:integration` uses the
# official images instead; this script is for machines like CI's, which have none.
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/containers/podman.sh
started=$(date +%s)

# Exit status 3: the machine could not provide the container engine or the Debian base (installing podman,
# or fetching Debian's packages, failed): nothing of ours was tested. scripts/test.sh reports that in its
# summary instead of failing the run; any other failure (our images, our tests) is status 1.
not_exercised() {
  echo "==> Container path NOT EXERCISED: $1" >&2
  exit 3
}
podman_setup || not_exercised "podman could not be installed (apt-get failed)"
echo "==> Images (built once, then cached)"
# One base for the three images: PostgreSQL 15, Redis 7 and Java 17 from Debian bookworm.
debian_base_image test "postgresql-15,redis-server,openjdk-17-jre-headless" >/dev/null ||
  not_exercised "the Debian base image could not be built (debootstrap failed)"
# The Kafka image's build context: the jars tools/infra fetches from Maven Central (hard links) and its files.
kafka_context="$CONTAINERS_DIR/kafka-context"
rm -rf "$kafka_context"
mkdir -p "$kafka_context"
cp -al "$(npx tsx --tsconfig tsconfig.scripts.json tools/infra/src/main.ts kafka-jars)" "$kafka_context/libs"
rm -f "$kafka_context/libs/.complete"
cp tools/containers/kafka-entrypoint.sh tools/containers/kafka-log4j.properties "$kafka_context/"
podman build -q -t localhost/stepwise-postgres:test -f tools/containers/postgres.Containerfile tools/containers >/dev/null
podman build -q -t localhost/stepwise-redis:test -f tools/containers/redis.Containerfile tools/containers >/dev/null
podman build -q -t localhost/stepwise-kafka:test -f tools/containers/kafka.Containerfile "$kafka_context" >/dev/null
echo "    images ready after $(($(date +%s) - started)) s"

# The notifications suite runs the built service as a process (dist/apps/notifications/main.js): build it
# when this is run on its own (under `npm test` the builds phase already did; nx's cache makes this a no-op).
echo "==> Building the notifications service for its integration suite"
NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false npx nx run notifications:build --outputStyle=static >/dev/null

podman_socket_start || not_exercised "podman's API socket did not start"
# The suites stop their containers; whatever an interrupted run leaves (labelled with this run's id) goes here.
export STEPWISE_CONTAINERS_RUN="test-containers-$$-$started"
remove_run_containers() {
  podman ps -aq --filter "label=org.stepwise.run=$STEPWISE_CONTAINERS_RUN" | xargs -r podman rm -f >/dev/null || true
}
trap 'remove_run_containers; podman_socket_stop' EXIT

# testcontainers through podman's socket: no reaper container (podman 4.3 cannot run Ryuk here; the global
# teardown and the suites stop their containers), ports published and reached on 127.0.0.1 only.
export TESTCONTAINERS_RYUK_DISABLED=true
export TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1
export STEPWISE_TEST_INFRA=containers
export STEPWISE_POSTGRES_IMAGE=localhost/stepwise-postgres:test
export STEPWISE_REDIS_IMAGE=localhost/stepwise-redis:test
export STEPWISE_KAFKA_IMAGE=localhost/stepwise-kafka:test
# The containers, not whatever a sourced .infra/env.sh names, serve these runs.
unset POSTGRES_ADMIN_URL REDIS_URL KAFKA_BROKERS STEPWISE_DATABASE
export NX_DAEMON=false

status=0
for config in libs/testing/jest.containers.config.cjs libs/messaging/jest.int.config.cjs \
  apps/notifications/jest.int.config.cjs; do
  echo "==> $config (containers)"
  npx jest -c "$config" --runInBand "$@" || status=$?
done
leftover=$(podman ps -aq --filter "label=org.stepwise.run=$STEPWISE_CONTAINERS_RUN" | wc -l)
if [ "$leftover" -ne 0 ]; then
  echo "$leftover test container(s) still running after the suites" >&2
  status=1
fi
echo "==> Container path finished in $(($(date +%s) - started)) s (status $status)"
exit "$status"

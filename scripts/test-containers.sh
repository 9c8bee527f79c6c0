#!/usr/bin/env bash
# `npm run test:containers`: the integration tests' container path, exercised on a machine without a Docker
# engine or an image registry (Debian, as root). Installs podman when missing, builds the PostgreSQL and Redis
# images from Debian's packages (a debootstrap root file system cached under .infra/containers), serves podman's
# Docker-compatible socket and runs the container suite through testcontainers. Ports are published on
# 127.0.0.1 only. Everything it starts is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR="$PWD/.infra/containers"
source tools/containers/podman.sh
use_podman "$DIR"

BASE=localhost/stepwise-debian-base:bookworm
if ! podman image exists "$BASE"; then
  if [ ! -f "$DIR/rootfs/.complete" ]; then
    rm -rf "$DIR/rootfs"
    debootstrap --variant=minbase --include=postgresql-15,redis-server bookworm "$DIR/rootfs"
    touch "$DIR/rootfs/.complete"
  fi
  tar -C "$DIR/rootfs" --exclude=./.complete -c . | podman import - "$BASE"
fi
for image in postgres redis; do
  podman image exists "localhost/stepwise-$image:test" ||
    podman build -q -t "localhost/stepwise-$image:test" -f "tools/containers/$image.Containerfile" tools/containers
done

SOCKET="$DIR/podman.sock"
rm -f "$SOCKET"
podman system service --time=0 "unix://$SOCKET" &
SERVICE_PID=$!
trap 'kill "$SERVICE_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -S "$SOCKET" ] && break; sleep 0.1; done

export DOCKER_HOST="unix://$SOCKET"
export TESTCONTAINERS_RYUK_DISABLED=true
export TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1
export STEPWISE_TEST_INFRA=containers
export STEPWISE_POSTGRES_IMAGE=localhost/stepwise-postgres:test
export STEPWISE_REDIS_IMAGE=localhost/stepwise-redis:test
NX_DAEMON=false npx jest -c libs/testing/jest.containers.config.cjs "$@"

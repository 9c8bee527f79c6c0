#!/usr/bin/env bash
# `npm run test:image`: builds the Dockerfile's image with podman and checks it the way a deployment uses it.
# On a Debian machine without a Docker engine or an image registry (as root): installs podman when missing,
# builds a Node 20 base (a minimal debootstrap root file system cached under .infra/containers, with this
# machine's Node 20 and npm, as Debian's nodejs is 18) unless NODE_IMAGE names one, builds the image from it
# (layers cached by podman), then runs e2e/src/image/*.image-spec.ts: each service migrated (`migrate`) and
# served from the image against the local Postgres, Redis, Kafka and identity (`npm run infra:up`'s), ready and
# answering an authenticated request; the image runs as a user other than root, holds the production
# dependencies only and no trace of the build's CA bundle. Prints the image's size. Everything it starts, it stops.
#
#   NODE_IMAGE=node:20.20-bookworm-slim npm run test:image   # from a registry's Node image instead
#   STEPWISE_IMAGE=registry.example/stepwise:1.2 SKIP_BUILD=1 npm run test:image   # check an image built elsewhere
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
source tools/containers/podman.sh
podman_setup
DIR="$CONTAINERS_DIR"

export STEPWISE_IMAGE=${STEPWISE_IMAGE:-localhost/stepwise:test}

if [ -z "${SKIP_BUILD:-}" ]; then
  if [ -z "${NODE_IMAGE:-}" ]; then
    NODE_IMAGE=localhost/stepwise-node:20
    if ! podman image exists "$NODE_IMAGE"; then
      # The shared debootstrap builder (tools/containers/podman.sh), with the certificates npm needs.
      MINBASE=$(debian_base_image minbase "ca-certificates")
      node_bin=$(command -v node)
      npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
      case "$(node --version)" in v20.*) ;; *) echo "Node 20 is needed on this machine for its base image" >&2; exit 1 ;; esac
      echo "==> Node base $NODE_IMAGE (this machine's Node $(node --version), npm $(npm --version))"
      context="$DIR/node-context"
      rm -rf "$context" && mkdir -p "$context"
      cp "$(readlink -f "$node_bin")" "$context/node"
      cp -a "$npm_dir" "$context/npm"
      podman build -q --build-arg "BASE=$MINBASE" -t "$NODE_IMAGE" -f tools/containers/node.Containerfile "$context" >/dev/null
      rm -rf "$context"
    fi
  fi
  # The registry may be reached through a TLS-inspecting proxy whose CA only this machine trusts: the bundle goes
  # to `npm ci` as a build secret (never into a layer; see the Dockerfile). NPM_CA_BUNDLE overrides the path.
  ca_bundle=${NPM_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}
  secret=()
  [ -s "$ca_bundle" ] && secret=(--secret "id=npmca,src=$ca_bundle")
  echo "==> Image $STEPWISE_IMAGE from $NODE_IMAGE"
  started=$SECONDS
  podman build --layers --build-arg "NODE_IMAGE=$NODE_IMAGE" "${secret[@]}" -t "$STEPWISE_IMAGE" . \
    >"$DIR/image-build.log" 2>&1 || { tail -40 "$DIR/image-build.log"; exit 1; }
  echo "    built in $((SECONDS - started)) s (log .infra/containers/image-build.log)"
fi

size=$(podman image inspect --format '{{.Size}}' "$STEPWISE_IMAGE")
echo "==> Image size: $((size / 1000 / 1000)) MB ($size bytes, uncompressed)"

# The suite's global setup reuses the running infrastructure (starting what is missing), as the integration tests.
npx jest -c e2e/jest.image.config.cjs "$@"

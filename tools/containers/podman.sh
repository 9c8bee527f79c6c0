# Sourced (bash) by the scripts that build or run containers with podman on a machine without a Docker engine or an
# image registry (Debian, as root): `scripts/test-containers.sh` and the service image's build. One builder for
# the Debian base images, so every image made here starts from the same debootstrap root file system.
#
#   source tools/containers/podman.sh
#   podman_setup                                   # settings, and podman/buildah/runc/debootstrap when missing
#   debian_base_image NAME "pkg1,pkg2"             # prints localhost/stepwise-NAME-base:bookworm, built once
#   podman_socket_start DIR                        # Docker-compatible socket; exports DOCKER_HOST
#
# The functions return non-zero on failure (callers may run them in `||` context, where `set -e` is off).
# Everything is cached under .infra/containers of the checkout and in podman's image store; nothing outside
# the checkout is changed except installing the packages.

CONTAINERS_DIR="${CONTAINERS_DIR:-$PWD/.infra/containers}"
DEBIAN_SUITE=bookworm

# podman's settings for this kind of machine, in a private file (no system file is changed): runc, as crun
# refuses the cgroup setup here, and explicit open-file/process limits.
podman_setup() {
  mkdir -p "$CONTAINERS_DIR"
  cat >"$CONTAINERS_DIR/containers.conf" <<'CONF'
[containers]
default_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]
[engine]
runtime = "runc"
CONF
  export CONTAINERS_CONF="$CONTAINERS_DIR/containers.conf"
  if command -v podman >/dev/null && command -v runc >/dev/null && command -v debootstrap >/dev/null; then
    return 0
  fi
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "podman, runc and debootstrap are missing: install them (Debian: apt-get install podman runc debootstrap) or run as root" >&2
    return 1
  fi
  echo "==> Installing podman, buildah, runc and debootstrap from Debian's packages"
  # Another build on this machine may hold apt's locks: wait for them rather than fail.
  apt-get -o DPkg::Lock::Timeout=600 update -qq || return 1
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
    podman buildah runc debootstrap >/dev/null || return 1
}

# A Debian base image with PACKAGES (comma-separated) from a minimal debootstrap root file system, built once:
# the image carries the package list as a label and is rebuilt when the list changes. Prints the image name.
debian_base_image() {
  local name="$1" packages="$2"
  local image="localhost/stepwise-$name-base:$DEBIAN_SUITE"
  local label
  label=$(podman image inspect --format '{{ index .Labels "org.stepwise.packages" }}' "$image" 2>/dev/null || true)
  if [ "$label" = "$packages" ]; then
    echo "$image"
    return 0
  fi
  local rootfs="$CONTAINERS_DIR/rootfs-$name"
  if [ "$(cat "$rootfs/.complete" 2>/dev/null)" != "$packages" ]; then
    echo "==> debootstrap $DEBIAN_SUITE with $packages (once)" >&2
    rm -rf "$rootfs"
    debootstrap --variant=minbase --include="$packages" "$DEBIAN_SUITE" "$rootfs" >&2 || return 1
    # The package caches and lists are not needed at run time.
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    printf '%s' "$packages" >"$rootfs/.complete"
  fi
  tar -C "$rootfs" --exclude=./.complete -c . |
    podman import --change "LABEL org.stepwise.packages=$packages" - "$image" >/dev/null || return 1
  echo "$image"
}

# Serves podman's Docker-compatible API on a unix socket under DIR (for testcontainers and docker clients)
# and exports DOCKER_HOST; the caller stops it with podman_socket_stop (by its recorded PID).
podman_socket_start() {
  local socket="$CONTAINERS_DIR/podman.sock"
  rm -f "$socket"
  podman system service --time=0 "unix://$socket" &
  PODMAN_SERVICE_PID=$!
  local tries=0
  until [ -S "$socket" ] && curl -sf --unix-socket "$socket" http://d/_ping >/dev/null 2>&1; do
    tries=$((tries + 1))
    if [ "$tries" -gt 600 ] || ! kill -0 "$PODMAN_SERVICE_PID" 2>/dev/null; then
      echo "podman's API socket did not answer" >&2
      return 1
    fi
    sleep 0.1
  done
  export DOCKER_HOST="unix://$socket"
}

podman_socket_stop() {
  if [ -n "${PODMAN_SERVICE_PID:-}" ]; then kill "$PODMAN_SERVICE_PID" 2>/dev/null || true; fi
}

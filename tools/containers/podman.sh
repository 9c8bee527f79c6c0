# Sourced by scripts/test-containers.sh and scripts/test-image.sh: podman on a Debian machine without a Docker
# engine or an image registry (as root).

# use_podman DIR: installs podman, buildah, runc and debootstrap when missing, and points podman at settings of
# its own in DIR/containers.conf (no system file is changed): runc, as crun refuses this kind of machine's
# cgroup setup, and explicit open-file/process limits.
use_podman() {
  local dir=$1
  mkdir -p "$dir"
  cat >"$dir/containers.conf" <<'CONF'
[containers]
default_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]
[engine]
runtime = "runc"
CONF
  export CONTAINERS_CONF="$dir/containers.conf"
  if ! command -v podman >/dev/null || ! command -v debootstrap >/dev/null; then
    [ "$(id -u)" = 0 ] || { echo "podman is missing and only root can install it" >&2; return 1; }
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends podman buildah runc debootstrap
  fi
}

# Shared by scripts/test.sh and scripts/start.sh.

# Installs the locked dependencies when node_modules is missing or older than package-lock.json.
# `npm install` rather than `npm ci`: the registry these machines reach does not serve some other platforms'
# optional binaries (e.g. @unrs/resolver-binding-android-arm-eabi, used by Jest's resolver), so the lockfile
# cannot list them and npm 11's `ci` refuses it. `install` still takes every version from the committed lock.
ensure_dependencies() {
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "==> Installing dependencies (npm install, versions from package-lock.json)"
    npm install --no-audit --no-fund --loglevel=error
  fi
}

# Nx: no daemon (one-shot runs on CI machines), never a remote cache, plain output.
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false

# Debian's Chromium for the console's browser tests (e2e:browser drives it through playwright-core, which
# downloads no browser of its own). Installed with apt-get when missing, as root on a Debian machine.
ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then return; fi
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "Install Debian's chromium (/usr/bin/chromium) for the console's browser tests" >&2
    return 1
  fi
  echo "==> Installing Debian's chromium (browser tests)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
}

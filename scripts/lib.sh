# Shared by scripts/test.sh and scripts/start.sh.

# Installs the locked dependencies when node_modules is missing or older than package-lock.json.
ensure_dependencies() {
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "==> Installing dependencies (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

# Nx: no daemon (one-shot runs on CI machines), never a remote cache, plain output.
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false

#!/usr/bin/env bash
# Creates the Secrets the dev overlay expects (docs/deployment.md, "Secrets"), with random passwords and keys,
# in namespace ${NAMESPACE:-stepwise}. Run once before `kubectl apply -k k8s/overlays/dev`; existing Secrets are
# left alone. Values are generated here and never written to disk.
set -euo pipefail
ns=${NAMESPACE:-stepwise}
random() { openssl rand -hex 24; }
exists() { kubectl -n "$ns" get secret "$1" >/dev/null 2>&1; }
# A CloudNativePG managed role's basic-auth Secret (created once); prints its password.
role_secret() {
  local name=$1 role=$2 password
  if exists "$name"; then
    kubectl -n "$ns" get secret "$name" -o jsonpath='{.data.password}' | base64 -d
    return
  fi
  password=$(random)
  kubectl -n "$ns" create secret generic "$name" --type=kubernetes.io/basic-auth \
    --from-literal=username="$role" --from-literal=password="$password" >/dev/null
  kubectl -n "$ns" label secret "$name" cnpg.io/reload=true >/dev/null
  echo "$password"
}

kubectl get namespace "$ns" >/dev/null 2>&1 || kubectl create namespace "$ns"
for service in intake scheduling sessions notifications; do
  owner_password=$(role_secret "$service-db-owner" "stepwise_${service}_owner")
  app_password=$(role_secret "$service-db-app" "stepwise_${service}_app")
  if ! exists "$service-secrets"; then
    args=(
      --from-literal=DATABASE_URL="postgres://stepwise_${service}_app:${app_password}@stepwise-db-rw:5432/stepwise"
      --from-literal=DATABASE_MIGRATION_URL="postgres://stepwise_${service}_owner:${owner_password}@stepwise-db-rw:5432/stepwise"
      --from-literal=REDIS_URL="redis://redis:6379"
    )
    case "$service" in
      intake) args+=(--from-literal=PHI_KEK="$(openssl rand -base64 32)") ;;
      sessions) args+=(--from-literal=NOTES_KEK="$(openssl rand -base64 32)") ;;
      notifications)
        args+=(--from-literal=AUTH_CLIENT_SECRET="${NOTIFICATIONS_CLIENT_SECRET:?set NOTIFICATIONS_CLIENT_SECRET to the secret of the notifications client in your identity provider}")
        args+=(--from-literal=SMTP_URL="${SMTP_URL:-smtp://mailpit:1025}")
        ;;
    esac
    kubectl -n "$ns" create secret generic "$service-secrets" "${args[@]}"
  fi
done
echo "Secrets ready in namespace $ns (Kafka users' and CA Secrets are created by Strimzi)."

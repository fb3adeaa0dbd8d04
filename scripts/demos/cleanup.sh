#!/usr/bin/env bash
# Removes the demo publications and their API-key Secrets (not the models or the platform).
set -euo pipefail
case "${BASH_SOURCE[0]}" in */*) DEMO_DIR="${BASH_SOURCE[0]%/*}" ;; *) DEMO_DIR=. ;; esac
# shellcheck source=lib.sh
source "$DEMO_DIR/lib.sh"

DEMO_HELP="Usage: scripts/demos/cleanup.sh [--help]

Deletes the objects of configs/ai-gateway/demo and the Secrets labelled
app.kubernetes.io/managed-by=platform-demo in the tenant namespaces."
demo_usage_if_asked "$@"

require_tools kubectl
kubectl delete -f "$PLATFORM_CONFIGS/ai-gateway/demo" --ignore-not-found
for namespace in tenant-a tenant-b tenant-c; do
  kubectl delete secret -n "$namespace" -l app.kubernetes.io/managed-by=platform-demo --ignore-not-found
done
ok "demo publications removed"

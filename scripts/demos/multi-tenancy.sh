#!/usr/bin/env bash
# Multi-tenancy demo: tenants are namespaces, isolated at both tiers.
set -euo pipefail
case "${BASH_SOURCE[0]}" in */*) DEMO_DIR="${BASH_SOURCE[0]%/*}" ;; *) DEMO_DIR=. ;; esac
# shellcheck source=lib.sh
source "$DEMO_DIR/lib.sh"

DEMO_HELP="Usage: scripts/demos/multi-tenancy.sh [--help]

Shows the tenant namespaces and their quotas, then isolation at both tiers:
  tier 1 (gateway): tenant-b's API key cannot call tenant-a's model (401);
  tier 2 (mesh): a pod in tenant-b calling tenant-a's predictor directly is refused by Istio (403),
  because only the gateway's mTLS identity is allowed into tenant namespaces.
Needs a cluster from scripts/bootstrap.sh."
demo_usage_if_asked "$@"

prepare_demo_publications
info "tenant namespaces (label inference.platform.io/tenant-namespace=true)"
kubectl get namespaces -l inference.platform.io/tenant-namespace=true -L inference.platform.io/tenant-name
info "quotas"
kubectl get resourcequota -A -l inference.platform.io/tenant-name

key_b="$(api_key tenant-b huggingface-t5-api-keys tenant-b-demo)"
expect "tier 1: tenant-b's key on tenant-a's sklearn-iris" 401 \
  "$(gateway_status POST "$SKLEARN_PATH" -H "x-api-key: $key_b" -d "$IRIS_BODY")"

info "tier 2: from a pod in tenant-b straight to tenant-a's qwen-chat predictor (bypassing the gateway)"
status="$(kubectl run "isolation-probe-$RANDOM" -n tenant-b --rm -i --restart=Never --quiet \
  --image=docker.io/curlimages/curl:8.16.0 --overrides='{"spec":{"containers":[{"name":"probe","image":"docker.io/curlimages/curl:8.16.0","args":["-s","-o","/dev/null","-w","%{http_code}","--max-time","20","http://qwen-chat-predictor.tenant-a.svc.cluster.local/openai/v1/models"],"resources":{"requests":{"cpu":"10m","memory":"16Mi"}}}]}}' \
  2>/dev/null || true)"
expect "tier 2: tenant-b pod -> tenant-a predictor" 403 "${status:0:3}"

#!/usr/bin/env bash
# Removes what scripts/bootstrap.sh created. By default the whole Kind cluster is deleted; with
# --keep-cluster only the platform's own objects (demo publications, models, tenants, portal, auth,
# shared Gateway) are removed and the installed components stay.
set -euo pipefail

case "${BASH_SOURCE[0]}" in */*) SCRIPT_DIR="${BASH_SOURCE[0]%/*}" ;; *) SCRIPT_DIR=. ;; esac
# shellcheck source=lib/platform.sh
source "$SCRIPT_DIR/lib/platform.sh"
# shellcheck source=lib/versions.sh
source "$PLATFORM_SCRIPTS_DIR/lib/versions.sh"

usage() {
  printf '%s\n' "Usage: scripts/cleanup.sh [--keep-cluster] [--yes]

  (default)       delete the Kind cluster '$KIND_CLUSTER_NAME'
  --keep-cluster  delete only the objects of configs/ (and the demo publications and generated Secrets)
  --yes           do not ask for confirmation"
}

main() {
  local keep_cluster=false assume_yes=false
  while [ $# -gt 0 ]; do
    case "$1" in
      --help | -h) usage; return 0 ;;
      --keep-cluster) keep_cluster=true ;;
      --yes | -y) assume_yes=true ;;
      *) usage >&2; fail "unknown argument: $1" ;;
    esac
    shift
  done
  if ! $assume_yes; then
    local answer
    read -r -p "This removes the platform from cluster '$KIND_CLUSTER_NAME'. Continue? [y/N] " answer
    [ "$answer" = y ] || [ "$answer" = Y ] || { info "Nothing removed."; return 0; }
  fi
  if ! $keep_cluster; then
    require_tools kind
    kind delete cluster --name "$KIND_CLUSTER_NAME"
    ok "cluster $KIND_CLUSTER_NAME deleted"
    return 0
  fi
  require_tools kubectl
  local path
  # Reverse order of creation; the namespaces of installed components (envoy-gateway-system,
  # knative-serving) are kept. --ignore-not-found keeps re-runs quiet.
  for path in ai-gateway/demo models portal auth tenants \
    envoy-gateway/client-traffic-policy.yaml envoy-gateway/gateway.yaml \
    envoy-gateway/envoyproxy.yaml envoy-gateway/gatewayclass.yaml; do
    info "deleting configs/$path"
    kubectl delete -f "$PLATFORM_CONFIGS/$path" --ignore-not-found --wait=false >/dev/null
  done
  kubectl delete configmap inference-dashboard -n monitoring --ignore-not-found >/dev/null
  kubectl delete secret ai-inference-gateway-tls -n envoy-gateway-system --ignore-not-found >/dev/null
  ok "platform objects removed; installed components (Istio, KServe, Envoy Gateway, ...) kept"
}

main "$@"

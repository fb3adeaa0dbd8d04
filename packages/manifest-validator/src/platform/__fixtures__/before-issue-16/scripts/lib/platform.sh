# shellcheck shell=bash
# Shared helpers of the platform scripts (bootstrap, cleanup, demos). Plain bash: --help and
# --dry-run paths must work on a machine without kind, kubectl, helm or docker.

PLATFORM_SCRIPTS_DIR="$(cd "${BASH_SOURCE[0]%/*}/.." && pwd)"
PLATFORM_REPO_ROOT="$(cd "$PLATFORM_SCRIPTS_DIR/.." && pwd)"
PLATFORM_CONFIGS="$PLATFORM_REPO_ROOT/configs"
export PLATFORM_SCRIPTS_DIR PLATFORM_REPO_ROOT PLATFORM_CONFIGS

if [ -t 1 ]; then
  _c_blue=$'\033[1;34m' _c_green=$'\033[1;32m' _c_yellow=$'\033[1;33m' _c_red=$'\033[1;31m' _c_off=$'\033[0m'
else
  _c_blue='' _c_green='' _c_yellow='' _c_red='' _c_off=''
fi

info() { printf '%s==>%s %s\n' "$_c_blue" "$_c_off" "$*"; }
ok() { printf '%s ok%s %s\n' "$_c_green" "$_c_off" "$*"; }
warn() { printf '%s==>%s %s\n' "$_c_yellow" "$_c_off" "$*" >&2; }
fail() { printf '%s==> error:%s %s\n' "$_c_red" "$_c_off" "$*" >&2; exit 1; }

# require_tools kind kubectl ...: fails with every missing tool named at once.
require_tools() {
  local missing=() tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  [ "${#missing[@]}" -eq 0 ] || fail "missing required tools: ${missing[*]} (see docs/platform.md, Prerequisites)"
}

# kubectl_apply FILE|DIR...: server-side apply with one field manager, so re-runs converge.
kubectl_apply() {
  local path
  for path in "$@"; do
    kubectl apply --server-side --force-conflicts --field-manager=inference-in-a-box -f "$path" >/dev/null
  done
}

secret_exists() { kubectl get secret "$2" -n "$1" >/dev/null 2>&1; }

random_token() { openssl rand -hex "${1:-32}"; }

# helm_release_version NAMESPACE RELEASE: the chart version of a deployed release, or nothing.
helm_release_version() {
  helm list -n "$1" --filter "^$2\$" --deployed -o json 2>/dev/null |
    sed -n 's/.*"chart":"[^"]*-\(v\{0,1\}[0-9][^"]*\)".*/\1/p'
}

# helm_is_at NAMESPACE RELEASE VERSION: whether the release is deployed at that chart version
# (with or without a leading "v").
helm_is_at() {
  local deployed
  deployed="$(helm_release_version "$1" "$2")"
  [ -n "$deployed" ] && [ "${deployed#v}" = "${3#v}" ]
}

# wait_for_deployments NAMESPACE [TIMEOUT]: every Deployment of a namespace becomes Available.
wait_for_deployments() {
  kubectl wait --for=condition=Available deployment --all -n "$1" --timeout="${2:-300s}" >/dev/null
}

# Port-forward to the gateway's in-cluster Service (configs/envoy-gateway/envoyproxy.yaml) for the
# lifetime of the calling script; sets GATEWAY_URL.
GATEWAY_LOCAL_PORT="${GATEWAY_LOCAL_PORT:-18080}"
GATEWAY_HOST_HEADER="api.router.inference-in-a-box"
start_gateway_port_forward() {
  kubectl port-forward -n envoy-gateway-system svc/ai-inference-gateway "$GATEWAY_LOCAL_PORT:80" >/dev/null 2>&1 &
  GATEWAY_PORT_FORWARD_PID=$!
  trap 'kill "$GATEWAY_PORT_FORWARD_PID" 2>/dev/null || true' EXIT
  GATEWAY_URL="http://127.0.0.1:$GATEWAY_LOCAL_PORT"
  local _
  for _ in $(seq 1 30); do
    curl -s -o /dev/null "$GATEWAY_URL" && return 0
    sleep 1
  done
  fail "could not port-forward to svc/ai-inference-gateway in envoy-gateway-system"
}

# gateway_status METHOD PATH [curl args...]: prints the HTTP status of a request to the gateway.
gateway_status() {
  local method="$1" path="$2"
  shift 2
  curl -s -o /dev/null -w '%{http_code}' -X "$method" -H "Host: $GATEWAY_HOST_HEADER" "$@" "$GATEWAY_URL$path"
}

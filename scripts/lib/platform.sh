# shellcheck shell=bash
# Shared helpers of the platform scripts (bootstrap, cleanup, demos). Plain bash: --help and
# --dry-run paths must work on a machine without kind, kubectl, helm or docker.

PLATFORM_SCRIPTS_DIR="$(cd "${BASH_SOURCE[0]%/*}/.." && pwd)"
PLATFORM_REPO_ROOT="$(cd "$PLATFORM_SCRIPTS_DIR/.." && pwd)"
PLATFORM_CONFIGS="$PLATFORM_REPO_ROOT/configs"
export PLATFORM_SCRIPTS_DIR PLATFORM_REPO_ROOT PLATFORM_CONFIGS
DRY_RUN=false # true after enable_dry_run (below)

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
  if $DRY_RUN; then
    printf '    require %s\n' "$*" >&3
    return 0
  fi
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

random_token() {
  if $DRY_RUN; then echo '<random>'; else openssl rand -hex "${1:-32}"; fi
}

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

# wait_for_deployment NAMESPACE NAME [TIMEOUT]: the Deployment has rolled out, its pods are ready.
wait_for_deployment() {
  kubectl rollout status "deployment/$2" -n "$1" --timeout="${3:-300s}" >/dev/null
}

# wait_for_service_endpoints NAMESPACE SERVICE [TIMEOUT]: a ready endpoint backs the Service. A
# webhook's pod can be ready a moment before the API server reaches it through its Service.
wait_for_service_endpoints() {
  kubectl wait --for=jsonpath='{.endpoints[0].conditions.ready}'=true endpointslice \
    -l "kubernetes.io/service-name=$2" -n "$1" --timeout="${3:-120s}" >/dev/null
}

# wait_for_webhook NAMESPACE DEPLOYMENT SERVICE: an admission webhook served by DEPLOYMENT through
# SERVICE answers, so objects it validates or mutates can be created.
wait_for_webhook() {
  wait_for_deployment "$1" "$2"
  wait_for_service_endpoints "$1" "$3"
}

# retry ATTEMPTS COMMAND...: runs COMMAND until it succeeds, at most ATTEMPTS times, 5 s apart
# (RETRY_DELAY_SECONDS).
retry() {
  local attempts="$1" attempt=1
  shift
  until "$@"; do
    [ "$attempt" -lt "$attempts" ] || return 1
    attempt=$((attempt + 1))
    sleep "${RETRY_DELAY_SECONDS:-5}"
  done
}

# --- end-state checks (done_* of scripts/bootstrap.sh and its --verify table) ---------------------

# manifests_applied FILE|DIR...: the cluster holds these objects as the files now describe them
# (a server-side apply with the bootstrap's field manager would change nothing).
manifests_applied() {
  local path
  for path in "$@"; do
    kubectl diff --server-side --force-conflicts --field-manager=inference-in-a-box -f "$path" >/dev/null 2>&1 ||
      return 1
  done
}

# deployment_available NAMESPACE NAME / deployments_available NAMESPACE: Available right now.
deployment_available() {
  kubectl wait --for=condition=Available "deployment/$2" -n "$1" --timeout=5s >/dev/null 2>&1
}
deployments_available() {
  kubectl wait --for=condition=Available deployment --all -n "$1" --timeout=5s >/dev/null 2>&1
}

# deployment_label NAMESPACE NAME LABEL VALUE: the Deployment carries LABEL=VALUE.
deployment_label() {
  local actual
  actual="$(kubectl get deployment "$2" -n "$1" -o "jsonpath={.metadata.labels.${3//./\\.}}" 2>/dev/null)" &&
    [ "$actual" = "$4" ]
}

# deployment_service_account NAMESPACE NAME ACCOUNT: the Deployment's pods run as ACCOUNT.
deployment_service_account() {
  local actual
  actual="$(kubectl get deployment "$2" -n "$1" -o jsonpath='{.spec.template.spec.serviceAccountName}' 2>/dev/null)" &&
    [ "$actual" = "$3" ]
}

# --- dry run --------------------------------------------------------------------------------------
# After enable_dry_run, kind, kubectl, helm, docker and openssl are shell functions that print every
# command that would change something (paths relative to the repository, on the terminal even when
# the caller discards the output) and answer every query (get, diff, list, info) with "not there":
# the commands of a first run on a fresh machine, in order, without any tool or cluster.
# shellcheck disable=SC2317 # the functions are called under the tools' names
enable_dry_run() {
  DRY_RUN=true
  exec 3>&1
  kind() { plan_command kind "$@"; }
  kubectl() { plan_command kubectl "$@"; }
  helm() { plan_command helm "$@"; }
  docker() { plan_command docker "$@"; }
  openssl() { plan_command openssl "$@"; }
}

# is_query TOOL SUBCOMMAND: a command that only reads.
is_query() {
  case "$1 ${2:-}" in
    "kubectl get" | "kubectl diff" | "kubectl version" | "kubectl config" | "kubectl auth") return 0 ;;
    "helm list" | "helm status" | "helm get" | "helm show" | "kind get" | "docker info") return 0 ;;
    *) return 1 ;;
  esac
}

plan_command() {
  # The portal's image is assumed built (docs/platform.md), so the plan shows its Deployment.
  [ "$1 ${2:-} ${3:-}" != "docker image inspect" ] || return 0
  ! is_query "$@" || return 1
  local line="   " arg previous="" reads_stdin=false
  for arg in "$@"; do
    [ "$previous $arg" != "-f -" ] || reads_stdin=true
    line+=" ${arg//"$PLATFORM_REPO_ROOT/"/}"
    previous="$arg"
  done
  # The second command of a pipeline prints once the first has finished: a stable order.
  if $reads_stdin; then
    while IFS= read -r _; do :; done
  fi
  printf '%s\n' "$line" >&3
}

# temp_dir / remove_temp_dir DIR: a private scratch folder for generated keys (none in a dry run).
temp_dir() {
  if $DRY_RUN; then echo '<tmp>'; else mktemp -d; fi
}
remove_temp_dir() {
  $DRY_RUN || rm -rf "$1"
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

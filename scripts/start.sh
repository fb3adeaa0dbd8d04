#!/usr/bin/env bash
# Starts the portal on its embedded defaults: SQLite in memory, the catalog in catalog/, and the local
# Kubernetes sandbox (a test double of a cluster, packages/kube-sandbox) seeded with the tenant
# namespaces, the platform Gateway and sample models from configs/, and the gateway data-path test
# double (packages/gateway-sandbox), which enforces the published API keys and rate limits, and a
# Prometheus (Debian's package) scraping the double's metrics for the portal's usage figures.
# Frontend http://localhost:3000, backend :7007, sandbox API :7443, mock model server :7444,
# gateway double :7480 (its metrics :7481), Prometheus :9090. Ctrl-C stops everything.
set -euo pipefail
# shellcheck source=lib/env.sh
source "$(dirname "$0")/lib/env.sh"

ensure_node
ensure_dependencies
ensure_prometheus
# Start-up time is counted from here, after any install.
started_at_ms=$(node -p 'Date.now()')

SANDBOX_PORT="${SANDBOX_PORT:-7443}"
MODEL_SERVER_PORT="${MODEL_SERVER_PORT:-7444}"
GATEWAY_PORT="${GATEWAY_PORT:-7480}"
GATEWAY_METRICS_PORT="${GATEWAY_METRICS_PORT:-7481}"
# Fixed: app-config.yaml's inference.usage.prometheusUrl names it.
PROMETHEUS_PORT=9090
seed_args=()
for dir in configs/envoy-gateway/namespace.yaml configs/envoy-gateway/gateway.yaml configs/tenants configs/models; do
  [ -e "$REPO_ROOT/$dir" ] && seed_args+=(--seed "$REPO_ROOT/$dir")
done

cleanup() {
  trap - EXIT INT TERM
  if [ -n "${ready_pid:-}" ]; then kill "$ready_pid" 2>/dev/null || true; fi
  if [ -n "${gateway_pid:-}" ]; then kill "$gateway_pid" 2>/dev/null || true; fi
  if [ -n "${sandbox_pid:-}" ]; then kill "$sandbox_pid" 2>/dev/null || true; fi
  if [ -n "${prometheus_pid:-}" ]; then kill "$prometheus_pid" 2>/dev/null || true; fi
  if [ -n "${portal_pid:-}" ]; then kill -- "-$portal_pid" 2>/dev/null || true; fi
  wait 2>/dev/null || true
  if [ -n "${prometheus_dir:-}" ]; then rm -rf "$prometheus_dir"; fi
}
trap cleanup EXIT INT TERM

log "Starting the Kubernetes sandbox (test double) on 127.0.0.1:$SANDBOX_PORT, mock model server on :$MODEL_SERVER_PORT"
(cd "$REPO_ROOT/packages/kube-sandbox" &&
  exec node bin/kube-sandbox --port "$SANDBOX_PORT" --model-port "$MODEL_SERVER_PORT" "${seed_args[@]}") &
sandbox_pid=$!

for _ in $(seq 1 60); do
  if node -e "fetch('http://127.0.0.1:$SANDBOX_PORT/version').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"; then
    break
  fi
  kill -0 "$sandbox_pid" 2>/dev/null || die "the sandbox exited during start-up"
  sleep 0.5
done

log "Starting the gateway double on 127.0.0.1:$GATEWAY_PORT (API keys, rate limits; backends: the mock model server)"
(cd "$REPO_ROOT/packages/gateway-sandbox" &&
  exec node bin/gateway-sandbox --port "$GATEWAY_PORT" --kube-api "http://127.0.0.1:$SANDBOX_PORT" \
    --backend "http://127.0.0.1:$MODEL_SERVER_PORT" --metrics-port "$GATEWAY_METRICS_PORT" \
    --metrics-header-attributes "$(sed -n "s/^ *metricsRequestHeaderAttributes: *'\(.*\)'$/\1/p" \
      "$REPO_ROOT/configs/ai-gateway/ai-gateway.values.yaml")") &
gateway_pid=$!

# The development scrape config (the production jobs, pointed at the double's metrics port), with
# its storage in a temporary directory removed on exit.
if (exec 3<>"/dev/tcp/127.0.0.1/$PROMETHEUS_PORT") 2>/dev/null; then
  die "port $PROMETHEUS_PORT is taken (Debian's prometheus service? 'systemctl stop prometheus'); the portal's usage figures need their own Prometheus there"
fi
prometheus_dir=$(mktemp -d /tmp/inference-prometheus.XXXXXX)
sed "s/127\.0\.0\.1:7481/127.0.0.1:$GATEWAY_METRICS_PORT/g" \
  "$REPO_ROOT/configs/observability/prometheus.dev.yaml" >"$prometheus_dir/prometheus.yaml"
log "Starting Prometheus on 127.0.0.1:$PROMETHEUS_PORT (configs/observability/prometheus.dev.yaml: the gateway double's metrics every 2 s)"
"$PROMETHEUS_BIN" --config.file="$prometheus_dir/prometheus.yaml" --storage.tsdb.path="$prometheus_dir/data" \
  --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" --log.level=warn &
prometheus_pid=$!
for _ in $(seq 1 40); do
  if node -e "fetch('http://127.0.0.1:$PROMETHEUS_PORT/-/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"; then
    break
  fi
  kill -0 "$prometheus_pid" 2>/dev/null || die "Prometheus exited during start-up"
  sleep 0.5
done

log "Starting the portal: frontend http://localhost:3000, backend http://localhost:7007"
# A process group of its own, so stopping the portal stops the frontend and backend dev servers too.
set -m
(cd "$REPO_ROOT" && exec node "$REPO_ROOT/node_modules/@backstage/cli/bin/backstage-cli" repo start) &
portal_pid=$!
set +m
# Says when the portal is usable and how long it took.
node "$REPO_ROOT/scripts/lib/wait-for-portal.mjs" "$started_at_ms" 300 &
ready_pid=$!
wait "$portal_pid"

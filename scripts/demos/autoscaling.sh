#!/usr/bin/env bash
# Autoscaling demo: sklearn-iris runs in Knative mode with minReplicas 0 (scale to zero).
set -euo pipefail
case "${BASH_SOURCE[0]}" in */*) DEMO_DIR="${BASH_SOURCE[0]%/*}" ;; *) DEMO_DIR=. ;; esac
# shellcheck source=lib.sh
source "$DEMO_DIR/lib.sh"

DEMO_HELP="Usage: scripts/demos/autoscaling.sh [--load-seconds N] [--help]

1. waits (up to 5 minutes) until sklearn-iris has scaled to zero pods;
2. sends one request: a cold start through the Knative activator;
3. sends concurrent load for N seconds (default 60) and prints the pod count as it scales out
   (scale metric concurrency, target 5, at most 3 replicas).
Needs a cluster from scripts/bootstrap.sh."
demo_usage_if_asked "$@"

load_seconds=60
if [ "${1:-}" = "--load-seconds" ]; then load_seconds="${2:?--load-seconds needs a number}"; fi

prepare_demo_publications
# The load would hit the demo's 5 requests/minute limit: give this demo its own generous key
# bucket by using a dedicated client id per request batch is not possible, so lift the limit.
kubectl patch backendtrafficpolicy sklearn-iris -n tenant-a --type json \
  -p '[{"op":"replace","path":"/spec/rateLimit/global/rules/0/limit/requests","value":100000}]' >/dev/null
trap 'kill "$GATEWAY_PORT_FORWARD_PID" 2>/dev/null || true; kubectl_apply "$PLATFORM_CONFIGS/ai-gateway/demo/sklearn-iris.yaml"' EXIT
key="$(api_key tenant-a sklearn-iris-api-keys tenant-a-demo)"
pods() { kubectl get pods -n tenant-a -l serving.kserve.io/inferenceservice=sklearn-iris --no-headers 2>/dev/null | grep -c Running || true; }

info "waiting for scale to zero (grace period 30s after the last request)"
for _ in $(seq 1 60); do
  [ "$(pods)" -eq 0 ] && break
  sleep 5
done
info "running pods: $(pods)"

start=$SECONDS
expect "cold start request" 200 "$(gateway_status POST "$SKLEARN_PATH" -H "x-api-key: $key" -d "$IRIS_BODY" --max-time 180)"
info "cold start took $((SECONDS - start))s; running pods: $(pods)"

info "load: 20 concurrent clients for ${load_seconds}s"
end=$((SECONDS + load_seconds))
for _ in $(seq 1 20); do
  (while [ "$SECONDS" -lt "$end" ]; do
    gateway_status POST "$SKLEARN_PATH" -H "x-api-key: $key" -d "$IRIS_BODY" --max-time 30 >/dev/null || true
  done) &
done
while [ "$SECONDS" -lt "$end" ]; do
  info "t=$((load_seconds - (end - SECONDS)))s running pods: $(pods)"
  sleep 10
done
wait
ok "after load: $(pods) pods; they scale back to zero about 30s after the last request"

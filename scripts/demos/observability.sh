#!/usr/bin/env bash
# Observability demo: traffic through the gateway, then the metrics in Prometheus and Grafana.
set -euo pipefail
case "${BASH_SOURCE[0]}" in */*) DEMO_DIR="${BASH_SOURCE[0]%/*}" ;; *) DEMO_DIR=. ;; esac
# shellcheck source=lib.sh
source "$DEMO_DIR/lib.sh"

DEMO_HELP="Usage: scripts/demos/observability.sh [--help]

Sends a few predictions (sklearn-iris) and chat completions (qwen-chat) through the gateway, queries
Prometheus for requests per route and tokens per model, and port-forwards Grafana to
http://127.0.0.1:13000 (dashboard 'Inference-in-a-Box'; the admin password is in Secret
monitoring/grafana-admin). Stops with Ctrl-C. Needs a cluster from scripts/bootstrap.sh."
demo_usage_if_asked "$@"

prepare_demo_publications
wait_for_model tenant-a sklearn-iris
key_iris="$(api_key tenant-a sklearn-iris-api-keys tenant-a-demo)"
key_chat="$(api_key tenant-a qwen-chat-api-keys tenant-a-demo)"
for _ in 1 2 3; do
  gateway_status POST "$SKLEARN_PATH" -H "x-api-key: $key_iris" -d "$IRIS_BODY" --max-time 180 >/dev/null
  gateway_status POST /v1/chat/completions -H "Authorization: $key_chat" -H 'content-type: application/json' \
    -d '{"model":"qwen-chat","max_tokens":30,"messages":[{"role":"user","content":"Say hello."}]}' --max-time 120 >/dev/null
done
ok "sent 3 predictions and 3 chat completions"

kubectl port-forward -n monitoring svc/kube-prometheus-stack-prometheus 19090:9090 >/dev/null 2>&1 &
prometheus_pid=$!
kubectl port-forward -n monitoring svc/kube-prometheus-stack-grafana 13000:80 >/dev/null 2>&1 &
grafana_pid=$!
trap 'kill "$GATEWAY_PORT_FORWARD_PID" "$prometheus_pid" "$grafana_pid" 2>/dev/null || true' EXIT
sleep 3
query() {
  curl -s --get "http://127.0.0.1:19090/api/v1/query" --data-urlencode "query=$1"
  echo
}
info "requests per route (Envoy):"
query 'sum by (envoy_cluster_name) (envoy_cluster_upstream_rq_total{envoy_cluster_name=~"httproute/.*"})'
info "tokens per model (AI Gateway):"
query 'sum by (gen_ai_request_model, gen_ai_token_type) (gen_ai_client_token_usage_sum)'
info "Grafana: http://127.0.0.1:13000 (user admin, password: kubectl get secret grafana-admin -n monitoring -o jsonpath='{.data.admin-password}' | base64 -d)"
info "press Ctrl-C to stop the port-forwards"
wait "$grafana_pid"

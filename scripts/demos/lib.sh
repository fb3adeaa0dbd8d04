# shellcheck shell=bash
# Shared setup of the demos: the demo publications of configs/ai-gateway/demo and their API keys.
# Keys are random, generated here at demo time and kept only in the Secrets.

# shellcheck source=../lib/platform.sh
source "${BASH_SOURCE[0]%/*}/../lib/platform.sh"

# shellcheck disable=SC2034  # used by the demo scripts that source this file
SKLEARN_PATH="/models/tenant-a/sklearn-iris/v1/models/sklearn-iris:predict"
# shellcheck disable=SC2034
IRIS_BODY='{"instances": [[6.8, 2.8, 4.8, 1.4], [6.0, 3.4, 4.5, 1.6]]}'

# demo_usage NAME SUMMARY: the common --help text; exits when --help was asked for.
demo_usage_if_asked() {
  local arg
  for arg in "$@"; do
    if [ "$arg" = "--help" ] || [ "$arg" = "-h" ]; then
      printf '%s\n' "$DEMO_HELP"
      exit 0
    fi
  done
}

# ensure_api_key NAMESPACE SECRET CLIENT_ID: adds a random key for CLIENT_ID unless one exists.
ensure_api_key() {
  local namespace="$1" secret="$2" client="$3"
  if ! kubectl get secret "$secret" -n "$namespace" -o "jsonpath={.data.$client}" 2>/dev/null | grep -q .; then
    if secret_exists "$namespace" "$secret"; then
      kubectl patch secret "$secret" -n "$namespace" --type merge \
        -p "{\"stringData\":{\"$client\":\"sk-demo-$(random_token 32)\"}}" >/dev/null
    else
      kubectl create secret generic "$secret" -n "$namespace" \
        --from-literal="$client=sk-demo-$(random_token 32)" >/dev/null
      kubectl label secret "$secret" -n "$namespace" app.kubernetes.io/managed-by=platform-demo >/dev/null
    fi
  fi
}

# api_key NAMESPACE SECRET CLIENT_ID: prints the key (only into the demo's own variables).
api_key() {
  kubectl get secret "$2" -n "$1" -o "jsonpath={.data.$3}" | base64 -d
}

prepare_demo_publications() {
  require_tools kubectl curl openssl
  ensure_api_key tenant-a sklearn-iris-api-keys tenant-a-demo
  ensure_api_key tenant-a qwen-chat-api-keys tenant-a-demo
  ensure_api_key tenant-b huggingface-t5-api-keys tenant-b-demo
  kubectl_apply "$PLATFORM_CONFIGS/ai-gateway/demo"
  start_gateway_port_forward
}

# expect LABEL EXPECTED ACTUAL: prints one checked line of the demo.
expect() {
  if [ "$2" = "$3" ]; then ok "$1: HTTP $3 (expected $2)"; else warn "$1: HTTP $3 (expected $2)"; fi
}

# wait_for_model NAMESPACE NAME: the InferenceService is Ready.
wait_for_model() {
  info "waiting for InferenceService $1/$2 to be Ready"
  kubectl wait --for=condition=Ready "inferenceservice/$2" -n "$1" --timeout=600s >/dev/null
}

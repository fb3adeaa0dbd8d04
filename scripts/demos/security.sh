#!/usr/bin/env bash
# Security demo: authentication at the gateway (tier 1) with per-publication API keys.
set -euo pipefail
case "${BASH_SOURCE[0]}" in */*) DEMO_DIR="${BASH_SOURCE[0]%/*}" ;; *) DEMO_DIR=. ;; esac
# shellcheck source=lib.sh
source "$DEMO_DIR/lib.sh"

DEMO_HELP="Usage: scripts/demos/security.sh [--help]

Calls tenant-a's sklearn-iris through the gateway four times and shows the verdicts:
  no key -> 401, wrong key -> 401, tenant-a's key -> 200, tenant-b's key -> 401
then the OpenAI-compatible qwen-chat route without a key -> 401.
Keys are generated at demo time and stored only in Secrets. Needs a cluster from scripts/bootstrap.sh."
demo_usage_if_asked "$@"

prepare_demo_publications
wait_for_model tenant-a sklearn-iris
key_a="$(api_key tenant-a sklearn-iris-api-keys tenant-a-demo)"
key_b="$(api_key tenant-b huggingface-t5-api-keys tenant-b-demo)"

info "POST $SKLEARN_PATH"
expect "no key" 401 "$(gateway_status POST "$SKLEARN_PATH" -d "$IRIS_BODY")"
expect "wrong key" 401 "$(gateway_status POST "$SKLEARN_PATH" -H "x-api-key: sk-demo-not-a-real-key" -d "$IRIS_BODY")"
expect "tenant-a's key" 200 "$(gateway_status POST "$SKLEARN_PATH" -H "x-api-key: $key_a" -d "$IRIS_BODY" --max-time 180)"
expect "tenant-b's key on tenant-a's model" 401 "$(gateway_status POST "$SKLEARN_PATH" -H "x-api-key: $key_b" -d "$IRIS_BODY")"

info "POST /v1/chat/completions (model qwen-chat)"
expect "OpenAI route without a key" 401 "$(gateway_status POST /v1/chat/completions \
  -H 'content-type: application/json' -d '{"model":"qwen-chat","messages":[{"role":"user","content":"hi"}]}')"

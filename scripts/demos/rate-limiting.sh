#!/usr/bin/env bash
# Rate-limit demo: global (Redis-backed) limits per API key, enforced by Envoy Gateway.
set -euo pipefail
case "${BASH_SOURCE[0]}" in */*) DEMO_DIR="${BASH_SOURCE[0]%/*}" ;; *) DEMO_DIR=. ;; esac
# shellcheck source=lib.sh
source "$DEMO_DIR/lib.sh"

DEMO_HELP="Usage: scripts/demos/rate-limiting.sh [--requests N] [--help]

The demo publication of sklearn-iris allows 5 requests per minute per API key. Sends N requests
(default 8) with tenant-a's key and prints each status: 200 until the limit, then 429. A second key
of the same tenant still gets 200: each key has its own bucket. Needs a cluster from scripts/bootstrap.sh."
demo_usage_if_asked "$@"

requests=8
if [ "${1:-}" = "--requests" ]; then requests="${2:?--requests needs a number}"; fi

prepare_demo_publications
ensure_api_key tenant-a sklearn-iris-api-keys tenant-a-second
wait_for_model tenant-a sklearn-iris
key="$(api_key tenant-a sklearn-iris-api-keys tenant-a-demo)"
second="$(api_key tenant-a sklearn-iris-api-keys tenant-a-second)"

limited=0
for i in $(seq 1 "$requests"); do
  status="$(gateway_status POST "$SKLEARN_PATH" -H "x-api-key: $key" -d "$IRIS_BODY" --max-time 180)"
  info "request $i with key tenant-a-demo: HTTP $status"
  [ "$status" != 429 ] || limited=$((limited + 1))
done
if [ "$limited" -gt 0 ]; then ok "$limited request(s) refused with 429 after the limit"; else warn "no 429 seen"; fi
expect "another key of the same tenant (own bucket)" 200 \
  "$(gateway_status POST "$SKLEARN_PATH" -H "x-api-key: $second" -d "$IRIS_BODY" --max-time 60)"

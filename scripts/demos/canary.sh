#!/usr/bin/env bash
# Canary demo: a new model version of sklearn-iris takes a share of the traffic (KServe
# canaryTrafficPercent, Knative mode), then is promoted or rolled back.
set -euo pipefail
case "${BASH_SOURCE[0]}" in */*) DEMO_DIR="${BASH_SOURCE[0]%/*}" ;; *) DEMO_DIR=. ;; esac
# shellcheck source=lib.sh
source "$DEMO_DIR/lib.sh"

DEMO_HELP="Usage: scripts/demos/canary.sh [--percent N | --promote | --rollback] [--help]

  (default)    roll out model-2 of sklearn-iris as a canary with N% of the traffic (default 20)
  --promote    send all traffic to the new version
  --rollback   restore configs/models/sklearn-iris.yaml (all traffic to the original model)
Shows the traffic split from the InferenceService status. Needs a cluster from scripts/bootstrap.sh."
demo_usage_if_asked "$@"

require_tools kubectl
mode=canary percent=20
case "${1:-}" in
  --percent) percent="${2:?--percent needs a number}" ;;
  --promote) mode=promote ;;
  --rollback) mode=rollback ;;
  '') ;;
  *) printf '%s\n' "$DEMO_HELP" >&2; exit 2 ;;
esac

show_traffic() {
  kubectl get inferenceservice sklearn-iris -n tenant-a \
    -o jsonpath='{range .status.components.predictor.traffic[*]}{.revisionName}{" "}{.percent}{"% latest="}{.latestRevision}{"\n"}{end}'
}

case "$mode" in
  canary)
    info "rolling out gs://kfserving-examples/models/sklearn/1.0/model-2 with $percent% of the traffic"
    kubectl patch inferenceservice sklearn-iris -n tenant-a --type merge -p "{\"spec\":{\"predictor\":{
      \"canaryTrafficPercent\":$percent,
      \"model\":{\"storageUri\":\"gs://kfserving-examples/models/sklearn/1.0/model-2\"}}}}" >/dev/null
    ;;
  promote)
    info "promoting the canary to 100%"
    kubectl patch inferenceservice sklearn-iris -n tenant-a --type json \
      -p '[{"op":"remove","path":"/spec/predictor/canaryTrafficPercent"}]' >/dev/null
    ;;
  rollback)
    info "restoring configs/models/sklearn-iris.yaml"
    kubectl patch inferenceservice sklearn-iris -n tenant-a --type json \
      -p '[{"op":"remove","path":"/spec/predictor/canaryTrafficPercent"}]' >/dev/null 2>&1 || true
    kubectl_apply "$PLATFORM_CONFIGS/models/sklearn-iris.yaml"
    ;;
esac
wait_for_model tenant-a sklearn-iris
info "traffic split (revision, percent):"
show_traffic

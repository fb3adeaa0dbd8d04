#!/usr/bin/env bash
# The upstream files vendored for the offline checks, each folder listed with upstream URL, tag and
# sha256 in its sources.tsv:
#   packages/kube-sandbox/crds         the CRD schemas (the Kubernetes sandbox, the manifest validation)
#   packages/manifest-validator/charts the Helm charts' own values.yaml and Chart.yaml (and KServe's
#                                      runtime list), against which configs/*.values.yaml and the
#                                      charts scripts/bootstrap.sh installs are checked
#
#   scripts/fetch-crds.sh --check [DIR]     offline: every file matches its sha256, every file is
#                                           listed, every tag is the one scripts/lib/versions.sh pins
#   scripts/fetch-crds.sh --refresh [DIR]   downloads every listed file again at the pinned tag and
#                                           rewrites sources.tsv (needs network; all or nothing)
# Without DIR, both folders.
set -euo pipefail

# No external command before --help: it must answer on a machine without any tools.
case "${BASH_SOURCE[0]}" in */*) SCRIPT_DIR="${BASH_SOURCE[0]%/*}" ;; *) SCRIPT_DIR=. ;; esac
# shellcheck source=lib/versions.sh
source "$SCRIPT_DIR/lib/versions.sh"
DEFAULT_DIRS=("$SCRIPT_DIR/../packages/kube-sandbox/crds" "$SCRIPT_DIR/../packages/manifest-validator/charts")
MANIFEST_NAME="sources.tsv"
RAW_PREFIX="https://raw.githubusercontent.com/"

usage() {
  printf '%s\n' "Usage: scripts/fetch-crds.sh --check [DIR]
       scripts/fetch-crds.sh --refresh [DIR]

DIR holds gzip-compressed upstream files and $MANIFEST_NAME (default: both packages/kube-sandbox/crds,
the CRD schemas, and packages/manifest-validator/charts, the charts' values.yaml and Chart.yaml).
--check    verifies offline that each listed file, decompressed, has the listed sha256, that no
           file is unlisted, and that each tag is the one pinned in scripts/lib/versions.sh.
--refresh  downloads each listed file at the pinned tag, stores it compressed and records its
           sha256; on any failure nothing in DIR changes."
}

# The tag scripts/lib/versions.sh pins for a file of an upstream repository: REPO [PATH].
pinned_tag() {
  case "$1" in
    prometheus-community/helm-charts)
      case "${2:-}" in
        charts/kube-prometheus-stack/*) echo "kube-prometheus-stack-$KUBE_PROMETHEUS_STACK_VERSION" ;;
        charts/kube-state-metrics/*) echo "kube-state-metrics-$KPS_KUBE_STATE_METRICS_VERSION" ;;
        charts/prometheus-node-exporter/*) echo "prometheus-node-exporter-$KPS_NODE_EXPORTER_VERSION" ;;
        *) return 1 ;;
      esac ;;
    grafana/helm-charts) echo "grafana-$KPS_GRAFANA_VERSION" ;;
    cert-manager/cert-manager) echo "$CERT_MANAGER_VERSION" ;;
    kserve/kserve) echo "$KSERVE_VERSION" ;;
    envoyproxy/ai-gateway) echo "$ENVOY_AI_GATEWAY_VERSION" ;;
    envoyproxy/gateway) echo "$ENVOY_GATEWAY_VERSION" ;;
    kubernetes-sigs/gateway-api) echo "$GATEWAY_API_VERSION" ;;
    kubernetes-sigs/gateway-api-inference-extension) echo "$GATEWAY_API_INFERENCE_EXTENSION_VERSION" ;;
    istio/istio) echo "$ISTIO_VERSION" ;;
    knative/serving) echo "knative-v$KNATIVE_SERVING_VERSION" ;;
    *) return 1 ;;
  esac
}

# Splits an upstream URL into "owner/repo tag path".
split_url() {
  local rest="${1#"$RAW_PREFIX"}" owner repo tag
  [ "$rest" != "$1" ] || return 1
  IFS=/ read -r owner repo tag path <<<"$rest"
  [ -n "$path" ] || return 1
  echo "$owner/$repo $tag $path"
}

manifest_rows() { grep -v '^#' "$1" | grep -v '^[[:space:]]*$'; }

check() {
  local dir="$1" failures=0 count=0 file tag sha url repo url_tag path actual
  local manifest="$dir/$MANIFEST_NAME"
  [ -f "$manifest" ] || { echo "FAIL $manifest is missing" >&2; return 1; }
  while IFS=$'\t' read -r file tag sha url; do
    count=$((count + 1))
    if ! read -r repo url_tag path < <(split_url "$url"); then
      echo "FAIL $file: not a $RAW_PREFIX URL: $url" >&2; failures=$((failures + 1)); continue
    fi
    if [ "$tag" != "$url_tag" ] || [ "$tag" != "$(pinned_tag "$repo" "$path" || echo '?')" ]; then
      echo "FAIL $file: tag $tag (URL $url_tag), scripts/lib/versions.sh pins $(pinned_tag "$repo" "$path" || echo 'nothing') for $repo" >&2
      failures=$((failures + 1)); continue
    fi
    if [ ! -f "$dir/$file" ]; then
      echo "FAIL $file: missing" >&2; failures=$((failures + 1)); continue
    fi
    actual="$(gzip -dc "$dir/$file" | sha256sum | cut -d' ' -f1)"
    if [ "$actual" != "$sha" ]; then
      echo "FAIL $file: sha256 $actual, expected $sha ($repo@$tag:$path)" >&2; failures=$((failures + 1))
    fi
  done < <(manifest_rows "$manifest")
  while read -r file; do
    file="${file#"$dir/"}"
    if ! manifest_rows "$manifest" | cut -f1 | grep -qxF "$file"; then
      echo "FAIL $file: not listed in $MANIFEST_NAME" >&2; failures=$((failures + 1))
    fi
  done < <(find "$dir" -type f ! -name "$MANIFEST_NAME" | sort)
  if [ "$failures" -gt 0 ]; then
    echo "$failures problem(s) in $dir" >&2; return 1
  fi
  local what="CRD"
  [ "${dir##*/}" != charts ] || what="chart"
  echo "ok: $count $what files match $MANIFEST_NAME and scripts/lib/versions.sh"
}

refresh() {
  local dir="$1" file tag sha url repo path new_tag new_url staging
  command -v curl >/dev/null || { echo "error: curl is required" >&2; return 1; }
  staging="$(mktemp -d)"
  # shellcheck disable=SC2064 # expand now: the trap must remove this staging folder
  trap "rm -rf '$staging'" EXIT
  grep '^#' "$dir/$MANIFEST_NAME" >"$staging/$MANIFEST_NAME"
  while IFS=$'\t' read -r file tag sha url; do
    read -r repo tag path < <(split_url "$url") || { echo "FAIL $file: bad URL $url" >&2; return 1; }
    new_tag="$(pinned_tag "$repo" "$path")" || { echo "FAIL $file: no pinned version for $repo" >&2; return 1; }
    new_url="$RAW_PREFIX$repo/$new_tag/$path"
    mkdir -p "$staging/$(dirname "$file")"
    curl -fsSL --retry 3 -o "$staging/${file%.gz}" "$new_url" || { echo "FAIL $file: download of $new_url failed" >&2; return 1; }
    sha="$(sha256sum "$staging/${file%.gz}" | cut -d' ' -f1)"
    gzip -9n "$staging/${file%.gz}"
    printf '%s\t%s\t%s\t%s\n' "$file" "$new_tag" "$sha" "$new_url" >>"$staging/$MANIFEST_NAME"
    echo "ok   $file ($repo@$new_tag)"
  done < <(manifest_rows "$dir/$MANIFEST_NAME")
  cp -R "$staging/." "$dir/"
  check "$dir"
}

main() {
  local mode="${1:-}" dir status=0
  local dirs=("${DEFAULT_DIRS[@]}")
  [ $# -lt 2 ] || dirs=("$2")
  case "$mode" in
    --help | -h) usage ;;
    --check) for dir in "${dirs[@]}"; do check "${dir%/}" || status=1; done ;;
    --refresh) for dir in "${dirs[@]}"; do (refresh "${dir%/}") || status=1; done ;;
    *) usage >&2; return 2 ;;
  esac
  return "$status"
}

main "$@"

#!/usr/bin/env bash
# Validates every manifest in configs/ offline: custom resources against the CRD schemas
# ($INFERENCE_CRDS_DIR, default packages/kube-sandbox/crds), built-in kinds against the Kubernetes schemas,
# and references between objects. Prints each file and object and a summary; exits 1 on any error.
set -euo pipefail

case "${BASH_SOURCE[0]}" in */*) SCRIPT_DIR="${BASH_SOURCE[0]%/*}" ;; *) SCRIPT_DIR=. ;; esac

if [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ]; then
  printf '%s\n' "Usage: scripts/validate-manifests.sh [--crds DIR] [DIR]

Validates the manifests under DIR (default: configs/) against the CRD schemas (--crds DIR or
\$INFERENCE_CRDS_DIR, default packages/kube-sandbox/crds) and the Kubernetes schemas. Exit code 1 on any error."
  exit 0
fi

# shellcheck source=lib/env.sh
source "$SCRIPT_DIR/lib/env.sh"
ensure_node >/dev/null
exec node "$REPO_ROOT/packages/manifest-validator/bin/manifest-validator" "$@"

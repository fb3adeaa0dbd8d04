#!/usr/bin/env bash
# Benchmark of the Inference page's models table with 5,000 model entities (see models-table.mjs).
# Needs the ports of the start command (3000 unused here, 7007, 7443, 7444) to be free.
set -euo pipefail
# shellcheck source=../lib/env.sh
source "$(dirname "$0")/../lib/env.sh"
ensure_node
ensure_dependencies
exec node "$REPO_ROOT/scripts/bench/models-table.mjs" "$@"

#!/usr/bin/env bash
# Benchmark of the Inference page's models table with 5,000 model entities (see models-table.mjs).
# Needs the ports of the start command (3000 unused here, 7007, 7443, 7444) to be free.
set -euo pipefail
if [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ]; then
  printf '%s\n' \
    'Usage: scripts/bench/models-table.sh' \
    '' \
    "Benchmarks the Inference page's models table with 5,000 model entities in the catalog: builds the" \
    'app, starts the sandbox and the backend (ports 7007, 7443, 7444), and prints time to first row and' \
    'time to apply a filter in headless Chromium, next to the Backstage catalog table as the baseline.' \
    'Environment: BENCH_MODELS (default 5000), BENCH_RUNS (default 5), CHROMIUM_PATH.'
  exit 0
fi
# shellcheck source=../lib/env.sh
source "$(dirname "$0")/../lib/env.sh"
ensure_node
ensure_dependencies
exec node "$REPO_ROOT/scripts/bench/models-table.mjs" "$@"

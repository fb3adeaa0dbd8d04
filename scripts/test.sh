#!/usr/bin/env bash
# Runs the whole test suite from a fresh clone: installs what is missing (Node 24 from the npm
# registry, dependencies, Debian's chromium, shellcheck, postgresql and prometheus), then type
# check, lint, unit and integration tests (Jest, against the Kubernetes sandbox and a Prometheus),
# and the browser tests against a running portal (scripts/start.sh, its Prometheus included), then
# the install test (the published packages in a fresh Backstage app, scripts/install-test.sh).
# Ends with one line `N passed, N failed, N skipped` that counts every test and check run.
set -uo pipefail
# shellcheck source=lib/env.sh
source "$(dirname "$0")/lib/env.sh"

OUT="$REPO_ROOT/.test-output"
rm -rf "$OUT" && mkdir -p "$OUT"
passed=0 failed=0 skipped=0

count() { passed=$((passed + $1)); failed=$((failed + $2)); skipped=$((skipped + ${3:-0})); }
check() { # check <name> <command...>: one pass or fail for a whole command
  local name="$1"; shift
  log "$name"
  if "$@"; then count 1 0; log "$name: ok"; else count 0 1; warn "$name: FAILED"; fi
}

latest_pg_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do [ -x "$dir/postgres" ] && echo "$dir"; done | sort -V | tail -n1
}

ensure_debian_packages() {
  local missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v shellcheck >/dev/null || missing+=(shellcheck)
  [ -n "$(latest_pg_bin)" ] || missing+=(postgresql)
  [ -x "$PROMETHEUS_BIN" ] || missing+=(prometheus)
  apt_install "${missing[@]}"
}

# A throw-away PostgreSQL (Debian's package) on 127.0.0.1:$PG_PORT for the database tests; the
# plugin tests read its connection string from the variable Backstage's TestDatabases use.
PG_PORT="${PG_PORT:-54329}"
start_postgres() {
  PG_BIN=$(latest_pg_bin)
  [ -n "$PG_BIN" ] || die "PostgreSQL is not installed"
  PG_DATA=$(mktemp -d /tmp/inference-pg.XXXXXX)
  PG_AS=() # initdb refuses to run as root
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$PG_DATA"; PG_AS=(runuser -u postgres --); fi
  log "Starting PostgreSQL ($("$PG_BIN/postgres" --version | awk '{print $3}')) on 127.0.0.1:$PG_PORT"
  "${PG_AS[@]}" "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -A trust >/dev/null || die "initdb failed"
  "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DATA" -o "-p $PG_PORT -k /tmp -c listen_addresses=127.0.0.1" \
    -l "$PG_DATA/server.log" -w start >/dev/null || { cat "$PG_DATA/server.log" >&2; die "PostgreSQL did not start"; }
  trap stop_postgres EXIT
  export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="postgresql://postgres@127.0.0.1:$PG_PORT"
  export INFERENCE_REQUIRE_POSTGRES=1
  # Likewise the usage tests start Debian's Prometheus (installed above) and fail without it.
  export INFERENCE_REQUIRE_PROMETHEUS=1
}
stop_postgres() {
  "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast stop >/dev/null 2>&1
  rm -rf "$PG_DATA"
}

run_jest() {
  log "Unit and integration tests (Jest, all workspaces)"
  CI=true yarn backstage-cli repo test --json --outputFile="$OUT/jest.json" 2>&1 | tee "$OUT/jest.log" | grep -E '^(PASS|FAIL)|●' || true
  if [ ! -s "$OUT/jest.json" ]; then
    warn "Jest wrote no results (see .test-output/jest.log)"; count 0 1; return
  fi
  read -r p f s < <(node -e 'const r=require(process.argv[1]);
    const broken=r.testResults.filter(t=>t.status==="failed"&&t.assertionResults.length===0).length;
    console.log(r.numPassedTests, r.numFailedTests+broken, r.numPendingTests+r.numTodoTests)' "$OUT/jest.json")
  log "Jest: $p passed, $f failed, $s skipped"
  count "$p" "$f" "$s"
}

wait_for() { # wait_for <url> <seconds>
  local deadline=$((SECONDS + $2))
  until node -e "fetch('$1').then(r=>process.exit(r.status<500?0:1),()=>process.exit(1))" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 2
  done
}

run_browser_tests() {
  log "Browser tests: starting the portal with the sandbox (log: .test-output/portal.log)"
  set -m
  BROWSER=none bash "$REPO_ROOT/scripts/start.sh" >"$OUT/portal.log" 2>&1 &
  local portal=$!
  set +m
  if wait_for http://localhost:7007/api/catalog/health 240 && wait_for http://localhost:3000 120; then
    log "Portal is up; running e2e/*.test.ts in headless Chromium (screenshots: .test-output/screenshots)"
    node --test --test-concurrency=1 \
      --test-reporter=spec --test-reporter-destination=stdout \
      --test-reporter=tap --test-reporter-destination="$OUT/e2e.tap" \
      "$REPO_ROOT"/e2e/*.test.ts
    read -r p f s < <(awk '/^# pass /{p=$3} /^# fail /{f=$3} /^# skipped /{s=$3} END{print p+0, f+0, s+0}' "$OUT/e2e.tap")
    [ "$p$f" = "00" ] && f=1 # the runner crashed before reporting
    log "Browser tests: $p passed, $f failed, $s skipped"
    count "$p" "$f" "$s"
  else
    warn "the portal did not come up; last lines of its log:"; tail -n 40 "$OUT/portal.log" >&2
    count 0 1
  fi
  kill -- "-$portal" 2>/dev/null; wait "$portal" 2>/dev/null
}

ensure_node
ensure_dependencies
ensure_debian_packages
start_postgres

check "Vendored CRD files match their pinned tags and sha256 (fetch-crds.sh --check)" bash "$REPO_ROOT/scripts/fetch-crds.sh" --check
check "Formatting (prettier --check)" yarn prettier --check --loglevel warn .
check "Type check (tsc)" yarn tsc
# The public API of every published package against its checked-in report (from tsc's dist-types
# above): a change to it must come with its report (`yarn build:api-reports`), so it is seen in review.
check "API reports of the published packages" yarn api-reports:check
check "Type check of the browser tests" node "$REPO_ROOT/node_modules/typescript/bin/tsc" -p "$REPO_ROOT/e2e"
check "Lint (all packages)" yarn backstage-cli repo lint
run_jest
run_browser_tests
# After the browser tests: it uses the dev portal's ports 7007 and 7443 (docs/install.md).
check "Install test: the published packages in a fresh create-app app (scripts/install-test.sh)" \
  bash "$REPO_ROOT/scripts/install-test.sh"

echo
echo "Test output: $OUT"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]

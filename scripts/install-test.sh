#!/usr/bin/env bash
# The install test: the published plugin set installed into a fresh Backstage app, as another
# portal team would (docs/install.md), with nothing from this repository but the packed packages
# and, to stand in for a cluster, the Kubernetes sandbox.
#
#   1. Build and `yarn pack` the six published packages.
#   2. Create an app with the create-app release of backstage.json (npm registry only).
#   3. Follow docs/install.md step by step (scripts/lib/install-steps.mjs), the packages coming from
#      the tarballs instead of the registry.
#   4. Check: the app type-checks; its frontend bundle builds with the Inference page in it; its
#      backend starts against the sandbox, and `GET /api/inference/models` lists the sandbox's model
#      for a signed-in user, whom the permission policy of step 3 lets see only their tenant's.
#
# Ports: the sandbox 7443 and the backend 7007 (as in docs/install.md), so not while the dev portal
# runs. Prints `install test: ok` last; exits non-zero on the first failure.
# Set INSTALL_TEST_KEEP=1 to keep the app folder (its path is printed).
set -euo pipefail
# shellcheck source=lib/env.sh
source "$(dirname "$0")/lib/env.sh"

# create-app 0.9.2 creates apps of Backstage release 1.55.0; checked against backstage.json below.
CREATE_APP_VERSION=0.9.2
PUBLISHED=(inference-common inference-node inference-backend inference
  catalog-backend-module-inference scaffolder-backend-module-inference)

ensure_node
ensure_dependencies

WORK=$(mktemp -d /tmp/inference-install-test.XXXXXX)
APP="$WORK/app"
PIDS="$WORK/background.pids"
backend_pid=
cleanup() {
  if [ -n "$backend_pid" ]; then kill -- "-$backend_pid" 2>/dev/null || true; fi
  if [ -f "$PIDS" ]; then
    while read -r pid || [ -n "$pid" ]; do kill -- "-$pid" 2>/dev/null || true; done <"$PIDS"
  fi
  if [ "${INSTALL_TEST_KEEP:-}" = 1 ]; then log "App kept in $APP"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# create-app and the app's scripts call `yarn` as a program; this repository's Yarn release is one.
mkdir -p "$WORK/bin"
printf '#!/bin/sh\nexec node "%s" "$@"\n' "$YARN_RELEASE" >"$WORK/bin/yarn"
chmod +x "$WORK/bin/yarn"
export PATH="$WORK/bin:$PATH"

log "Install test 1/4: build and pack the published packages"
(cd "$REPO_ROOT" && yarn tsc) >"$WORK/tsc.log" 2>&1 || { cat "$WORK/tsc.log"; die "tsc failed"; }
mkdir -p "$WORK/packs"
for dir in "${PUBLISHED[@]}"; do
  (cd "$REPO_ROOT/plugins/$dir" && yarn backstage-cli package build && yarn pack --out "$WORK/packs/$dir.tgz") \
    >"$WORK/pack-$dir.log" 2>&1 || { cat "$WORK/pack-$dir.log"; die "packing plugins/$dir failed"; }
done

log "Install test 2/4: a new app from @backstage/create-app@$CREATE_APP_VERSION"
(cd "$WORK" && BACKSTAGE_APP_NAME=inference-portal npx --yes "@backstage/create-app@$CREATE_APP_VERSION" \
  --path app --skip-install) >"$WORK/create-app.log" 2>&1 || { cat "$WORK/create-app.log"; die "create-app failed"; }
release=$(node -p 'require(process.argv[1]).version' "$REPO_ROOT/backstage.json")
created=$(node -p 'require(process.argv[1]).version' "$APP/backstage.json")
[ "$created" = "$release" ] || die "create-app $CREATE_APP_VERSION makes release $created apps, backstage.json says $release"

# This machine's network: the npm registry only, no type-search service (as in this repository's
# .yarnrc.yml). And the packages come from the tarballs: root resolutions, the one difference from
# installing from the registry.
# Without the app's age gate (create-app's `npmMinimalAgeGate: 3d`): the new app has no lockfile,
# so its whole tree is resolved afresh, and the gate then refuses the install whenever a package
# is old enough but a dependency it pins exactly is not yet (@playwright/test 1.65.2 and
# playwright-core 1.65.2 were published 51 minutes apart: for those 51 minutes, 3 days later, no
# new app installed). This test checks the portal's packages, not the registry's timing; this
# repository keeps its gate, with its lockfile.
sed -i '/^npmMinimalAgeGate:/d' "$APP/.yarnrc.yml"
cat >>"$APP/.yarnrc.yml" <<'EOF'
npmRegistryServer: https://registry.npmjs.org
tsEnableAutoTypes: false
enableTelemetry: false
npmMinimalAgeGate: 0m
EOF
# shellcheck disable=SC2016 # JavaScript, not shell
node -e '
  const fs = require("fs");
  const [file, packs, ...dirs] = process.argv.slice(1);
  const root = JSON.parse(fs.readFileSync(file, "utf8"));
  root.resolutions = root.resolutions || {};
  for (const dir of dirs) {
    const { name } = require(`${process.cwd()}/plugins/${dir}/package.json`);
    root.resolutions[name] = `file:${packs}/${dir}.tgz`;
  }
  // better-sqlite3 12 aborts on Node >= 24.19, as in this repository (and docs/install.md).
  root.resolutions["better-sqlite3"] = "^13.2.0";
  // Optional native builds that fail or take minutes here, as in this repository.
  root.dependenciesMeta = { keytar: { built: false }, "cpu-features": { built: false }, ssh2: { built: false } };
  fs.writeFileSync(file, JSON.stringify(root, null, 2) + "\n");
  // create-app 0.9.2 names backend-defaults ^0.18.0, but release 1.55 signals backend needs 0.19
  // (addWebSocketHandler): create-app pins them together with a yarn.lock seed it fetches from
  // GitHub, which this network does not reach. An app on release 1.55 has 0.19.
  const backendFile = file.replace(/package\.json$/, "packages/backend/package.json");
  const backend = JSON.parse(fs.readFileSync(backendFile, "utf8"));
  backend.dependencies["@backstage/backend-defaults"] = "^0.19.0";
  fs.writeFileSync(backendFile, JSON.stringify(backend, null, 2) + "\n");
' "$APP/package.json" "$WORK/packs" "${PUBLISHED[@]}"

log "Install test 3/4: the steps of docs/install.md"
INSTALL_TEST_PIDS="$PIDS" node "$REPO_ROOT/scripts/lib/install-steps.mjs" \
  "$REPO_ROOT/docs/install.md" "$APP" "$REPO_ROOT" >"$WORK/steps.log" 2>&1 ||
  { tail -n 60 "$WORK/steps.log"; die "following docs/install.md failed"; }
grep '^==>' "$WORK/steps.log"

log "Install test 4/4: type check, frontend bundle, backend against the sandbox"
(cd "$APP" && yarn tsc) >"$WORK/app-tsc.log" 2>&1 || { cat "$WORK/app-tsc.log"; die "the app does not type-check"; }
log "the app type-checks"

(cd "$APP" && yarn workspace app build) >"$WORK/app-build.log" 2>&1 ||
  { tail -n 40 "$WORK/app-build.log"; die "the frontend bundle did not build"; }
# The app's feature discovery (app.packages: all) lists the plugin, and its page extension is in.
bundle="$APP/packages/app/dist/static"
grep -rlq --include='*.js' 'name:"@inference-in-a-box/backstage-plugin-inference",export:' "$bundle" ||
  die "the app's discovered features do not include the inference plugin"
grep -rlq --include='*.js' 'path:"/inference",title:"Inference"' "$bundle" ||
  die "the frontend bundle has no Inference page"
log "the frontend bundle builds with the Inference page"

# shellcheck disable=SC2016 # $0 is for the inner bash
(cd "$APP" && exec setsid bash -c 'exec node "$0" workspace backend start' "$YARN_RELEASE") \
  >"$WORK/backend.log" 2>&1 &
backend_pid=$!
node "$REPO_ROOT/scripts/lib/install-check.mjs" http://localhost:7007 ||
  { tail -n 60 "$WORK/backend.log"; die "the backend check failed"; }

log "install test: ok"

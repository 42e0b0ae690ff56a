#!/usr/bin/env bash
# Installs code-server (a full VS Code server + web workbench, shipped on npm) into a cache outside
# the clone, so the offline extension test runner (test/extension/run.ts) has a real VS Code.
# @vscode/test-electron downloads VS Code from Microsoft at run time; CI here reaches only the npm
# registry and Debian's archive, so this is the editor we can get. See docs/testing-extension.md.
#
# Idempotent: a marker file records a finished install; a second run only prints the bin path.
# Logs go to stderr; stdout is the code-server bin path only (what NYX_CODE_SERVER_BIN defaults to).
# Takes 3-5 minutes on a cold cache (npm builds native modules: sqlite, spdlog, node-pty, kerberos).
set -euo pipefail

CI_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$CI_DIR/lib.sh"

CODE_SERVER_VERSION=4.139.1 # VS Code 1.139; needs Node 24 (4.100.3 is the last for Node 20)
INSTALL_DIR="$NYX_CACHE/code-server"
MARKER="$INSTALL_DIR/.installed-$CODE_SERVER_VERSION"
BIN="$INSTALL_DIR/node_modules/.bin/code-server"
VSCODE_MODULES="$INSTALL_DIR/node_modules/code-server/lib/vscode/node_modules"

# npm 11's allowScripts policy: install scripts that no policy covers run with a warning today and
# are refused under --strict-allow-scripts (npm 12 enforces it). Without code-server's postinstall,
# which runs `npm install` in lib/vscode and lib/vscode/extensions, the server cannot start, so
# approve it here. argon2 ships prebuilt binaries (its script builds only when they do not load).
# lib/vscode's own package.json carries the policy for VS Code's native modules.
write_install_manifest() {
  printf '%s\n' \
    '{' \
    '  "name": "nyx-ci-code-server",' \
    '  "private": true,' \
    '  "description": "code-server for the offline extension tests (scripts/ci/code-server.sh)",' \
    '  "allowScripts": {' \
    "    \"code-server@$CODE_SERVER_VERSION\": true," \
    '    "argon2@0.44.0": true' \
    '  }' \
    '}' >"$INSTALL_DIR/package.json"
}

install_code_server() {
  [ -f "$MARKER" ] && [ -x "$BIN" ] && return 0

  # Compiler, python and Kerberos headers for the native modules; Chromium for the runner.
  # Their output goes to stderr: this script's stdout is the bin path only.
  bash "$CI_DIR/apt.sh" >&2
  # code-server's postinstall refuses anything but Node 24 (it reads the version from npm's user
  # agent), and the native modules must be built for the Node that runs them.
  bash "$CI_DIR/node24.sh" >&2
  source "$CI_DIR/env.sh"
  ci_log "node $(node --version), npm $(npm --version)"

  rm -rf "$INSTALL_DIR"
  mkdir -p "$INSTALL_DIR"
  write_install_manifest
  ci_log "installing code-server@$CODE_SERVER_VERSION into $INSTALL_DIR (3-5 minutes)"
  local started=$SECONDS
  # No --unsafe-perm: npm 7 dropped it (npm 11 warns "unknown config"; the next major rejects it).
  npm install --prefix "$INSTALL_DIR" --no-fund --no-audit "code-server@$CODE_SERVER_VERSION" >&2

  # VS Code 1.139 takes rg from @vscode/ripgrep-universal, which ships the binaries in its tarball
  # (older releases' @vscode/ripgrep downloaded them from GitHub in a postinstall). Make sure search
  # works rather than finding out from an empty search view.
  local rg="$VSCODE_MODULES/@vscode/ripgrep-universal/bin/linux-x64/rg"
  if ! "$rg" --version >/dev/null 2>&1; then
    ci_log "bundled ripgrep missing or broken at $rg; using Debian's /usr/bin/rg"
    mkdir -p "$(dirname "$rg")"
    cp /usr/bin/rg "$rg"
  fi

  # Fail here, not in the runner, if the postinstall did not install VS Code's server modules.
  [ -d "$VSCODE_MODULES/@vscode/sqlite3" ] ||
    ci_die "code-server's postinstall did not install lib/vscode's dependencies"
  # (Not `code-server --version`: any run writes a default ~/.config/code-server/config.yaml.)
  node -e 'process.exit(require(process.argv[1]).version === process.argv[2] ? 0 : 1)' \
    "$INSTALL_DIR/node_modules/code-server/package.json" "$CODE_SERVER_VERSION" ||
    ci_die "the code-server in $INSTALL_DIR is not $CODE_SERVER_VERSION"

  touch "$MARKER"
  ci_log "code-server $CODE_SERVER_VERSION installed in $((SECONDS - started)) s"
}

# Two shells (CI and a developer) must never build into the same folder at once.
ci_with_lock code-server install_code_server
echo "$BIN"

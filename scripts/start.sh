#!/usr/bin/env bash
# First run on a fresh machine: installs Node 24 (from npm, cached) and the dependencies, then
# starts Nyx on the embedded database. Later, `npm start` is enough.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/ci/node24.sh >&2
source scripts/ci/env.sh
if [ ! -d node_modules/@mikro-orm/core ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund >&2
fi
exec node server/bin/nyx-server.js start "$@"

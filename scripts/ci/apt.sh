#!/usr/bin/env bash
# Installs the Debian packages tests and provisioning need, only those missing, and runs
# `apt-get update` only when something is missing (a warm machine skips apt entirely).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

REQUIRED_PACKAGES=(
  chromium          # the browser for code-server/Playwright tests and md-to-pdf
  libkrb5-dev       # headers for code-server's native kerberos module
  ripgrep           # VS Code's search; also seeds @vscode/ripgrep instead of a GitHub download
  debootstrap       # builds the Debian 13 root that runs PostgreSQL 17 + pgvector
  poppler-utils     # pdftoppm: tests turn generated PDFs into PNG pages
  postgresql-client # psql on the host, to look into the test database
  util-linux        # flock, mount, mountpoint
  python3 make g++  # node-gyp native builds (code-server)
  git
  ca-certificates
)

is_installed() {
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = 'installed' ]
}

missing=()
for package in "${REQUIRED_PACKAGES[@]}"; do
  is_installed "$package" || missing+=("$package")
done

if [ "${#missing[@]}" -eq 0 ]; then
  ci_log 'all Debian packages present'
  exit 0
fi

[ "$(id -u)" = 0 ] || ci_die "missing Debian packages (${missing[*]}) and not root"
ci_log "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Waits for another apt (e.g. a second shell) instead of failing on the dpkg lock.
apt_options=(-o DPkg::Lock::Timeout=600 -o Dpkg::Use-Pty=0)
apt-get "${apt_options[@]}" update -q
apt-get "${apt_options[@]}" install -y -q "${missing[@]}"

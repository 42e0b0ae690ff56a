# Shared helpers for the CI and provisioning scripts. Source it; it defines functions only,
# plus NYX_CACHE (the folder outside the clone where every install is kept between runs).

: "${NYX_CACHE:=${HOME:-/root}/.cache/nyx-ci}"
export NYX_CACHE

ci_log() { printf '[nyx-ci] %s\n' "$*" >&2; }
ci_die() { printf '[nyx-ci] error: %s\n' "$*" >&2; exit 1; }

# Prints "==> name" with the wall-clock time, and closes the previous section with its duration,
# so a slow CI run shows at a glance which step took the time.
_ci_section_name=''
_ci_section_start=0
ci_section() {
  ci_section_end
  _ci_section_name="$1"
  _ci_section_start=$SECONDS
  printf '\n==> %s  [%s]\n' "$_ci_section_name" "$(date +%H:%M:%S)"
}
ci_section_end() {
  if [ -n "$_ci_section_name" ]; then
    printf '<== %s: %ss\n' "$_ci_section_name" "$((SECONDS - _ci_section_start))"
    _ci_section_name=''
  fi
}

# Runs "$@" while holding an exclusive lock on a file in the cache, so two shells (two
# engineers, or CI and a developer) never build the same cached thing at once.
# A daemon started under the lock must not inherit the lock's descriptor (it would hold the
# lock for its whole life): start it with `9>&-`.
ci_with_lock() {
  local lock_name="$1"; shift
  mkdir -p "$NYX_CACHE"
  (
    flock -w 1800 9 || ci_die "timed out waiting for lock $lock_name"
    "$@"
  ) 9>"$NYX_CACHE/$lock_name.lock"
}

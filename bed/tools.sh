# Sourced by bed/setup.sh and bed/vm/build.sh: installs the Debian packages of
# the controller programs (bed/controller-tools) a use needs, then checks every
# one with `command -v` and names what is still missing.
# Needs: say, die.

tools_list="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/controller-tools"

# "COMMAND PACKAGE" for each line whose use is one of the arguments.
tools_for() {
  awk -v uses=" $* " '!/^#/ && NF >= 3 && index(uses, " " $3 " ") { print $1, $2 }' "$tools_list"
}

# ensure_tools [--skip COMMAND]... USE...
ensure_tools() {
  local skip=() cmd pkg missing_pkgs=() missing=()
  while [ "${1:-}" = --skip ]; do skip+=("$2"); shift 2; done
  while read -r cmd pkg; do
    [[ " ${skip[*]} " == *" $cmd "* ]] && continue
    command -v "$cmd" >/dev/null 2>&1 && continue
    [[ " ${missing_pkgs[*]} " == *" $pkg "* ]] || missing_pkgs+=("$pkg")
  done < <(tools_for "$@")
  if [ ${#missing_pkgs[@]} -gt 0 ]; then
    say "installing ${missing_pkgs[*]}"
    apt-get update -qq || die "apt-get update failed: is the Debian mirror reachable?"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing_pkgs[@]}" >/dev/null \
      || die "apt-get install ${missing_pkgs[*]} failed"
  fi
  while read -r cmd pkg; do
    [[ " ${skip[*]} " == *" $cmd "* ]] && continue
    command -v "$cmd" >/dev/null 2>&1 || missing+=("$cmd ($pkg)")
  done < <(tools_for "$@")
  [ ${#missing[@]} -eq 0 ] || die "still missing on this machine: ${missing[*]}"
  return 0
}

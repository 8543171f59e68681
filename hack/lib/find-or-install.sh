# Sourced by the hack scripts that find, or install, a program the tests
# run. find_or_install VAR PACKAGE NAME... prints the path of the program on
# stdout (everything else goes to stderr): $VAR when set (it must be an
# executable file), else the first NAME on the PATH, else, as root with
# apt-get, Debian's PACKAGE freshly installed. Elsewhere, or with
# ${VAR}_NO_INSTALL set, it says what to install and returns 1.
find_or_install() {
  local var="$1" package="$2" name bin
  shift 2
  if [[ -n "${!var:-}" ]]; then
    if [[ ! -x "${!var}" ]]; then
      echo "${var}=${!var} is not an executable file" >&2
      return 1
    fi
    echo "${!var}"
    return 0
  fi
  for name in "$@"; do
    if bin="$(command -v "${name}")"; then
      echo "${bin}"
      return 0
    fi
  done
  local no_install="${var}_NO_INSTALL"
  if [[ -n "${!no_install:-}" ]] || ! command -v apt-get >/dev/null; then
    echo "$1 is not installed and there is no apt-get to install it: install ${package} and put it on the PATH, or set ${var}=/path/to/$1" >&2
    return 1
  fi
  if [[ "$(id -u)" != 0 ]]; then
    echo "$1 is not installed: run 'sudo apt-get install -y ${package}' (or set ${var}=/path/to/$1) and try again" >&2
    return 1
  fi
  echo "installing ${package} with apt-get..." >&2
  export DEBIAN_FRONTEND=noninteractive
  # A clean machine may have no package lists yet.
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${package}" >&2
  command -v "$1"
}

#!/usr/bin/env bash
# Finds, or installs, the headless Chromium that the dashboard's browser test
# (internal/dashboard) drives, and prints the path of its binary on stdout
# (everything else goes to stderr), so
#   CHROMIUM="$(hack/chromium.sh)" go test ./internal/dashboard/
# works. Idempotent: a CHROMIUM already set, or a chromium on the PATH, is used
# as is. Otherwise, as root with apt-get, it installs Debian's chromium
# package; elsewhere (or with CHROMIUM_NO_INSTALL=1) it says what to install
# and fails, and the browser test skips with that message.
set -euo pipefail

if [[ -n "${CHROMIUM:-}" ]]; then
  if [[ ! -x "${CHROMIUM}" ]]; then
    echo "CHROMIUM=${CHROMIUM} is not an executable file" >&2
    exit 1
  fi
  echo "${CHROMIUM}"
  exit 0
fi

for name in chromium chromium-browser google-chrome-stable google-chrome; do
  if bin="$(command -v "${name}")"; then
    echo "${bin}"
    exit 0
  fi
done

if [[ -n "${CHROMIUM_NO_INSTALL:-}" ]] || ! command -v apt-get >/dev/null; then
  echo "chromium is not installed: install Chromium or Chrome (Debian: apt-get install chromium) and put it on the PATH, or set CHROMIUM=/path/to/chromium" >&2
  exit 1
fi
if [[ "$(id -u)" != 0 ]]; then
  echo "chromium is not installed: run 'sudo apt-get install -y chromium' (or set CHROMIUM=/path/to/chromium) and try again" >&2
  exit 1
fi

echo "installing chromium with apt-get..." >&2
export DEBIAN_FRONTEND=noninteractive
# A clean machine may have no package lists yet.
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends chromium >&2
command -v chromium

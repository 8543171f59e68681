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

# shellcheck source=hack/lib/find-or-install.sh
here="${BASH_SOURCE[0]%/*}"
[[ "${here}" != "${BASH_SOURCE[0]}" ]] || here=.
source "${here}/lib/find-or-install.sh"
find_or_install CHROMIUM chromium chromium chromium-browser google-chrome-stable google-chrome

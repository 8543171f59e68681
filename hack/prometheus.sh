#!/usr/bin/env bash
# Finds, or installs, the Prometheus server that test/prometheus runs the
# dashboard's queries and a Prometheus MetricSource against, and prints the
# path of its binary on stdout (everything else goes to stderr), so
#   PROMETHEUS="$(hack/prometheus.sh)" go test ./test/prometheus/
# works. Idempotent: a PROMETHEUS already set, or a prometheus on the PATH, is
# used as is. Otherwise, as root on Debian or Ubuntu, it installs the
# distribution's package (2.42 on Debian 12) with apt-get; as another user it
# says what to run and fails.
set -euo pipefail

# shellcheck source=hack/lib/find-or-install.sh
here="${BASH_SOURCE[0]%/*}"
[[ "${here}" != "${BASH_SOURCE[0]}" ]] || here=.
source "${here}/lib/find-or-install.sh"
find_or_install PROMETHEUS prometheus prometheus

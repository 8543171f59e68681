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

if [[ -n "${PROMETHEUS:-}" ]]; then
  if [[ ! -x "${PROMETHEUS}" ]]; then
    echo "PROMETHEUS=${PROMETHEUS} is not an executable file" >&2
    exit 1
  fi
  echo "${PROMETHEUS}"
  exit 0
fi

if bin="$(command -v prometheus)"; then
  echo "${bin}"
  exit 0
fi

if ! command -v apt-get >/dev/null; then
  echo "prometheus is not installed and there is no apt-get: install Prometheus 2.x and put it on the PATH, or set PROMETHEUS=/path/to/prometheus" >&2
  exit 1
fi
if [[ "$(id -u)" != 0 ]]; then
  echo "prometheus is not installed: run 'sudo apt-get install -y prometheus' (or set PROMETHEUS=/path/to/prometheus) and try again" >&2
  exit 1
fi

echo "installing prometheus with apt-get..." >&2
export DEBIAN_FRONTEND=noninteractive
# A clean machine may have no package lists yet.
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends prometheus >&2
command -v prometheus

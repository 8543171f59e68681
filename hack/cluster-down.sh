#!/usr/bin/env bash
# Stops the local control plane that hack/cluster-up.sh started in
# ${LOCAL_DIR:-bin/local}: SIGTERM to localcluster, which stops etcd and the
# apiserver and removes its state files. Exits 0 when nothing was running.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${ROOT}"
LOCAL_DIR="${LOCAL_DIR:-bin/local}"
STOP_TIMEOUT="${STOP_TIMEOUT:-60}" # seconds
PID_FILE="${LOCAL_DIR}/localcluster.pid"

log() { echo "cluster-down: $*" >&2; }

pid=""
if [[ -f "${PID_FILE}" ]]; then pid="$(cat "${PID_FILE}")"; fi
if ! [[ "${pid}" =~ ^[0-9]+$ ]] || [[ "$(ps -p "${pid}" -o comm= 2>/dev/null)" != localcluster* ]]; then
  log "not running (${LOCAL_DIR})"
  rm -f "${PID_FILE}"
  exit 0
fi

# etcd and kube-apiserver are localcluster's children, in process groups of
# their own; remember them in case localcluster has to be killed.
children="$(pgrep -P "${pid}" || true)"
kill -TERM "${pid}" 2>/dev/null || true
deadline=$((SECONDS + STOP_TIMEOUT))
while kill -0 "${pid}" 2>/dev/null; do
  if ((SECONDS >= deadline)); then
    log "pid ${pid} still running after ${STOP_TIMEOUT}s; killing it and its children"
    # shellcheck disable=SC2086 # children is a list of pids
    kill -KILL "${pid}" ${children} 2>/dev/null || true
    break
  fi
  sleep 0.2
done
rm -f "${PID_FILE}"
log "stopped (${LOCAL_DIR})"

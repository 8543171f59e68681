#!/usr/bin/env bash
# Starts a local control plane (etcd + kube-apiserver with the project's CRDs
# and webhook configurations, run by hack/localcluster) in the background,
# detached from the terminal. Its state lives in ${LOCAL_DIR:-bin/local}:
# kubeconfig, webhook.env (for the manager's webhook flags), webhook-certs/,
# localcluster.pid and localcluster.log.
#
# Prints `export KUBECONFIG=...` on stdout and progress on stderr, so
#   eval "$(hack/cluster-up.sh)"
# works. Idempotent: when it is already running it says so and exits 0.
# Stop it with hack/cluster-down.sh (with the same LOCAL_DIR).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${ROOT}"
LOCAL_DIR="${LOCAL_DIR:-bin/local}"
START_TIMEOUT="${START_TIMEOUT:-120}" # seconds until the apiserver must answer
CRD_DIR="${CRD_DIR:-${ROOT}/config/crd/bases}"
WEBHOOK_DIR="${WEBHOOK_DIR:-${ROOT}/config/webhook}" # installed only if it holds webhook configurations
mkdir -p "${LOCAL_DIR}"
DIR="$(cd "${LOCAL_DIR}" && pwd)"
PID_FILE="${DIR}/localcluster.pid"
LOG="${DIR}/localcluster.log"
KUBECONFIG_FILE="${DIR}/kubeconfig"

log() { echo "cluster-up: $*" >&2; }

# running_pid prints the pid in PID_FILE if that process is a live localcluster.
running_pid() {
  local pid
  [[ -f "${PID_FILE}" ]] || return 1
  pid="$(cat "${PID_FILE}")"
  [[ "${pid}" =~ ^[0-9]+$ ]] || return 1
  [[ "$(ps -p "${pid}" -o comm= 2>/dev/null)" == localcluster* ]] || return 1
  echo "${pid}"
}

if pid="$(running_pid)"; then
  log "already running (pid ${pid}, state in ${DIR})"
  echo "export KUBECONFIG=${KUBECONFIG_FILE}"
  exit 0
fi
rm -f "${PID_FILE}" # stale

ASSETS="$(hack/k8s-assets.sh)"
log "building bin/localcluster"
go build -o bin/localcluster ./hack/localcluster

log "starting etcd and kube-apiserver (log: ${LOG})"
: >"${LOG}" # now, not in the background child: a previous run's "ready" must not count
detach=()
if command -v setsid >/dev/null; then detach=(setsid); fi # no SIGINT/SIGHUP from this terminal
KUBEBUILDER_ASSETS="${ASSETS}" ${detach[@]+"${detach[@]}"} nohup "${ROOT}/bin/localcluster" \
  --dir "${DIR}" --crd-dir "${CRD_DIR}" --webhook-dir "${WEBHOOK_DIR}" \
  </dev/null >>"${LOG}" 2>&1 &
pid=$!

# stop_started stops the localcluster started above (its pid file may not
# exist yet) and waits for it, bounded.
stop_started() {
  kill -TERM "${pid}" 2>/dev/null || return 0
  for _ in $(seq 300); do kill -0 "${pid}" 2>/dev/null || return 0; sleep 0.2; done
  log "pid ${pid} did not stop in 60s"
}
trap 'stop_started; exit 130' INT
trap 'stop_started; exit 143' TERM

deadline=$((SECONDS + START_TIMEOUT))
until grep -qx ready "${LOG}"; do
  if ! kill -0 "${pid}" 2>/dev/null; then
    log "localcluster exited before it was ready; last lines of ${LOG}:"
    tail -n 20 "${LOG}" >&2
    exit 1
  fi
  if ((SECONDS >= deadline)); then
    log "not ready after ${START_TIMEOUT}s; stopping it. Last lines of ${LOG}:"
    tail -n 20 "${LOG}" >&2
    stop_started
    exit 1
  fi
  sleep 0.5
done

if ! "${ASSETS}/kubectl" --kubeconfig "${KUBECONFIG_FILE}" --request-timeout=10s get ns >/dev/null; then
  log "the apiserver does not answer; stopping it"
  stop_started
  exit 1
fi
trap - INT TERM
log "ready (pid ${pid}); stop it with: LOCAL_DIR=${LOCAL_DIR} hack/cluster-down.sh"
echo "export KUBECONFIG=${KUBECONFIG_FILE}"

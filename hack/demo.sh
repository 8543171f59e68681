#!/usr/bin/env bash
# `make demo`: starts a local control plane in bin/demo (apart from any
# `make cluster-up` one in bin/local), runs the manager against it with its
# webhooks, applies config/samples, waits until everything is Ready and the
# first ProjectTasks exist, and shows them. Then it waits for Ctrl-C, or with
# DEMO_ONESHOT=1 stops at once. Every exit path stops the manager and the
# control plane.
#
#   DEMO_ONESHOT=1    stop after showing the result (exit 0 when converged)
#   DEMO_TIMEOUT=180  seconds the samples may take to converge
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${ROOT}"
export LOCAL_DIR="bin/demo"
DIR="${ROOT}/${LOCAL_DIR}"
KUBECONFIG_FILE="${DIR}/kubeconfig"
MANAGER_LOG="${DIR}/manager.log"
DEMO_TIMEOUT="${DEMO_TIMEOUT:-180}"
DEMO_ONESHOT="${DEMO_ONESHOT:-0}"
STARTUP_TIMEOUT=60 # seconds for the manager to serve and the samples to be accepted

say() { echo "demo: $*"; }
err() { echo "demo: $*" >&2; }

if [[ -f "${DIR}/localcluster.pid" ]] \
  && [[ "$(ps -p "$(cat "${DIR}/localcluster.pid")" -o comm= 2>/dev/null)" == localcluster* ]]; then
  err "a demo is already running (${DIR}); stop it first: LOCAL_DIR=${LOCAL_DIR} hack/cluster-down.sh"
  exit 1
fi

MANAGER_PID=""
# shellcheck disable=SC2317 # invoked by the EXIT trap
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -n "${MANAGER_PID}" ]] && kill -0 "${MANAGER_PID}" 2>/dev/null; then
    kill -TERM "${MANAGER_PID}" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "${MANAGER_PID}" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "${MANAGER_PID}" 2>/dev/null || true
  fi
  "${ROOT}/hack/cluster-down.sh" 2>/dev/null || true
  say "stopped"
  exit "${rc}"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

manager_log_tail() {
  err "last lines of ${MANAGER_LOG}:"
  tail -n 40 "${MANAGER_LOG}" >&2 || true
}

say "starting the control plane (the first run builds it, several minutes)"
ASSETS="$(hack/k8s-assets.sh)"
KUBECTL=("${ASSETS}/kubectl" --kubeconfig "${KUBECONFIG_FILE}")
hack/cluster-up.sh >/dev/null
# shellcheck source=/dev/null # written by hack/localcluster
source "${DIR}/webhook.env"

say "building and starting the manager (log: ${MANAGER_LOG})"
go build -o bin/manager .
PROBE_PORT="$(bin/localcluster --print-free-port)"
# In a session of its own the manager does not get the terminal's Ctrl-C: the
# EXIT trap stops it, so an exit of its own always means a failure.
detach=()
if command -v setsid >/dev/null; then detach=(setsid); fi
${detach[@]+"${detach[@]}"} bin/manager \
  --kubeconfig="${KUBECONFIG_FILE}" \
  --metrics-bind-address=0 \
  --health-probe-bind-address="127.0.0.1:${PROBE_PORT}" \
  --leader-elect=false \
  --webhook-host="${WEBHOOK_HOST}" \
  --webhook-port="${WEBHOOK_PORT}" \
  --webhook-cert-path="${WEBHOOK_CERT_DIR}" \
  --zap-log-level=info \
  </dev/null >"${MANAGER_LOG}" 2>&1 &
MANAGER_PID=$!

# ready is true when GET http://127.0.0.1:PROBE_PORT/readyz answers 200: the
# webhook server has started.
ready() {
  local status=""
  { exec 3<>"/dev/tcp/127.0.0.1/${PROBE_PORT}"; } 2>/dev/null || return 1
  printf 'GET /readyz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
  IFS= read -r -t 2 status <&3 || true
  exec 3>&-
  [[ "${status}" == "HTTP/1."?" 200"* ]]
}
deadline=$((SECONDS + STARTUP_TIMEOUT))
until ready; do
  if ! kill -0 "${MANAGER_PID}" 2>/dev/null; then err "the manager exited"; manager_log_tail; exit 1; fi
  if ((SECONDS >= deadline)); then err "the manager is not ready after ${STARTUP_TIMEOUT}s"; manager_log_tail; exit 1; fi
  sleep 0.5
done

say "applying config/samples"
deadline=$((SECONDS + STARTUP_TIMEOUT))
until out="$("${KUBECTL[@]}" apply -k config/samples 2>&1)"; do
  if ((SECONDS >= deadline)); then err "kubectl apply -k config/samples failed:"; echo "${out}" >&2; exit 1; fi
  sleep 1
done

say "waiting up to ${DEMO_TIMEOUT}s for the samples to converge"
converged() {
  "${KUBECTL[@]}" wait --for=condition=Ready --timeout=2s -A --all \
    maturitymodels,metricsources,maturitytargets >/dev/null 2>&1 \
    && [[ -n "$("${KUBECTL[@]}" get projecttasks -A -o name 2>/dev/null)" ]]
}
deadline=$((SECONDS + DEMO_TIMEOUT))
until converged; do
  if ! kill -0 "${MANAGER_PID}" 2>/dev/null; then err "the manager exited"; manager_log_tail; exit 1; fi
  if ((SECONDS >= deadline)); then
    err "not converged within ${DEMO_TIMEOUT}s; current state:"
    "${KUBECTL[@]}" get maturitymodels,metricsources,maturitytargets,projecttasks -A >&2 || true
    manager_log_tail
    exit 1
  fi
  sleep 1
done

echo
"${KUBECTL[@]}" get maturitymodels,metricsources,maturitytargets -A
echo
"${KUBECTL[@]}" get projecttasks -A -o wide
echo

cat <<EOF
To use this cluster from another shell (while the demo runs):
  export KUBECONFIG=${KUBECONFIG_FILE}
  alias kubectl=${ASSETS}/kubectl
EOF
if [[ "${DEMO_ONESHOT}" == 1 ]]; then
  say "converged; DEMO_ONESHOT=1, stopping"
  exit 0
fi
say "running; press Ctrl-C to stop the manager and the control plane"
rc=0
wait "${MANAGER_PID}" || rc=$?
err "the manager exited (status ${rc})"
manager_log_tail
exit 1

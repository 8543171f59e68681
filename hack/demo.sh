#!/usr/bin/env bash
# `make demo`: starts a local control plane in bin/demo (apart from any
# `make cluster-up` one in bin/local), runs the manager against it with its
# webhooks, applies config/samples (dates moved to today by hack/samples), waits until everything is Ready and the
# first ProjectTasks exist, and shows them. It also runs hack/demometrics, a
# JSON endpoint of a shop whose numbers improve every 20s, and applies
# hack/demo/live-target.yaml.tmpl: the MetricSource acme-live polling it and
# the MaturityTarget acme-live whose score climbs with it. Then it waits for
# Ctrl-C, or with DEMO_ONESHOT=1 waits until the live score has moved once and
# stops. Every exit path stops demometrics, the manager and the control plane.
#
#   DEMO_ONESHOT=1        stop after showing the result and one move of the
#                         live score (exit 0 when both happened)
#   DEMO_TIMEOUT=180      seconds the samples may take to converge
#   DEMO_LIVE_TIMEOUT=90  seconds the live score may take to move (DEMO_ONESHOT=1)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${ROOT}"
export LOCAL_DIR="bin/demo"
DIR="${ROOT}/${LOCAL_DIR}"
KUBECONFIG_FILE="${DIR}/kubeconfig"
MANAGER_LOG="${DIR}/manager.log"
METRICS_LOG="${DIR}/demometrics.log"
METRICS_URL_FILE="${DIR}/demometrics.url"
LIVE_TEMPLATE="hack/demo/live-target.yaml.tmpl"
LIVE_YAML="${DIR}/live-target.yaml" # the template with the endpoint's URL
DEMO_TIMEOUT="${DEMO_TIMEOUT:-180}"
DEMO_LIVE_TIMEOUT="${DEMO_LIVE_TIMEOUT:-90}"
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
METRICS_PID=""
# stop_pid stops a process started here: SIGTERM, up to 20s, then SIGKILL.
# shellcheck disable=SC2317 # invoked by the EXIT trap
stop_pid() {
  local pid="$1"
  if [[ -z "${pid}" ]] || ! kill -0 "${pid}" 2>/dev/null; then return 0; fi
  kill -TERM "${pid}" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "${pid}" 2>/dev/null || return 0; sleep 0.2; done
  kill -KILL "${pid}" 2>/dev/null || true
}
# shellcheck disable=SC2317 # invoked by the EXIT trap
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_pid "${METRICS_PID}"
  stop_pid "${MANAGER_PID}"
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

# alive fails, saying which and showing its log, once the manager or
# demometrics has exited.
alive() {
  if ! kill -0 "${MANAGER_PID}" 2>/dev/null; then err "the manager exited"; manager_log_tail; return 1; fi
  if [[ -n "${METRICS_PID}" ]] && ! kill -0 "${METRICS_PID}" 2>/dev/null; then
    err "demometrics exited; last lines of ${METRICS_LOG}:"
    tail -n 20 "${METRICS_LOG}" >&2 || true
    return 1
  fi
}

say "starting the control plane (the first run builds it, several minutes)"
ASSETS="$(hack/k8s-assets.sh)"
KUBECTL=("${ASSETS}/kubectl" --kubeconfig "${KUBECONFIG_FILE}")
hack/cluster-up.sh >/dev/null
# shellcheck source=/dev/null # written by hack/localcluster
source "${DIR}/webhook.env"

say "building and starting the manager (log: ${MANAGER_LOG})"
# The live shop (demometrics) listens on 127.0.0.1, and MetricSources may not
# reach loopback by default: this manager may reach 127.0.0.0/8 and nothing else.
say "MetricSources may poll 127.0.0.0/8 only (--metric-source-allow-cidrs), where the live shop listens"
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
  --metric-source-allow-cidrs=127.0.0.0/8 \
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
  alive || exit 1
  if ((SECONDS >= deadline)); then err "the manager is not ready after ${STARTUP_TIMEOUT}s"; manager_log_tail; exit 1; fi
  sleep 0.5
done

# demometrics serves the live shop on a free 127.0.0.1 port, which it writes
# to METRICS_URL_FILE once listening.
say "building and starting demometrics, the live shop (log: ${METRICS_LOG})"
go build -o bin/demometrics ./hack/demometrics
rm -f "${METRICS_URL_FILE}"
${detach[@]+"${detach[@]}"} bin/demometrics --url-file="${METRICS_URL_FILE}" \
  </dev/null >"${METRICS_LOG}" 2>&1 &
METRICS_PID=$!
deadline=$((SECONDS + STARTUP_TIMEOUT))
until [[ -s "${METRICS_URL_FILE}" ]]; do
  alive || exit 1
  if ((SECONDS >= deadline)); then err "demometrics is not listening after ${STARTUP_TIMEOUT}s"; exit 1; fi
  sleep 0.2
done
METRICS_URL="$(<"${METRICS_URL_FILE}")"
sed "s|@METRICS_URL@|${METRICS_URL}|g" "${LIVE_TEMPLATE}" >"${LIVE_YAML}"

# The partners' dates in config/samples are written as of one day; rendered
# for today, the demo tells the same story on any date.
SAMPLES_YAML="${DIR}/samples.yaml"
go run ./hack/samples >"${SAMPLES_YAML}"
say "applying config/samples with their dates moved to today (${SAMPLES_YAML}), then the live source and target (${LIVE_YAML})"
deadline=$((SECONDS + STARTUP_TIMEOUT))
until out="$("${KUBECTL[@]}" apply -f "${SAMPLES_YAML}" 2>&1 && "${KUBECTL[@]}" apply -f "${LIVE_YAML}" 2>&1)"; do
  if ((SECONDS >= deadline)); then err "applying the samples failed:"; echo "${out}" >&2; exit 1; fi
  sleep 1
done

# --all covers the live objects, applied above: acme-live must be Ready too.
say "waiting up to ${DEMO_TIMEOUT}s for the samples to converge"
converged() {
  "${KUBECTL[@]}" wait --for=condition=Ready --timeout=2s -A --all \
    maturitymodels,metricsources,maturitytargets,supportplans,partnerprograms,partners >/dev/null 2>&1 \
    && [[ -n "$("${KUBECTL[@]}" get projecttasks -A -o name 2>/dev/null)" ]]
}
deadline=$((SECONDS + DEMO_TIMEOUT))
until converged; do
  alive || exit 1
  if ((SECONDS >= deadline)); then
    err "not converged within ${DEMO_TIMEOUT}s; current state:"
    "${KUBECTL[@]}" get maturitymodels,metricsources,maturitytargets,supportplans,partnerprograms,partners,projecttasks -A >&2 || true
    manager_log_tail
    exit 1
  fi
  sleep 1
done

echo
"${KUBECTL[@]}" get maturitymodels,metricsources,maturitytargets,supportplans,partnerprograms,partners -A
echo
"${KUBECTL[@]}" get projecttasks -A -o wide
echo
# A support capacity task names the three ways to close its gap (hire,
# deflect, shift channels) and proposes one.
lever_task="$("${KUBECTL[@]}" get projecttasks -n acme -o jsonpath='{range .items[?(@.spec.source.kind=="SupportPlan")]}{.spec.title}{"\t"}{.spec.description}{"\n"}{end}' 2>/dev/null | grep -m1 'Levers' || true)"
if [[ -n "${lever_task}" ]]; then
  echo "A support task and its three levers:"
  echo "  ${lever_task%%$'\t'*}"
  echo "  ${lever_task#*$'\t'}" | fold -s -w 100 | sed '2,$s/^/  /'
  echo
fi

cat <<EOF
To use this cluster from another shell (while the demo runs):
  export KUBECONFIG=${KUBECONFIG_FILE}
  alias kubectl=${ASSETS}/kubectl
Then the plugin (make plugin builds bin/kubectl-scaleup; kubectl finds it on the PATH):
  export PATH=${ROOT}/bin:\$PATH
  kubectl scaleup report acme-shop -n acme
  kubectl scaleup dashboard -A     # then open http://127.0.0.1:3100/ (Ctrl-C stops it)
EOF

if [[ "${DEMO_ONESHOT}" == 1 ]]; then
  # The live shop closes one gap every 20s, so acme-live's score moves (up,
  # or back to the start of the cycle) well within DEMO_LIVE_TIMEOUT.
  say "converged; waiting up to ${DEMO_LIVE_TIMEOUT}s for the live source to move acme-live"
  live_score() {
    "${KUBECTL[@]}" get maturitytarget acme-live -n acme --request-timeout=5s \
      -o jsonpath='{.status.score.summary}' 2>/dev/null
  }
  first="" now=""
  deadline=$((SECONDS + DEMO_LIVE_TIMEOUT))
  while true; do
    now="$(live_score)" || now=""
    if [[ -z "${first}" ]]; then first="${now}"; fi
    if [[ -n "${now}" && "${now}" != "${first}" ]]; then break; fi
    alive || exit 1
    if ((SECONDS >= deadline)); then
      err "acme-live's score stayed at '${first}' for ${DEMO_LIVE_TIMEOUT}s; current state:"
      "${KUBECTL[@]}" get metricsource,maturitytarget acme-live -n acme --request-timeout=5s >&2 || true
      "${KUBECTL[@]}" get metricsource acme-live -n acme --request-timeout=5s -o yaml >&2 || true
      err "last lines of ${METRICS_LOG}:"
      tail -n 5 "${METRICS_LOG}" >&2 || true
      manager_log_tail
      exit 1
    fi
    sleep 1
  done
  echo "acme-live: ${first} -> ${now} (live source)"
  say "DEMO_ONESHOT=1, stopping"
  exit 0
fi

cat <<EOF
Watch the live target acme-live climb to 21/21 (HighPerformance) as the shop's
numbers improve (one gap closes every 20s, then the cycle restarts):
  kubectl get mt -n acme -w

EOF
say "running; press Ctrl-C to stop demometrics, the manager and the control plane"
rc=0
wait -n "${MANAGER_PID}" "${METRICS_PID}" || rc=$?
alive || true
err "exited with status ${rc}"
exit 1

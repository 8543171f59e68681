#!/usr/bin/env bash
# Builds the control-plane binaries envtest, the e2e suite and `make demo` use
# (kube-apiserver, etcd, kubectl, and kube-controller-manager for garbage
# collection and namespace deletion, see test/utils/localcp) from the Go module
# proxy, because prebuilt envtest archives cannot be downloaded everywhere.
# Idempotent: when the binaries and the stamp naming their versions are present
# it returns at once. A binary missing from an assets dir built by an earlier
# version of this script, of the same versions, is built alone.
#
# Prints the assets directory on stdout (everything else goes to stderr), so
#   KUBEBUILDER_ASSETS="$(hack/k8s-assets.sh)" go test ./...
# works. A KUBEBUILDER_ASSETS already set by the user is honoured as is.
set -euo pipefail

K8S_VERSION="${K8S_VERSION:-v1.37.2}"
ETCD_VERSION="${ETCD_VERSION:-v3.7.3}"

if [[ -n "${KUBEBUILDER_ASSETS:-}" ]]; then
  echo "${KUBEBUILDER_ASSETS}"
  exit 0
fi

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GOOS="$(go env GOOS)"
GOARCH="$(go env GOARCH)"
ASSETS="${ROOT}/bin/k8s/${K8S_VERSION#v}-${GOOS}-${GOARCH}"
STAMP="${ASSETS}/.stamp"
K8S_CMDS=(kube-apiserver kubectl kube-controller-manager) # built from k8s.io/kubernetes
VERSIONS="kubernetes=${K8S_VERSION} etcd=${ETCD_VERSION}"
WANT="${VERSIONS} binaries=${K8S_CMDS[*]} etcd"

OLD=""
if [[ -f "${STAMP}" ]]; then OLD="$(<"${STAMP}")"; fi
if [[ "${OLD}" == "${WANT}" ]]; then
  complete=1
  for bin in "${K8S_CMDS[@]}" etcd; do [[ -x "${ASSETS}/${bin}" ]] || complete=0; done
  if ((complete)); then
    echo "${ASSETS}"
    exit 0
  fi
fi

log() { echo "k8s-assets: $*" >&2; }
mkdir -p "${ASSETS}"
export GOWORK=off GOFLAGS=-buildvcs=false

# The staging modules are published as k8s.io/<name> v0.<minor>.<patch>.
STAGING_VERSION="v0.${K8S_VERSION#v1.}"
# A fixed build directory keeps Go's build cache keys stable, so the project's
# own tests reuse the k8s.io packages compiled here.
SRC="${ROOT}/bin/k8s/.build"
if [[ ! -f "${SRC}/.prepared-${K8S_VERSION}" ]]; then
  log "preparing k8s.io/kubernetes@${K8S_VERSION} sources in ${SRC}"
  dir="$(cd "${ROOT}" && GOFLAGS=-mod=mod go mod download -json "k8s.io/kubernetes@${K8S_VERSION}" \
         | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [[ -d "${dir}" ]] || { log "cannot download k8s.io/kubernetes@${K8S_VERSION}"; exit 1; }
  rm -rf "${SRC}"
  mkdir -p "${SRC}"
  cp -R "${dir}/." "${SRC}/"
  chmod -R u+w "${SRC}"
  rm -rf "${SRC}/go.work" "${SRC}/go.work.sum" "${SRC}/vendor"
  (cd "${SRC}" && sed -n 's#^[[:space:]]*\(k8s.io/[^ ]*\) => ./staging/.*#\1#p' go.mod | while read -r mod; do
     go mod edit -replace "${mod}=${mod}@${STAGING_VERSION}"
   done)
  touch "${SRC}/.prepared-${K8S_VERSION}"
fi

# have BIN: BIN is present and was built by a completed run for these
# versions (a stamp without " binaries=..." is that of a run that built
# kube-apiserver, kubectl and etcd only).
have() { [[ -x "${ASSETS}/$1" && "${OLD%% binaries=*}" == "${VERSIONS}" ]]; }

# build_into NAME CMD...: runs CMD with $out set to a temporary file next to
# ${ASSETS}/NAME and renames it into place, so an interrupted build never
# leaves a partial binary that a later run would take for a complete one.
trap 'rm -f "${ASSETS}"/.*.tmp.$$' EXIT # what an interrupted build leaves
build_into() {
  local name="$1"
  shift
  out="${ASSETS}/.${name}.tmp.$$"
  if "$@"; then
    mv -f "${out}" "${ASSETS}/${name}"
  else
    rm -f "${out}"
    return 1
  fi
}

LDFLAGS="-s -w -X k8s.io/component-base/version.gitVersion=${K8S_VERSION}"
LDFLAGS+=" -X k8s.io/component-base/version.gitMajor=1"
LDFLAGS+=" -X k8s.io/component-base/version.gitMinor=$(echo "${K8S_VERSION#v1.}" | cut -d. -f1)"
build_k8s_cmd() { (cd "${SRC}" && go build -mod=mod -ldflags "${LDFLAGS}" -o "${out}" "./cmd/$1") >&2; }
# On 2 cores a first build of kube-apiserver, kubectl and etcd takes about 6
# minutes; kube-controller-manager adds about 1.5 (it shares most packages
# with kube-apiserver, which is built first).
for cmd in "${K8S_CMDS[@]}"; do
  if have "${cmd}"; then continue; fi
  log "building ${cmd} ${K8S_VERSION} (a first build of all the binaries takes about 8 minutes on 2 cores)"
  build_into "${cmd}" build_k8s_cmd "${cmd}"
done

ETCD_SRC="${ROOT}/bin/k8s/.etcd-build"
build_etcd() {
  mkdir -p "${ETCD_SRC}"
  (cd "${ETCD_SRC}" \
    && { [[ -f go.mod ]] || go mod init etcd-build >/dev/null 2>&1; } \
    && go get "go.etcd.io/etcd/server/v3@${ETCD_VERSION}" >/dev/null 2>&1 \
    && go build -mod=mod -ldflags "-s -w" -o "${out}" go.etcd.io/etcd/server/v3) >&2
}
if ! have etcd; then
  log "building etcd ${ETCD_VERSION}"
  build_into etcd build_etcd
fi

echo "${WANT}" > "${STAMP}"
log "control plane ready in ${ASSETS}"
echo "${ASSETS}"

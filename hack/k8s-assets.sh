#!/usr/bin/env bash
# Builds the control-plane binaries envtest, the e2e suite and `make demo` use
# (kube-apiserver, etcd, kubectl) from the Go module proxy, because prebuilt
# envtest archives cannot be downloaded everywhere. Idempotent: when the
# binaries and the stamp naming their versions are present it returns at once.
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
WANT="kubernetes=${K8S_VERSION} etcd=${ETCD_VERSION}"

if [[ -f "${STAMP}" && "$(cat "${STAMP}")" == "${WANT}" \
      && -x "${ASSETS}/kube-apiserver" && -x "${ASSETS}/etcd" && -x "${ASSETS}/kubectl" ]]; then
  echo "${ASSETS}"
  exit 0
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

LDFLAGS="-s -w -X k8s.io/component-base/version.gitVersion=${K8S_VERSION}"
LDFLAGS+=" -X k8s.io/component-base/version.gitMajor=1"
LDFLAGS+=" -X k8s.io/component-base/version.gitMinor=$(echo "${K8S_VERSION#v1.}" | cut -d. -f1)"
for cmd in kube-apiserver kubectl; do
  log "building ${cmd} ${K8S_VERSION} (the first build takes about 6 minutes on 2 cores)"
  (cd "${SRC}" && go build -mod=mod -ldflags "${LDFLAGS}" -o "${ASSETS}/${cmd}" "./cmd/${cmd}") >&2
done

log "building etcd ${ETCD_VERSION}"
ETCD_SRC="${ROOT}/bin/k8s/.etcd-build"
mkdir -p "${ETCD_SRC}"
(cd "${ETCD_SRC}" \
  && { [[ -f go.mod ]] || go mod init etcd-build >/dev/null 2>&1; } \
  && go get "go.etcd.io/etcd/server/v3@${ETCD_VERSION}" >/dev/null 2>&1 \
  && go build -mod=mod -ldflags "-s -w" -o "${ASSETS}/etcd" go.etcd.io/etcd/server/v3) >&2

echo "${WANT}" > "${STAMP}"
log "control plane ready in ${ASSETS}"
echo "${ASSETS}"

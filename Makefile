# scaleup-operator Makefile. `make help` lists the targets.

IMG ?= controller:latest
CONTAINER_TOOL ?= docker
SHELL = /usr/bin/env bash -o pipefail
.SHELLFLAGS = -ec

export GOTOOLCHAIN ?= local
export GOWORK = off

# The control plane (kube-apiserver, kube-controller-manager, etcd, kubectl) is built from source by
# hack/k8s-assets.sh into bin/k8s/; a KUBEBUILDER_ASSETS you set is used as is.
ASSETS = $(shell hack/k8s-assets.sh)
KUBECTL ?= $(ASSETS)/kubectl
# The Prometheus server test/prometheus runs against: found on the PATH or installed with apt-get by
# hack/prometheus.sh; a PROMETHEUS you set is used as is.
PROMETHEUS_BIN = $(shell hack/prometheus.sh)
# The headless Chromium the dashboard's browser test drives: found on the PATH
# or installed with apt-get by hack/chromium.sh; a CHROMIUM you set is used as is.
CHROMIUM_BIN = $(shell hack/chromium.sh)
CONTROLLER_GEN = go tool controller-gen
GOLANGCI_LINT = go tool -modfile=hack/tools/go.mod golangci-lint
LOCAL_KUBECONFIG = $(CURDIR)/bin/local/kubeconfig

.PHONY: all
all: build

##@ General

.PHONY: help
help: ## Display this help.
	@awk 'BEGIN {FS = ":.*##"; printf "\nUsage:\n  make \033[36m<target>\033[0m\n"} /^[a-zA-Z_0-9-]+:.*?##/ { printf "  \033[36m%-15s\033[0m %s\n", $$1, $$2 } /^##@/ { printf "\n\033[1m%s\033[0m\n", substr($$0, 5) } ' $(MAKEFILE_LIST)

.PHONY: demo
demo: manifests ## Start a local control plane, run the operator, apply the samples and show them (DEMO_ONESHOT=1 exits).
	hack/demo.sh

##@ Development

.PHONY: manifests
manifests: ## Generate CRDs, RBAC and webhook configuration.
	$(CONTROLLER_GEN) rbac:roleName=manager-role crd:allowDangerousTypes=true webhook paths="./api/..." paths="./controllers/..." paths="./internal/..." output:crd:artifacts:config=config/crd/bases

.PHONY: generate
generate: ## Generate DeepCopy methods and apply configurations.
	$(CONTROLLER_GEN) object:headerFile="hack/boilerplate.go.txt" paths="./api/..."
	$(CONTROLLER_GEN) applyconfiguration:headerFile="hack/boilerplate.go.txt" paths="./api/..."

.PHONY: fmt
fmt: ## Run go fmt.
	go fmt ./...

.PHONY: vet
vet: ## Run go vet.
	go vet ./...

.PHONY: lint
lint: ## Run golangci-lint (built from the module proxy on first use).
	$(GOLANGCI_LINT) run ./...

.PHONY: assets
assets: ## Build kube-apiserver, kube-controller-manager, etcd and kubectl into bin/k8s (about 8 minutes the first time).
	@hack/k8s-assets.sh >/dev/null

.PHONY: prometheus
prometheus: ## Install the Prometheus server of test/prometheus if missing (apt-get as root).
	@hack/prometheus.sh >/dev/null

.PHONY: chromium
chromium: ## Install the headless Chromium of the dashboard's browser test if missing (apt-get as root).
	@hack/chromium.sh >/dev/null

.PHONY: test
test: manifests generate vet assets prometheus chromium ## Run unit tests, envtest suites, the end-to-end suite and the real-Prometheus suite.
	# -p 1: the envtest, e2e and harness suites each start a control plane;
	# one at a time, a small runner does not starve them into timeouts.
	# -timeout: the fault suite and the e2e suite each take minutes on a busy runner.
	KUBEBUILDER_ASSETS="$(ASSETS)" PROMETHEUS="$(PROMETHEUS_BIN)" CHROMIUM="$(CHROMIUM_BIN)" go test -p 1 -timeout 40m ./... -coverprofile cover.out

.PHONY: test-prometheus
test-prometheus: manifests assets prometheus ## Run the dashboard's queries and a Prometheus MetricSource against a real Prometheus.
	KUBEBUILDER_ASSETS="$(ASSETS)" PROMETHEUS="$(PROMETHEUS_BIN)" go test -p 1 ./test/prometheus/ -v

.PHONY: test-unit
test-unit: ## Run the pure package tests only (no control plane).
	go test ./internal/...

.PHONY: bench
bench: bench-micro bench-scale ## Run the Go benchmarks, then the scale harness.

.PHONY: bench-micro
bench-micro: ## Run the Go benchmarks of the pure packages.
	go test -run='^$$' -bench=. -benchmem ./internal/...

# BENCH_ARGS go to test/bench/cmd/scalebench: -quick (every phase small, minutes), -sizes, -partners, -programs,
# -latency-changes, -naive-max, -repeats, -fair-size, -shards, -bulk-partners, -memory-limit, -manager-args (see -help).
BENCH_ARGS ?=

.PHONY: bench-scale
bench-scale: manifests assets ## Run the scale harness (about an hour): bin/bench/results.{md,json}.
	@mkdir -p bin/bench
	KUBEBUILDER_ASSETS="$(ASSETS)" go run ./test/bench/cmd/scalebench -out bin/bench/results.json $(BENCH_ARGS) | tee bin/bench/results.md

# CHAOS_ARGS go to test/chaos/cmd/chaos: -only, -targets, -outage (see -help).
CHAOS_ARGS ?=

.PHONY: chaos
chaos: manifests assets ## Run the fault suite at full size (about 12 minutes): bin/chaos/results.md. make test runs a smaller one.
	@mkdir -p bin/chaos
	KUBEBUILDER_ASSETS="$(ASSETS)" go run ./test/chaos/cmd/chaos -out bin/chaos/results.md $(CHAOS_ARGS)

##@ Build

.PHONY: build
build: manifests generate fmt vet ## Build the manager binary.
	go build -o bin/manager .

# RUN_ARGS go to the manager of `make run`. Run on a workstation, it may poll
# MetricSources on this machine (127.0.0.0/8), which a manager in a cluster
# may not: RUN_ARGS= restores the default egress policy.
RUN_ARGS ?= --metric-source-allow-cidrs=127.0.0.0/8

.PHONY: plugin
plugin: ## Build the kubectl plugin bin/kubectl-scaleup (`kubectl scaleup ...` with bin/ on the PATH).
	go build -o bin/kubectl-scaleup ./cmd/kubectl-scaleup

.PHONY: plugin-golden
plugin-golden: manifests assets ## Rewrite the plugin's golden files (internal/report/testdata) from the controllers' output.
	KUBEBUILDER_ASSETS="$(ASSETS)" go test -p 1 ./internal/report/ -update
	KUBEBUILDER_ASSETS="$(ASSETS)" go test -p 1 ./cmd/kubectl-scaleup/

.PHONY: run
run: manifests generate fmt vet ## Run the manager: against `make cluster-up` (serving its webhooks), else the current kubeconfig (webhooks off).
	@if [ -f bin/local/webhook.env ] && { [ -z "$$KUBECONFIG" ] || [ "$$KUBECONFIG" = "$(LOCAL_KUBECONFIG)" ]; }; then \
	  . bin/local/webhook.env; \
	  go run . --kubeconfig=$(LOCAL_KUBECONFIG) --health-probe-bind-address=0 \
	    --webhook-host=$$WEBHOOK_HOST --webhook-port=$$WEBHOOK_PORT --webhook-cert-path=$$WEBHOOK_CERT_DIR $(RUN_ARGS); \
	else \
	  go run . --enable-webhooks=false --health-probe-bind-address=0 $(RUN_ARGS); \
	fi

.PHONY: docker-build
docker-build: ## Build the manager image.
	$(CONTAINER_TOOL) build -t $(IMG) .

.PHONY: docker-push
docker-push: ## Push the manager image.
	$(CONTAINER_TOOL) push $(IMG)

##@ Local control plane

.PHONY: cluster-up
cluster-up: manifests ## Start etcd, kube-apiserver and kube-controller-manager in the background; kubeconfig in bin/local/kubeconfig.
	hack/cluster-up.sh

.PHONY: cluster-down
cluster-down: ## Stop the local control plane.
	hack/cluster-down.sh

##@ Deployment

.PHONY: install
install: manifests ## Install the CRDs into the cluster of the current kubeconfig.
	$(KUBECTL) apply --server-side -k config/crd

.PHONY: uninstall
uninstall: manifests ## Uninstall the CRDs.
	$(KUBECTL) delete --ignore-not-found -k config/crd

.PHONY: deploy
deploy: manifests ## Deploy the operator (IMG=...) with cert-manager issued webhook certificates.
	$(KUBECTL) kustomize config/default | sed 's|controller:latest|$(IMG)|' | $(KUBECTL) apply --server-side -f -

.PHONY: undeploy
undeploy: ## Remove the operator.
	$(KUBECTL) delete --ignore-not-found -k config/default

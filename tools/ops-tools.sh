#!/usr/bin/env bash
# Install the operators' tools the tests and `make observe` use, idempotently:
#
#   bash tools/ops-tools.sh [prometheus] [helm]     # both when no argument is given
#
#   prometheus  Prometheus and promtool from Debian's packages (apt-get; root or sudo).
#               Already on PATH: nothing is done.
#   helm        Helm built from the Go module proxy into .cache/tools/bin/helm (about three
#               minutes on two cores the first time; Go's module and build caches make a
#               rebuild quick). A binary of the pinned version already there: nothing is done.
#
# The Zipkin server (the local trace backend) is a jar from Maven Central that
# tools/observe.py fetches itself (tools/zipkin/pom.xml pins its version).
# Progress goes to stderr; set HANDOFF_TOOLS_VERBOSE=1 to see the installers' output.
set -euo pipefail

readonly HELM_MODULE="helm.sh/helm/v4"
readonly HELM_VERSION="v4.3.2"
readonly ROOT="$(cd "$(dirname "$0")/.." && pwd)"
readonly BIN="${ROOT}/.cache/tools/bin"

say() { echo "ops-tools: $*" >&2; }
run() {
    if [[ "${HANDOFF_TOOLS_VERBOSE:-}" == 1 ]]; then "$@" >&2; else
        local log; log="$(mktemp)"
        if ! "$@" >"$log" 2>&1; then say "failed: $*"; cat "$log" >&2; rm -f "$log"; return 1; fi
        rm -f "$log"
    fi
}
as_root() {
    if ((EUID == 0)); then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        say "installing needs root (or sudo): $*"; return 1
    fi
}

prometheus() {
    if command -v promtool >/dev/null && command -v prometheus >/dev/null; then return 0; fi
    command -v apt-get >/dev/null || { say "no apt-get: install Prometheus (promtool) yourself"; return 1; }
    say "installing prometheus and promtool from Debian's packages"
    local install=(env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends prometheus)
    if ! run as_root "${install[@]}"; then
        run as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
        run as_root "${install[@]}"
    fi
    # Debian's package may start a system-wide Prometheus where an init system runs; the
    # suite starts its own (on 127.0.0.1, its own port and data), so that one is not needed.
}

helm() {
    local marker="${BIN}/helm.version"
    if [[ -x "${BIN}/helm" && -f "$marker" && "$(cat "$marker")" == "$HELM_VERSION" ]]; then return 0; fi
    command -v go >/dev/null || { say "no Go toolchain: cannot build helm"; return 1; }
    say "building helm ${HELM_VERSION} from the Go module proxy (a few minutes the first time)"
    mkdir -p "$BIN"
    local started=$SECONDS
    run env GOBIN="$BIN" CGO_ENABLED=0 GOFLAGS=-buildvcs=false \
        go install -trimpath -ldflags="-s -w" "${HELM_MODULE}/cmd/helm@${HELM_VERSION}"
    echo "$HELM_VERSION" >"$marker"
    say "helm ${HELM_VERSION} built in $((SECONDS - started))s: ${BIN}/helm"
}

(($# > 0)) || set -- prometheus helm
for tool in "$@"; do
    case "$tool" in
        prometheus | helm) "$tool" ;;
        *) say "unknown tool '${tool}' (prometheus, helm)"; exit 64 ;;
    esac
done

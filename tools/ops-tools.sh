#!/usr/bin/env bash
# Install the tools the tests and `make observe` use, idempotently:
#
#   bash tools/ops-tools.sh [prometheus] [helm] [chromium] [axe-core]   # all when no argument is given
#
#   prometheus  Prometheus and promtool from Debian's packages (apt-get; root or sudo).
#               Already on PATH: nothing is done.
#   helm        Helm built from the Go module proxy into .cache/tools/bin/helm (about three
#               minutes on two cores the first time; Go's module and build caches make a
#               rebuild quick). A binary of the pinned version already there: nothing is done.
#   chromium    headless Chromium from Debian's packages, with a font so that screenshots show
#               text: the browser test of the ombudsman's pages. Already on PATH: nothing is
#               done. Playwright for Python (the dev group) drives it over its DevTools protocol
#               with executable_path=/usr/bin/chromium: no chromedriver, and never
#               `playwright install` (it downloads a browser build of its own).
#   axe-core    the accessibility engine, from the npm registry, into .cache/tools/axe-core (the
#               browser test evaluates its axe.min.js in each page); npm from Debian's packages
#               where it is missing. The pinned version already there: nothing is done.
#
# The Zipkin server (the local trace backend) is a jar from Maven Central that
# tools/observe.py fetches itself (tools/zipkin/pom.xml pins its version).
# Progress goes to stderr; set HANDOFF_TOOLS_VERBOSE=1 to see the installers' output.
set -euo pipefail

readonly HELM_MODULE="helm.sh/helm/v4"
readonly HELM_VERSION="v4.3.2"
readonly AXE_VERSION="4.14.1"
readonly ROOT="$(cd "$(dirname "$0")/.." && pwd)"
readonly BIN="${ROOT}/.cache/tools/bin"
readonly AXE_DIR="${ROOT}/.cache/tools/axe-core"

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

apt_install() {
    command -v apt-get >/dev/null || { say "no apt-get: install $* yourself"; return 1; }
    local install=(env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@")
    if ! run as_root "${install[@]}"; then
        run as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
        run as_root "${install[@]}"
    fi
}

prometheus() {
    if command -v promtool >/dev/null && command -v prometheus >/dev/null; then return 0; fi
    say "installing prometheus and promtool from Debian's packages"
    apt_install prometheus
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

install_chromium() {
    if command -v chromium >/dev/null && fc-list 2>/dev/null | grep -qi dejavu; then return 0; fi
    say "installing chromium and a font from Debian's packages"
    apt_install chromium fonts-dejavu-core fontconfig
}

install_axe_core() {
    local script="${AXE_DIR}/node_modules/axe-core/axe.min.js"
    if [[ -f "$script" && -f "${AXE_DIR}/version" && "$(cat "${AXE_DIR}/version")" == "$AXE_VERSION" ]]; then
        return 0
    fi
    command -v npm >/dev/null || { say "installing npm from Debian's packages"; apt_install npm; }
    say "installing axe-core ${AXE_VERSION} from the npm registry"
    mkdir -p "$AXE_DIR"
    run npm install --prefix "$AXE_DIR" --no-save --no-audit --no-fund --ignore-scripts "axe-core@${AXE_VERSION}"
    [[ -f "$script" ]] || { say "axe-core installed no ${script}"; return 1; }
    echo "$AXE_VERSION" >"${AXE_DIR}/version"
}

(($# > 0)) || set -- prometheus helm chromium axe-core
for tool in "$@"; do
    case "$tool" in
        prometheus | helm) "$tool" ;;
        chromium) install_chromium ;;
        axe-core) install_axe_core ;;
        *) say "unknown tool '${tool}' (prometheus, helm, chromium, axe-core)"; exit 64 ;;
    esac
done

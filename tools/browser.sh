#!/usr/bin/env bash
# Install what the browser test of the ombudsman's pages needs, idempotently:
#
#   bash tools/browser.sh
#
#   chromium    headless Chromium from Debian's packages (apt-get; root or sudo), with a
#               font so that screenshots show text. Already on PATH: nothing is done.
#               Playwright for Python (the dev group) drives it over its DevTools
#               protocol with executable_path=/usr/bin/chromium: no chromedriver, and
#               never `playwright install` (it downloads a browser build of its own).
#   axe-core    the accessibility engine, from the npm registry, into .cache/tools/axe-core
#               (the test injects its axe.min.js into each page). npm comes from Debian's
#               packages where it is missing. The pinned version already there: nothing is done.
#
# `make test` runs it. Progress goes to stderr; HANDOFF_TOOLS_VERBOSE=1 shows the installers' output.
set -euo pipefail

readonly AXE_VERSION="4.14.1"
readonly ROOT="$(cd "$(dirname "$0")/.." && pwd)"
readonly AXE_DIR="${ROOT}/.cache/tools/axe-core"

say() { echo "browser: $*" >&2; }
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

install_chromium
install_axe_core

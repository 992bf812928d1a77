#!/usr/bin/env bash
# The whole test suite with lint and type checks: `bash tests/run.sh [pytest args...]`.
# Sets up what a fresh Debian machine (Python 3.11, Java 17) lacks: the virtualenv, the
# package with its test extras, Maven and a JDK, Chromium and chromedriver (as root, via
# apt-get), the Elasticsearch node.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

VENV=.venv
PY="$VENV/bin/python"
failed=()

say() { printf '\n=== run.sh [%ss]: %s\n' "$SECONDS" "$*"; }
die() {
    printf '\nrun.sh: set-up step failed: %s\n' "$*" >&2
    exit 1
}

apt_updated=
apt_install() {
    # Only root may install system packages; anyone else gets told what is missing.
    if [[ $(id -u) -ne 0 ]]; then
        die "missing $*; install them (Debian: sudo apt-get install $*) and re-run"
    fi
    if [[ -z $apt_updated ]]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -q || die "apt-get update"
        apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" \
        || die "apt-get install $*"
}

setup_venv() {
    if [[ ! -x $PY ]]; then
        say "creating $VENV"
        python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
            || die "python3 is $(python3 --version 2>&1); newswatch needs Python >= 3.11"
        if ! python3 -m venv "$VENV"; then
            # Debian ships venv's ensurepip separately.
            rm -rf "$VENV"
            apt_install python3-venv
            python3 -m venv "$VENV" || die "python3 -m venv $VENV"
        fi
    fi
    # Reinstall only when the declared dependencies change; a plain re-run stays fast.
    local stamp="$VENV/.newswatch-installed" want
    want=$(sha256sum pyproject.toml | cut -d' ' -f1)
    if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
        say "pip install -e .[test,bench]"
        "$PY" -m pip install -q -e ".[test,bench]" || die "pip install -e .[test,bench]"
        echo "$want" >"$stamp"
    fi
}

setup_java() {
    local missing=()
    command -v javac >/dev/null || missing+=(openjdk-17-jdk-headless)
    command -v mvn >/dev/null || missing+=(maven)
    if ((${#missing[@]})); then
        say "installing ${missing[*]}"
        apt_install "${missing[@]}"
    fi
}

setup_browser() {
    # The web app's browser tests drive Debian's Chromium through its chromedriver;
    # Selenium is pointed at them, so nothing is downloaded at test time.
    local missing=()
    command -v chromium >/dev/null || missing+=(chromium)
    command -v chromedriver >/dev/null || missing+=(chromium-driver)
    if ((${#missing[@]})); then
        say "installing ${missing[*]}"
        apt_install "${missing[@]}"
    fi
}

setup_redis() {
    # The queue-mode tests start a real Redis server (Debian's redis-server).
    if ! command -v redis-server >/dev/null && [[ ! -x /usr/sbin/redis-server ]]; then
        say "installing redis-server"
        apt_install redis-server
    fi
}

check() {
    # Lint and type steps all run, so one report shows every problem.
    local name=$1
    shift
    say "$name"
    if ! "$@"; then
        failed+=("$name")
        printf 'run.sh: step failed: %s\n' "$name" >&2
    fi
}

setup_venv
setup_java
setup_browser
setup_redis
say "preparing the Elasticsearch test node"
"$PY" -m tests.harness.elasticsearch.node --prepare || die "python -m tests.harness.elasticsearch.node --prepare"

check "ruff check" "$VENV/bin/ruff" check .
check "ruff format --check" "$VENV/bin/ruff" format --check .
check "mypy" "$VENV/bin/mypy"
check "lint-imports (layers)" "$VENV/bin/lint-imports"

say "pytest $*"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
PYTHONUNBUFFERED=1 "$VENV/bin/pytest" "$@" 2>&1 | tee "$log"
pytest_status=${PIPESTATUS[0]}
case $pytest_status in
    0) ;;
    5) failed+=("pytest (no tests ran)") ;;
    *) failed+=("pytest (exit $pytest_status)") ;;
esac

if ((${#failed[@]})); then
    printf '\nrun.sh: FAILED steps: %s\n' "$(IFS=,; echo "${failed[*]}" | sed 's/,/, /g')"
    # End with pytest's own summary line, as CI logs are read from the bottom.
    tail -n 1 "$log"
    exit $((pytest_status ? pytest_status : 1))
fi

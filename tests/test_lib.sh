# test_lib.sh -- what the shell tests share: counting failures and reporting checks.
# Sourced (not run) by the tests/test_*.sh scripts, before they change directory.

failures=0

fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

pass() {
    echo "ok: $*"
}

# check DESCRIPTION EXPECTED ACTUAL
check() {
    if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: expected '$2', got '$3'"; fi
}

# require_tools TOOL...: the test is skipped (exit 77, ctest's SKIP_RETURN_CODE) when one
# of the tools it drives is not installed.
require_tools() {
    for tool in "$@"; do
        if ! command -v "$tool" >/dev/null 2>&1; then
            echo "skipped: $tool is not installed"
            exit 77
        fi
    done
}

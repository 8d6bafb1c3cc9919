#!/usr/bin/env bash
# valgrind_goldens.sh -- every golden fixture (an input beside NAME.json or NAME.error,
# with its NAME.args) converted by `hyosho convert` under valgrind's memcheck: no invalid
# access, no use of uninitialised memory, no definite leak. Expects a build without
# sanitizers (ASan and valgrind do not mix). The suppressions are in tests/valgrind.supp.
#
# Usage: valgrind_goldens.sh HYOSHO FIXTURES_DIR
# Exit: 0 clean; 1 a fixture has memcheck errors or the wrong exit status; 77 skipped
# (no valgrind, or HYOSHO is built with a sanitizer).
# Environment: HY_VALGRIND_JOBS fixtures checked at the same time (default 2).
set -u

hyosho=$(realpath "${1:?usage: valgrind_goldens.sh HYOSHO FIXTURES_DIR}")
fixtures=${2:?usage: valgrind_goldens.sh HYOSHO FIXTURES_DIR}
here=$(cd "$(dirname "$0")" && pwd)

if ! command -v valgrind >/dev/null 2>&1; then
    echo "valgrind_goldens: skipped: valgrind is not installed" >&2
    exit 77
fi
if nm -D "$hyosho" 2>/dev/null | grep -q '__asan_init\|__ubsan_handle'; then
    echo "valgrind_goldens: skipped: $hyosho is built with a sanitizer" >&2
    exit 77
fi

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# Inputs that have a golden: everything but the goldens, .args, .page, .md and .rules.
find "$fixtures" -type f ! -name '*.json' ! -name '*.error' ! -name '*.args' ! -name '*.page' \
    ! -name '*.md' ! -name '*.rules' ! -name '*.png' | sort | while read -r input; do
    stem=${input%.*}
    [[ -f $stem.json || -f $stem.error ]] && printf '%s\0' "$input"
done >"$tmp/inputs"

export HY_TEST_HYOSHO=$hyosho HY_TEST_TMP=$tmp HY_TEST_SUPP=$here/valgrind.supp
# convert leaves its conversion to the process's end unless told to free it: freed here,
# so that a block the conversion loses shows up as a leak.
export HYOSHO_TEST_FREE_AT_EXIT=1
check_one() {
    local input=$1 stem=${1%.*} want=0 args=()
    [[ -f $stem.error ]] && want=1
    # NAME.args holds shell words; --rules FILE there names a file beside the fixture.
    [[ -f $stem.args ]] && eval "args=($(cat "$stem.args"))"
    local log
    log=$HY_TEST_TMP/$(echo "$input" | tr / _).log
    (cd "$(dirname "$input")" &&
        G_SLICE=always-malloc valgrind -q --error-exitcode=99 --leak-check=full \
            --errors-for-leak-kinds=definite --show-leak-kinds=definite \
            --suppressions="$HY_TEST_SUPP" "$HY_TEST_HYOSHO" convert "${args[@]}" "$(basename "$input")" \
            >/dev/null 2>"$log")
    local rc=$?
    if ((rc == want)); then
        echo "ok   $input"
    else
        echo "FAIL $input: exit $rc, expected $want"
        sed 's/^/     /' "$log" | head -n 60
    fi
}
export -f check_one

xargs -0 -n 1 -P "${HY_VALGRIND_JOBS:-2}" bash -c 'check_one "$1"' _ <"$tmp/inputs" | tee "$tmp/results"
total=$(grep -c '' "$tmp/results")
failed=$(grep -c '^FAIL' "$tmp/results")
echo "valgrind_goldens: $total fixtures, $failed with memcheck errors or the wrong exit status"
((total > 0 && failed == 0))

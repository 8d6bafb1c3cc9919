#!/usr/bin/env bash
# test_limits.sh -- the limits of `hyosho convert` (README, "Hardening"): each option is
# in --help, refuses a bad value as a usage error, and past its limit gives the documented
# one-line error (nothing on stdout) or warning; the two watchdogs (--timeout, SIGALRM;
# --max-memory, a profiling timer) end a conversion they cannot interrupt.
# Usage: test_limits.sh HYOSHO FIXTURES_DIR [SHARED_DIR]
set -u
hyosho=${1:?usage: test_limits.sh HYOSHO FIXTURES_DIR [SHARED_DIR]}
fixtures=${2:?usage: test_limits.sh HYOSHO FIXTURES_DIR [SHARED_DIR]}
shared=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/test_lib.sh"

# run WANT_STATUS WHAT ARGS...: hyosho ARGS, stdout and stderr kept in $tmp.
run() {
    local want=$1 what=$2
    shift 2
    "$hyosho" "$@" >"$tmp/out" 2>"$tmp/err"
    local got=$?
    [ "$got" = "$want" ] || fail "$what: exit $got, expected $want (stderr: $(head -c 300 "$tmp/err"))"
}

# refused WHAT PATH MESSAGE ARGS...: exit 1, nothing on stdout, one line naming PATH and MESSAGE.
refused() {
    local what=$1 path=$2 message=$3
    shift 3
    run 1 "$what" convert "$@" "$path"
    [ -s "$tmp/out" ] && fail "$what: wrote to stdout"
    [ "$(wc -l <"$tmp/err")" = 1 ] || fail "$what: stderr is not one line: $(head -c 300 "$tmp/err")"
    if ! grep -qF "hyosho: $path: " "$tmp/err" || ! grep -qF "$message" "$tmp/err"; then
        fail "$what: stderr '$(cat "$tmp/err")' is not 'hyosho: $path: ...$message'"
    fi
}

pdf=$fixtures/pdf/award-2019.pdf
two_pages=$fixtures/pdf/awardee-over-two-pages.pdf
text=$fixtures/text/award-2019-excerpt.txt

run 0 "convert --help" convert --help
for option in --max-bytes --max-pages --max-line-bytes --max-lines-per-page --max-memory --timeout; do
    grep -q -- "$option" "$tmp/out" || fail "convert --help lacks $option"
done

# Bad values are usage errors (exit 2), before any input is read.
for bad in "--max-bytes=1X" "--max-bytes=-1" "--max-pages=-1" "--max-pages=two" "--max-line-bytes=" \
    "--max-lines-per-page=99999999999" "--max-memory=-5" "--max-bytes=99999999999999999999"; do
    run 2 "$bad" convert "$bad" "$pdf"
    grep -q "see 'hyosho convert --help'" "$tmp/err" || fail "$bad: no usage hint"
done

# Past a limit of the extract stage: a one-line error, or a warning and the rest converted.
refused "--max-bytes" "$pdf" "over the limit of 1024 bytes" --max-bytes 1K
refused "--max-pages" "$two_pages" "2 pages, over the limit of 1" --max-pages 1
run 0 "--max-pages 0 (no limit)" convert --max-pages 0 "$two_pages"
run 0 "--max-line-bytes" convert --compact --max-line-bytes 30 "$text"
grep -q '"line 1: longer than 30 bytes, cut"' "$tmp/out" || fail "--max-line-bytes: no warning: $(head -c 300 "$tmp/out")"
run 0 "--max-lines-per-page" convert --compact --max-lines-per-page 20 "$text"
grep -q '"page 1: more than 20 lines, the rest dropped"' "$tmp/out" || fail "--max-lines-per-page: no warning"

# The watchdogs. Wall time: stdin that stays open past --timeout (the read itself hangs).
start=$(date +%s)
"$hyosho" convert --timeout 1 - < <(sleep 6 2>/dev/null) >"$tmp/out" 2>"$tmp/err"
status=$? took=$(($(date +%s) - start))
[ "$status" = 1 ] || fail "--timeout: exit $status, expected 1"
[ -s "$tmp/out" ] && fail "--timeout: wrote to stdout"
[ "$(cat "$tmp/err")" = "hyosho: -: timed out after 1 s" ] || fail "--timeout: stderr '$(cat "$tmp/err")'"
[ "$took" -le 5 ] || fail "--timeout 1 took ${took}s"
# Memory: any conversion is over 1 MB resident.
refused "--max-memory 1" "$pdf" "needs more than 1 MB of memory (--max-memory)" --max-memory 1
run 0 "--max-memory 0 (no limit)" convert --max-memory 0 "$pdf"
# The resource bomb of the robustness corpus, which poppler grows past 2 GB: stopped early.
bomb=$shared/corpus/pdf/bomb_giant.pdf
if [ -n "$shared" ] && [ -f "$bomb" ]; then
    refused "bomb_giant.pdf --max-memory 300" "$bomb" "needs more than 300 MB of memory (--max-memory)" \
        --max-memory 300
fi

if [ "$failures" -gt 0 ]; then
    echo "$failures limit check(s) failed"
    exit 1
fi
echo "limits: all checks passed"

#!/usr/bin/env bash
# test_corpus.sh -- hostile real PDFs (SHARED_DIR/corpus/pdf: damaged, truncated,
# encrypted, empty, resource bombs...; see its README.md) through `hyosho convert`, and
# those that convert through `hyosho review` too (it renders their pages). Every
# file must end in exit 0 with valid JSON on stdout, or exit 1 with exactly one line
# "hyosho: PATH: reason" on stderr and nothing on stdout: never a signal, a sanitizer
# report, or the outer timeout (the --timeout and --max-memory watchdogs must come first).
# The password MANIFEST.tsv gives (column user_password) is passed with --password.
#
# Usage: test_corpus.sh HYOSHO SHARED_DIR
# Exit: 0 all clean; 1 any file was not; 77 skipped (no SHARED_DIR/corpus/pdf).
# Environment: HY_CORPUS_JOBS files converted at the same time (default 2).
set -u

hyosho=${1:?usage: test_corpus.sh HYOSHO SHARED_DIR}
shared=${2:?usage: test_corpus.sh HYOSHO SHARED_DIR}
dir=$shared/corpus/pdf
manifest=$dir/MANIFEST.tsv

if [[ ! -d $dir ]]; then
    echo "test_corpus: skipped: no corpus at $dir" >&2
    exit 77
fi
if command -v jq >/dev/null 2>&1; then
    json_check='jq -e . >/dev/null'
elif command -v python3 >/dev/null 2>&1; then
    json_check='python3 -c "import json, sys; json.load(sys.stdin)"'
else
    echo "test_corpus: skipped: neither jq nor python3 to check the JSON" >&2
    exit 77
fi

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# FILE<TAB>PASSWORD for each PDF: from the manifest, or every *.pdf without one.
if [[ -f $manifest ]]; then
    awk -F'\t' 'NR > 1 { print $1 "\t" $9 }' "$manifest" >"$tmp/list"
else
    (cd "$dir" && ls -- *.pdf) | sed 's/$/\t/' >"$tmp/list"
fi

# A sanitizer report must not pass for a clean exit 1: give it an exit status of its own.
export ASAN_OPTIONS="${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}exitcode=86"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-}${UBSAN_OPTIONS:+:}exitcode=86"
export HY_TEST_HYOSHO=$hyosho HY_TEST_DIR=$dir HY_TEST_TMP=$tmp HY_TEST_JSON_CHECK=$json_check

# convert_one "FILE<TAB>PASSWORD": writes "OUTCOME<TAB>FILE<TAB>DETAIL" to $tmp/FILE.result.
convert_one() {
    local file=${1%%$'\t'*} password=${1#*$'\t'}
    local path=$HY_TEST_DIR/$file out=$HY_TEST_TMP/$file.out err=$HY_TEST_TMP/$file.err
    local args=(convert)
    [[ -n $password ]] && args+=(--password "$password")
    local start=$SECONDS
    # The outer limit: twice the default --timeout (30 s), then KILL.
    timeout -k 5 60 "$HY_TEST_HYOSHO" "${args[@]}" "$path" >"$out" 2>"$err"
    local rc=$? outcome detail
    local took=$((SECONDS - start))s
    if ((rc == 124 || rc == 137)); then
        outcome="timed out" detail="killed by the outer timeout after $took"
    elif ((rc == 86)) || grep -qE '^==[0-9]+==ERROR|runtime error:' "$err"; then
        outcome=crashed detail="sanitizer: $(grep -m1 -E 'ERROR|runtime error' "$err")"
    elif ((rc > 128)); then
        outcome=crashed detail="signal $((rc - 128)): $(tail -n 1 "$err")"
    elif ((rc == 0)); then
        # What converts is also reviewed: rendering its pages is another way through poppler.
        timeout -k 5 60 "$HY_TEST_HYOSHO" review "${args[@]:1}" -o "$HY_TEST_TMP/$file.review" "$path" \
            >/dev/null 2>"$err.review"
        local review_rc=$?
        if ((review_rc > 1)) || grep -qE '^==[0-9]+==ERROR|runtime error:' "$err.review"; then
            outcome=crashed detail="review: exit $review_rc: $(grep -m1 -E 'ERROR|runtime error' "$err.review" ||
                tail -n 1 "$err.review")"
        elif eval "$HY_TEST_JSON_CHECK" <"$out"; then
            outcome=converted detail="$(jq -r '"\(.awards | length) awards, \(.warnings | length) warnings"' \
                <"$out" 2>/dev/null) in $took"
        else
            outcome=bad detail="exit 0 but stdout is not JSON"
        fi
    elif ((rc == 1)); then
        if [[ -s $out ]]; then
            outcome=bad detail="exit 1 with output on stdout"
        elif [[ $(wc -l <"$err") != 1 ]] || ! grep -qF "hyosho: $path: " "$err"; then
            outcome=bad detail="exit 1 but stderr is not one line 'hyosho: $path: ...': $(head -c 300 "$err")"
        else
            outcome=rejected detail="${took}: $(sed "s|^hyosho: $path: ||" "$err")"
        fi
    else
        outcome=bad detail="exit $rc: $(head -c 300 "$err")"
    fi
    printf '%s\t%s\t%s\n' "$outcome" "$file" "$detail" >"$HY_TEST_TMP/$file.result"
}
export -f convert_one

tr '\n' '\0' <"$tmp/list" | xargs -0 -n 1 -P "${HY_CORPUS_JOBS:-2}" bash -c 'convert_one "$1"' _

count() { grep -c "^$1"$'\t' "$tmp/all" || true; }
cat "$tmp"/*.result | sort -t $'\t' -k1,1 -k2,2 >"$tmp/all"
total=$(wc -l <"$tmp/list")
done=$(wc -l <"$tmp/all")
awk -F'\t' '{ printf "%-10s %-42s %s\n", $1, $2, $3 }' "$tmp/all"
converted=$(count converted) rejected=$(count rejected) crashed=$(count crashed)
timed_out=$(count "timed out") bad=$(count bad)
echo "corpus: $total PDFs: $converted converted, $rejected rejected with an error, $crashed crashed," \
    "$timed_out timed out, $bad with a malformed result"
if ((done != total || converted + rejected != total)); then
    echo "test_corpus: FAILED: every file must convert or be rejected with one line" >&2
    exit 1
fi

#!/usr/bin/env bash
# run.sh -- builds the libFuzzer targets (clang, -DHY_BUILD_FUZZERS=ON) into build-fuzz/ and
# runs each for SECONDS (default 30), two at a time, from seeds assembled here from
# fixtures/ (and, when present, the small PDFs of ../shared/corpus/pdf). Fails when any
# target finds a crash, a leak, a timeout or an out-of-memory input; the input is kept
# as build-fuzz/fuzz-artifacts/TARGET-crash-... and reproduces with
# `build-fuzz/tests/fuzz/TARGET FILE`.
#
# Usage: tests/fuzz/run.sh [SECONDS]
# Environment: HY_FUZZ_BUILD   build folder (default: build-fuzz in the repository)
#              HY_FUZZ_JOBS    targets run at the same time (default 2)
#              HY_FUZZ_TARGETS which targets (default: all three)
#              HY_FUZZ_CORPUS  keep the corpora there, one folder per target, so that a
#                              later run goes on from them (default: a temporary folder)
#              HY_SHARED       the shared folder holding corpus/pdf (default: ../shared)
set -u

seconds=${1:-30}
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${HY_FUZZ_BUILD:-$root/build-fuzz}
jobs=${HY_FUZZ_JOBS:-2}
targets=${HY_FUZZ_TARGETS:-fuzz_normalize fuzz_segment fuzz_convert_pdf}
shared=${HY_SHARED:-$root/../shared}
here=$root/tests/fuzz

if ! [[ $seconds =~ ^[0-9]+$ ]] || ((seconds == 0)); then
    echo "usage: tests/fuzz/run.sh [SECONDS]" >&2
    exit 2
fi

echo "fuzz: building in $build" >&2
if [[ ! -f $build/CMakeCache.txt ]]; then
    cmake -S "$root" -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DHY_BUILD_FUZZERS=ON -DHY_BUILD_TESTS=OFF -DHY_BUILD_GENERATOR=OFF -DHY_WERROR=ON >/dev/null || exit 1
fi
cmake --build "$build" -j "$(nproc)" >/dev/null || { echo "fuzz: build failed" >&2; exit 1; }

# The run's seeds, logs and (unless HY_FUZZ_CORPUS) corpora live in the build folder:
# a cleaner of /tmp cannot pull them away in the middle of a long run.
tmp=$(mktemp -d "$build/fuzz-run.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
seeds=$tmp/seeds
mkdir -p "$seeds"/{fuzz_normalize,fuzz_segment,fuzz_convert_pdf} "$build/fuzz-artifacts"
shopt -s nullglob globstar

# Seeds: text fixtures for normalize and segment; segment also gets the PDF fixtures'
# lines with their layout ("@X Y SIZE<TAB>text", see fuzz_segment.c), as explain
# --layout prints them, a form feed between pages.
for f in "$root"/fixtures/**/*.txt; do
    name=$(echo "${f#"$root"/fixtures/}" | tr / _)
    cp "$f" "$seeds/fuzz_normalize/$name"
    cp "$f" "$seeds/fuzz_segment/$name"
done
for f in "$root"/fixtures/**/*.pdf; do
    "$build/tools/hyosho" explain --layout "$f" 2>/dev/null | awk '
        /^x=/ {
            x = substr($1, 3); y = substr($2, 3); size = substr($3, 6)
            split($6, where, ":"); page = where[1]
            text = $0; sub(/^[^|]*\| /, "", text)
            if (last != "" && page != last) printf "\f"
            last = page
            printf "@%s %s %s\t%s\n", x, y, size, text
        }' >"$seeds/fuzz_segment/layout-$(basename "$f" .pdf).txt"
done
# The whole conversion: every input fixture (PDF, text, broken and hostile ones), and
# the corpus PDFs up to 32 KiB except the resource bomb (which is the watchdogs' job).
for f in "$root"/fixtures/**/*; do
    case $f in *.json | *.error | *.args | *.page | *.md | *.rules) continue ;; esac
    [[ -f $f ]] && cp "$f" "$seeds/fuzz_convert_pdf/$(echo "${f#"$root"/fixtures/}" | tr / _)"
done
manifest=$shared/corpus/pdf/MANIFEST.tsv
if [[ -f $manifest ]]; then
    awk -F'\t' 'NR > 1 && $2 <= 32768 && $5 != "resource-bomb" { print $1 }' "$manifest" |
        while read -r name; do cp "$shared/corpus/pdf/$name" "$seeds/fuzz_convert_pdf/corpus-$name"; done
fi

# run_target NAME: one target for $seconds, its log in $tmp/NAME.log.
run_target() {
    local name=$1 corpus dict=() extra=()
    if [[ -n ${HY_FUZZ_CORPUS:-} ]]; then
        corpus=$HY_FUZZ_CORPUS/$name
    else
        corpus=$tmp/corpus/$name
    fi
    mkdir -p "$corpus"
    case $name in
    fuzz_normalize) extra=(-max_len=4096) ;;
    fuzz_segment) dict=(-dict="$here/segment.dict") extra=(-max_len=16384) ;;
    fuzz_convert_pdf) dict=(-dict="$here/pdf.dict") ;;
    esac
    # -timeout: one input may take this long (poppler on a damaged page included);
    # -rss_limit_mb: above ASan's own quarantine and caches, below a runaway input.
    LSAN_OPTIONS=suppressions=$root/tests/lsan.supp:print_suppressions=0 \
        UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        "$build/tests/fuzz/$name" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=3072 \
        -print_final_stats=1 -artifact_prefix="$build/fuzz-artifacts/$name-" "${dict[@]}" "${extra[@]}" \
        "$corpus" "$seeds/$name" >"$tmp/$name.log" 2>&1
    echo $? >"$tmp/$name.status"
}

running=0
for name in $targets; do
    if [[ ! -x $build/tests/fuzz/$name ]]; then
        echo "fuzz: no target $name in $build/tests/fuzz" >&2
        exit 2
    fi
    echo "fuzz: $name for ${seconds}s" >&2
    run_target "$name" &
    running=$((running + 1))
    if ((running >= jobs)); then
        wait -n
        running=$((running - 1))
    fi
done
wait

failed=0
for name in $targets; do
    status=$(cat "$tmp/$name.status" 2>/dev/null || echo "?")
    # The last status line (#N DONE cov: ... exec/s: ... rss: ...) and libFuzzer's run count.
    stats=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$tmp/$name.log" | tail -n 1)
    done_line=$(grep -E '^Done [0-9]+ runs' "$tmp/$name.log" | tail -n 1)
    if [[ $status == 0 ]]; then
        echo "fuzz: $name ok: $stats | $done_line"
    else
        failed=$((failed + 1))
        echo "fuzz: $name FAILED (exit $status):"
        grep -E 'ERROR|SUMMARY|Test unit written|==[0-9]+==|^artifact_prefix|runtime error' "$tmp/$name.log" | head -n 20
        cp "$tmp/$name.log" "$build/fuzz-artifacts/$name.log"
        echo "  (whole log: $build/fuzz-artifacts/$name.log)"
    fi
done
exit $((failed > 0))

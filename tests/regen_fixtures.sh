#!/usr/bin/env bash
# regen_fixtures.sh -- checks that every fixtures/pdf/NAME.page still describes its committed
# NAME.pdf: regenerates each PDF with hy_genfixture into a temporary folder and compares the text
# pdftotext extracts from both, in reading order and in content-stream order (-raw, which is what
# the 'order' statements vary). Text, not bytes: the bytes change with the cairo version.
#
# Usage: regen_fixtures.sh HY_GENFIXTURE [FIXTURES_DIR]   (FIXTURES_DIR defaults to fixtures/pdf)
# Exit: 0 all equal; 1 a fixture differs or does not build (each is named on stderr);
#       77 skipped, for ctest's SKIP_RETURN_CODE: no pdftotext or no generator.
set -u

gen=${1:-}
dir=${2:-$(cd "$(dirname "$0")/.." && pwd)/fixtures/pdf}

if [[ -z $gen || ! -x $gen ]]; then
    echo "regen_fixtures: skipped: no hy_genfixture at '$gen'" >&2
    exit 77
fi
if ! command -v pdftotext >/dev/null 2>&1; then
    echo "regen_fixtures: skipped: pdftotext is not installed" >&2
    exit 77
fi

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

shopt -s nullglob
pages=("$dir"/*.page)
if ((${#pages[@]} == 0)); then
    echo "regen_fixtures: no .page files in $dir" >&2
    exit 1
fi

failed=0
for page in "${pages[@]}"; do
    name=$(basename "$page" .page)
    committed=$dir/$name.pdf
    fresh=$tmp/$name.pdf
    if [[ ! -f $committed ]]; then
        echo "regen_fixtures: $name: $name.pdf is not committed beside $name.page" >&2
        failed=1
        continue
    fi
    if ! "$gen" "$page" "$fresh" 2>"$tmp/$name.err"; then
        echo "regen_fixtures: $name: hy_genfixture failed: $(cat "$tmp/$name.err")" >&2
        failed=1
        continue
    fi
    for mode in reading raw; do
        opt=()
        [[ $mode == raw ]] && opt=(-raw)
        pdftotext "${opt[@]}" "$committed" "$tmp/$name.$mode.committed.txt" &&
            pdftotext "${opt[@]}" "$fresh" "$tmp/$name.$mode.fresh.txt" || {
            echo "regen_fixtures: $name: pdftotext failed" >&2
            failed=1
            continue 2
        }
        if ! cmp -s "$tmp/$name.$mode.committed.txt" "$tmp/$name.$mode.fresh.txt"; then
            echo "regen_fixtures: $name: text ($mode order) of the regenerated PDF differs from $name.pdf:" >&2
            diff -u "$tmp/$name.$mode.committed.txt" "$tmp/$name.$mode.fresh.txt" | head -20 >&2
            failed=1
            continue 2
        fi
    done
done
exit $failed

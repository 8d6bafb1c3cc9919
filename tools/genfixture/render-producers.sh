#!/usr/bin/env bash
# render-producers.sh -- renders every fixtures/pdf/NAME.page (or the NAMEs given) with the two
# office producers of hy_genfixture: LibreOffice Writer (NAME.libreoffice.pdf) and Chromium's print
# to PDF (NAME.chromium.pdf), beside the cairo NAME.pdf, and checks that each has as many pages as
# NAME.pdf. `hyosho check` holds these PDFs to the same golden NAME.json.
#
# Usage: tools/genfixture/render-producers.sh [BUILD_DIR] [NAME...]
#   BUILD_DIR  the CMake build folder holding tools/genfixture/hy_genfixture (default: build)
#   NAME       a fixture name without .page (default: every fixtures/pdf/*.page)
# Exit: 0 all rendered; 1 a fixture failed (named on stderr); 2 soffice, chromium, pdfinfo or the
# generator is missing. The ordinary test run does not need this script or its programs.
set -u

root=$(cd "$(dirname "$0")/../.." && pwd)
build=build
if (($# > 0)) && [[ -d $1 ]]; then
    build=$1
    shift
fi
gen=$build/tools/genfixture/hy_genfixture
dir=$root/fixtures/pdf

missing=()
[[ -x $gen ]] || missing+=("hy_genfixture ($gen: build it with -DHY_BUILD_GENERATOR=ON)")
command -v soffice >/dev/null 2>&1 || missing+=("soffice (Debian: libreoffice-writer-nogui)")
command -v chromium >/dev/null 2>&1 || missing+=("chromium (Debian: chromium)")
command -v pdfinfo >/dev/null 2>&1 || missing+=("pdfinfo (Debian: poppler-utils)")
command -v timeout >/dev/null 2>&1 || missing+=("timeout (coreutils)")
if ((${#missing[@]} > 0)); then
    for m in "${missing[@]}"; do echo "render-producers: missing: $m" >&2; done
    exit 2
fi

names=("$@")
if ((${#names[@]} == 0)); then
    shopt -s nullglob
    for page in "$dir"/*.page; do names+=("$(basename "$page" .page)"); done
fi

pages_of() { pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ { print $2 }'; }

failed=0
for name in "${names[@]}"; do
    page=$dir/$name.page
    if [[ ! -f $page ]]; then
        echo "render-producers: $name: no $page" >&2
        failed=1
        continue
    fi
    want=$(pages_of "$dir/$name.pdf")
    for producer in libreoffice chromium; do
        out=$dir/$name.$producer.pdf
        if ! "$gen" --producer "$producer" "$page" "$out"; then
            echo "render-producers: $name: $producer failed" >&2
            failed=1
            continue
        fi
        got=$(pages_of "$out")
        if [[ -n $want && $got != "$want" ]]; then
            echo "render-producers: $name: $producer gives $got pages, $name.pdf has $want" >&2
            failed=1
            continue
        fi
        echo "$name.$producer.pdf: $got pages, $(($(wc -c <"$out") / 1024)) KiB"
    done
done
exit $failed

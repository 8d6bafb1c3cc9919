#!/usr/bin/env bash
# run.sh -- the benchmark of issue 7 (see BENCH.md): hyosho against pdftotext and the poppler
# floor (tools/bench/poppler_floor.c), on generated inputs. Run by hand on a quiet machine,
# never in ctest.
#
# Usage: tools/bench/run.sh [BUILD_DIR [BENCH_MD]]
#   BUILD_DIR  a configured build of this repository, Release or RelWithDebInfo (default: build)
#   BENCH_MD   where the results go (default: BENCH.md beside this repository's README.md);
#              an existing file keeps everything outside its <!-- bench:begin/end --> markers
# Environment:
#   HY_BENCH_RUNS     timed runs of each command, after one warm-up (default 5)
#   HY_BENCH_WAIT     seconds to wait for the 1-minute load average to fall to HY_BENCH_LOAD
#                     before measuring (default 900; the load is reported either way)
#   HY_BENCH_LOAD     (default 0.3)
#   HY_BENCH_TEXT_MB  size of the text corpus in MiB (default 32)
#   HY_BENCH_WORK     working folder, kept (default: a temporary folder, removed)
#
# Each command runs under /usr/bin/time, its output to a file, the timed runs taken in turns
# (a round over all commands, then the next): the table gives the median
# wall time and the median peak RSS of the timed runs, and the ratios the targets are about.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
bench_md=${2:-$root/BENCH.md}
runs=${HY_BENCH_RUNS:-5}
wait_max=${HY_BENCH_WAIT:-900}
load_max=${HY_BENCH_LOAD:-0.3}
text_mb=${HY_BENCH_TEXT_MB:-32}

for tool in /usr/bin/time pdftotext python3 awk; do
    command -v "$tool" >/dev/null || { echo "run.sh: $tool is needed" >&2; exit 2; }
done
cmake --build "$build" --target hyosho hy_genfixture hy_poppler_floor >/dev/null
hyosho=$build/tools/hyosho
floor=$build/tools/bench/hy_poppler_floor
genfixture=$build/tools/genfixture/hy_genfixture

if [[ -n ${HY_BENCH_WORK:-} ]]; then
    work=$HY_BENCH_WORK
    mkdir -p "$work"
else
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
fi

# ---- inputs -------------------------------------------------------------------------
echo "run.sh: generating the inputs in $work" >&2
python3 "$here/gen_report.py" page 300 "$work/report-300.page"
python3 "$here/gen_report.py" page --seed 3 3 "$work/report-3.page"
"$genfixture" "$work/report-300.page" "$work/report-300.pdf"
"$genfixture" "$work/report-3.page" "$work/report-3.pdf"
python3 "$here/gen_report.py" text "$text_mb" "$work/corpus.txt"
rm -rf "$work/batch-in" && mkdir -p "$work/batch-in"
for i in $(seq -w 1 40); do cp "$work/report-3.pdf" "$work/batch-in/report-$i.pdf"; done
# Ten times as many, to see how batch scales once its start-up is small beside the work
# (hard links where the file system allows: the same bytes, read through other names).
rm -rf "$work/batch-big" && mkdir -p "$work/batch-big"
for i in $(seq -w 1 400); do
    ln "$work/report-3.pdf" "$work/batch-big/report-$i.pdf" 2>/dev/null ||
        cp "$work/report-3.pdf" "$work/batch-big/report-$i.pdf"
done

# ---- a quiet machine ----------------------------------------------------------------
load1() { awk '{print $1}' /proc/loadavg; }
waited=0
while awk -v l="$(load1)" -v m="$load_max" 'BEGIN { exit !(l > m) }' && ((waited < wait_max)); do
    ((waited == 0)) && echo "run.sh: load $(load1) > $load_max, waiting (at most ${wait_max}s)" >&2
    sleep 15
    waited=$((waited + 15))
done
load_before=$(load1)

# ---- measuring ------------------------------------------------------------------------
# The commands, by name; each one's standard output goes to $work/out.NAME.
names=(pdftotext floor convert_j1 convert_default convert_3 convert_text convert_text_default)
have_batch=0
if "$hyosho" batch --help >/dev/null 2>&1; then
    have_batch=1
    names+=(batch_j1 batch_j2 batch_big_j1 batch_big_j2)
fi
have_review=0
if "$hyosho" review --help >/dev/null 2>&1 && command -v pdftoppm >/dev/null; then
    have_review=1
    names+=(pdftoppm review)
fi
# set_command NAME: the command of NAME into the array `command`.
set_command() {
    case $1 in
    pdftotext) command=(pdftotext "$work/report-300.pdf" "$work/pdftotext.txt") ;;
    floor) command=("$floor" "$work/report-300.pdf") ;;
    convert_j1) command=("$hyosho" convert -j 1 "$work/report-300.pdf") ;;
    convert_default) command=("$hyosho" convert "$work/report-300.pdf") ;;
    convert_3) command=("$hyosho" convert "$work/report-3.pdf") ;;
    # The text target is about one core: -j 1 keeps the digest and the JSON on one thread.
    convert_text) command=("$hyosho" convert -j 1 "$work/corpus.txt") ;;
    convert_text_default) command=("$hyosho" convert "$work/corpus.txt") ;;
    # batch: over the 40 copies (or the 400), into an output folder that measure() empties first
    batch_j1) command=("$hyosho" batch --quiet -j 1 -o "$work/batch-out" "$work/batch-in") ;;
    batch_j2) command=("$hyosho" batch --quiet -j 2 -o "$work/batch-out" "$work/batch-in") ;;
    batch_big_j1) command=("$hyosho" batch --quiet -j 1 -o "$work/batch-out" "$work/batch-big") ;;
    batch_big_j2) command=("$hyosho" batch --quiet -j 2 -o "$work/batch-out" "$work/batch-big") ;;
    # review: its page images at 110 dpi against pdftoppm's, both PNG, into the emptied folder
    pdftoppm) command=(pdftoppm -r 110 -png "$work/report-300.pdf" "$work/batch-out/page") ;;
    review) command=("$hyosho" review -o "$work/batch-out" "$work/report-300.pdf") ;;
    esac
}
# measure NAME: one run of it; appends "NAME wall rss" to $work/times (seconds, KiB).
# Wall time from the clock (/usr/bin/time gives hundredths only), peak RSS from time.
measure() {
    local name=$1 start end
    set_command "$name"
    # A fresh output folder for batch; and what the previous command wrote (or removed)
    # reaches the disk now, not during this one (batch -o flushes its outputs, and a flush
    # waits for whatever else the file system holds).
    rm -rf "$work/batch-out"
    [[ $name == pdftoppm ]] && mkdir -p "$work/batch-out"
    sync
    start=$(date +%s%N)
    /usr/bin/time -f "%M" -o "$work/time.$name" "${command[@]}" >"$work/out.$name" 2>"$work/err.$name" ||
        { echo "run.sh: $name failed:" >&2; cat "$work/err.$name" >&2; exit 1; }
    end=$(date +%s%N)
    echo "$name $(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.4f", (e - s) / 1e9 }') $(cat "$work/time.$name")" >>"$work/times"
}

: >"$work/times"
for name in "${names[@]}"; do
    set_command "$name"
    echo "run.sh: $name: ${command[*]}" >&2
    measure "$name" # the warm-up
done
: >"$work/times"
# The runs go round the commands, so that the machine's drift from minute to minute (5-10 %
# on a shared virtual machine) falls on every command alike and the ratios stay fair.
for run in $(seq "$runs"); do
    echo "run.sh: round $run of $runs" >&2
    for name in "${names[@]}"; do measure "$name"; done
done
load_after=$(load1)

# ---- the report -------------------------------------------------------------------------
json_bytes=$(wc -c <"$work/out.convert_default")
text_bytes=$(wc -c <"$work/corpus.txt")
cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
cores=$(nproc)
results=$(awk -v runs="$runs" -v json_bytes="$json_bytes" -v text_bytes="$text_bytes" \
    -v have_batch="$have_batch" -v have_review="$have_review" -v cores="$cores" '
    function median(list, n,    a, i, j, t) {
        n = split(list, a, " ")
        for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
        return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    { wall[$1] = wall[$1] " " $2; rss[$1] = rss[$1] " " $3; if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 } }
    END {
        label["pdftotext"] = "`pdftotext` report-300.pdf"
        label["floor"] = "poppler floor (`poppler_page_get_text` only), report-300.pdf"
        label["convert_j1"] = "`hyosho convert -j 1` report-300.pdf"
        label["convert_default"] = "`hyosho convert` report-300.pdf (default -j: " cores " cores)"
        label["convert_3"] = "`hyosho convert` report-3.pdf"
        label["convert_text"] = "`hyosho convert -j 1` corpus.txt (" sprintf("%.1f", text_bytes / 1048576) " MiB)"
        label["convert_text_default"] = "`hyosho convert` corpus.txt (default -j: " cores " cores)"
        label["batch_j1"] = "`hyosho batch -j 1`, 40 × report-3.pdf"
        label["batch_j2"] = "`hyosho batch -j 2`, 40 × report-3.pdf"
        label["batch_big_j1"] = "`hyosho batch -j 1`, 400 × report-3.pdf"
        label["batch_big_j2"] = "`hyosho batch -j 2`, 400 × report-3.pdf"
        label["pdftoppm"] = "`pdftoppm -r 110 -png` report-300.pdf"
        label["review"] = "`hyosho review` report-300.pdf (pages as PNG at 110 dpi, default -j)"
        print "| command | median wall (s) | runs (s) | median peak RSS (MiB) |"
        print "| --- | ---: | --- | ---: |"
        for (i = 1; i <= n; i++) {
            k = order[i]; w[k] = median(wall[k]); r[k] = median(rss[k])
            printf "| %s | %.3f | %s | %.1f |\n", label[k], w[k], substr(wall[k], 2), r[k] / 1024
        }
        if (!have_batch) print "| `hyosho batch` | – | not measured: `hyosho batch` does not exist in this build | – |"
        print ""
        print "| target | measured | goal | met |"
        print "| --- | ---: | ---: | :---: |"
        t = w["convert_j1"] / w["floor"]
        printf "| PDF→JSON `-j 1` / poppler floor | %.3f | ≤ 1.10 | %s |\n", t, (t <= 1.10 ? "yes" : "**no**")
        t = w["convert_default"] / w["pdftotext"]
        printf "| PDF→JSON default `-j` / `pdftotext` | %.3f | ≤ 0.65 | %s |\n", t, (t <= 0.65 ? "yes" : "**no**")
        t = text_bytes / 1e6 / w["convert_text"]
        printf "| text→JSON throughput, one core (`-j 1`, MB/s) | %.1f | ≥ 50 | %s |\n", t, (t >= 50 ? "yes" : "**no**")
        lim = 1.5 * r["convert_3"] + json_bytes / 1024
        printf "| peak RSS, 300 pages (MiB) vs 1.5 × 3 pages + JSON | %.1f vs %.1f | ≤ | %s |\n", r["convert_default"] / 1024, lim / 1024, (r["convert_default"] <= lim ? "yes" : "**no**")
        if (have_batch) {
            t = w["batch_j1"] / w["batch_j2"]
            printf "| `batch -j 2` speed-up over `-j 1` | %.2f× | ≥ 1.7× | %s |\n", t, (t >= 1.7 ? "yes" : "**no**")
            t = w["batch_big_j1"] / w["batch_big_j2"]
            printf "| (not a target) the same over 400 × report-3.pdf | %.2f× | – | – |\n", t
        } else {
            print "| `batch -j 2` speed-up over `-j 1` | – | ≥ 1.7× | not measured |"
        }
        if (have_review) {
            t = w["review"] / w["pdftoppm"]
            printf "| `hyosho review` / `pdftoppm -r 110 -png` | %.3f | ≤ 0.5 | %s |\n", t, (t <= 0.5 ? "yes" : "**no**")
        }
    }' "$work/times")

poppler_version=$(pkg-config --modversion poppler-glib 2>/dev/null || echo "?")
section=$(cat <<EOF
<!-- bench:begin (written by tools/bench/run.sh; edit outside the markers) -->
Measured $(date -u +%Y-%m-%dT%H:%MZ) on $cores cores ($cpu_model), $(uname -sr), poppler $poppler_version,
$("$hyosho" --version 2>/dev/null | head -1) built in \`$(basename "$build")\` ($(awk -F= '/^CMAKE_BUILD_TYPE:/ { print $2 }' "$build/CMakeCache.txt")).
Load average (1 min) before the runs: $load_before, after: $load_after. Each command: one warm-up, then $runs runs, taken in turns (round by round over the commands).
Inputs: 300-page and 3-page reports from \`tools/bench/gen_report.py\` through \`hy_genfixture\`
($(wc -c <"$work/report-300.pdf") and $(wc -c <"$work/report-3.pdf") bytes), and $(awk -v b="$text_bytes" 'BEGIN { printf "%.1f", b / 1048576 }') MiB of report text
(\`gen_report.py text $text_mb\`); the JSON of the 300-page report is $json_bytes bytes.

$results

Reproduce: \`tools/bench/run.sh $(basename "$build")\` (the inputs: \`HY_BENCH_WORK=DIR\` keeps them).
<!-- bench:end -->
EOF
)

if [[ -f $bench_md ]] && grep -q '<!-- bench:begin' "$bench_md"; then
    python3 - "$bench_md" "$section" <<'PYTHON'
import re, sys
path, section = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
text = re.sub(r"<!-- bench:begin.*?<!-- bench:end -->", lambda m: section, text, flags=re.S)
open(path, "w", encoding="utf-8").write(text)
PYTHON
else
    printf '# Benchmark\n\n%s\n' "$section" >"$bench_md"
fi
echo "run.sh: results in $bench_md" >&2
printf '%s\n' "$results"

#!/bin/bash
# test_man.sh -- the manual pages say what the program does: every command `hyosho --help`
# lists has its page hyosho-COMMAND.1 (and no page is left for a command that is gone), the
# options under OPTIONS of each page are exactly those of `hyosho [COMMAND] --help`, as
# --help writes them (`-o, --output=FILE`), the entries of --format, --csv-header and
# --profile name every value hyosho takes, every page has the sections a page needs, and
# every page renders without a warning (groff -ww; mandoc -Tlint too when installed).
# Usage: test_man.sh HYOSHO MAN_SOURCE_DIR MAN_BUILD_DIR: the pages of the source folder,
# read as the build configured them (exit 77 = skipped).
set -u
hyosho=$1
sources=$2
mandir=$3
. "$(dirname "$0")/test_lib.sh"
require_tools groff
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The option column of --help, or of a rendered OPTIONS section once its indent is taken
# off: `-o, --output=FILE`, one a line, sorted.
option_column() {
    sed -nE 's/^(-([^ ]| [^ ])*).*/\1/p' | sort
}
help_options() {
    "$hyosho" "$@" --help | sed -n 's/^  -/-/p' | option_column
}
# The tags of the entries under OPTIONS: `.TP` tags are rendered at column 7, their text
# at 14 (or after the tag, two spaces or more on).
page_options() {
    groff -man -Tascii -P-cbou -rLL=200n "$1" 2>/dev/null |
        sed -n '/^OPTIONS$/,/^[A-Z]/{s/^       -/-/p}' | option_column
}

# compare WHAT PAGE HELP_LIST PAGE_LIST
compare() {
    local missing unknown
    missing=$(comm -23 "$3" "$4" | tr '\n' ' ')
    unknown=$(comm -13 "$3" "$4" | tr '\n' ' ')
    [ -z "$missing" ] || fail "$1: $2 lacks, under OPTIONS, what --help has: $missing"
    [ -z "$unknown" ] || fail "$1: $2 has, under OPTIONS, what --help does not: $unknown"
    [ -z "$missing$unknown" ] && pass "$1: the options of $2 are those of --help ($(wc -l <"$3"))"
}

commands=$("$hyosho" --help | sed -nE '/^Commands:/,/^$/s/^  ([a-z][a-z0-9-]*) .*/\1/p')
[ -n "$commands" ] || fail "no command found in hyosho --help"

# ---- one page per command, and the program's page --------------------------------------
help_options >"$tmp/help" 2>&1
page_options "$mandir/hyosho.1" >"$tmp/page"
compare "hyosho" "hyosho.1" "$tmp/help" "$tmp/page"
for cmd in $commands; do
    page=$mandir/hyosho-$cmd.1
    if [ ! -f "$page" ]; then
        fail "$cmd: no page hyosho-$cmd.1 in $mandir (see man/README.md)"
        continue
    fi
    help_options "$cmd" >"$tmp/help" 2>&1
    page_options "$page" >"$tmp/page"
    compare "$cmd" "hyosho-$cmd.1" "$tmp/help" "$tmp/page"
    grep -qF ".BR hyosho\\-$cmd (1)" "$mandir/hyosho.1" || fail "hyosho.1 does not refer to hyosho-$cmd(1)"
done
# The values of --format, --csv-header and --profile, as the usage error for a bad one
# names them (its first `(json, jsonl or sqlite)`), are each in the option's entry.
for cmd in $commands; do
    for option in --format --csv-header --profile; do
        "$hyosho" "$cmd" --help | grep -q -- "^  $option=" || continue
        values=$("$hyosho" "$cmd" "$option" '?' x.pdf 2>&1 | sed -nE '1s/^[^(]*\(([^)]*)\).*/\1/p' |
            sed 's/, / /g; s/ or / /g')
        [ -n "$values" ] || fail "$cmd $option: no values in its usage error"
        # The entry's source, after its tag up to the next .TP or .SH: each value set in bold.
        entry=$(sed 's/\\-/-/g' "$mandir/hyosho-$cmd.1" |
            awk -v tag="$option=" '/^\.B/ && index($0, tag) {on = 1; next} /^\.(TP|SH)/ {on = 0} on')
        [ -n "$entry" ] || fail "hyosho-$cmd.1: no entry $option="
        named=0
        for value in $values; do
            grep -qE -- "^\.BR? $value( |\$)" <<<"$entry" && named=$((named + 1)) ||
                fail "hyosho-$cmd.1: the entry of $option does not name $value (as .B $value)"
        done
        [ "$named" = "$(wc -w <<<"$values")" ] && pass "hyosho-$cmd.1: the entry of $option names $(echo $values)"
    done
done
for page in "$sources"/hyosho-*.1; do
    cmd=${page##*/hyosho-}
    cmd=${cmd%.1}
    grep -qx "$cmd" <<<"$commands" || fail "hyosho-$cmd.1: hyosho --help lists no command $cmd"
done

# ---- sections and rendering ------------------------------------------------------------
have_mandoc=0
command -v mandoc >/dev/null 2>&1 && have_mandoc=1
for src in "$sources"/*.1; do
    name=${src##*/}
    page=$mandir/$name
    if [ ! -f "$page" ]; then
        fail "$name: not in $mandir: re-run cmake"
        continue
    fi
    for section in NAME SYNOPSIS DESCRIPTION OPTIONS "EXIT STATUS" EXAMPLES "SEE ALSO"; do
        grep -qE "^\.SH \"?$section\"?\$" "$page" || fail "$name: no section $section"
    done
    # A date and a version in .TH: the page was configured by the build.
    grep -q '^\.TH .*@' "$page" && fail "$name: .TH still holds an @VARIABLE@: $(grep '^\.TH' "$page")"
    groff -man -Tutf8 -ww -z "$page" 2>"$tmp/groff"
    [ -s "$tmp/groff" ] && fail "$name: groff warns: $(head -5 "$tmp/groff")" || pass "$name renders without a warning (groff)"
    if ((have_mandoc)); then
        mandoc -Tlint -W warning "$page" >"$tmp/mandoc" 2>&1
        [ -s "$tmp/mandoc" ] && fail "$name: mandoc -Tlint warns: $(head -5 "$tmp/mandoc")" || pass "$name: mandoc -Tlint"
    fi
done
((have_mandoc)) || echo "note: mandoc is not installed; the pages were checked by groff only"

echo "man: $failures failure(s)"
[ "$failures" = 0 ]

#!/bin/bash
# test_completion.sh -- the bash completion (tools/completion/hyosho.bash) as bash calls it,
# with COMP_WORDS and COMP_CWORD set: commands, each command's options (all those of its
# --help), the values of --format, --csv-header, --profile and --encoding (the lists in the
# completion file are held to the values hyosho's own usage errors name), and file names.
# Usage: test_completion.sh HYOSHO COMPLETION_FILE
set -u
hyosho=$(realpath "$1")
completion=$(realpath "$2")
. "$(dirname "$0")/test_lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# completions WORD...: what the completion offers for the last WORD (hyosho itself is the
# first), sorted, on one line. Runs in a bash of its own, as a user's shell would.
completions() {
    (cd "$tmp/files" && bash --norc --noprofile -c '
        source "$1" || exit 1
        shift
        COMP_WORDS=("$@")
        COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        _hyosho
        printf "%s\n" "${COMPREPLY[@]}"' complete "$completion" "$hyosho" "$@") | sort | tr '\n' ' ' | sed 's/ $//'
}
# offers WORDS... :: EXPECTED: the completion of WORDS is EXPECTED (sorted, space-separated).
offers() {
    local words=()
    while [ "$1" != "::" ]; do
        words+=("$1")
        shift
    done
    check "hyosho ${words[*]}<Tab>" "$2" "$(completions "${words[@]}")"
}
sorted() { tr ' ' '\n' | sed '/^$/d' | sort | tr '\n' ' ' | sed 's/ $//'; }

mkdir -p "$tmp/files/archive" "$tmp/files/out"
touch "$tmp/files/a.pdf" "$tmp/files/B.PDF" "$tmp/files/c.txt" "$tmp/files/d.text" "$tmp/files/e.json"

commands=$("$hyosho" --help | sed -nE '/^Commands:/,/^$/s/^  ([a-z][a-z0-9-]*) .*/\1/p')
offers conv :: convert
offers "" :: "$(echo "$commands help" | sorted)"
offers help e :: explain
offers - :: "--help --version"
offers convert --for :: --format
# Every long option of every command, as its --help lists it.
for cmd in $commands; do
    offers "$cmd" -- :: "$("$hyosho" "$cmd" --help | sed -nE 's/^  (-., )?(--[A-Za-z0-9-]+).*/\2/p' | sorted)"
done

# ---- values: the lists of the completion file and hyosho's usage errors ------------------
# values COMMAND OPTION: the values the usage error for a bad OPTION names, as its first
# `(a, b or c)`.
values() {
    "$hyosho" "$1" "$2" '?' x.pdf 2>&1 | sed -nE '1s/^[^(]*\(([^)]*)\).*/\1/p' | sed 's/, / /g; s/ or / /g' |
        sorted
}
# Each command's options that take one of a few values: what the completion offers for them
# is what hyosho takes.
for cmd in $commands; do
    for option in --format --csv-header --profile; do
        "$hyosho" "$cmd" --help | grep -q -- "^  $option=" || continue
        allowed=$(values "$cmd" "$option")
        [ -n "$allowed" ] || fail "$cmd $option: no values in its usage error: $("$hyosho" "$cmd" "$option" '?' x.pdf 2>&1)"
        offers "$cmd" "$option" "" :: "$allowed"
    done
done
formats=$(values convert --format)
offers convert --format = js :: "$(echo "$formats" | tr ' ' '\n' | grep '^js' | sorted)"
offers convert --format = :: "$formats"
encodings=$(completions convert --encoding "")
for encoding in $encodings; do
    # Exit 2 is a usage error; 1 only says that none.txt is not there.
    "$hyosho" convert --encoding "$encoding" "$tmp/none.txt" >/dev/null 2>&1
    [ $? = 2 ] && fail "the completion offers --encoding $encoding, which hyosho refuses" && encodings=
done
[ -n "$encodings" ] && pass "hyosho takes every --encoding the completion offers: $encodings"

# ---- file names ---------------------------------------------------------------------------
offers convert "" :: "B.PDF a.pdf archive c.txt d.text out"
offers convert --year 2019 "" :: "B.PDF a.pdf archive c.txt d.text out"
offers batch "" :: "B.PDF a.pdf archive c.txt d.text out"
offers review "" :: "B.PDF a.pdf archive c.txt d.text out"
offers review -o "" :: "archive out"
offers convert -o "" :: "B.PDF a.pdf archive c.txt d.text e.json out"
offers batch -o "" :: "archive out"
offers batch --output "" :: "archive out"
offers batch --db "" :: "B.PDF a.pdf archive c.txt d.text e.json out"
offers check "" :: "B.PDF a.pdf archive c.txt d.text e.json out"
offers convert --year "" :: ""
offers batch -j "" :: ""

echo "completion: $failures failure(s)"
[ "$failures" = 0 ]

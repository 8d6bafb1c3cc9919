#!/bin/bash
# test_cli.sh -- the hyosho command line as a user meets it: help, version, exit codes,
# one-line errors for inputs that cannot be converted, stdin, and nothing on stdout
# when a conversion fails. Usage: test_cli.sh HYOSHO FIXTURES_DIR
set -u
hyosho=$1
fixtures=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/test_lib.sh"

# expect STATUS DESCRIPTION -- COMMAND...: runs COMMAND, checks its exit status.
expect() {
    local want=$1 what=$2
    shift 3
    "$@" >"$tmp/out" 2>"$tmp/err"
    local got=$?
    [ "$got" = "$want" ] || fail "$what: exit $got, expected $want (stderr: $(head -c 300 "$tmp/err"))"
}

# A failed conversion: exit 1, exactly one line on stderr naming the file, nothing on stdout.
expect_input_error() {
    local what=$1 path=$2 reason=$3
    expect 1 "$what" -- "$hyosho" convert "$path"
    [ -s "$tmp/out" ] && fail "$what: wrote to stdout"
    [ "$(wc -l <"$tmp/err")" = 1 ] || fail "$what: stderr is not one line: $(cat "$tmp/err")"
    grep -q "^hyosho: $path: .*$reason" "$tmp/err" || fail "$what: stderr '$(cat "$tmp/err")' lacks 'hyosho: $path: ...$reason'"
}

expect 0 "--help" -- "$hyosho" --help
grep -q "convert" "$tmp/out" || fail "--help does not list convert"
expect 0 "--version" -- "$hyosho" --version
grep -q "^hyosho [0-9]" "$tmp/out" || fail "--version prints '$(cat "$tmp/out")'"
# The installed program has no test hooks: their variables change nothing.
grep -q "test hooks" "$tmp/out" && fail "--version of hyosho says it has test hooks"
HYOSHO_TEST_CRASH_ON=award HYOSHO_TEST_HANG_ON=award HYOSHO_TEST_STALL_ON=award HYOSHO_TEST_WRITE_DELAY=600 \
    HYOSHO_TEST_SQLITE_DELAY=600 HYOSHO_TEST_RETIRE_MB=0 HYOSHO_TEST_WORKER_LOG="$tmp/worker.log" \
    expect 0 "hyosho with every test variable set" -- timeout 60 "$hyosho" convert -o "$tmp/hooks.db" \
    "$fixtures/pdf/award-2019.pdf"
grep -q "test:" "$tmp/err" && fail "hyosho obeyed a test variable: $(cat "$tmp/err")"
HYOSHO_TEST_CRASH_ON=award HYOSHO_TEST_WORKER_LOG="$tmp/worker.log" \
    expect 0 "hyosho batch with HYOSHO_TEST_CRASH_ON set" -- timeout 60 "$hyosho" batch -q "$fixtures/pdf/award-2019.pdf"
[ -e "$tmp/worker.log" ] && fail "a worker of hyosho wrote HYOSHO_TEST_WORKER_LOG"
expect 0 "convert --help" -- "$hyosho" convert --help
grep -q -- "--compact" "$tmp/out" || fail "convert --help lacks --compact"
expect 0 "help convert" -- "$hyosho" help convert
expect 2 "no command" -- "$hyosho"
expect 2 "unknown command" -- "$hyosho" frobnicate
expect 2 "help of an unknown command" -- "$hyosho" help frobnicate
grep -q "frobnicate --help" "$tmp/err" && fail "help frobnicate points at 'hyosho frobnicate --help'"
grep -q "^hyosho: unknown command 'frobnicate'" "$tmp/err" || fail "help frobnicate: $(cat "$tmp/err")"
expect 2 "unknown option" -- "$hyosho" convert --no-such-option x
grep -q "see 'hyosho convert --help'" "$tmp/err" || fail "usage error does not point at --help"
expect 2 "convert without input" -- "$hyosho" convert
# -jN spelled as make spells it is -j N; anything else after -j stays a usage error.
sample="$fixtures/text/award-2019-excerpt.txt"
expect 0 "-j2 attached" -- "$hyosho" convert -j2 --year 2019 "$sample"
cp "$tmp/out" "$tmp/attached.json"
expect 0 "-j 2 separate" -- "$hyosho" convert -j 2 --year 2019 "$sample"
cmp -s "$tmp/out" "$tmp/attached.json" || fail "-j2 and -j 2 gave different output"
expect 2 "-jx" -- "$hyosho" convert -jx "$sample"
# An input whose name starts with '-', after --.
cp "$sample" "$tmp/-odd.txt"
hyosho_path=$(cd "$(dirname "$hyosho")" && pwd)/$(basename "$hyosho")
expect 0 "input named -odd.txt after --" -- sh -c "cd \"$tmp\" && \"$hyosho_path\" convert --year 2019 -- -odd.txt"
grep -q '"path" : "-odd.txt"' "$tmp/out" || fail "-- -odd.txt: not converted"

# Inputs that cannot be converted.
: >"$tmp/empty.txt"
expect_input_error "empty file" "$tmp/empty.txt" "empty"
expect_input_error "directory" "$tmp" "directory"
expect_input_error "missing file" "$tmp/nope.pdf" "No such file"
head -c 3000 "$fixtures/pdf/award-2019.pdf" >"$tmp/truncated.pdf"
expect_input_error "truncated PDF" "$tmp/truncated.pdf" "PDF"
head -c 4096 /dev/urandom | tr -d '%' >"$tmp/binary.bin"
printf '\0\1\2' >>"$tmp/binary.bin"
expect_input_error "binary file" "$tmp/binary.bin" "not a PDF or text"

printf 'これは受賞団体の概要ではない文書です。\n議事録の一部。\n' >"$tmp/minutes.txt"
expect_input_error "no award report" "$tmp/minutes.txt" "not an award report"
expect 0 "explain still traces a document without awards" -- "$hyosho" explain "$tmp/minutes.txt"
# A release's cover alone is part of an award report: it converts, with no awards, its date
# and list kept; explain shows its lines as cover lines, none in an award.
printf '報道資料\n令和5年5月29日\n第18回自治体国際交流表彰(総務大臣賞)\n受賞団体\n ○千葉市(千葉県)\n ○鳥取県\n連絡先\n総務省自治行政局国際室\n電話:03-5253-0000\n' >"$tmp/cover.txt"
# A dated document that is none of a release's parts is still no award report.
printf '令和5年5月29日\n国際交流委員会 議事録\n出席者は次のとおり。\n' >"$tmp/dated.txt"
expect_input_error "a dated document that is no report" "$tmp/dated.txt" "not an award report"
expect 0 "a cover alone converts" -- "$hyosho" convert --compact "$tmp/cover.txt"
grep -q '"awards":\[\]' "$tmp/out" || fail "a cover alone: awards not empty: $(cat "$tmp/out")"
grep -q '"date":"2023-05-29"' "$tmp/out" || fail "a cover alone: no date: $(cat "$tmp/out")"
grep -q '"listed_awardees":\["千葉市","鳥取県"\]' "$tmp/out" || fail "a cover alone: listed awardees: $(cat "$tmp/out")"
# explain says why a line was joined to the one before it.
expect 0 "explain of the sample" -- "$hyosho" explain "$sample"
grep -A1 '| 交流と協力の深化に関する覚書締結' "$tmp/out" | grep -q 'joined: caption: the line before cannot end it' ||
    fail "explain does not say why the caption's second line was joined: $(grep -A1 覚書締結 "$tmp/out")"
expect 0 "explain of a cover" -- "$hyosho" explain "$tmp/cover.txt"
grep -v '^#' "$tmp/out" | grep -q ' #[0-9]' && fail "explain of a cover: a line went to an award: $(cat "$tmp/out")"
grep -q 'cover *| 連絡先' "$tmp/out" || fail "explain of a cover: 連絡先 not shown as cover: $(cat "$tmp/out")"

# The format comes from the bytes, not the name.
cp "$fixtures/pdf/award-2019.pdf" "$tmp/report.txt"
expect 0 "PDF named .txt" -- "$hyosho" convert --compact "$tmp/report.txt"
grep -q '"format":"pdf"' "$tmp/out" || fail "a PDF named .txt is not read as PDF"

# stdin, --compact, --year.
expect 0 "stdin" -- sh -c "\"$hyosho\" convert --compact --year 2019 - <\"$fixtures/text/award-2019-excerpt.txt\""
[ "$(wc -l <"$tmp/out")" = 1 ] || fail "--compact output is not one line"
grep -q '"path":"-"' "$tmp/out" || fail "stdin path is not '-'"
grep -q '"year":2019' "$tmp/out" || fail "--year not applied"

# A rules file that does not compile: exit 3 before any input is read, naming file and line.
printf 'broken\tbullet\t^(unclosed\n' >"$tmp/bad.rules"
expect 3 "bad rules" -- "$hyosho" convert --rules "$tmp/bad.rules" "$fixtures/text/award-2019-excerpt.txt"
grep -q "bad.rules:1: rule 'broken'" "$tmp/err" || fail "bad rules error: $(cat "$tmp/err")"

# A contact block under a header no rule knows (【連絡窓口】) is read, and the header is warned about.
custom="$fixtures/text/custom-rules"
expect 0 "default rules on a new label" -- "$hyosho" convert --compact "$custom/contact-window.txt"
grep -q '"department":"松本市文化観光部国際課"' "$tmp/out" || fail "contact block under 【連絡窓口】 not read"
grep -q '"line 6: contact-like block under an unknown header 【連絡窓口】"' "$tmp/out" ||
    fail "unknown contact header not warned about: $(head -c 300 "$tmp/out")"
# Rules are data: a file of one rule extends the built-in ones, and the header is then known.
printf 'window\tcontact\t^【連絡窓口】$\n' >"$tmp/window.rules"
expect 0 "one-rule file" -- "$hyosho" convert --compact --rules "$tmp/window.rules" "$custom/contact-window.txt"
grep -q '"department":"松本市文化観光部国際課","postal_code":"390-8620"' "$tmp/out" || fail "one-rule file does not extend"
if grep -q "unknown header" "$tmp/out"; then fail "header of the rules file still unknown"; fi
expect 0 "modified rules file" -- "$hyosho" convert --compact --rules "$custom/window-label.rules" "$custom/contact-window.txt"
grep -q '"department":"松本市文化観光部国際課"' "$tmp/out" || fail "--rules file not applied: $(head -c 300 "$tmp/out")"

# check's variants: doc.VARIANT.txt without a golden of its own is held to doc.json and doc.args.
mkdir "$tmp/variants"
v="$tmp/variants"
cp "$sample" "$v/doc.txt"
cp "$fixtures/text/award-2019-excerpt.args" "$v/doc.args"
cp "$fixtures/text/award-2019-excerpt.json" "$v/doc.json"
cp "$sample" "$v/doc.copy.txt"
printf '\n' >>"$v/doc.copy.txt" # another sha256, the same document
expect 0 "check: a variant differing only in sha256" -- "$hyosho" check "$v/doc.copy.txt"
sed 's/076-444-3158/076-444-3159/' "$sample" >"$v/doc.edited.txt"
expect 1 "check: a variant differing in a field" -- "$hyosho" check "$v"
grep -q "^FAIL $v/doc.edited.txt (against $v/doc.json)" "$tmp/out" || fail "check does not name the variant: $(head -3 "$tmp/out")"
grep -q "contact.tel: expected \"076-444-3158\", got \"076-444-3159\"" "$tmp/out" || fail "check: the variant's field is not reported"
grep -q "doc.copy.txt" "$tmp/out" && fail "check: the sha256-only variant is reported"
"$hyosho" check --update "$v/doc.txt" >/dev/null # the golden's own source.path
cp "$v/doc.json" "$tmp/doc.json.before"
expect 1 "check --update with a differing variant" -- "$hyosho" check --update "$v"
cmp -s "$v/doc.json" "$tmp/doc.json.before" || fail "check --update rewrote the shared golden from a variant"
grep -q "FAIL $v/doc.edited.txt" "$tmp/out" || fail "check --update does not report the differing variant"
expect 1 "check --matrix" -- "$hyosho" check --matrix "$v"
grep -Eq "^golden +txt +copy.txt +edited.txt$" "$tmp/out" || fail "check --matrix header: $(head -1 "$tmp/out")"
grep -Eq "^doc +ok +ok +FAIL$" "$tmp/out" || fail "check --matrix row: $(sed -n 2p "$tmp/out")"
# A variant's own golden wins over the shared one.
"$hyosho" convert "$v/doc.edited.txt" >"$v/doc.edited.json" # its own golden: doc.args is not its
expect 0 "check: a variant with a golden of its own" -- "$hyosho" check "$v"
grep -q "all match" "$tmp/out" || fail "check with the variant's own golden: $(cat "$tmp/out")"
# A text extraction of a PDF held to the PDF's golden: format and pages are not compared.
if command -v pdftotext >/dev/null 2>&1; then
    mkdir "$tmp/text-variant"
    cp "$fixtures/pdf/award-2019.pdf" "$fixtures/pdf/award-2019.json" "$tmp/text-variant/"
    pdftotext "$tmp/text-variant/award-2019.pdf" "$tmp/text-variant/award-2019.pdftotext.txt"
    expect 0 "check: a text variant of a PDF golden" -- "$hyosho" check "$tmp/text-variant"
    grep -q "2 fixtures, all match" "$tmp/out" || fail "check: text variant: $(cat "$tmp/out")"
fi

if [ "$failures" -gt 0 ]; then
    echo "$failures CLI check(s) failed"
    exit 1
fi
echo "all CLI checks passed"

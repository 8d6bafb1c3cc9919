#!/bin/bash
# test_safety.sh -- hyosho never destroys a user's data and says what is wrong in the
# user's terms: the output format follows -o's extension, a file that is not hyosho's own
# output of that format is replaced only with --overwrite (convert, batch -o, batch --db),
# devices, pipes and links are written through, every option's bad value is a usage error
# (exit 2) before any input is read, unwritable folders are found before the first
# conversion, and batch's progress line is redrawn at most ~10 times a second.
# Usage: test_safety.sh HYOSHO FIXTURES_DIR (exit 77 = skipped).
set -u
hyosho=$1
fixtures=$2
. "$(dirname "$0")/test_lib.sh"
require_tools sqlite3 cmp
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp" # an unprivileged user runs hyosho in here below
cd "$tmp" || exit 1
pdf=$fixtures/pdf/award-2019.pdf
text=$fixtures/text/award-2019-excerpt.txt

# run STATUS DESCRIPTION COMMAND...: runs COMMAND (stdout in out, stderr in err) and
# checks its exit status.
run() {
    local want=$1 what=$2
    shift 2
    "$@" >out 2>err
    local got=$?
    [ "$got" = "$want" ] && pass "$what: exit $want" ||
        fail "$what: exit $got, expected $want (stderr: $(head -c 300 err))"
}
# said TEXT DESCRIPTION: stderr holds TEXT (a fixed string).
said() {
    grep -qF -- "$1" err && pass "$2" || fail "$2: stderr '$(head -c 300 err)' lacks '$1'"
}
documents() { sqlite3 "$1" 'SELECT count(*) FROM documents'; }

# ---- the format follows the extension -------------------------------------------------
# README's per-file loop, once with --format forgotten: the database still gets the rows.
for p in "$fixtures"/pdf/*.page; do
    "$hyosho" convert --format sqlite -o awards.db "${p%.page}.pdf" 2>/dev/null
done
before=$(documents awards.db)
[ "$before" -gt 10 ] && pass "README's loop fills awards.db ($before documents)" || fail "README's loop: $before documents"
for p in "$fixtures"/text/award-2019*.txt; do "$hyosho" convert --year 2019 -o awards.db "$p" 2>/dev/null; done
after=$(documents awards.db)
[ "$after" -gt "$before" ] && pass "the loop without --format adds to awards.db ($before -> $after)" ||
    fail "the loop without --format: $before -> $after documents"
run 2 "-o awards.db --format json" "$hyosho" convert -o awards.db --format json "$pdf"
said "--format json contradicts -o awards.db" "the contradiction is named"
check "the database is intact after the refusal" "$after" "$(documents awards.db)"
run 0 "-o x.jsonl (JSON Lines by extension)" "$hyosho" convert -o x.jsonl "$pdf"
check "x.jsonl holds one line an award" 3 "$(wc -l <x.jsonl)"
run 0 "-o X.NDJSON" "$hyosho" convert -o X.NDJSON "$pdf"
cmp -s x.jsonl X.NDJSON && pass ".ndjson, in any case, is JSON Lines too" || fail ".NDJSON differs from .jsonl"
run 0 "-o x.sqlite3" "$hyosho" convert -o x.sqlite3 "$pdf"
check "x.sqlite3 is a database" 1 "$(documents x.sqlite3)"
run 0 "-o out.txt (no format in the name: JSON)" "$hyosho" convert -o out.txt "$pdf"
head -c 1 out.txt | grep -q '{' && pass "out.txt holds JSON" || fail "out.txt is not JSON"

# ---- nothing of the user's is replaced without --overwrite -----------------------------------
cp awards.db copy.out
run 1 "JSON onto a hyosho database named .out" "$hyosho" convert -o copy.out "$pdf"
said "hyosho: copy.out: exists and is a hyosho database, which JSON would replace" "the refusal names the file and what it is"
[ "$(wc -l <err)" = 1 ] && pass "the refusal is one line" || fail "the refusal: $(cat err)"
check "the database named .out is intact" "$after" "$(documents copy.out)"
printf '{"mine": true}\n' >mine.json
cp mine.json mine.orig
run 1 "JSON onto the user's own JSON" "$hyosho" convert -o mine.json "$pdf"
said "exists and is a file hyosho did not write" "the user's JSON is called what it is"
cmp -s mine.json mine.orig && pass "the user's JSON is intact" || fail "the user's JSON changed"
run 0 "--overwrite replaces it" "$hyosho" convert -o mine.json --overwrite "$pdf"
run 0 "hyosho's own JSON is replaced without asking" "$hyosho" convert -o mine.json "$pdf"
"$hyosho" convert -o mine.out "$pdf" 2>/dev/null
run 1 "JSON Lines onto hyosho's JSON" "$hyosho" convert --format jsonl -o mine.out "$pdf"
said "exists and is a JSON document of hyosho, which JSON Lines would replace" "JSON is not JSON Lines"
printf 'notes of mine\n' >notes.db
run 1 "a database onto the user's notes.db" "$hyosho" convert -o notes.db "$pdf"
said "hyosho: notes.db: exists and is a file hyosho did not write" "the refusal names notes.db"
check "notes.db is intact" "notes of mine" "$(cat notes.db)"
run 0 "--overwrite makes notes.db a database" "$hyosho" convert -o notes.db --overwrite "$pdf"
check "notes.db now holds the document" 1 "$(documents notes.db)"
sqlite3 theirs.db 'CREATE TABLE t (x); INSERT INTO t VALUES (42)'
run 1 "a database into someone else's SQLite database" "$hyosho" convert -o theirs.db "$pdf"
said "exists and is a SQLite database hyosho did not make" "a foreign database is called what it is"
check "the foreign database is intact" 42 "$(sqlite3 theirs.db 'SELECT x FROM t')"
: >empty.db
run 0 "an empty file takes a database" "$hyosho" convert -o empty.db "$pdf"

# ---- devices, pipes and links are written through, never replaced ----------------------
mkfifo pipe
cat pipe >from-pipe &
reader=$!
run 0 "-o a FIFO" "$hyosho" convert -o pipe "$pdf"
wait $reader
[ -p pipe ] && pass "the FIFO is still a FIFO" || fail "the FIFO was replaced by a file"
"$hyosho" convert "$pdf" >expected.json
cmp -s from-pipe expected.json && pass "the FIFO's reader got the JSON" || fail "the FIFO's reader got other bytes"
"$hyosho" convert "$text" --year 2019 >target.json
ln -s target.json link.json
run 0 "-o a link to hyosho's JSON" "$hyosho" convert -o link.json "$pdf"
[ -L link.json ] && pass "the link stays a link" || fail "the link was replaced by a file"
cmp -s target.json expected.json && pass "the link's target holds the new JSON" || fail "the link's target was not written"
if [ -c /dev/full ]; then
    run 1 "-o /dev/full" "$hyosho" convert -o /dev/full "$pdf"
    check "a full device is said in one line" "hyosho: /dev/full: write failed: No space left on device" "$(cat err)"
fi
run 1 "a database onto a FIFO" "$hyosho" convert --format sqlite -o pipe "$pdf"
said "is a device or pipe" "a FIFO is no database"

# ---- every option checked before any input is read: usage errors, exit 2 -------------------
# The input does not exist: only an up-front check can give exit 2.
bad_option() {
    local command=$1 message=$2
    shift 2
    run 2 "$command $*" "$hyosho" "$command" "$@" no-such-input.pdf
    said "$message" "$command $*: says '$message'"
}
for command in convert batch; do
    bad_option $command "--profile: 'newer' is not a built-in profile (default, older)" --profile newer
    bad_option $command "--encoding: 'FOO' is not an encoding ICU knows" --encoding FOO
    bad_option $command "--year: '1850' is not a year of the award, 2006 to" --year 1850
    bad_option $command "--year: '99999' is not a year of the award" --year 99999
    bad_option $command "-j: '-3' is not a number of jobs from 1 to 256" -j -3
    bad_option $command "--jobs: '0' is not a number of jobs" --jobs 0
    bad_option $command "--timeout: 'soon' is not a number of seconds" --timeout soon
    bad_option $command "--max-bytes: '12X' is not a size" --max-bytes 12X
done
bad_option convert "--format: 'xml' is not a format (json, jsonl, csv or sqlite)" --format xml
bad_option batch "--shard needs K/N with 1 <= K <= N" --shard 3/2
bad_option batch "--db takes a SQLite database, and out.json is named as json" --db out.json
run 0 "good values pass" "$hyosho" convert --profile older --encoding utf-8 --year 2019 -j 1 --timeout 5 "$text"

# ---- rules files: extending by default, %replace warned about what it lacks ------------------
custom=$fixtures/text/custom-rules
run 0 "a %replace rules file" "$hyosho" convert --rules "$custom/replace-only.rules" "$custom/replace-window.txt"
said "replace-only.rules: warning: no rule of kind 'field'" "what a replacing file lacks is said when it loads"
grep -q "rules replace-only.rules: no rule of kind 'field'" out && pass "and is in the report's warnings" ||
    fail "the report's warnings lack the rules file's: $(head -c 300 out)"
printf 'window\tcontact\t^【連絡窓口】$\n' >one.rules
run 0 "a rules file of one rule" "$hyosho" convert --rules one.rules "$custom/contact-window.txt"
[ -s err ] && fail "a rules file that extends the built-in ones is warned about: $(cat err)" || pass "an extending file lacks nothing"
run 0 "the 【連絡窓口】 report with the built-in rules" "$hyosho" convert --compact "$custom/contact-window.txt"
grep -q '"department":"松本市文化観光部国際課"' out && grep -q 'contact-like block under an unknown header 【連絡窓口】' out &&
    pass "its contact is read and its header named in warnings" || fail "【連絡窓口】: $(head -c 400 out)"

# ---- folders that cannot take the output are found first, in the user's terms ---------------
run 1 "-o into a missing folder" "$hyosho" convert -o nope/x.json "$pdf"
check "the message names the folder" "hyosho: nope/x.json: folder nope/ does not exist" "$(cat err)"
run 1 "--db into a missing folder" "$hyosho" batch --db nope/awards.db "$pdf"
said "hyosho: nope/awards.db: folder nope/ does not exist" "batch --db names the missing folder"
mkdir -p taken
printf 'my notes\n' >taken/failures.jsonl
run 1 "batch -o onto the user's failures.jsonl" "$hyosho" batch -q -o taken "$pdf"
said "taken/failures.jsonl: exists and is a file hyosho did not write" "the refusal names failures.jsonl"
check "nothing was converted into taken/" "" "$(ls taken | grep -v failures.jsonl)"
mkdir -p outdir
cp mine.orig outdir/award-2019.json
run 1 "batch -o onto the user's file of an output's name" "$hyosho" batch -q -o outdir "$pdf" "$text"
said "its output outdir/award-2019.json exists and is a file hyosho did not write" "the input whose output is taken fails, saying why"
cmp -s outdir/award-2019.json mine.orig && pass "the user's file in OUTDIR is intact" || fail "the user's file in OUTDIR changed"
[ -s outdir/award-2019-excerpt.json ] && pass "the other input is converted" || fail "the other input is missing"
run 0 "batch --overwrite replaces it" "$hyosho" batch -q --overwrite -o outdir "$pdf" "$text"
head -c 1 outdir/award-2019.json | grep -q '{' && pass "OUTDIR's file is now hyosho's" || fail "OUTDIR's file not replaced"
printf 'notes of mine\n' >batch.db
run 1 "batch --db onto the user's file" "$hyosho" batch -q --db batch.db "$pdf"
check "batch.db is intact" "notes of mine" "$(cat batch.db)"

# Read-only folders: hyosho must run as a user the folder refuses (root writes anywhere).
as_user=()
if [ "$(id -u)" != 0 ]; then
    as_user=(env)
elif command -v setpriv >/dev/null 2>&1; then
    as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
if [ ${#as_user[@]} -gt 0 ] && "${as_user[@]}" test -r "$pdf" && "${as_user[@]}" test -x "$hyosho"; then
    mkdir -p ro/full
    cp awards.db ro/kept.db
    chmod 755 ro/full
    chmod 555 ro
    run 1 "SQLite into a read-only folder" "${as_user[@]}" "$hyosho" convert -o ro/new.db "$pdf"
    check "in the user's terms" "hyosho: ro/new.db: cannot write in folder ro/: it is read-only" "$(cat err)"
    run 1 "JSON into a read-only folder" "${as_user[@]}" "$hyosho" convert -o ro/x.json "$pdf"
    said "cannot write in folder ro/: it is read-only" "JSON: the folder is named"
    run 1 "batch -o into a read-only folder" "${as_user[@]}" "$hyosho" batch -o ro "$pdf" "$text"
    check "batch stops at once with one line" "hyosho: ro: cannot write in folder ro/: it is read-only" "$(cat err)"
    chmod 755 ro
    chmod 444 ro/kept.db
    run 1 "a read-only database" "${as_user[@]}" "$hyosho" convert -o ro/kept.db "$pdf"
    said "hyosho: ro/kept.db: the database file is read-only" "a read-only database is named"
else
    echo "skipped: the read-only folder checks need a user other than root (setpriv) who can run $hyosho"
fi

# ---- the progress line is throttled ------------------------------------------------------------
if command -v script >/dev/null 2>&1; then
    mkdir -p many
    for i in $(seq 1 150); do cp "$text" "many/r$i.txt"; done
    start=$(date +%s%N)
    script -qfec "'$hyosho' batch -j 2 --year 2019 -o many-out many" /dev/null >tty.log 2>&1
    elapsed_ms=$((($(date +%s%N) - start) / 1000000))
    redraws=$(grep -o 'batch: [0-9]*/150 files' tty.log | wc -l)
    allowed=$((elapsed_ms / 100 + 3))
    [ "$redraws" -le "$allowed" ] && pass "progress redrawn $redraws times in $elapsed_ms ms (at most $allowed)" ||
        fail "progress redrawn $redraws times in $elapsed_ms ms (more than $allowed)"
    grep -q "batch: 150 files, 150 converted" tty.log && pass "the summary follows the progress" || fail "no summary: $(tail -c 300 tty.log)"
else
    echo "skipped: the progress check needs script(1)"
fi

[ "$failures" = 0 ] && echo "all checks passed"
exit $((failures > 0))

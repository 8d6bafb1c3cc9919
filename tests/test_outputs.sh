#!/bin/sh
# test_outputs.sh -- `hyosho convert`'s outputs for downstream databases: --format
# json|jsonl|sqlite with -o, files replaced atomically (also when the process is killed or
# terminated mid-write), a SQLite import that replaces instead of duplicating, rolls back a
# failing or killed document, keeps its foreign keys, and refuses a newer schema; usage
# errors. Run by ctest as: test_outputs.sh HYOSHO FIXTURES (exit 77 = skipped).
set -u
HYOSHO=$1
FIXTURES=$2
. "$(dirname "$0")/test_lib.sh"
require_tools sqlite3 jq cmp
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cd "$TMP" || exit 1
TEXT=$FIXTURES/text/award-2019-excerpt.txt
PDF=$FIXTURES/pdf/award-2019.pdf
TABLES="documents awards partners evaluations contacts captions warnings failures"
counts() {
    for t in $TABLES; do printf '%s=%s ' "$t" "$(sqlite3 "$1" "SELECT count(*) FROM $t")"; done
}
no_temp_files() {
    # GLib's temporary file is NAME.XXXXXX beside NAME; SQLite's journal is NAME-journal.
    set -- "$1".?????? "$1"-journal
    for f in "$@"; do [ -e "$f" ] && return 1; done
    return 0
}
# start_paused VAR_WITH_DELAY OUTPUT ARGS...: runs hyosho in the background with a test
# pause in its output step and returns once it is paused; $PID is the process.
start_paused() {
    variable=$1
    shift
    rm -f paused.err
    env "$variable=30" "$HYOSHO" "$@" >/dev/null 2>paused.err &
    PID=$!
    i=0
    until grep -q 'hyosho: test: pausing' paused.err 2>/dev/null; do
        i=$((i + 1))
        if [ $i -gt 300 ]; then
            fail "hyosho never reached its test pause: $(cat paused.err)"
            kill -9 $PID 2>/dev/null
            return 1
        fi
        sleep 0.1
    done
}

# ---- usage ---------------------------------------------------------------------------
"$HYOSHO" convert --format sqlite "$TEXT" >/dev/null 2>usage.err
check "--format sqlite without -o exits 2" 2 $?
grep -q "needs -o DATABASE" usage.err || fail "usage message: $(cat usage.err)"
"$HYOSHO" convert --format sqlite -o - "$TEXT" >/dev/null 2>&1
check "--format sqlite -o - exits 2" 2 $?
"$HYOSHO" convert --format xml "$TEXT" >/dev/null 2>&1
check "--format xml exits 2" 2 $?

# ---- JSON and JSON Lines -----------------------------------------------------------------
# stdout gets the JSON as it is generated; a stdout that cannot take it is a failure.
if [ -w /dev/full ]; then
    for format in json jsonl; do
        "$HYOSHO" convert --format $format "$TEXT" >/dev/full 2>full.err
        check "convert --format $format >/dev/full exits 1" 1 $?
        grep -qx 'hyosho: stdout: write failed: .*' full.err || fail "its message: $(cat full.err)"
    done
fi
names=$("$HYOSHO" convert --year 2019 --format jsonl "$TEXT" | jq -c '.awardee.name' | tr '\n' ' ')
check "jsonl | jq -c '.awardee.name'" '"富山県" "京都市" "薩摩川内市" ' "$names"
"$HYOSHO" convert --year 2019 --format jsonl "$TEXT" | jq -e -s 'length == 3 and (map(.index) == [0,1,2])
    and all(.[]; .schema_version == 1 and .source.year == 2019)' >/dev/null
check "jsonl: one award a line with index, schema_version and source" 0 $?

"$HYOSHO" convert --year 2019 "$TEXT" >stdout.json
"$HYOSHO" convert --year 2019 -o out.json "$TEXT"
check "-o out.json exits 0" 0 $?
cmp -s stdout.json out.json
check "-o out.json holds the bytes of stdout" 0 $?
"$HYOSHO" convert --year 2019 --format json -o - "$TEXT" | cmp -s stdout.json -
check "-o - is stdout" 0 $?
"$HYOSHO" convert --year 2019 --format jsonl "$TEXT" >stdout.jsonl
"$HYOSHO" convert --year 2019 --format jsonl -o out.jsonl "$TEXT"
cmp -s stdout.jsonl out.jsonl
check "-o out.jsonl holds the bytes of stdout" 0 $?
no_temp_files out.json && no_temp_files out.jsonl
check "no temporary file beside the outputs" 0 $?

# ---- atomic replacement ----------------------------------------------------------------------
# The previous file is hyosho's own (of another input): only that may be replaced.
"$HYOSHO" convert "$PDF" >previous.json
cp previous.json killed.json
if start_paused HYOSHO_TEST_WRITE_DELAY convert --year 2019 -o killed.json "$TEXT"; then
    kill -9 $PID
    wait $PID 2>/dev/null
    cmp -s previous.json killed.json
    check "kill -9 while writing: the previous file stays" 0 $?
    no_temp_files killed.json
    check "kill -9 while writing: no temporary file" 0 $?
fi
if start_paused HYOSHO_TEST_WRITE_DELAY convert --year 2019 -o absent.json "$TEXT"; then
    kill -9 $PID
    wait $PID 2>/dev/null
    check "kill -9 while writing a new file: none appears" no "$([ -e absent.json ] && echo yes || echo no)"
    no_temp_files absent.json
    check "kill -9 while writing a new file: no temporary file" 0 $?
fi
cp previous.json terminated.json
if start_paused HYOSHO_TEST_WRITE_DELAY convert --year 2019 -o terminated.json "$TEXT"; then
    kill -TERM $PID
    wait $PID
    check "SIGTERM while writing: held, then the process ends by it" 143 $?
    # The write completes first: never a partial file, and the new content is whole.
    if cmp -s stdout.json terminated.json || cmp -s previous.json terminated.json; then
        pass "SIGTERM while writing: previous or complete new file"
    else
        fail "SIGTERM while writing: partial output in terminated.json"
    fi
    no_temp_files terminated.json
    check "SIGTERM while writing: no temporary file" 0 $?
fi
mkdir is-a-folder
"$HYOSHO" convert --year 2019 -o is-a-folder "$TEXT" 2>folder.err
check "-o onto a folder exits 1" 1 $?
no_temp_files is-a-folder
check "-o onto a folder: no temporary file left" 0 $?
"$HYOSHO" convert --year 2019 -o missing/out.json "$TEXT" 2>/dev/null
check "-o into a missing folder exits 1" 1 $?
"$HYOSHO" convert -o failed.json "$FIXTURES/does-not-exist.txt" 2>/dev/null
check "an input that fails exits 1" 1 $?
check "an input that fails writes no output" no "$([ -e failed.json ] && echo yes || echo no)"

# ---- SQLite ------------------------------------------------------------------------------------
"$HYOSHO" convert --year 2019 --format sqlite -o awards.db "$TEXT"
check "sqlite: first import exits 0" 0 $?
first=$(counts awards.db)
"$HYOSHO" convert --year 2019 --format sqlite -o awards.db "$TEXT"
check "sqlite: second import exits 0" 0 $?
second=$(counts awards.db)
echo "   first import:  $first"
echo "   second import: $second"
check "sqlite: re-import gives the same row counts in every table" "$first" "$second"
check "sqlite: one document" 1 "$(sqlite3 awards.db 'SELECT count(*) FROM documents')"
check "sqlite: awardees" "富山県 京都市 薩摩川内市" \
    "$(sqlite3 awards.db 'SELECT name FROM awards ORDER BY idx' | tr '\n' ' ' | sed 's/ $//')"
check "sqlite: user_version" 2 "$(sqlite3 awards.db 'PRAGMA user_version')"
check "sqlite: foreign_key_check" "" "$(sqlite3 awards.db 'PRAGMA foreign_key_check')"
check "sqlite: integrity_check" ok "$(sqlite3 awards.db 'PRAGMA integrity_check')"
check "sqlite: same awards as the JSON" \
    "$(jq -r '.awards[] | [.awardee.name, .awardee.lg_code, .contact.tel, (.partners | length)] | @tsv' stdout.json)" \
    "$(sqlite3 -tabs awards.db 'SELECT a.name, a.lg_code, c.tel, (SELECT count(*) FROM partners p
        WHERE p.award_id = a.id) FROM awards a JOIN contacts c ON c.award_id = a.id ORDER BY a.idx')"
if [ -f "$PDF" ]; then
    "$HYOSHO" convert --format sqlite -o awards.db "$PDF"
    check "sqlite: a second document is added" 2 "$(sqlite3 awards.db 'SELECT count(*) FROM documents')"
fi

cp awards.db before.db
before=$(counts awards.db)
"$HYOSHO" convert --format sqlite -o awards.db "$FIXTURES/does-not-exist.txt" 2>/dev/null
check "sqlite: an input that fails exits 1" 1 $?
cmp -s before.db awards.db
check "sqlite: an input that fails leaves the database byte for byte" 0 $?

# Re-importing a stored document deletes its rows first: killed before COMMIT, the
# database must come back exactly as it was (SQLite rolls the hot journal back).
if start_paused HYOSHO_TEST_SQLITE_DELAY convert --year 2019 --format sqlite -o awards.db "$TEXT"; then
    kill -9 $PID
    wait $PID 2>/dev/null
    check "sqlite: killed inside the transaction, row counts as before" "$before" "$(counts awards.db)"
    cmp -s before.db awards.db
    check "sqlite: killed inside the transaction, database byte for byte as before" 0 $?
fi
if start_paused HYOSHO_TEST_SQLITE_DELAY convert --year 2019 --format sqlite -o awards.db "$TEXT"; then
    kill -TERM $PID
    wait $PID
    check "sqlite: SIGTERM inside the transaction is held, then ends the process" 143 $?
    check "sqlite: ... after the COMMIT" "$before" "$(counts awards.db)"
    check "sqlite: ... foreign keys hold" "" "$(sqlite3 awards.db 'PRAGMA foreign_key_check')"
    # A killed process leaves a journal (SQLite ignores it unless it is hot); the next
    # transaction removes it.
    no_temp_files awards.db
    check "sqlite: no journal left after the next import" 0 $?
fi

cp awards.db newer.db
sqlite3 newer.db 'PRAGMA user_version = 3'
cp newer.db newer-before.db
"$HYOSHO" convert --year 2019 --format sqlite -o newer.db "$TEXT" 2>newer.err
check "sqlite: a newer schema exits 1" 1 $?
grep -q "database schema 3 is newer than this hyosho" newer.err || fail "newer schema message: $(cat newer.err)"
cmp -s newer-before.db newer.db
check "sqlite: a newer schema is left untouched" 0 $?

printf 'not a database\n' >text.db
"$HYOSHO" convert --year 2019 --format sqlite -o text.db "$TEXT" 2>/dev/null
check "sqlite: a file that is not a database exits 1" 1 $?
check "sqlite: ... and is left untouched" "not a database" "$(cat text.db)"

if [ $failures -ne 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
echo "all checks passed"

#!/bin/sh
# test_batch.sh -- `hyosho batch` over a folder of fixture copies with damaged files among
# them, a worker that crashes and one that hangs (the test hooks of cli_pipeline.c): every
# fixture's JSON equals its golden, failures are recorded (failures.jsonl, the database's
# failures table) and the batch goes on; -j 1 and -j 2 give the same bytes (output folder,
# JSON Lines, database); a re-run skips what is up to date and retries failures; a worker
# converts input after input and is replaced after a crash or when its memory grew (the
# worker protocol too), an interruption ends the workers; shards cover every input once,
# and README's recipe merges shard databases.
# Run by ctest as: test_batch.sh HYOSHO FIXTURES README (exit 77 = skipped).
set -u
HYOSHO=$(realpath "$1")
FIXTURES=$(realpath "$2")
README=$(realpath "$3")
. "$(dirname "$0")/test_lib.sh"
require_tools sqlite3 jq cmp diff sha256sum iconv
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cd "$TMP" || exit 1
# summary FILE: the summary line of a batch's stderr, without its time.
summary() {
    grep '^batch: ' "$1" | sed 's/ in [0-9.]* s$//'
}
# db_dump DB: the database as SQL, without the times of conversion and failure.
db_dump() {
    sqlite3 "$1" .dump | sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z/TIME/g'
}

# ---- the archive: fixture copies in subfolders, damaged files, a crash and a hang ----------
# Fixture text with a line of its own: content no other input has (a database keeps one
# document per content).
crash_and_hang() {
    { cat "$FIXTURES/text/older-layout-h20.txt"; echo "crash"; } >in/crash/boom.txt
    { cat "$FIXTURES/text/lost-glyph-bullets.txt"; echo "hang"; } >in/hang/stuck.txt
}
mkdir -p in/pdf in/text/sub in/damaged in/crash in/hang
cp "$FIXTURES"/pdf/*.pdf in/pdf/
cp "$FIXTURES"/text/*.txt in/text/sub/
head -c 1200 "$FIXTURES/pdf/award-2019.pdf" >in/damaged/truncated.pdf
head -c 512 "$FIXTURES/extract/binary.bin" >in/damaged/junk.PDF # upper-case extension: still taken
: >in/damaged/empty.txt
# A PDF encrypted with an unknown user password (no xref: poppler rebuilds it).
printf '%%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n4 0 obj\n<< /Filter /Standard /V 1 /R 2 /O <%064d> /U <%064d> /P -4 >>\nendobj\ntrailer\n<< /Size 5 /Root 1 0 R /Encrypt 4 0 R /ID [<%032d> <%032d>] >>\n%%%%EOF\n' 0 1 2 2 >in/damaged/encrypted.pdf
cp "$FIXTURES/extract/binary.bin" in/damaged/binary.bin # not .pdf/.txt: not taken from a folder
echo "notes" >in/damaged/notes.md                       # idem
crash_and_hang
ln -s .. in/text/loop                  # a symbolic link loop: said, not followed
ln -s missing.pdf in/damaged/dangling.pdf # a dangling link: fails, sha256 null
export HYOSHO_TEST_CRASH_ON=in/crash/boom HYOSHO_TEST_HANG_ON=in/hang/stuck
HOOKS="--timeout 1" # the hanging worker is killed 1 s after its own timeout

n_pdf=$(ls in/pdf/*.pdf | wc -l)
n_txt=$(ls in/text/sub/*.txt | wc -l)
n_total=$((n_pdf + n_txt + 5 + 2))
# Fixtures with a .error golden fail; so do the 5 damaged files, the crash and the hang.
n_error=$(ls "$FIXTURES"/pdf/*.error "$FIXTURES"/text/*.error | wc -l)
n_failed=$((n_error + 5 + 2))
n_converted=$((n_total - n_failed))

# ---- -o OUTDIR ------------------------------------------------------------------------
"$HYOSHO" batch -j 1 $HOOKS -o out1 in >stdout1 2>err1
check "a batch with failures exits 1" 1 $?
check "-o: nothing on stdout" 0 "$(wc -c <stdout1)"
check "summary line" "batch: $n_total files, $n_converted converted, 0 skipped, $n_failed failed, $(cat out1/pdf/*.json out1/text/sub/*.json out1/crash/*.json out1/hang/*.json 2>/dev/null | jq -s 'map(.source.pages) | add') pages" "$(summary err1)"
grep -q "^hyosho: in/text/loop: symbolic link loop" err1
check "a symbolic link loop is said on stderr" 0 $?

# Every fixture's JSON is its golden (source.path aside), at its mirrored path.
mismatch=0
for input in in/pdf/*.pdf in/text/sub/*.txt; do
    rel=${input#in/}
    name=$(basename "$input")
    stem=${name%.*}
    kind=${rel%%/*}
    golden="$FIXTURES/$kind/$stem.json"
    [ -f "$golden" ] || continue
    [ -f "$FIXTURES/$kind/$stem.args" ] && continue # checked below with its options
    if ! jq -S 'del(.source.path)' "out1/${rel%.*}.json" >got.json 2>/dev/null; then
        fail "no output out1/${rel%.*}.json for $input"
        mismatch=1
        continue
    fi
    jq -S 'del(.source.path)' "$golden" >want.json
    if ! cmp -s want.json got.json; then
        fail "out1/${rel%.*}.json differs from $golden"
        mismatch=1
    fi
    path=$(jq -r .source.path "out1/${rel%.*}.json")
    [ "$path" = "$input" ] || { fail "source.path of out1/${rel%.*}.json: $path"; mismatch=1; }
done
check "every fixture's JSON equals its golden, source.path the path as found" 0 $mismatch

# failures.jsonl: one object per failure, in input order, with the file's sha256.
sha() { sha256sum "$1" | cut -d' ' -f1; }
{
    printf '%s\t%s\t%s\n' in/crash/boom.txt "$(sha in/crash/boom.txt)" "killed by SIGSEGV"
    printf '%s\t%s\t%s\n' in/damaged/dangling.pdf null "No such file or directory"
    printf '%s\t%s\t%s\n' in/damaged/empty.txt "$(sha in/damaged/empty.txt)" "empty file"
    printf '%s\t%s\t%s\n' in/damaged/encrypted.pdf "$(sha in/damaged/encrypted.pdf)" "encrypted PDF"
    printf '%s\t%s\t%s\n' in/damaged/junk.PDF "$(sha in/damaged/junk.PDF)" "not a PDF or text file"
    printf '%s\t%s\t%s\n' in/damaged/truncated.pdf "$(sha in/damaged/truncated.pdf)" "damaged PDF"
    printf '%s\t%s\t%s\n' in/hang/stuck.txt "$(sha in/hang/stuck.txt)" "timed out after 1 s"
    for e in "$FIXTURES"/pdf/*.error "$FIXTURES"/text/*.error; do
        kind=$(basename "$(dirname "$e")")
        stem=$(basename "$e" .error)
        input=$(ls in/$kind/$stem.* in/$kind/sub/$stem.* 2>/dev/null)
        printf '%s\t%s\t%s\n' "$input" "$(sha "$input")" "$(cat "$e")"
    done
} | LC_ALL=C sort >want.failures
jq -r '[.path, (.sha256 // "null"), .reason] | @tsv' out1/failures.jsonl >got.failures
check "failures.jsonl: one line per failure" "$n_failed" "$(wc -l <out1/failures.jsonl)"
check "failures.jsonl: in input order" "$(LC_ALL=C sort got.failures)" "$(cat got.failures)"
ok=1
while IFS="$(printf '\t')" read -r path sum reason; do
    line=$(grep "^$path	" got.failures)
    case $line in
    "$path	$sum	"*"$reason"*) ;;
    *) fail "failures.jsonl: want $path $sum ...$reason..., got '$line'"; ok=0 ;;
    esac
    grep -q "^hyosho: $path: .*$reason" err1 || { fail "stderr lacks 'hyosho: $path: ...$reason'"; ok=0; }
done <want.failures
check "failures.jsonl: path, sha256 (null when unreadable) and reason of each" 1 $ok
[ -e out1/damaged ] && fail "a folder of failures only gets no output folder"

# The same with -j 2: the same bytes, manifest and failures included.
"$HYOSHO" batch -j 2 $HOOKS -o out2 in >/dev/null 2>err2
check "-j 2 exits 1 too" 1 $?
diff -r out1 out2 >/dev/null
check "-o OUTDIR: -j 1 and -j 2 give byte-identical trees" 0 $?
check "-j 1 and -j 2: the same stderr" "$(grep -v '^batch:' err1)" "$(grep -v '^batch:' err2)"

# ---- re-runs --------------------------------------------------------------------------
"$HYOSHO" batch -j 2 $HOOKS -o out1 in 2>rerun.err
check "re-run: exits 1 while failures remain (they are retried)" 1 $?
check "re-run: converts nothing, skips the rest" \
    "batch: $n_total files, 0 converted, $n_converted skipped, $n_failed failed, 0 pages" "$(summary rerun.err)"
echo "追記" >>in/text/sub/older-layout-h20.txt
rm -r in/damaged in/pdf/no-unicode-mapping.pdf in/text/sub/encoding-undecodable.txt
unset HYOSHO_TEST_CRASH_ON HYOSHO_TEST_HANG_ON
"$HYOSHO" batch -j 2 -o out1 in 2>rerun2.err
check "re-run with the failures gone: exits 0" 0 $?
check "re-run: converts the changed file and the former crash and hang" "3 converted" \
    "$(summary rerun2.err | grep -o '[0-9]* converted')"
check "re-run: failures.jsonl is empty" 0 "$(wc -c <out1/failures.jsonl)"
"$HYOSHO" batch -o out1 in 2>rerun3.err
check "re-run of an up-to-date folder: exits 0" 0 $?
check "re-run: everything skipped" "0 converted, $((n_converted + 2)) skipped, 0 failed" \
    "$(summary rerun3.err | grep -o '[0-9]* converted.*failed')"
"$HYOSHO" batch --force -o out1 in 2>force.err
check "--force converts everything again" "$((n_converted + 2)) converted" \
    "$(summary force.err | grep -o '[0-9]* converted')"
rm out1/pdf/award-2019.json
"$HYOSHO" batch -o out1 in 2>deleted.err
check "an output deleted by hand is made again" "1 converted" "$(summary deleted.err | grep -o '[0-9]* converted')"

# Restore the archive of the first runs for the other outputs.
rm -r in
mkdir -p in/pdf in/text/sub in/damaged in/crash in/hang
cp "$FIXTURES"/pdf/*.pdf in/pdf/
cp "$FIXTURES"/text/*.txt in/text/sub/
head -c 1200 "$FIXTURES/pdf/award-2019.pdf" >in/damaged/truncated.pdf
: >in/damaged/empty.txt
crash_and_hang
export HYOSHO_TEST_CRASH_ON=in/crash/boom HYOSHO_TEST_HANG_ON=in/hang/stuck

# ---- JSON Lines on stdout ---------------------------------------------------------------
"$HYOSHO" batch -j 1 $HOOKS in >lines1.jsonl 2>lines1.err
check "JSON Lines: exits 1 with failures" 1 $?
"$HYOSHO" batch -j 2 $HOOKS in >lines2.jsonl 2>/dev/null
[ -s lines1.jsonl ] && cmp -s lines1.jsonl lines2.jsonl
check "JSON Lines: -j 1 and -j 2 give the same bytes" 0 $?
check "JSON Lines: one line per award of the converted files" \
    "$(cat out2/pdf/*.json out2/text/sub/*.json | jq -s 'map(.awards | length) | add')" "$(wc -l <lines1.jsonl)"
check "JSON Lines: in sorted path order" "$(jq -r .source.path lines1.jsonl | uniq)" \
    "$(jq -r .source.path lines1.jsonl | uniq | LC_ALL=C sort)"

# ---- --db -------------------------------------------------------------------------------
# The same bytes at two paths are one document: the later path's (in sorted order).
mkdir in/dup
cp in/pdf/award-2019.pdf in/dup/copy.pdf
"$HYOSHO" batch -j 1 $HOOKS --db db1.db in >/dev/null 2>db1.err
check "--db: exits 1 with failures" 1 $?
"$HYOSHO" batch -j 2 $HOOKS --db db2.db in >/dev/null 2>/dev/null
db_dump db1.db >db1.sql
db_dump db2.db >db2.sql
grep -q 'INSERT INTO documents' db1.sql && cmp -s db1.sql db2.sql
check "--db: -j 1 and -j 2 give the same database" 0 $?
check "--db: the failures table" \
    "in/crash/boom.txt|killed by SIGSEGV (Segmentation fault)
in/damaged/empty.txt|empty file
in/damaged/truncated.pdf|damaged PDF: PDF document is damaged
in/hang/stuck.txt|timed out after 1 s
in/pdf/no-unicode-mapping.pdf|$(cat "$FIXTURES/pdf/no-unicode-mapping.error")
in/text/sub/encoding-undecodable.txt|$(cat "$FIXTURES/text/encoding-undecodable.error")" \
    "$(LC_ALL=C sqlite3 db1.db 'SELECT path, reason FROM failures ORDER BY id')"
check "--db: every converted file is a document" "$(($(ls in/pdf/*.pdf in/text/sub/*.txt | wc -l) - n_error))" \
    "$(sqlite3 db1.db 'SELECT count(*) FROM documents')"
check "--db: a content at two paths is one document, with the later path" "in/pdf/award-2019.pdf" \
    "$(sqlite3 db1.db "SELECT group_concat(path) FROM documents WHERE sha256 = '$(sha in/dup/copy.pdf)'")"
check "--db: failures have their sha256" "$(sha in/damaged/truncated.pdf)" \
    "$(sqlite3 db1.db "SELECT sha256 FROM failures WHERE path = 'in/damaged/truncated.pdf'")"
"$HYOSHO" batch $HOOKS --db db1.db in 2>db-rerun.err
check "--db re-run: exits 1 (failures retried)" 1 $?
check "--db re-run: skips every stored document (and the copy)" \
    "0 converted, $(($(sqlite3 db1.db 'SELECT count(*) FROM documents') + 1)) skipped" \
    "$(summary db-rerun.err | grep -o '[0-9]* converted, [0-9]* skipped')"
unset HYOSHO_TEST_CRASH_ON HYOSHO_TEST_HANG_ON
"$HYOSHO" batch --db db1.db in 2>db-rerun2.err
check "--db re-run: the former crash and hang convert, their failures go" \
    "2 converted|in/damaged/empty.txt in/damaged/truncated.pdf in/pdf/no-unicode-mapping.pdf in/text/sub/encoding-undecodable.txt" \
    "$(summary db-rerun2.err | grep -o '[0-9]* converted')|$(sqlite3 db1.db 'SELECT path FROM failures ORDER BY path' | tr '\n' ' ' | sed 's/ $//')"

rm -r in/dup

# ---- named files, options passed on, usage ---------------------------------------------------
"$HYOSHO" batch --year 2019 -o named "$FIXTURES/text/award-2019-excerpt.txt" 2>/dev/null
check "a named file converts, --year passed on" 0 $?
jq -S 'del(.source.path)' named/award-2019-excerpt.json >got.json
jq -S 'del(.source.path)' "$FIXTURES/text/award-2019-excerpt.json" >want.json
cmp -s want.json got.json
check "--year: the golden of award-2019-excerpt" 0 $?
"$HYOSHO" batch --rules "$FIXTURES/text/custom-rules/window-label.rules" \
    "$FIXTURES/text/custom-rules/contact-window.txt" 2>/dev/null | jq -c '.contact' >got.json
jq -c '.awards[].contact' "$FIXTURES/text/custom-rules/contact-window.json" >want.json
cmp -s want.json got.json
check "--rules passed on" 0 $?
"$HYOSHO" batch "$FIXTURES/extract/binary.bin" >/dev/null 2>named.err
status=$?
check "a file named explicitly is taken whatever its extension (and fails here)" \
    "1 hyosho: $FIXTURES/extract/binary.bin: not a PDF or text file" "$status $(head -n 1 named.err)"
"$HYOSHO" batch -o x --db y.db in >/dev/null 2>&1
check "-o with --db: usage error" 2 $?
"$HYOSHO" batch --shard 4/3 in >/dev/null 2>&1
check "--shard 4/3: usage error" 2 $?
"$HYOSHO" batch >/dev/null 2>&1
check "no INPUT: usage error" 2 $?
printf 'broken\tawardee\t(unclosed\n' >bad.rules
"$HYOSHO" batch --rules bad.rules in >/dev/null 2>&1
check "a rules file that does not load: exit 3, before any input" 3 $?

# ---- workers: one process for input after input ----------------------------------------
# HYOSHO_TEST_WORKER_LOG: each worker appends "PID PATH" for every input it takes.
mkdir -p w/in
for f in award-2019-excerpt older-layout-h20 lost-glyph-bullets; do cp "$FIXTURES/text/$f.txt" w/in/$f.txt; done
{ cat "$FIXTURES/text/award-2019-excerpt.txt"; echo "crash"; } >w/in/m-boom.txt # sorted between the others
# pids LOG [PATH]: the distinct workers of a log (that took PATH), in order of appearance.
pids() { if [ $# -gt 1 ]; then grep " $2\$" "$1"; else cat "$1"; fi | cut -d' ' -f1 | awk '!seen[$0]++'; }
rm -f w/log
HYOSHO_TEST_WORKER_LOG=$PWD/w/log HYOSHO_TEST_CRASH_ON=m-boom "$HYOSHO" batch -j 1 -o w/out w/in 2>w/err
check "workers: the crash fails, the others convert" \
    "1|batch: 4 files, 3 converted, 0 skipped, 1 failed, 3 pages|hyosho: w/in/m-boom.txt: killed by SIGSEGV (Segmentation fault)" \
    "$?|$(summary w/err)|$(grep -v '^batch:' w/err)"
check "workers: -j 1, the inputs before the crash in one worker" 1 \
    "$(grep -e award-2019 -e lost-glyph w/log | cut -d' ' -f1 | sort -u | wc -l)"
check "workers: the crashing input tried twice, the second time by a fresh worker" \
    "2|$(pids w/log w/in/m-boom.txt | tail -n 1)" \
    "$(pids w/log w/in/m-boom.txt | wc -l)|$(pids w/log | sed -n 2p)"
check "workers: the input after the crash goes to a new worker" 3 "$(pids w/log | wc -l)"
check "workers: every input taken, the crash twice" 5 "$(wc -l <w/log)"
rm -rf w/log w/out2
HYOSHO_TEST_WORKER_LOG=$PWD/w/log HYOSHO_TEST_RETIRE_MB=0 "$HYOSHO" batch -j 2 -o w/out2 w/in 2>/dev/null
check "workers: one that ends after its answer (its memory grew) takes no more; nothing is lost" \
    "0|4|4|4" "$?|$(pids w/log | wc -l)|$(wc -l <w/log)|$(ls w/out2/*.json | wc -l)"
for f in w/out/*.json; do grep -v converted_at "$f"; done >w/out.json
for f in w/out/*.json; do grep -v converted_at "w/out2/${f##*/}"; done >w/out2.json
check "workers: the same outputs from a worker per input" "3|" "$(ls w/out/*.json | wc -l)|$(cmp w/out.json w/out2.json)"
rm -f w/log
HYOSHO_TEST_WORKER_LOG=$PWD/w/log "$HYOSHO" batch -j 2 -o w/out3 w/in in/text/sub 2>/dev/null
check "workers: -j 2 over $(($(ls in/text/sub/*.txt | wc -l) + 4)) inputs, 2 workers" \
    2 "$(pids w/log | wc -l)"
# Past --timeout in a worker that converted others: its own watchdog ends it, and the
# input is not tried again (time does not depend on what the worker did before).
rm -f w/log
HYOSHO_TEST_WORKER_LOG=$PWD/w/log HYOSHO_TEST_STALL_ON=older-layout "$HYOSHO" batch -j 1 --timeout 1 \
    -o w/out5 w/in 2>w/err5
check "workers: a timeout in a used worker fails once, not retried" \
    "1|hyosho: w/in/older-layout-h20.txt: timed out after 1 s|1" \
    "$?|$(grep -v '^batch:' w/err5)|$(grep -c older-layout w/log)"
# Interrupted while a worker hangs: the workers are ended, what was emitted stays.
rm -f w/log
mkdir -p w/slow
cp w/in/award-2019-excerpt.txt w/in/older-layout-h20.txt w/slow/
{ cat "$FIXTURES/text/lost-glyph-bullets.txt"; echo "hang"; } >w/slow/b-stuck.txt
HYOSHO_TEST_WORKER_LOG=$PWD/w/log HYOSHO_TEST_HANG_ON=b-stuck "$HYOSHO" batch -j 1 -o w/out4 w/slow 2>w/err4 &
batch_pid=$!
for i in $(seq 100); do grep -q b-stuck w/log 2>/dev/null && break; sleep 0.1; done
kill -INT $batch_pid
wait $batch_pid
status=$?
alive=0
for pid in $(pids w/log); do kill -0 "$pid" 2>/dev/null && alive=$((alive + 1)); done
check "interrupted: exit 1, said, the converted output kept, no worker left" \
    "1|hyosho: batch: interrupted; ending the workers|batch: interrupted: 3 files, 1 converted, 0 skipped, 0 failed, 2 not done, 1 page|award-2019-excerpt.json failures.jsonl|0" \
    "$status|$(grep -v '^batch:' w/err4)|$(summary w/err4)|$(ls w/out4 | tr '\n' ' ' | sed 's/ $//')|$alive"
# The same with --db: the documents go in by groups, and the group open at the interruption
# is committed, so what was emitted is stored.
rm -f w/log w/int.db
HYOSHO_TEST_WORKER_LOG=$PWD/w/log HYOSHO_TEST_HANG_ON=b-stuck "$HYOSHO" batch -j 1 --db w/int.db w/slow 2>w/err7 &
batch_pid=$!
for i in $(seq 100); do grep -q b-stuck w/log 2>/dev/null && break; sleep 0.1; done
kill -INT $batch_pid
wait $batch_pid
status=$?
check "interrupted --db: exit 1, the document emitted before is stored" \
    "1|w/slow/award-2019-excerpt.txt" "$status|$(sqlite3 w/int.db 'SELECT path FROM documents')"

# A file name that is not UTF-8: every JSON written parses (the name's bad byte as U+FFFD,
# in the output, the manifest and JSON Lines), and a re-run finds its output up to date.
mkdir -p w/bytes
cp "$FIXTURES/text/older-layout-h20.txt" "w/bytes/$(printf 'x\377.txt')"
"$HYOSHO" batch -o w/out6 w/bytes 2>/dev/null
status=$?
bad=0
# (iconv: jq itself takes bad bytes as U+FFFD)
for f in w/out6/*.json w/out6/.hyosho-manifest.json; do
    { iconv -f UTF-8 -t UTF-8 "$f" >/dev/null 2>&1 && jq -e . "$f" >/dev/null 2>&1; } || bad=$((bad + 1))
done
check "a name that is not UTF-8: converted, its JSON and the manifest parse, U+FFFD for the byte" \
    "0|0|w/bytes/x�.txt" "$status|$bad|$(jq -r .source.path w/out6/*.json)"
"$HYOSHO" batch -o w/out6 w/bytes 2>w/err6
check "a name that is not UTF-8: a re-run skips it" "batch: 1 file, 0 converted, 1 skipped, 0 failed, 0 pages" \
    "$(summary w/err6)"
"$HYOSHO" batch w/bytes >w/lines6 2>/dev/null
check "a name that is not UTF-8: JSON Lines in UTF-8" "0|w/bytes/x�.txt" \
    "$(iconv -f UTF-8 -t UTF-8 w/lines6 >/dev/null 2>&1; echo $?)|$(jq -r .source.path w/lines6 | sort -u)"
# The protocol itself (tools/cmd_worker.c): framed answers, a failure is an answer too.
printf '%s\0%s\0' "$FIXTURES/text/older-layout-h20.txt" missing.txt | "$HYOSHO" worker --format jsonl >w/answers
check "worker: exits 0 at the end of its input" 0 $?
jsonl_bytes=$("$HYOSHO" convert --format jsonl "$FIXTURES/text/older-layout-h20.txt" | wc -c)
pages_sha=$("$HYOSHO" convert "$FIXTURES/text/older-layout-h20.txt" | jq -r '"\(.source.pages) \(.source.sha256)"')
check "worker: a header per answer, the failure's reason as its payload" \
    "converted $jsonl_bytes next $pages_sha|failed 25 next|No such file or directory" \
    "$(grep -a -o -e '^converted [0-9]* next [0-9]* [0-9a-f]*' -e 'failed [0-9]* next' w/answers | tr '\n' '|')$(tail -c 25 w/answers)"
printf '%s\0%s\0' "$FIXTURES/text/older-layout-h20.txt" missing.txt | HYOSHO_TEST_RETIRE_MB=0 "$HYOSHO" worker >w/answers
check "worker: past its memory threshold, says last and ends with requests left" \
    "0|1|converted" "$?|$(grep -a -c -e '^converted [0-9]* last' -e '^failed' w/answers)|$(grep -a -o '^converted [0-9]* last' w/answers | cut -d' ' -f1)"

# ---- shards -----------------------------------------------------------------------------
rm -r in/crash in/hang # identical content at two paths would merge into one document
"$HYOSHO" batch -o all in 2>/dev/null
"$HYOSHO" batch --db all.db in 2>/dev/null
for k in 1 2 3; do
    "$HYOSHO" batch --shard $k/3 -o shards in 2>/dev/null
    "$HYOSHO" batch --shard $k/3 --db shard$k.db in 2>/dev/null
done
for k in 1 2 3; do
    jq -r '.outputs[].input' shards/.hyosho-manifest.shard-$k-of-3.json
    jq -r .path shards/failures.shard-$k-of-3.jsonl
done | LC_ALL=C sort >covered
{
    jq -r '.outputs[].input' all/.hyosho-manifest.json
    jq -r .path all/failures.jsonl
} | LC_ALL=C sort >expected
check "the unsharded run: every input" "$(($(ls in/pdf/*.pdf in/text/sub/*.txt | wc -l) + 2))" "$(wc -l <expected)"
check "shards 1/3, 2/3, 3/3 cover every input exactly once" "$(cat expected)" "$(cat covered)"
check "each shard has some inputs" "0" \
    "$(for k in 1 2 3; do jq '.outputs | length' shards/.hyosho-manifest.shard-$k-of-3.json; done | grep -c '^0$')"
diff -r -x '.hyosho-manifest*' -x 'failures*' all shards >/dev/null
check "shards into one OUTDIR: the JSON of an unsharded run" 0 $?

# README's recipe for merging shard databases, run as written.
sed -n '/^<!-- merge-shards -->/,/^```$/p' "$README" | sed '1,2d;$d' >merge.sh
[ -s merge.sh ] || fail "README has no merge-shards recipe"
sh merge.sh merged.db shard1.db shard2.db shard3.db
check "the merge recipe runs" 0 $?
# Content without row ids, which differ between one database and merged shards.
canonical() {
    sqlite3 "$1" "
SELECT 'd', path, sha256, format, pages, title, edition, year, schema_version, hyosho_version FROM documents;
SELECT 'a', d.sha256, a.idx, a.name, a.kind, a.prefecture, a.lg_code, a.inferred, a.pages
  FROM awards a JOIN documents d ON d.id = a.document_id;
SELECT 'p', d.sha256, a.idx, p.position, p.name, p.country, p.country_code
  FROM partners p JOIN awards a ON a.id = p.award_id JOIN documents d ON d.id = a.document_id;
SELECT 'e', d.sha256, a.idx, e.position, e.text
  FROM evaluations e JOIN awards a ON a.id = e.award_id JOIN documents d ON d.id = a.document_id;
SELECT 'c', d.sha256, a.idx, c.position, c.text
  FROM captions c JOIN awards a ON a.id = c.award_id JOIN documents d ON d.id = a.document_id;
SELECT 'k', d.sha256, a.idx, k.department, k.postal_code, k.address, k.tel, k.fax, k.email, k.url
  FROM contacts k JOIN awards a ON a.id = k.award_id JOIN documents d ON d.id = a.document_id;
SELECT 'w', d.sha256, (SELECT idx FROM awards WHERE id = w.award_id), w.position, w.text
  FROM warnings w JOIN documents d ON d.id = w.document_id;
SELECT 'f', path, sha256, reason FROM failures;" | LC_ALL=C sort
}
canonical all.db >all.canonical
canonical merged.db >merged.canonical
check "merged shard databases hold what one unsharded run stores" 0 \
    "$(grep -q '^d|' all.canonical && cmp -s all.canonical merged.canonical; echo $?)"
check "the merged database's foreign keys hold" "" "$(sqlite3 merged.db 'PRAGMA foreign_key_check')"

echo "$failures failure(s)"
[ "$failures" -eq 0 ]

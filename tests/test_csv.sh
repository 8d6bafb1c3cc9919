#!/bin/sh
# test_csv.sh -- `--format csv` of convert and batch, as other programs read it: Python's
# csv module, sqlite3's .import and LibreOffice Calc each see every cell as the JSON has it
# (values with commas, quotes and line breaks, an lg_code with a leading zero); --excel's
# BOM and CRLF; the Japanese header; -o FILE.csv and its output checks; a batch's one CSV,
# the same bytes for any -j. Run by ctest as: test_csv.sh HYOSHO FIXTURES PYTHON (exit 77:
# skipped without sqlite3; the Calc check alone is skipped, saying so, without soffice).
set -u
HYOSHO=$1
FIXTURES=$2
PYTHON=$3
READERS=$(cd "$(dirname "$0")" && pwd)/csv_readers.py
. "$(dirname "$0")/test_lib.sh"
require_tools sqlite3 cmp
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cd "$TMP" || exit 1

mkdir in
cp "$FIXTURES/text/csv-quoting-sapporo.txt" "$FIXTURES/text/release-structure-invented.txt" \
    "$FIXTURES/text/older-layout-h20.txt" "$FIXTURES/pdf/award-2019.pdf" in/
DOCS=""
for f in in/*; do
    "$HYOSHO" convert --compact -o "$f.json" "$f" || fail "convert $f"
    DOCS="$DOCS $f.json"
done
TRICKY=in/csv-quoting-sapporo.txt

# ---- convert --------------------------------------------------------------------------
"$HYOSHO" convert --format csv "$TRICKY" >tricky.csv
check "convert --format csv exits 0" 0 $?
"$PYTHON" "$READERS" csv tricky.csv $TRICKY.json || fail "python csv reads the JSON's values"
grep -q ',011002,' tricky.csv || fail "lg_code 011002 as written: $(grep -o ',0*11002,' tricky.csv)"
"$HYOSHO" convert -o out.csv "$TRICKY"
check "-o out.csv exits 0" 0 $?
cmp -s tricky.csv out.csv
check "-o out.csv (csv by its extension) holds the bytes of stdout" 0 $?
"$HYOSHO" convert --format csv --excel "$TRICKY" >tricky-excel.csv
"$PYTHON" "$READERS" excel tricky-excel.csv $TRICKY.json || fail "--excel: python csv reads the JSON's values"
grep -q ',"=""011002""",' tricky-excel.csv || fail "--excel: lg_code as the formula =\"011002\""

# The Japanese header names the same columns; the rows do not change.
"$HYOSHO" convert --format csv --csv-header ja "$TRICKY" >ja.csv
ja_header='ファイル,SHA-256,表彰年度,回,公表日,文書内番号,賞,名称,団体種別,都道府県名,全国地方公共団体コード,名称推定,交流先,交流先国・地域,交流先国コード,評価,写真説明,担当部署,郵便番号,住所,電話番号,FAX番号,メールアドレス,URL,ページ,警告'
check "--csv-header ja" "$ja_header" "$(head -n 1 ja.csv)"
check "--csv-header ja: the same rows" "$(tail -n +2 tricky.csv)" "$(tail -n +2 ja.csv)"

# Usage errors.
"$HYOSHO" convert --excel "$TRICKY" >/dev/null 2>&1
check "--excel without csv exits 2" 2 $?
"$HYOSHO" convert --format csv --csv-header en "$TRICKY" >/dev/null 2>&1
check "--csv-header en exits 2" 2 $?
"$HYOSHO" convert --format json -o x.csv "$TRICKY" >/dev/null 2>&1
check "--format json -o x.csv exits 2" 2 $?

# What -o may replace: hyosho's CSV (either header, with a BOM or not), not the user's.
"$HYOSHO" convert -o out.csv --excel --csv-header ja "$FIXTURES/text/award-2019-excerpt.txt"
check "-o out.csv replaces hyosho's CSV" 0 $?
"$HYOSHO" convert -o out.csv "$TRICKY"
check "-o out.csv replaces hyosho's --excel --csv-header ja CSV" 0 $?
cmp -s tricky.csv out.csv || fail "out.csv replaced"
printf 'name,phone\nme,123\n' >notes.csv
cp notes.csv notes.orig
"$HYOSHO" convert -o notes.csv "$TRICKY" 2>notes.err
check "-o notes.csv (the user's) exits 1" 1 $?
grep -q "exists and is a file hyosho did not write, which CSV would replace" notes.err ||
    fail "its message: $(cat notes.err)"
cmp -s notes.csv notes.orig || fail "notes.csv left alone"
"$HYOSHO" convert -o notes.csv --overwrite "$TRICKY"
check "--overwrite replaces it" 0 $?
"$HYOSHO" convert -o doc.json "$TRICKY" && "$HYOSHO" convert -o doc.json --format csv "$TRICKY" >/dev/null 2>&1
check "--format csv -o doc.json exits 2 (extension says json)" 2 $?
cp tricky.csv mine.json
"$HYOSHO" convert -o mine.json "$TRICKY" 2>/dev/null
check "JSON does not replace hyosho's CSV under another name" 1 $?

# ---- batch ------------------------------------------------------------------------------
"$HYOSHO" batch -q -j 1 --format csv in >batch1.csv
check "batch --format csv exits 0" 0 $?
"$HYOSHO" batch -q -j 3 --format csv in >batch3.csv
cmp -s batch1.csv batch3.csv
check "batch --format csv: the same bytes for -j 1 and -j 3" 0 $?
{
    head -n 1 tricky.csv
    for f in $(printf '%s\n' in/*.pdf in/*.txt | LC_ALL=C sort); do
        "$HYOSHO" convert --format csv "$f" | tail -n +2
    done
} >concat.csv
cmp -s batch1.csv concat.csv
check "batch --format csv: the header once, then each input's rows as convert writes them" 0 $?
"$PYTHON" "$READERS" csv batch1.csv $(printf '%s\n' $DOCS | LC_ALL=C sort) || fail "python csv reads the batch"
"$HYOSHO" batch -q --format csv --excel -j 2 in >batch-excel.csv
"$PYTHON" "$READERS" excel batch-excel.csv $(printf '%s\n' $DOCS | LC_ALL=C sort) ||
    fail "python csv reads the batch's --excel CSV"
# A failed input costs its rows only; the header is there even when nothing converts.
printf 'not a report\n' >in/zz-nothing.txt
"$HYOSHO" batch -q --format csv in >with-failure.csv 2>failure.err
check "batch --format csv with a failing input exits 1" 1 $?
cmp -s batch1.csv with-failure.csv || fail "the other inputs' rows unchanged"
rm in/zz-nothing.txt
mkdir empty
"$HYOSHO" batch -q --format csv empty >empty.csv
check "an empty batch: the header alone" "$(head -n 1 tricky.csv)" "$(cat empty.csv)"
"$HYOSHO" batch -q -o all.csv in >/dev/null 2>batch.err
check "batch -o all.csv exits 2" 2 $?
grep -q -- "--format csv > all.csv" batch.err || fail "its advice: $(cat batch.err)"
"$HYOSHO" batch -q --format csv --db x.db in >/dev/null 2>&1
check "batch --format csv --db exits 2" 2 $?

# ---- sqlite3 .import --------------------------------------------------------------------
sqlite3 import.db ".import --csv batch1.csv awards" ".mode json" ".once import.json" "SELECT * FROM awards"
check "sqlite3 .import --csv exits 0" 0 $?
"$PYTHON" "$READERS" sqlite import.json $(printf '%s\n' $DOCS | LC_ALL=C sort) || fail "sqlite3 reads the JSON's values"
check "sqlite3: the lg_code is text" "011002|text" \
    "$(sqlite3 import.db "SELECT \"awardee.lg_code\", typeof(\"awardee.lg_code\") FROM awards WHERE \"awardee.name\" = '札幌市'")"

# ---- LibreOffice Calc -------------------------------------------------------------------
# One conversion of the batch's CSV, --excel and plain, to xlsx, as Calc opens them: UTF-8,
# comma-separated, '"' quoting; its own profile, so that it neither waits for nor disturbs
# another soffice. The plain CSV shows why --excel writes ="011002".
# Calc is its own package (libreoffice-calc-nogui): soffice without it converts no CSV.
if command -v soffice >/dev/null 2>&1 && [ -e /usr/lib/libreoffice/program/libsclo.so ]; then
    timeout 120 soffice -env:UserInstallation="file://$TMP/lo-profile" --headless \
        --infilter="CSV:44,34,76,1" --convert-to xlsx --outdir xlsx batch-excel.csv batch1.csv >soffice.log 2>&1
    check "soffice --convert-to xlsx exits 0" 0 $?
    if [ -f xlsx/batch-excel.xlsx ]; then
        "$PYTHON" "$READERS" xlsx xlsx/batch-excel.xlsx $(printf '%s\n' $DOCS | LC_ALL=C sort) ||
            fail "LibreOffice Calc reads the JSON's values"
        check "Calc reads a plain CSV's lg_code 011002 as a number" 11002 \
            "$("$PYTHON" "$READERS" xlsx-cell xlsx/batch1.xlsx 札幌市 awardee.lg_code)"
    else
        fail "soffice wrote no xlsx: $(cat soffice.log)"
    fi
else
    echo "skipped: LibreOffice Calc (soffice with libreoffice-calc) is not installed: its reading is not checked"
fi

[ "$failures" -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
echo "all CSV checks passed"

#!/usr/bin/env bash
# test_genfixture.sh -- hy_genfixture beyond the committed fixtures: the statements for whole
# published documents (tests/genfixture/statements-demo.page) as pdftotext reads them, the
# description's errors, --producer on the command line, and that every committed producer PDF
# (fixtures/pdf/NAME.libreoffice.pdf, NAME.chromium.pdf) has the pages of its NAME.pdf.
# soffice and chromium are not needed; with HY_TEST_PRODUCERS=1 the demo is also rendered by
# both and read back.
#
# Usage: test_genfixture.sh HY_GENFIXTURE FIXTURES_PDF_DIR DEMO.page
# Exit: 0 all passed; 1 a check failed; 77 skipped (no pdftotext/pdfinfo).
set -u
gen=$1
dir=$2
demo=$3
. "$(dirname "$0")/test_lib.sh"
require_tools pdftotext pdfinfo
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

pages_of() { pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ { print $2 }'; }

# read_back PRODUCER PDF: the statements come out as a reader expects them.
read_back() {
    local producer=$1 pdf=$2
    check "$producer: demo pages" 2 "$(pages_of "$pdf")"
    pdftotext "$pdf" "$tmp/$producer.txt"
    # The vertical label: one character per line, top to bottom.
    grep -A3 -x '報' "$tmp/$producer.txt" | tr -d '\n' | grep -q '報道資料' ||
        fail "$producer: vertical label is not one character per line"
    # The contact table: label and value in cells of their own.
    grep -qx '住所' "$tmp/$producer.txt" || fail "$producer: contact table label 住所 not in a cell of its own"
    grep -qx '〒390-8620 長野県松本市丸の内3番7号' "$tmp/$producer.txt" ||
        grep -qx '〒390-8620 長野県松本市丸の内 3 番 7 号' "$tmp/$producer.txt" ||
        fail "$producer: contact table value not in a cell of its own"
    grep -qx '○総務大臣賞' "$tmp/$producer.txt" || fail "$producer: prize line missing"
    grep -q '^とても長いキャプション' "$tmp/$producer.txt" || fail "$producer: long caption missing"
    grep -q '^とても長いキャプション.*説明文$' "$tmp/$producer.txt" && fail "$producer: long caption does not wrap"
    # text-right: the date line (its first word ending in 日) ends at the right margin, x = 527 pt.
    pdftotext -bbox -f 1 -l 1 "$pdf" "$tmp/$producer.bbox.html"
    right=$(grep -m1 '日</word>' "$tmp/$producer.bbox.html" | sed 's/.*xMax="\([0-9]*\).*/\1/')
    [ "${right:-0}" -gt 500 ] || fail "$producer: text-right date line is not right-aligned (ends at x=$right)"
    pass "$producer: statements read back"
}

"$gen" "$demo" "$tmp/demo.pdf" || fail "cairo: the demo does not render"
"$gen" --producer cairo "$demo" "$tmp/demo-cairo.pdf" || fail "--producer cairo fails"
cmp -s "$tmp/demo.pdf" "$tmp/demo-cairo.pdf" && pass "--producer cairo is the default" ||
    fail "--producer cairo differs from the default"
read_back cairo "$tmp/demo.pdf"
if [ "${HY_TEST_PRODUCERS:-0}" = 1 ]; then
    for producer in libreoffice chromium; do
        "$gen" --producer "$producer" "$demo" "$tmp/demo-$producer.pdf" && read_back "$producer" "$tmp/demo-$producer.pdf" ||
            fail "$producer: the demo does not render"
    done
fi

# Errors: FILE:LINE: reason, exit 1; a bad command line exits 2.
expect_error() {
    local what=$1 reason=$2
    printf '%b' "$3" >"$tmp/bad.page"
    "$gen" "$tmp/bad.page" "$tmp/bad.pdf" 2>"$tmp/err"
    local status=$?
    [ $status = 1 ] && grep -q "bad.page:[0-9]*: .*$reason" "$tmp/err" && pass "$what" ||
        fail "$what: exit $status, stderr '$(cat "$tmp/err")'"
}
expect_error "contact-style takes box or table" "'contact-style' takes box or table" 'awardee\ncontact-style round\n'
expect_error "contact-style outside a block" "outside an awardee" 'contact-style table\n'
expect_error "title after an awardee" "before the page's first awardee" 'awardee\nheading x\ntitle t\n'
expect_error "text without argument" "'text' needs an argument" 'text\n'
long_label=$(printf '報%.0s' $(seq 60))
expect_error "a vertical label longer than the page" "vertical labels run past the bottom margin" "vertical-label $long_label\ntext x\n"
printf 'vertical-label 報道資料\ntext-right 令和5年1月20日\ntitle 表彰\nprize ○総務大臣賞\nawardee\nheading h\ntext 途中\nbullet b\n' >"$tmp/ok.page"
"$gen" "$tmp/ok.page" "$tmp/ok.pdf" 2>"$tmp/err" && pass "loose text before a title, inside a block" ||
    fail "loose statements rejected: $(cat "$tmp/err")"
printf 'awardee\ncolumns 1\ntext 概要\nheading h\nphoto a\nphoto b\n' >"$tmp/begin.page"
"$gen" "$tmp/begin.page" "$tmp/begin.pdf" 2>"$tmp/err" && pass "a paragraph right after 'awardee'" ||
    fail "a paragraph right after 'awardee': $(cat "$tmp/err")"
pdftotext "$tmp/begin.pdf" - | tr -d '\n' | grep -q '概要h' || fail "a paragraph right after 'awardee' is not above the block"
"$gen" --producer word "$demo" "$tmp/x.pdf" 2>/dev/null
check "--producer word exits 2" 2 $?

# Committed producer PDFs keep their description's pages.
shopt -s nullglob
for variant in "$dir"/*.libreoffice.pdf "$dir"/*.chromium.pdf; do
    name=$(basename "$variant")
    name=${name%.*.pdf}
    check "$(basename "$variant") pages" "$(pages_of "$dir/$name.pdf")" "$(pages_of "$variant")"
    # The title is the description's name, not the path it was rendered from.
    pdfinfo "$variant" | grep -q '^Title:.*/' && fail "$(basename "$variant"): a path in its Title"
done

[ "$failures" = 0 ] || { echo "$failures genfixture check(s) failed"; exit 1; }
echo "all genfixture checks passed"

#!/usr/bin/python3
"""csv_readers.py -- what other programs read in hyosho's CSV, compared cell by cell with
the JSON of the same documents. Run by tests/test_csv.sh:

  csv_readers.py csv FILE.csv DOC.json...     Python's csv module, a plain CSV
  csv_readers.py excel FILE.csv DOC.json...   the same, a CSV of --excel (BOM, CRLF, ="digits", and
                                              text that starts as a formula does as ="text" or 'text)
  csv_readers.py sqlite ROWS.json DOC.json... sqlite3's `.import --csv` then `.mode json`
  csv_readers.py xlsx FILE.xlsx DOC.json...   LibreOffice Calc's reading, saved as xlsx
  csv_readers.py xlsx-cell FILE.xlsx NAME COLUMN   prints the cell COLUMN of awardee NAME's row

The expected rows are worked out here from the JSON by README's column list, independently
of emit/emit_csv.c. Prints one line per difference; exit 1 when there is any."""
import csv
import datetime
import io
import json
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

CONTACT = ["department", "postal_code", "address", "tel", "fax", "email", "url"]
HEADER = (["source.path", "source.sha256", "source.year", "source.edition", "source.date", "index",
           "category", "awardee.name", "awardee.kind", "awardee.prefecture", "awardee.lg_code",
           "awardee.inferred", "partners.name", "partners.country", "partners.country_code",
           "evaluations", "captions"] + ["contact." + f for f in CONTACT] + ["pages", "warnings"])
# Columns whose JSON value is a string: --excel writes one of digits alone as ="digits".
TEXT_COLUMNS = {"category", "awardee.name", "awardee.prefecture", "awardee.lg_code"} | {
    "contact." + f for f in CONTACT}


def cell(value):
    return "" if value is None else str(value)


def expected_rows(paths):
    rows = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        src = doc["source"]
        for index, award in enumerate(doc["awards"]):
            who = award["awardee"]
            partners = award["partners"]
            row = [src["path"], src["sha256"], cell(src["year"]), cell(src["edition"]), cell(src["date"]),
                   str(index), cell(award["category"]), who["name"], who["kind"], cell(who["prefecture"]),
                   cell(who["lg_code"]), "true" if who["inferred"] else "false",
                   ";".join(cell(p["name"]) for p in partners),
                   ";".join(cell(p["country"]) for p in partners),
                   ";".join(cell(p["country_code"]) for p in partners),
                   "\n".join(award["evaluations"]), "\n".join(award["captions"])]
            row += [cell(award["contact"][f]) for f in CONTACT]
            row += [";".join(str(p) for p in award["pages"]), "\n".join(award["warnings"])]
            rows.append(row)
    return rows


failures = 0


def compare(reader, got_header, got_rows, docs):
    global failures
    want = expected_rows(docs)
    if got_header != HEADER:
        print(f"FAIL: {reader}: header {got_header!r}")
        failures += 1
    if len(got_rows) != len(want):
        print(f"FAIL: {reader}: {len(got_rows)} rows, expected {len(want)}")
        failures += 1
    for n, (got, exp) in enumerate(zip(got_rows, want)):
        for column, g, e in zip(HEADER, got, exp):
            if g != e:
                print(f"FAIL: {reader}: row {n + 1} {column}: expected {e!r}, got {g!r}")
                failures += 1
        if len(got) != len(exp):
            print(f"FAIL: {reader}: row {n + 1} has {len(got)} cells, expected {len(exp)}")
            failures += 1
    if failures == 0:
        print(f"ok: {reader} reads {len(want)} rows, every cell as the JSON has it")


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        data = f.read()
    if data.startswith("\ufeff") or "\r" in data:
        print(f"FAIL: csv: a plain CSV has no BOM and no CR")
        global failures
        failures += 1
    rows = list(csv.reader(io.StringIO(data, newline="")))
    return rows[0], rows[1:]


def read_excel_csv(path):
    global failures
    with open(path, "rb") as f:
        raw = f.read()
    if not raw.startswith(b"\xef\xbb\xbf"):
        print("FAIL: excel: no UTF-8 BOM")
        failures += 1
    text = raw.decode("utf-8-sig")
    # Every record ends in CRLF; line breaks inside a quoted value stay LF.
    rows = list(csv.reader(io.StringIO(text, newline="")))
    records = re.sub(r'"(?:[^"]|"")*"', "", text)  # the quoted values out of the way
    if records.count("\r\n") != len(rows) or records.replace("\r\n", "").count("\n") != 0:
        print("FAIL: excel: records must end in CRLF, and only they")
        failures += 1
    header, body = rows[0], rows[1:]
    for row in body:
        for i, column in enumerate(header):
            value = row[i]
            formula = re.fullmatch(r'="([0-9]+)"', value)
            if formula:
                if column not in TEXT_COLUMNS:
                    print(f"FAIL: excel: {column} {value!r} as a formula")
                    failures += 1
                row[i] = formula.group(1)
            elif column in TEXT_COLUMNS and re.fullmatch(r"[0-9]+", value):
                print(f"FAIL: excel: {column} {value!r} is digits alone, not kept as text")
                failures += 1
            elif guarded := re.fullmatch(r'="([=+\-@\t\r](?:[^"]|"")*)"', value, re.S):
                row[i] = guarded.group(1).replace('""', '"')  # text a spreadsheet would run, as text
            elif value[:2] in ("'=", "'+", "'-", "'@"):
                row[i] = value[1:]
            elif value[:1] in ("=", "+", "-", "@"):
                print(f"FAIL: excel: {column} {value[:30]!r} would be run as a formula")
                failures += 1
    return header, body


def read_sqlite(path):
    with open(path, encoding="utf-8") as f:
        objects = json.load(f)
    header = list(objects[0].keys()) if objects else HEADER
    return header, [[o[c] for c in header] for o in objects]


def column_index(ref):
    letters = re.match(r"[A-Z]+", ref).group(0)
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - ord("A") + 1
    return n - 1


def read_xlsx(path):
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(path) as z:
        shared = []
        if "xl/sharedStrings.xml" in z.namelist():
            for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns):
                shared.append("".join(t.text or "" for t in si.iter("{%s}t" % ns["m"])))
        sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    rows = []
    for r in sheet.iter("{%s}row" % ns["m"]):
        row = []
        for c in r.findall("m:c", ns):
            i = column_index(c.get("r"))
            row += [None] * (i + 1 - len(row))
            v = c.find("m:v", ns)
            kind = c.get("t", "n")
            if v is None or v.text is None:
                value = ""
            elif kind == "s":
                value = shared[int(v.text)]
            elif kind == "b":
                value = "true" if v.text == "1" else "false"
            elif kind in ("str", "inlineStr"):
                value = v.text
            else:
                number = float(v.text)
                value = str(int(number)) if number.is_integer() else v.text
            row[i] = value
        rows.append(["" if x is None else x for x in row])
    header = rows[0]
    body = [row + [""] * (len(header) - len(row)) for row in rows[1:]]
    # Calc reads source.date as a date, kept as a serial number of days since 1899-12-30.
    d = header.index("source.date") if "source.date" in header else None
    for row in body:
        if d is not None and re.fullmatch(r"[0-9]+", row[d]):
            row[d] = (datetime.date(1899, 12, 30) + datetime.timedelta(days=int(row[d]))).isoformat()
    return header, body


def main():
    mode, path, docs = sys.argv[1], sys.argv[2], sys.argv[3:]
    if mode == "xlsx-cell":
        header, rows = read_xlsx(path)
        name, column = docs
        for row in rows:
            if row[header.index("awardee.name")] == name:
                print(row[header.index(column)])
        return 0
    readers = {"csv": read_csv, "excel": read_excel_csv, "sqlite": read_sqlite, "xlsx": read_xlsx}
    header, rows = readers[mode](path)
    compare(mode, header, rows, docs)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

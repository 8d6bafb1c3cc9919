#!/usr/bin/env python3
"""test_provenance.py -- `hyosho convert --provenance` points at the right places.

For each PDF fixture with a golden, every field's boxes must hold the words of its value
as `pdftotext -bbox-layout` places them (an independent reading of positions): the words
whose centres lie in the field's boxes, read in order, must contain the value's characters
(95 % of them, in order: normalization may drop a glyph or change a dash). For each text
fixture, the lines a field names must hold its value the same way. Without --provenance
the output must be byte for byte the output of before (the goldens are checked elsewhere;
here: no `provenance` member at all).

Usage: test_provenance.py HYOSHO FIXTURES   (exit 77: skipped, pdftotext missing)
"""
import html
import json
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

HYOSHO, FIXTURES = sys.argv[1], Path(sys.argv[2])
try:
    import jsonschema
    SCHEMA = json.loads((FIXTURES.parent / "emit" / "hyosho.schema.json").read_text())
except ImportError:
    SCHEMA = None
failures = []


# Dashes as hyosho writes them in numbers: the prolonged-sound mark and the other hyphens.
DASHES = str.maketrans({c: "-" for c in "ー‐‑‒–—―−"})


def plain(text):
    """The characters that count: NFKC, dashes as '-', no white space."""
    return "".join(unicodedata.normalize("NFKC", text).translate(DASHES).split())


def covered(value, text):
    """Share of @value's characters found in @text in order (greedy)."""
    value, text = plain(value), plain(text)
    if not value:
        return 1.0
    found, at = 0, 0
    for ch in value:
        pos = text.find(ch, at)
        if pos >= 0:
            found += 1
            at = pos + 1
    return found / len(value)


def field_values(award):
    """(path, value) for every field path provenance may name."""
    yield "awardee.name", award["awardee"]["name"]
    for i, partner in enumerate(award["partners"]):
        yield f"partners[{i}]", partner["name"]
    for i, text in enumerate(award["evaluations"]):
        yield f"evaluations[{i}]", text
    for i, text in enumerate(award["captions"]):
        yield f"captions[{i}]", text
    for name, value in award["contact"].items():
        if value is not None:
            yield f"contact.{name}", value


def convert(path, args):
    result = subprocess.run([HYOSHO, "convert", "--provenance", *args, str(path)], capture_output=True)
    if result.returncode != 0:
        return None
    return json.loads(result.stdout)


def pdf_words(path):
    """page -> [(xMin, yMin, xMax, yMax, text)] from pdftotext -bbox-layout. Read with a
    pattern, not an XML parser: pdftotext copies control characters of a text layer as
    they are, which no XML parser takes."""
    xhtml = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True,
                           check=True).stdout.decode("utf-8", "replace")
    pages, words = {}, None
    pattern = re.compile(r'<page [^>]*>|<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" '
                         r'yMax="([-\d.]+)">(.*?)</word>', re.S)
    for match in pattern.finditer(xhtml):
        if match.group(0).startswith("<page"):
            words = pages.setdefault(len(pages) + 1, [])
        else:
            box = [float(match.group(i)) for i in range(1, 5)]
            words.append((*box, html.unescape(match.group(5))))
    return pages


def words_in(boxes, pages):
    text = []
    for box in boxes:
        if "x" not in box:
            return None
        for x0, y0, x1, y1, word in pages.get(box["page"], []):
            cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
            if box["x"] - 2 <= cx <= box["x"] + box["width"] + 2 and box["y"] - 2 <= cy <= box["y"] + box["height"] + 2:
                text.append(word)
    return "".join(text)


def args_of(stem):
    args_file = stem.with_suffix(".args")
    return args_file.read_text().split() if args_file.exists() else []


def check_document(path, source_text):
    stem = path.with_suffix("")
    if not stem.with_suffix(".json").exists():
        return 0
    doc = convert(path, args_of(stem))
    if doc is None:
        return 0
    if SCHEMA is not None:
        for error in jsonschema.Draft202012Validator(SCHEMA).iter_errors(doc):
            failures.append(f"{path.name}: not valid against the schema: {error.message[:100]}")
    checked = 0
    for index, award in enumerate(doc["awards"]):
        provenance = award.get("provenance", {})
        for field, value in field_values(award):
            boxes = provenance.get(field)
            if boxes is None:
                if field == "awardee.name" and award["awardee"]["inferred"]:
                    continue  # inferred from the contact block: read from no line of its own
                failures.append(f"{path.name}: awards[{index}].{field}: no provenance")
                continue
            text = source_text(boxes)
            if text is None:
                continue
            share = covered(value, text)
            checked += 1
            if share < 0.95:
                failures.append(f"{path.name}: awards[{index}].{field} = {value[:30]!r}: its lines hold "
                                f"{text[:60]!r} ({share:.0%} of the value)")
    return checked


def main():
    if shutil.which("pdftotext") is None:
        print("skipped: pdftotext is not installed")
        return 77
    pdf_fields = 0
    for path in sorted((FIXTURES / "pdf").glob("*.pdf")):
        if path.stem.count(".") > 0:
            continue  # producer variants share the golden; their positions are their own
        pages = pdf_words(path)
        pdf_fields += check_document(path, lambda boxes: words_in(boxes, pages))
    text_fields = 0
    for path in sorted((FIXTURES / "text").glob("*.txt")):
        if path.stem.count(".") > 0:
            continue
        try:
            lines = path.read_text(encoding="utf-8").split("\n")
        except UnicodeDecodeError:
            continue  # a legacy encoding: its line numbers are checked by the UTF-8 fixtures
        text_fields += check_document(path, lambda boxes: "".join(
            lines[b["line"] - 1] if 0 < b["line"] <= len(lines) else "" for b in boxes))
    plain_output = subprocess.run([HYOSHO, "convert", str(FIXTURES / "pdf" / "award-2019.pdf")],
                                  capture_output=True, check=True).stdout
    if b'"provenance"' in plain_output:
        failures.append("convert without --provenance writes provenance")
    for failure in failures:
        print("FAIL:", failure)
    print(f"provenance: {pdf_fields} PDF fields and {text_fields} text fields checked, {len(failures)} failures")
    if pdf_fields == 0 or text_fields == 0:
        print("FAIL: nothing was checked")
        return 1
    return 1 if failures else 0


sys.exit(main())

#!/usr/bin/env python3
"""test_review.py -- `hyosho review` checked in a real browser.

Headless Chromium opens the review of fixtures/pdf/award-2019.pdf from disk, the page's
own script runs its #selftest (every value hovered: its boxes light up; every box inside
its page image), and the DOM it dumps must show: every field value of the document's JSON
as a value with at least one box, no box outside its page, the text lines of a text
input boxed too. A screenshot is written beside the test (review-screenshot.png) and its
size checked. Every page is valid HTML (html5lib, strict). A document whose text and file
name hold <script>, &, quotes gives a page with no element of its own making.

Usage: test_review.py HYOSHO FIXTURES ARTIFACT_DIR   (exit 77: skipped, no chromium or html5lib)
"""
import json
import re
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

HYOSHO, FIXTURES, ARTIFACTS = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
failures = []


def check(ok, what):
    print(("ok: " if ok else "FAIL: ") + what)
    if not ok:
        failures.append(what)


def browser():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    return None


def chromium(tmp, *args):
    command = [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
               "--hide-scrollbars", f"--user-data-dir={tmp / 'profile'}", *args]
    return subprocess.run(command, capture_output=True, timeout=120).stdout.decode("utf-8", "replace")


def selftest(tmp, page):
    dom = chromium(tmp, "--dump-dom", page.as_uri() + "#selftest")
    match = re.search(r'data-selftest="([^"]*)"', dom)
    if match is None:
        return None, dom
    return dict(part.split("=", 1) for part in match.group(1).split(" ")), dom


def json_values(doc):
    for award in doc["awards"]:
        if not award["awardee"]["inferred"]:
            yield award["awardee"]["name"]
        yield from award["evaluations"]
        yield from award["captions"]
        yield from (v for v in award["contact"].values() if v is not None)


def review(tmp, name, *inputs):
    folder = tmp / name
    result = subprocess.run([HYOSHO, "review", "--year", "2019", "-o", str(folder), *map(str, inputs)],
                            capture_output=True)
    check(result.returncode == 0, f"hyosho review {name}: exit {result.returncode} {result.stderr[:200]!r}")
    return folder


def main():
    global BROWSER
    BROWSER = browser()
    try:
        import html5lib
    except ImportError:
        html5lib = None
    if BROWSER is None or html5lib is None:
        print("skipped: the review test needs chromium and python3-html5lib (tools/setup.sh --with-tests installs them)")
        return 77
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        folder = review(tmp, "review", FIXTURES / "pdf" / "award-2019.pdf", FIXTURES / "text" / "award-2019-excerpt.txt")
        doc = json.loads((folder / "doc-1.json").read_text())

        result, dom = selftest(tmp, folder / "doc-1.html")
        check(result is not None, "the page's self-test ran in the browser")
        if result is not None:
            check(int(result["values"]) >= 40, f"{result['values']} values on the PDF's page")
            check(result["unboxed"] == "", f"every value has a box (without one: {result['unboxed']!r})")
            check(result["outside"] == "0" and int(result["boxes"]) > 40,
                  f"{result['boxes']} boxes, {result['outside']} outside their page image")
            check(result["unlit"] == "0", "pointing at a value lights its boxes")
        parsed = html5lib.parse(dom, namespaceHTMLElements=False)
        shown = {"".join(dd.itertext()) for dd in parsed.iter("dd")}
        missing = [v for v in json_values(doc) if v not in shown]
        check(not missing, f"every field value of the JSON is on the page (missing: {missing[:3]})")
        images = [img.get("src") for img in parsed.iter("img")]
        check(images == ["doc-1/page-1.png", "doc-1/page-2.png", "doc-1/page-3.png"], f"page images {images}")

        result, _ = selftest(tmp, folder / "doc-2.html")
        check(result is not None and result["unboxed"] == "" and int(result["values"]) > 10,
              f"a text input's lines stand for its boxes: {result}")

        shot = ARTIFACTS / "review-screenshot.png"
        shot.unlink(missing_ok=True)
        chromium(tmp, "--window-size=1400,1000", f"--screenshot={shot}", (folder / "doc-1.html").as_uri())
        data = shot.read_bytes() if shot.exists() else b""
        size = struct.unpack(">II", data[16:24]) if data[:8] == b"\x89PNG\r\n\x1a\n" else (0, 0)
        check(size == (1400, 1000) and len(data) > 50000,
              f"screenshot {shot.name}: {size[0]}x{size[1]}, {len(data)} bytes")

        for page in sorted(folder.glob("*.html")):
            parser = html5lib.HTMLParser(strict=True)
            try:
                parser.parse(page.read_bytes())
                check(True, f"{page.name} is valid HTML")
            except Exception as error:  # html5lib raises ParseError on the first error
                check(False, f"{page.name} is not valid HTML: {error}")

        # batch --review: the workers write the pages, the batch the index (failures too);
        # the batch's own output is what it is without --review.
        batch_dir = tmp / "batch-review"
        inputs = [str(FIXTURES / "pdf" / "award-2019.pdf"), str(FIXTURES / "text" / "award-2019-excerpt.txt"),
                  str(tmp / "missing.pdf")]
        plain = subprocess.run([HYOSHO, "batch", "-q", "-j", "2", *inputs], capture_output=True)
        reviewed = subprocess.run([HYOSHO, "batch", "-q", "-j", "2", "--review", str(batch_dir), *inputs],
                                  capture_output=True)
        check(reviewed.returncode == 1 and reviewed.stdout == plain.stdout,
              "batch --review: the same JSON Lines as without it, exit 1 for the missing input")
        index = html5lib.parse((batch_dir / "index.html").read_text(), namespaceHTMLElements=False)
        rows = ["".join(row.itertext()) for row in index.iter("tr")][1:]
        check(len(rows) == 3 and any("missing.pdf" in r and "failed: No such file or directory" in r for r in rows),
              f"batch --review's index: a row per input, the failure with its reason: {rows}")
        pages = [a.get("href") for a in index.iter("a")]
        check(len(pages) == 2 and all((batch_dir / page).exists() for page in pages), f"its pages exist: {pages}")
        if pages:
            result, _ = selftest(tmp, batch_dir / pages[0])
            check(result is not None and result["unboxed"] == "" and result["outside"] == "0",
                  f"a batch's page passes the self-test: {result}")

        # A folder of the user's is not written into.
        mine = tmp / "mine"
        mine.mkdir()
        (mine / "index.html").write_text("<p>my own page</p>")
        refused = subprocess.run([HYOSHO, "review", "-o", str(mine), str(FIXTURES / "pdf" / "award-2019.pdf")],
                                 capture_output=True)
        check(refused.returncode == 1 and b"is not a hyosho review" in refused.stderr
              and (mine / "index.html").read_text() == "<p>my own page</p>" and not (mine / "doc-1.html").exists(),
              f"a folder whose index.html is the user's is refused: {refused.stderr[:120]!r}")
        again = subprocess.run([HYOSHO, "review", "--year", "2019", "-o", str(folder),
                                str(FIXTURES / "text" / "award-2019-excerpt.txt")], capture_output=True)
        check(again.returncode == 0, "a review's own folder is written again")

        # Escaping: markup in the text and in the file name stays text.
        hostile_name = tmp / "a<b>&\"q'.txt"
        text = (FIXTURES / "text" / "award-2019-excerpt.txt").read_text()
        text = text.replace("富山ファン倶楽部", "<script>document.title='pwned'</script>&amp;\"q'<img src=x>", 1)
        hostile_name.write_text(text)
        folder = review(tmp, "hostile", hostile_name)
        dom = chromium(tmp, "--dump-dom", (folder / "doc-1.html").as_uri())
        parsed = html5lib.parse(dom, namespaceHTMLElements=False)
        scripts = list(parsed.iter("script"))
        check(len(scripts) == 1, f"one script element (the page's own), found {len(scripts)}")
        check(not list(parsed.iter("b")) and not [i for i in parsed.iter("img") if i.get("src") == "x"],
              "no element made from the document's text or file name")
        check("pwned" not in "".join(t.text or "" for t in parsed.iter("title")), "the text's script did not run")
        check("<script>document.title" in "".join(parsed.itertext()), "the text is shown as written")
        index = (folder / "index.html").read_text()
        check("a&lt;b&gt;&amp;&quot;q&apos;.txt" in index, "the file name is escaped in the index")
    print(f"review: {len(failures)} failures")
    return 1 if failures else 0


sys.exit(main())

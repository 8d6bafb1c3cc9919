#!/usr/bin/python3
"""validate_schema.py -- checks emit/hyosho.schema.json against hyosho's real output.

Validates every golden under FIXTURES (a NAME.json beside an input NAME.EXT) against the
schema, and every line of `hyosho convert --format jsonl` of each such input (with its
NAME.args) against $defs/line; each line must also equal the document's award at its
index plus the document's schema_version and source. Finally a few broken records must be
rejected, so that the schema cannot silently accept anything.

Usage: validate_schema.py SCHEMA HYOSHO FIXTURES
Exits 77 (skipped, for ctest) when python3-jsonschema is missing: run it with /usr/bin/python3.
"""
import copy
import json
import pathlib
import shlex
import subprocess
import sys

try:
    import jsonschema
except ImportError:
    print("skipped: python3-jsonschema is not installed for", sys.executable)
    sys.exit(77)

# Files beside a golden that are not inputs (as in tools/cmd_check.c).
NON_INPUTS = (".json", ".error", ".args", ".page", ".md", ".png")
LINE_KEYS = {"schema_version", "source", "index"}


def goldens(fixtures):
    """(golden, input) pairs: a .json with a sibling input of the same stem."""
    for golden in sorted(fixtures.rglob("*.json")):
        inputs = [p for p in golden.parent.glob(golden.stem + ".*")
                  if p.name != golden.name and not p.name.endswith(NON_INPUTS) and p.stem == golden.stem]
        if inputs:
            yield golden, sorted(inputs)[0]


def convert(hyosho, source, fmt):
    args_file = source.with_suffix(".args")
    extra = shlex.split(args_file.read_text()) if args_file.exists() else []
    # In the fixture's folder: paths in NAME.args (--rules FILE) are relative to it.
    run = subprocess.run([hyosho, "convert", "--format", fmt, *extra, source.name], cwd=source.parent,
                         capture_output=True, text=True, check=False)
    if run.returncode != 0:
        raise SystemExit(f"FAIL {source}: hyosho convert --format {fmt} exited {run.returncode}: {run.stderr}")
    return run.stdout


def errors_of(validator, instance):
    return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
            for e in validator.iter_errors(instance)]


def broken_variants(document):
    """(what, broken copy) pairs the schema must reject."""
    def mutate(what, change):
        broken = copy.deepcopy(document)
        change(broken)
        return what, broken

    def award(d):
        return d["awards"][0]

    yield mutate("postal_code \"\"", lambda d: award(d)["contact"].update(postal_code=""))
    yield mutate("postal_code without dash", lambda d: award(d)["contact"].update(postal_code="9308501"))
    yield mutate("tel with a space", lambda d: award(d)["contact"].update(tel="076 444 3158"))
    yield mutate("lg_code of 5 digits", lambda d: award(d)["awardee"].update(lg_code="16000"))
    yield mutate("kind city", lambda d: award(d)["awardee"].update(kind="city"))
    yield mutate("prefecture not a prefecture", lambda d: award(d)["awardee"].update(prefecture="富山"))
    yield mutate("organization with lg_code",
                 lambda d: award(d)["awardee"].update(kind="organization", lg_code="160008"))
    yield mutate("lower-case country_code", lambda d: award(d)["partners"].append(
        {"name": "遼寧省", "country": "中華人民共和国", "country_code": "cn"}))
    yield mutate("format docx", lambda d: d["source"].update(format="docx"))
    yield mutate("sha256 not hex", lambda d: d["source"].update(sha256="xyz"))
    yield mutate("title \"\"", lambda d: d["source"].update(title=""))
    yield mutate("year as a string", lambda d: d["source"].update(year="2019"))
    yield mutate("contact missing", lambda d: award(d).pop("contact"))
    yield mutate("contact.url missing", lambda d: award(d)["contact"].pop("url"))
    yield mutate("empty evaluation", lambda d: award(d)["evaluations"].append(""))
    yield mutate("page 0", lambda d: award(d).update(pages=[0]))
    yield mutate("schema_version 2", lambda d: d.update(schema_version=2))
    yield mutate("awardee name \"\"", lambda d: award(d)["awardee"].update(name=""))
    yield mutate("date not ISO", lambda d: d["source"].update(date="2023/05/29"))
    yield mutate("date as written", lambda d: d["source"].update(date="令和5年5月29日"))
    yield mutate("date missing", lambda d: d["source"].pop("date"))
    yield mutate("listed awardee \"\"", lambda d: d["source"].update(listed_awardees=["富山県", ""]))
    yield mutate("listed_awardees null", lambda d: d["source"].update(listed_awardees=None))
    yield mutate("listed_awardees missing", lambda d: d["source"].pop("listed_awardees"))
    yield mutate("category \"\"", lambda d: award(d).update(category=""))
    yield mutate("category missing", lambda d: award(d).pop("category"))


def whole_release(document):
    """@document as a whole release gives it: a date, the listed awardees, a category."""
    release = copy.deepcopy(document)
    release["source"].update(date="2023-05-29", listed_awardees=[a["awardee"]["name"] for a in release["awards"]])
    release["awards"][0]["category"] = "総務大臣賞"
    return release


def main():
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    schema_path, fixtures = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[3])
    hyosho = str(pathlib.Path(sys.argv[2]).resolve())
    schema = json.loads(schema_path.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    document_validator = jsonschema.Draft202012Validator(schema)
    # $defs/line as a root of its own; its references ("#/$defs/...") need the $defs beside it.
    line_validator = jsonschema.Draft202012Validator(dict(schema["$defs"]["line"], **{"$defs": schema["$defs"]}))

    failures, n_goldens, n_lines, sample = [], 0, 0, None
    for golden, source in goldens(fixtures):
        n_goldens += 1
        expected = json.loads(golden.read_text())
        failures += [f"{golden}: {e}" for e in errors_of(document_validator, expected)]

        document = json.loads(convert(hyosho, source, "json"))
        failures += [f"{source} (json): {e}" for e in errors_of(document_validator, document)]
        if document["awards"] and sample is None:
            sample = document
        lines = convert(hyosho, source, "jsonl").splitlines()
        if len(lines) != len(document["awards"]):
            failures.append(f"{source}: {len(lines)} jsonl lines for {len(document['awards'])} awards")
        for i, text in enumerate(lines):
            n_lines += 1
            line = json.loads(text)
            failures += [f"{source} (jsonl line {i + 1}): {e}" for e in errors_of(line_validator, line)]
            award = {k: v for k, v in line.items() if k not in LINE_KEYS}
            if (line.get("index") != i or line.get("source") != document["source"]
                    or line.get("schema_version") != document["schema_version"]
                    or (i < len(document["awards"]) and award != document["awards"][i])):
                failures.append(f"{source} (jsonl line {i + 1}): differs from award {i} of the JSON document")

    if n_goldens == 0:
        failures.append(f"no golden .json beside an input under {fixtures}")
    n_rejected = 0
    if sample is not None:
        tolerant = copy.deepcopy(sample)
        tolerant["awards"][0]["extra_field"] = {"allowed": True}  # "Extra fields are allowed"
        failures += [f"extra field: {e}" for e in errors_of(document_validator, tolerant)]
        failures += [f"whole release: {e}" for e in errors_of(document_validator, whole_release(sample))]
        for what, broken in broken_variants(sample):
            if document_validator.is_valid(broken):
                failures.append(f"schema accepts a broken record: {what}")
            else:
                n_rejected += 1

    for failure in failures:
        print("FAIL", failure)
    print(f"{n_goldens} goldens and {n_lines} jsonl lines checked against {schema_path.name}; "
          f"{n_rejected} broken records rejected; {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Check the answer-key data sets of tests/golden/key/data against redpen.

usage: check.py DIR --redpen PATH

For every *.jsonl in DIR/data whose records carry "expect", grade the file
with `redpen grade FILE --answer-field answer --format jsonl` and compare,
record by record, the fields "expect" names: first and final verdicts of
the one part, the kinds of its corrections in order, and revealed.  A
difference listed in DIR/known-gaps.txt ("ID FIELD" a line) is reported
but allowed; the list may only shrink: a listed gap that no longer occurs
fails too, so that it is removed.
"""
import json
import os
import subprocess
import sys


def main():
    args = sys.argv[1:]
    redpen = args[args.index("--redpen") + 1]
    root = args[0]
    gaps = set()
    gpath = os.path.join(root, "known-gaps.txt")
    if os.path.exists(gpath):
        for line in open(gpath):
            line = line.split("#")[0].strip()
            if line:
                gaps.add(tuple(line.split()[:2]))
    seen, failed, checked = set(), 0, 0
    for name in sorted(os.listdir(os.path.join(root, "data"))):
        if not name.endswith(".jsonl"):
            continue
        path = os.path.join(root, "data", name)
        recs = [json.loads(l) for l in open(path) if l.strip()]
        if not any("expect" in r for r in recs):
            continue
        out = subprocess.run([redpen, "grade", path, "--answer-field", "answer",
                              "--format", "jsonl"], capture_output=True, text=True)
        if out.returncode != 0:
            print(f"FAIL {name}: exit {out.returncode}: {out.stderr.strip()}")
            failed += 1
            continue
        reps = [json.loads(l) for l in out.stdout.splitlines() if l.strip()]
        if len(reps) != len(recs):
            print(f"FAIL {name}: {len(recs)} records, {len(reps)} reports")
            failed += 1
            continue
        for rec, rep in zip(recs, reps):
            part = rep["parts"][0]
            got = {"first": part["first"]["verdict"], "final": part["final"]["verdict"],
                   "corrections": [c["kind"] for c in part["corrections"]],
                   "revealed": part["revealed"]}
            for field, want in rec.get("expect", {}).items():
                checked += 1
                key = (rec["id"], field)
                if got[field] == want:
                    continue
                if key in gaps:
                    seen.add(key)
                    print(f"known gap {rec['id']} {field}: expected {want!r}, got {got[field]!r}")
                    continue
                print(f"FAIL {name} {rec['id']} {field}: expected {want!r}, got {got[field]!r}")
                failed += 1
    for key in sorted(gaps - seen):
        print(f"FAIL known gap {key[0]} {key[1]} no longer occurs: remove it from known-gaps.txt")
        failed += 1
    print(f"{checked - failed - len(seen)} agree, {len(seen)} known gaps, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

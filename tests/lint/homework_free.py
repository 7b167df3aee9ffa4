#!/usr/bin/env python3
"""Check that no source file under src/ names a homework: its part ids, its
symbols or the cue words of its problems.  Homework knowledge lives in the
rubrics (rubrics/*.json), and this check reads them to know what to look for,
so a new rubric extends it without an edit here.

usage: homework_free.py REPO   -- prints each hit as FILE:LINE: WHAT, exits 1 on any

What counts, per rubric:
- a part id ("2b", "3d.ii") standing alone inside a C string literal (an id in
  code is a homework decision; comments may describe the id grammar);
- a variable's name or alias with a subscript, in its LaTeX spellings
  ("d_{out}", "\\sigma_g", "n_{\\text{in}}") anywhere, comments included, and
  in its plain spelling ("d_out") inside a string literal (as a C identifier it
  is only a name).
Problem cues are not checked: many are ordinary words of the subject
("receptive field") that an engine operation may well be named for.
"""
import glob
import json
import os
import re
import sys


def spellings(sym):
    """The ways a subscripted symbol is written in source: d_{out} -> d_{out}, d_out."""
    out = {sym}
    m = re.fullmatch(r"(\\?[A-Za-z]+)_\{(?:\\(?:text|mathrm|operatorname)\{)?([A-Za-z]+)\}?\}", sym)
    if m:
        out.add(f"{m.group(1)}_{m.group(2)}")
        out.add(f"{m.group(1)}_{{{m.group(2)}}}")
    return out


def needles(rubric):
    ids, syms = set(), set()
    for prob in rubric.get("problems", []):
        for part in prob.get("parts", []):
            if part.get("id"):
                ids.add(part["id"])
        for v in prob.get("vars", []):
            for s in [v.get("name", "")] + v.get("aliases", []):
                if "_" in s or "(" in s:
                    syms |= spellings(s)
    return ids, syms


def main():
    repo = sys.argv[1] if len(sys.argv) > 1 else "."
    ids, syms = set(), set()
    for path in sorted(glob.glob(os.path.join(repo, "rubrics", "*.json"))):
        try:
            r = json.load(open(path, encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(r, dict) and "problems" in r:
            a, b = needles(r)
            ids |= a
            syms |= b
    # (what, pattern, only inside string literals)
    pats = []
    if ids:
        alt = "|".join(sorted(map(re.escape, ids), key=len, reverse=True))
        pats.append(("part id", re.compile(r'(?<![\w#.\\-])(?:' + alt + r')(?![\w])'), True))
    for sym in sorted(syms):
        literal_only = "{" not in sym and "\\" not in sym
        pats.append(("symbol", re.compile(r"(?<![\w])" + re.escape(sym) + r"(?![\w])"), literal_only))
    strlit = re.compile(r'"(?:[^"\\]|\\.)*"')
    hits = 0
    for path in sorted(glob.glob(os.path.join(repo, "src", "**", "*.[ch]"), recursive=True)):
        for n, line in enumerate(open(path, encoding="utf-8", errors="replace"), 1):
            lits = " ".join(strlit.findall(line))
            for what, rx, literal_only in pats:
                m = rx.search(lits if literal_only else line)
                if m:
                    hits += 1
                    print(f"{os.path.relpath(path, repo)}:{n}: {what} {m.group(0)!r}: {line.strip()[:100]}")
                    break
    if hits:
        print(f"homework_free: {hits} lines of src/ name a homework (move them to the rubric)")
    sys.exit(1 if hits else 0)


main()

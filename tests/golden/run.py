#!/usr/bin/env python3
"""Golden test runner for redpen: tests as data, discovered at run time.

usage: run.py KIND DIR --redpen PATH

Every *.json file under DIR is a case:
  {
    "about":   "what the case checks",
    "args":    ["ingest", "{repo}/transcripts/x.txt", "--format", "json"],
    "stdin":   "optional text for standard input",
    "exit":    0,                        # expected exit code (default 0)
    "expect":  {...},                    # subset of the JSON printed on stdout
    "stdout_contains": ["..."],          # substrings of stdout
    "stderr_contains": ["..."],          # substrings of stderr
    "stdout_lines": 1,                   # number of non-blank lines on stdout
    "stdout_equals": "x.txt",            # all of stdout, as in this file beside the case
                                         # (REDPEN_GOLDEN_UPDATE=1 rewrites the file)
    "files_absent": ["{tmp}/x"],         # files the command must not write
    "files_contain": {"{tmp}/r.html": ["<html"]},  # substrings of files it wrote
    "checks":  [{"select": "turns[role=model].text", "not_contains": ["Image Edit"]},
                {"select": "turns[role=model].text", "unique_paragraphs": true}]
  }
"{repo}" is replaced by the repository root and "{tmp}" by a fresh
temporary directory.  "expect" matches when every key it names is present with
a matching value (recursively); lists must have the same length, element by
element.  A select path is dot-separated keys; "name[k=v]" keeps the list
elements whose key k equals v; "name[*]" keeps them all.

Every *.tsv file under DIR (used for KIND equiv) holds lines
  TRUTH <TAB> CLAIM <TAB> VERDICT [<TAB> CATEGORY [<TAB> DETAIL-SUBSTRING]]
(VERDICT: equal, different or error; '#' starts a comment line) run through
`redpen equiv --batch -`, and each output line is compared.

Prints one line per failure and 'N passed, N failed' last; exits 1 on any
failure.
"""
import difflib
import json
import os
import subprocess
import sys
import tempfile

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def subst(s, tmp):
    return s.replace("{repo}", REPO).replace("{tmp}", tmp)


def match(want, got, where):
    """Return a list of mismatch descriptions."""
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return [f"{where}: expected an object, got {type(got).__name__}"]
        out = []
        for k, v in want.items():
            if k not in got:
                out.append(f"{where}.{k}: missing")
            else:
                out += match(v, got[k], f"{where}.{k}")
        return out
    if isinstance(want, list):
        if not isinstance(got, list):
            return [f"{where}: expected a list, got {type(got).__name__}"]
        if len(want) != len(got):
            return [f"{where}: expected {len(want)} elements, got {len(got)}"]
        out = []
        for i, (w, g) in enumerate(zip(want, got)):
            out += match(w, g, f"{where}[{i}]")
        return out
    if isinstance(want, float) or isinstance(got, float):
        if isinstance(got, (int, float)) and not isinstance(got, bool) and abs(want - got) <= 1e-9 * max(1, abs(want)):
            return []
    if want != got:
        return [f"{where}: expected {want!r}, got {got!r}"]
    return []


def select(doc, path):
    cur = [doc]
    for part in path.split("."):
        flt = None
        if "[" in part and part.endswith("]"):
            part, flt = part[:-1].split("[", 1)
        nxt = []
        for c in cur:
            if isinstance(c, dict) and part in c:
                nxt.append(c[part])
        cur = nxt
        if flt is not None:
            nxt = []
            for c in cur:
                if not isinstance(c, list):
                    continue
                for e in c:
                    if flt == "*":
                        nxt.append(e)
                    else:
                        k, v = flt.split("=", 1)
                        if isinstance(e, dict) and str(e.get(k)) == v:
                            nxt.append(e)
            cur = nxt
    return cur


def run_check(chk, doc):
    vals = select(doc, chk["select"])
    errs = []
    if "count" in chk and len(vals) != chk["count"]:
        errs.append(f"{chk['select']}: {len(vals)} values, expected {chk['count']}")
    for v in vals:
        text = v if isinstance(v, str) else json.dumps(v)
        for s in chk.get("not_contains", []):
            if s in text:
                errs.append(f"{chk['select']}: contains {s!r}")
        for s in chk.get("contains", []):
            if s not in text:
                errs.append(f"{chk['select']}: lacks {s!r}")
        if chk.get("unique_paragraphs"):
            seen = set()
            for para in text.split("\n\n"):
                p = para.strip()
                if len(p) < 40:
                    continue
                if p in seen:
                    errs.append(f"{chk['select']}: paragraph repeated: {p[:60]!r}")
                seen.add(p)
    if "any_contains" in chk:
        for s in chk["any_contains"]:
            if not any(s in (v if isinstance(v, str) else json.dumps(v)) for v in vals):
                errs.append(f"{chk['select']}: no value contains {s!r}")
    return errs


def run_case(path, redpen):
    with open(path, encoding="utf-8") as f:
        case = json.load(f)
    with tempfile.TemporaryDirectory() as tmp:
        args = [redpen] + [subst(a, tmp) for a in case["args"]]
        stdin = case.get("stdin")
        try:
            p = subprocess.run(args, input=stdin, capture_output=True, text=True,
                               timeout=case.get("timeout", 60), cwd=REPO)
        except subprocess.TimeoutExpired:
            return ["timed out"]
        errs = []
        want_exit = case.get("exit", 0)
        if p.returncode != want_exit:
            errs.append(f"exit {p.returncode}, expected {want_exit}; stderr: {p.stderr.strip()[:300]}")
        for s in case.get("stdout_contains", []):
            if subst(s, tmp) not in p.stdout:
                errs.append(f"stdout lacks {s!r}")
        for s in case.get("stderr_contains", []):
            if subst(s, tmp) not in p.stderr:
                errs.append(f"stderr lacks {s!r}: {p.stderr.strip()[:300]}")
        if "stdout_equals" in case:
            # the whole of stdout, kept in a file beside the case;
            # REDPEN_GOLDEN_UPDATE=1 rewrites the file instead
            want_path = os.path.join(os.path.dirname(path), case["stdout_equals"])
            if os.environ.get("REDPEN_GOLDEN_UPDATE") == "1":
                with open(want_path, "w", encoding="utf-8") as f:
                    f.write(p.stdout)
            with open(want_path, encoding="utf-8") as f:
                want = f.read()
            if p.stdout != want:
                diff = difflib.unified_diff(want.splitlines(), p.stdout.splitlines(),
                                            case["stdout_equals"], "stdout", lineterm="", n=1)
                errs.append("stdout differs from " + case["stdout_equals"] + ":\n" +
                            "\n".join(list(diff)[:40]))
        if "stdout_empty" in case and case["stdout_empty"] and p.stdout.strip():
            errs.append("stdout not empty")
        if "stdout_lines" in case:
            got = sum(1 for line in p.stdout.splitlines() if line.strip())
            if got != case["stdout_lines"]:
                errs.append(f"{got} lines on stdout, expected {case['stdout_lines']}")
        for fpath in case.get("files_absent", []):
            if os.path.exists(subst(fpath, tmp)):
                errs.append(f"file exists: {fpath}")
        for fpath, subs in case.get("files_contain", {}).items():
            try:
                with open(subst(fpath, tmp), encoding="utf-8", errors="replace") as f:
                    text = f.read()
            except OSError as e:
                errs.append(f"{fpath}: {e}")
                continue
            for s in subs:
                if s not in text:
                    errs.append(f"{fpath} lacks {s!r}: {text[:200]!r}")
        if "expect" in case or "checks" in case:
            try:
                doc = json.loads(p.stdout)
            except ValueError as e:
                return errs + [f"stdout is not JSON: {e}: {p.stdout[:200]!r}"]
            if "expect" in case:
                errs += match(case["expect"], doc, "$")
            for chk in case.get("checks", []):
                errs += run_check(chk, doc)
        return errs


def run_tsv(path, redpen):
    lines = []
    with open(path, encoding="utf-8") as f:
        for no, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) < 3:
                lines.append((no, None, None, f"bad case line (need TRUTH, CLAIM, VERDICT): {line!r}"))
                continue
            lines.append((no, cols, line, None))
    good = [(no, cols) for no, cols, _, err in lines if err is None]
    errs = [f"{os.path.basename(path)}:{no}: {err}" for no, _, _, err in lines if err]
    if not good:
        return errs, 0
    inp = "".join(c[0] + "\t" + c[1] + "\n" for _, c in good)
    p = subprocess.run([redpen, "equiv", "--batch", "-"], input=inp, capture_output=True,
                       text=True, timeout=300, cwd=REPO)
    outs = p.stdout.split("\n")
    for i, (no, cols) in enumerate(good):
        got = outs[i].split("\t") if i < len(outs) else ["<no output>"]
        want_v = cols[2].strip()
        where = f"{os.path.basename(path)}:{no}"
        if got[0] != want_v:
            errs.append(f"{where}: {cols[0]!r} vs {cols[1]!r}: got {outs[i] if i < len(outs) else ''!r}, expected {want_v}")
            continue
        if want_v == "different" and len(cols) > 3 and cols[3].strip():
            if len(got) < 2 or got[1] != cols[3].strip():
                errs.append(f"{where}: {cols[0]!r} vs {cols[1]!r}: category {got[1] if len(got) > 1 else None!r}, expected {cols[3].strip()}")
                continue
            if len(cols) > 4 and cols[4].strip():
                if len(got) < 3 or cols[4].strip() not in got[2]:
                    errs.append(f"{where}: detail {got[2] if len(got) > 2 else ''!r} lacks {cols[4].strip()!r}")
    return errs, len(good)


def main():
    args = sys.argv[1:]
    redpen = os.path.join(REPO, "build", "redpen")
    if "--redpen" in args:
        i = args.index("--redpen")
        redpen = args[i + 1]
        del args[i:i + 2]
    kind, root = args[0], args[1]
    passed = failed = 0
    if not os.path.isdir(root):
        print(f"{kind}: no cases in {root}")
        print("0 passed, 0 failed")
        return 0
    for dirpath, _, files in sorted(os.walk(root)):
        for name in sorted(files):
            path = os.path.join(dirpath, name)
            if name.endswith(".json") and not name.endswith(".expected.json"):
                errs = run_case(path, redpen)
                if errs:
                    failed += 1
                    for e in errs:
                        print(f"FAIL {os.path.relpath(path, REPO)}: {e}")
                else:
                    passed += 1
            elif name.endswith(".tsv"):
                errs, n = run_tsv(path, redpen)
                failed += len(errs)
                passed += n - len(errs)
                for e in errs:
                    print(f"FAIL {e}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

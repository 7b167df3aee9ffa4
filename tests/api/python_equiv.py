#!/usr/bin/env python3
"""python/redpen.py (libredpen through ctypes) gives the same verdicts as
`redpen equiv --batch` on 1,000 pairs, and libredpen exports exactly the
functions of include/redpen/redpen.h.

usage: python_equiv.py REPO --redpen PATH --lib LIBREDPEN

The pairs are the TRUTH<TAB>CLAIM pairs of tests/golden/equiv/*.tsv, then
the same pairs the other way round, the first 1,000 distinct ones.  Each
pair's verdict (equal, different, error) must agree, and for equal and
different the note or the category and detail too.
Prints one line per disagreement and 'N passed, N failed' last.
"""
import os
import re
import subprocess
import sys
import time

N_PAIRS = 1000


def pairs(repo):
    seen, out = set(), []
    folder = os.path.join(repo, "tests", "golden", "equiv")
    rows = []
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".tsv"):
            continue
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            for line in f:
                cols = line.rstrip("\n").split("\t")
                if len(cols) >= 2 and not line.lstrip().startswith("#") and line.strip():
                    rows.append((cols[0], cols[1]))
    for t, c in rows + [(c, t) for t, c in rows]:
        if (t, c) not in seen:
            seen.add((t, c))
            out.append((t, c))
    return out[:N_PAIRS]


def exported(lib):
    out = subprocess.run(["nm", "-D", "--defined-only", lib], capture_output=True, text=True,
                         check=True).stdout
    return {m.group(1) for m in re.finditer(r" [TDBR] (\w+)", out)}


def declared(repo):
    with open(os.path.join(repo, "include", "redpen", "redpen.h"), encoding="utf-8") as f:
        return set(re.findall(r"^REDPEN_API [^(]*?\b(redpen_\w+)\(", f.read(), re.M))


def main():
    repo = sys.argv[1]
    redpen = sys.argv[sys.argv.index("--redpen") + 1]
    lib = sys.argv[sys.argv.index("--lib") + 1]
    os.environ["REDPEN_LIB"] = lib
    sys.path.insert(0, os.path.join(repo, "python"))
    import redpen as rp  # noqa: E402  (after REDPEN_LIB is set)

    fails, passed = [], 0
    want, got = declared(repo), exported(lib)
    if not want or want != got:
        fails.append(f"libredpen exports {sorted(got)}, redpen.h declares {sorted(want)}")
    else:
        passed += 1

    # a NUL would end the C string early and compare only its start
    for args in (("1/2", "0.5\0junk"), ("1/2\0x", "0.5")):
        try:
            rp.equiv(*args)
            fails.append(f"equiv{args!r} accepted a NUL")
        except ValueError:
            passed += 1

    ps = pairs(repo)
    if len(ps) != N_PAIRS:
        fails.append(f"{len(ps)} pairs, expected {N_PAIRS}")
    data = "".join(f"{t}\t{c}\n" for t, c in ps)
    p = subprocess.run([redpen, "equiv", "--batch", "-"], input=data, capture_output=True,
                       text=True, timeout=600)
    lines = p.stdout.split("\n")[:len(ps)]
    t0 = time.monotonic()
    for (truth, claim), line in zip(ps, lines):
        cols = line.split("\t")
        v = rp.equiv(truth, claim)
        if v.verdict != cols[0]:
            fails.append(f"{truth!r} vs {claim!r}: python {v.verdict}, cli {line!r}")
        elif cols[0] == "different" and v.why != f"{cols[1]}: {cols[2]}":
            fails.append(f"{truth!r} vs {claim!r}: python {v.why!r}, cli {line!r}")
        elif cols[0] == "equal" and v.why != (cols[1] if len(cols) > 1 else ""):
            fails.append(f"{truth!r} vs {claim!r}: python note {v.why!r}, cli {line!r}")
        else:
            passed += 1
    secs = time.monotonic() - t0
    print(f"python: {len(ps)} pairs in {secs:.2f} s ({len(ps) / max(secs, 1e-9):.0f} pairs/s), "
          f"libredpen {rp.version()} from {rp.library_path()}")
    for f in fails[:50]:
        print("FAIL", f)
    print(f"{passed} passed, {len(fails)} failed")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())

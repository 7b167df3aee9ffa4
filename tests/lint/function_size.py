#!/usr/bin/env python3
"""Check the size rules of src/: no .c file over 1,300 lines unless its opening
comment says why it is one file (the phrase "one file"), and no function over
120 lines unless the comment just above it says why it is long (the word
"long").

usage: function_size.py REPO   -- prints each breach as FILE:LINE: WHAT, exits 1 on any

A function is found the way the code is written here (STYLE.md): its
signature starts at column 0, its body opens with "{" alone on a line and
closes with "}" alone on a line.
"""
import glob
import os
import re
import sys

MAX_FILE, MAX_FUNC = 1300, 120


def comment_above(lines, k):
    """The comment block that ends just above line k (0-based), as text."""
    j = k - 1
    if j < 0 or not lines[j].rstrip().endswith("*/"):
        return ""
    block = []
    while j >= 0:
        block.append(lines[j])
        if "/*" in lines[j]:
            break
        j -= 1
    return "\n".join(reversed(block))


def main():
    repo = sys.argv[1] if len(sys.argv) > 1 else "."
    bad = 0
    for path in sorted(glob.glob(os.path.join(repo, "src", "**", "*.c"), recursive=True)):
        lines = open(path, encoding="utf-8", errors="replace").read().split("\n")
        rel = os.path.relpath(path, repo)
        if len(lines) > MAX_FILE:
            head = "\n".join(lines[:40])
            if "one file" not in head and "longer than 1,300 lines" not in head:
                bad += 1
                print(f"{rel}:1: {len(lines)} lines, and the opening comment does not say why it is one file")
        i = 0
        while i < len(lines):
            if lines[i] == "{" and i > 0 and lines[i - 1].rstrip().endswith(")"):
                k = i - 1
                while k > 0 and not re.match(r"[A-Za-z_]", lines[k]):
                    k -= 1
                j = i
                while j < len(lines) and lines[j] != "}":
                    j += 1
                n = j - i + 1
                if n > MAX_FUNC and "long" not in comment_above(lines, k).lower():
                    bad += 1
                    print(f"{rel}:{k + 1}: a function of {n} lines without a comment saying why it is long")
                i = j
            i += 1
    if bad:
        print(f"function_size: {bad} breaches")
    sys.exit(1 if bad else 0)


main()

#!/usr/bin/env python3
"""The example that opens rubrics/README.md is real: its JSON block is
rubrics/examples/intro.json, and every command in the block after it
prints what the README shows (run from the repository root).

usage: readme_example.py REPO --redpen PATH
"""
import json
import re
import subprocess
import sys


def main():
    repo, redpen = sys.argv[1], sys.argv[sys.argv.index("--redpen") + 1]
    text = open(f"{repo}/rubrics/README.md", encoding="utf-8").read()
    blocks = re.findall(r"```(\w*)\n(.*?)```", text, re.S)
    errs = []
    js = next((b for lang, b in blocks if lang == "json"), None)
    want = json.load(open(f"{repo}/rubrics/examples/intro.json", encoding="utf-8"))
    if js is None or json.loads(js) != want:
        errs.append("the README's first JSON block is not rubrics/examples/intro.json")
    shell = next((b for lang, b in blocks if lang == "" and b.startswith("$ redpen")), "")
    runs = re.findall(r"^\$ redpen (.*)\n((?:(?!\$ ).*\n)*)", shell, re.M)
    if len(runs) < 2:
        errs.append("no commands with their output after the example")
    for args, shown in runs:
        p = subprocess.run([redpen] + args.split(), capture_output=True, text=True, cwd=repo)
        got = [line.rstrip() for line in p.stdout.splitlines()]
        for line in shown.splitlines():
            if line.rstrip() not in got:
                errs.append(f"`redpen {args}` does not print {line!r}; it prints {p.stdout!r}")
    for e in errs:
        print("FAIL " + e)
    print(f"{len(runs)} commands checked, {len(errs)} failures")
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())

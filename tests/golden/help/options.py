#!/usr/bin/env python3
"""The command table (src/cli/help_table.c) and the parsers agree.

usage: options.py REPO --redpen PATH

1. Every option the table lists for a command (`redpen help --complete CMD`)
   is accepted by that command's parser: `redpen CMD OPTION [VALUE]` may fail
   for want of a file, never with "unknown option".
2. Every option name a parser in src/cli/ compares with is in the table:
   for cmd_NAME.c in NAME's options, for the shared helpers (opts.c,
   limits.c) in some command's.

Prints one line per disagreement and 'N passed, N failed' last.
"""
import os
import re
import subprocess
import sys


def run(redpen, *args):
    return subprocess.run([redpen, *args], capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL)


def main():
    repo = sys.argv[1]
    redpen = sys.argv[sys.argv.index("--redpen") + 1]
    cmds = run(redpen, "help", "--complete").stdout.split()
    table = {c: run(redpen, "help", "--complete", c).stdout.split() for c in cmds}
    fails, passed = [], 0
    sample = {"flag": None, "file": "/nonexistent/x", "dir": "/nonexistent",
              "text": "1", "choice": None}
    for cmd, opts in table.items():
        for opt in opts:
            kind = run(redpen, "help", "--complete", cmd, opt).stdout.split()
            value = kind[1] if kind and kind[0] == "choice" and len(kind) > 1 else \
                sample.get(kind[0] if kind else "flag")
            args = ([cmd, "check"] if cmd == "rubric" and opt == "--solve" else
                    [cmd, "from-key"] if cmd == "rubric" else [cmd]) + [opt]
            if value is not None:
                args.append(value)
            p = run(redpen, *args)
            if "unknown option" in p.stderr:
                fails.append(f"redpen {' '.join(args)}: the table lists {opt}, the parser "
                             f"refuses it: {p.stderr.strip()[:200]}")
            else:
                passed += 1
    every = {o for opts in table.values() for o in opts}
    lit = re.compile(r'"(--?[A-Za-z][A-Za-z0-9-]*)"')
    cli = os.path.join(repo, "src", "cli")
    for name in sorted(os.listdir(cli)):
        if not name.endswith(".c") or name.startswith("help"):
            continue
        cmd = name[4:-2].replace("_", "-") if name.startswith("cmd_") else None
        with open(os.path.join(cli, name), encoding="utf-8") as f:
            for no, line in enumerate(f, 1):
                if not re.search(r"rp_cli_opt|rp_cli_flag|strcmp\(|\{\"--", line):
                    continue
                for o in lit.findall(line):
                    known = table.get(cmd, []) if cmd in table else every
                    if o in known:
                        passed += 1
                    else:
                        fails.append(f"src/cli/{name}:{no}: parses {o}, which the table does "
                                     f"not list for {cmd or 'any command'}")
    for f in fails:
        print("FAIL", f)
    print(f"{passed} passed, {len(fails)} failed")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())

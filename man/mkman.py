#!/usr/bin/env python3
"""Write redpen.1 from its template and the binary's command table.

usage: mkman.py TEMPLATE REDPEN VERSION DATADIR DATADIR_FROM_BINDIR OUT

TEMPLATE is roff with placeholders: @VERSION@, @DATADIR@ (redpen's
installed data folder), @DATADIR_FROM_BINDIR@ (the same relative to the
binary's folder), and a line @COMMANDS@
that is replaced by `REDPEN help --man` (a .SS section per command with its
usage, description, options and examples).
"""
import subprocess
import sys


def main():
    template, redpen, version, datadir, from_bindir, out = sys.argv[1:7]
    commands = subprocess.run([redpen, "help", "--man"], check=True, capture_output=True,
                              text=True).stdout
    with open(template, encoding="utf-8") as f:
        text = f.read()
    if "@COMMANDS@\n" not in text:
        sys.exit(f"{template}: no @COMMANDS@ line")
    text = (text.replace("@COMMANDS@\n", commands).replace("@VERSION@", version)
            .replace("@DATADIR_FROM_BINDIR@", from_bindir or "(none: bindir or datadir is outside the prefix)")
            .replace("@DATADIR@", datadir))
    with open(out, "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    main()

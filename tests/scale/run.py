#!/usr/bin/env python3
"""Scale tests of `redpen grade`: memory that stays flat over many inputs,
a large JSON array read one element at a time, and the progress line.

usage: run.py --redpen PATH [--only NAME] [--sanitized]

--sanitized (the ASan build): the memory bounds are not checked, since
AddressSanitizer keeps freed memory in quarantine and the RSS then says
nothing about what redpen keeps; everything else is.

Inputs are generated into a temporary directory (small OpenAI-messages
conversations about hw4's part 1a, answers right and wrong).  Cases:
  files-from-flat   2,000 files given with --files-from: every report written
                    in order, and the peak RSS at most 10 % above that of
                    200 files (both with --jobs 2)
  json-array        one JSON array of 20,000 conversations: 20,000 reports,
                    the same as the JSON Lines stream of the same
                    conversations gives, in less than 32 MB of RSS
  progress-tty      a grade of more than a second under script(1) (standard
                    error a terminal) shows the progress line on standard
                    error and never on standard output; in a pipe nothing,
                    unless --progress; --quiet silences it on a terminal
These start redpen thousands of times' worth of work, so they are not run
under valgrind (scripts/test runs only the unit and golden suites there); the
sanitizer build runs them, more slowly.

Prints one line per case, 'N passed, N failed, N skipped' last; exits 1 on
any failure.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
RUBRIC = os.path.join(REPO, "rubrics", "hw4.json")
QUESTION = ("Problem 1 (a): what is the runtime of each iteration of Newton-Schulz "
            "for a d_out by d_in matrix?")


def conversation(i):
    """Conversation i: a model's answer to 1a, its factor varied so that
    some are right and some wrong."""
    answer = ["2c\\, d_{out}^2 d_{in}", "c\\, d_{out}^2 d_{in}", "2c\\, d_{in}^2 d_{out}",
              "O(d_{out}^2 d_{in})"][i % 4]
    return {"model": "model-%d" % (i % 5), "messages": [
        {"role": "user", "content": QUESTION},
        {"role": "assistant", "content": "Each iteration costs $%s$ (case %d)." % (answer, i)}]}


def measure(cmd, stdin=None, stdout=None):
    """Run cmd; returns (exit code, peak RSS in KB, stderr text)."""
    with tempfile.TemporaryFile() as err:
        p = subprocess.Popen(cmd, stdin=stdin or subprocess.DEVNULL,
                             stdout=stdout or subprocess.DEVNULL, stderr=err)
        _, status, ru = os.wait4(p.pid, 0)
        err.seek(0)
        return os.waitstatus_to_exitcode(status), ru.ru_maxrss, err.read().decode()


def without_paths(lines):
    """Report lines with the transcript path left out (it names the file)."""
    out = []
    for line in lines:
        d = json.loads(line)
        d["transcript"].pop("path", None)
        out.append(json.dumps(d, sort_keys=True))
    return out


def case_files_from_flat(redpen, tmp):
    d = os.path.join(tmp, "many")
    os.makedirs(d)
    paths = []
    for i in range(2000):
        p = os.path.join(d, "c%05d.json" % i)
        with open(p, "w") as f:
            json.dump(conversation(i), f)
        paths.append(p)
    rss = {}
    for n in (200, 2000):
        lst = os.path.join(tmp, "list-%d.txt" % n)
        with open(lst, "w") as f:
            f.write("\n".join(paths[:n]) + "\n")
        out = os.path.join(tmp, "out-%d.jsonl" % n)
        with open(out, "w") as fo:
            code, rss[n], err = measure([redpen, "grade", "--files-from", lst, "--rubric", RUBRIC,
                                         "--format", "jsonl", "--jobs", "2"], stdout=fo)
        if code != 0:
            return "exit %d for %d files: %s" % (code, n, err[-300:])
        with open(out) as f:
            got = [json.loads(l)["transcript"]["path"] for l in f]
        if got != paths[:n]:
            return "%d files: %d reports, not one per file in order" % (n, len(got))
    growth = rss[2000] / rss[200] - 1
    if SANITIZED:
        print("  RSS not checked under the sanitizers (freed memory is kept in quarantine)")
        return None
    print("  RSS: 200 files %d KB, 2,000 files %d KB (%+.1f %%)" % (rss[200], rss[2000],
                                                                    100 * growth))
    if growth >= 0.10:
        return "RSS grew %.1f %% from 200 to 2,000 files (limit 10 %%)" % (100 * growth)
    return None


def case_json_array(redpen, tmp):
    # written one conversation at a time: the peak RSS of redpen counts the
    # pages of this process it was forked from
    n = 20000
    arr = os.path.join(tmp, "array.json")
    lines = os.path.join(tmp, "lines.jsonl")
    with open(arr, "w") as fa, open(lines, "w") as fl:
        fa.write("[\n")
        for i in range(n):
            text = json.dumps(conversation(i), indent=1)
            fa.write(("" if i == 0 else ",\n") + text)
            fl.write(json.dumps(conversation(i)) + "\n")
        fa.write("\n]\n")
    out = os.path.join(tmp, "array.out")
    with open(out, "w") as fo:
        code, rss, err = measure([redpen, "grade", arr, "--rubric", RUBRIC, "--format", "jsonl",
                                  "--jobs", "2"], stdout=fo)
    if code != 0:
        return "exit %d: %s" % (code, err[-300:])
    ref = os.path.join(tmp, "stream.out")
    with open(lines) as fi, open(ref, "w") as fo:
        code, _, err = measure([redpen, "grade", "-", "--rubric", RUBRIC, "--format", "jsonl"],
                               stdin=fi, stdout=fo)
    if code != 0:
        return "the stream exited %d: %s" % (code, err[-300:])
    with open(out) as a, open(ref) as b:
        got, want = a.read().splitlines(), b.read().splitlines()
    print("  %d conversations in one JSON array: %d reports, peak RSS %d KB" % (
        n, len(got), rss))
    if len(got) != n:
        return "%d reports for %d conversations" % (len(got), n)
    if without_paths(got) != without_paths(want):
        return "the array's reports differ from the JSON Lines stream's"
    if rss >= 32 * 1024 and not SANITIZED:
        return "peak RSS %d KB (limit 32 MB)" % rss
    return None


PROGRESS_CONVS = 24000  # per input of the progress case: a run of more than a second


def case_progress_tty(redpen, tmp):
    if not shutil.which("script"):
        return "skip: script(1) is not installed (bsdutils)"
    # a grade of more than a second (about 1.7 cpu-seconds here): twice
    # 24,000 conversations compared without the memo
    arr = os.path.join(tmp, "array.json")
    with open(arr, "w") as f:
        json.dump([conversation(i) for i in range(PROGRESS_CONVS)], f)
    base = [redpen, "grade", arr, arr, "--rubric", RUBRIC, "--format", "jsonl", "--no-memo"]
    out = os.path.join(tmp, "tty.out")
    log = os.path.join(tmp, "tty.log")
    quoted = " ".join("'%s'" % a for a in base)
    # stdout to a file, stderr the pseudo-terminal script(1) records
    p = subprocess.run(["script", "-q", "-e", "-c", "%s > '%s'" % (quoted, out), log],
                       stdin=subprocess.DEVNULL, capture_output=True, timeout=600)
    if p.returncode != 0:
        return "under script: exit %d" % p.returncode
    with open(log, errors="replace", newline="") as f:
        tty = f.read()
    with open(out) as f:
        stdout = f.read()
    if "conversations" not in tty or "elapsed" not in tty or "\r" not in tty:
        return "no progress line on the terminal: %r" % tty[-300:]
    if "elapsed" in stdout or stdout.count("\n") != 2 * PROGRESS_CONVS:
        return "standard output holds the progress line or lacks reports"
    # in a pipe: nothing, unless forced
    q = subprocess.run(base, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=600)
    if q.stderr:
        return "progress in a pipe without --progress: %r" % q.stderr[-200:]
    q = subprocess.run(base + ["--progress"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       timeout=600)
    if b"of 2 inputs, %d conversations" % (2 * PROGRESS_CONVS) not in q.stderr:
        return "--progress in a pipe shows no final count: %r" % q.stderr[-200:]
    # each line of a pipe says something new: no count printed twice in a row
    counts = [l.split(", ")[:2] for l in q.stderr.decode().splitlines()]
    if any(a == b for a, b in zip(counts, counts[1:])):
        return "--progress in a pipe repeats a count: %r" % q.stderr[-300:]
    # one small conversation: one line, in the singular
    one = os.path.join(tmp, "one.json")
    with open(one, "w") as f:
        json.dump(conversation(0), f)
    q = subprocess.run([redpen, "grade", one, "--rubric", RUBRIC, "--progress"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=600)
    lines = q.stderr.decode().splitlines()
    if len(lines) != 1 or not lines[0].startswith("redpen: 1 conversation, "):
        return "--progress on one conversation: %r" % q.stderr[-300:]
    # --quiet on a terminal: nothing
    p = subprocess.run(["script", "-q", "-e", "-c", "%s --quiet > /dev/null" % quoted, log],
                       stdin=subprocess.DEVNULL, capture_output=True, timeout=600)
    with open(log, errors="replace", newline="") as f:
        tty = f.read()
    if p.returncode != 0 or "elapsed" in tty:
        return "--quiet still shows progress on a terminal"
    return None


SANITIZED = False

CASES = [("files-from-flat", case_files_from_flat), ("json-array", case_json_array),
         ("progress-tty", case_progress_tty)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--redpen", required=True)
    ap.add_argument("--only")
    ap.add_argument("--sanitized", action="store_true")
    a = ap.parse_args()
    global SANITIZED
    SANITIZED = a.sanitized
    passed = failed = skipped = 0
    for name, fn in CASES:
        if a.only and name != a.only:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            err = fn(os.path.abspath(a.redpen), tmp)
        if err and err.startswith("skip:"):
            skipped += 1
            print("SKIP %s: %s" % (name, err[5:].strip()))
        elif err:
            failed += 1
            print("FAIL %s: %s" % (name, err))
        else:
            passed += 1
            print("ok   %s" % name)
    print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

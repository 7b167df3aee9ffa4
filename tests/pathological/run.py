#!/usr/bin/env python3
"""Pathological inputs: redpen must refuse each with exit 2 and a clear
message, or give a sane result, within a stated time, and never leave a
half-written output file.

usage: run.py --redpen PATH [--factor F] [--only NAME]

Inputs are generated into a temporary directory at run time (the 100 MB
line is never committed).  Every case states its bound in seconds; the
bound is multiplied by F (default 1; the sanitizer builds pass a larger
factor).  Cases that grade add the time redpen takes to grade a tiny
transcript on this machine (the rubric is solved on every run), so the
bound measures the cost of the input, not of the rubric.

Prints one line per case with its time, 'N passed, N failed, N skipped'
last; exits 1 on any failure.
"""
import argparse
import json
import os
import random
import re
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
import time

import rubric_cases

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
RUBRIC = os.path.join(REPO, "rubrics", "hw4.json")
SMALL = os.path.join(REPO, "transcripts", "examples", "openai-messages.json")
BATCH = os.path.join(REPO, "transcripts", "examples", "openai-batch.jsonl")
CHATGPT = os.path.join(REPO, "transcripts", "examples", "chatgpt-conversations.json")
QUESTION = "Problem 1 (a): what is the runtime of each iteration of Newton-Schulz?"


def openai(answer, user=QUESTION):
    """An OpenAI messages transcript with one question and one answer."""
    return json.dumps({"model": "m", "messages": [
        {"role": "user", "content": user},
        {"role": "assistant", "content": answer}]})


class Case:
    """One pathological input and what redpen must do with it."""

    def __init__(self, name, make, args, exit_codes=(2,), stderr=None, bound=1.0,
                 grades=False, check=None, out=None, as_nobody=False, stdin=None,
                 umask=None, custom=None, env=None):
        self.name = name
        self.make = make            # make(tmp) -> path of the input
        self.args = args            # argv after the redpen path; "{in}", "{tmp}" replaced
        self.exit_codes = exit_codes
        self.stderr = stderr        # regex the standard error must match
        self.bound = bound          # seconds
        self.grades = grades        # add the baseline grading time to the bound
        self.check = check          # check(tmp, stdout) -> error text or None
        self.out = out              # an -o file that must not be created
        self.as_nobody = as_nobody  # run without root's right to read anything
        self.stdin = stdin          # a file fed to standard input ("{in}" replaced)
        self.umask = umask          # the umask redpen runs with
        self.custom = custom        # custom(redpen, tmp, inp) -> error text or None, run instead
        self.env = env              # variables added to the environment


def write(tmp, name, data, mode="w"):
    path = os.path.join(tmp, name)
    with open(path, mode) as f:
        f.write(data)
    return path


def report_part(stdout, part):
    """The final attempt of one part in a JSON report."""
    doc = json.loads(stdout)
    for p in doc["parts"]:
        if p["part"] == part:
            return p["final"]
    return None


def sane_fail(part):
    """The part was graded and failed (the input is no right answer)."""
    def check(tmp, stdout):
        try:
            f = report_part(stdout, part)
        except ValueError as e:
            return f"the report is not JSON: {e}"
        if f is None:
            return f"part {part} missing from the report"
        if f["verdict"] != "fail":
            return f"part {part}: verdict {f['verdict']}, expected fail"
        if f.get("claim") and len(f["claim"]) > 4096:
            return f"part {part}: claim of {len(f['claim'])} bytes in the report"
        return None
    return check


def mapping_cycle(tmp):
    """A ChatGPT export whose parent links loop: current_node a -> b -> a."""
    def node(nid, parent, role, text):
        return {"id": nid, "parent": parent, "children": [],
                "message": {"id": nid, "author": {"role": role}, "create_time": None,
                            "content": {"content_type": "text", "parts": [text]}}}
    conv = {"title": "loop", "current_node": "a", "mapping": {
        "a": node("a", "b", "assistant", "The runtime is $2cd^3$."),
        "b": node("b", "a", "user", QUESTION)}}
    return write(tmp, "loop.json", json.dumps([conv]))


def previous_kept(name):
    """The -o file still holds what was there before the failed run."""
    def check(tmp, stdout):
        with open(os.path.join(tmp, name)) as f:
            text = f.read()
        return None if text == "previous report\n" else f"{name} was changed: {text[:60]!r}"
    return check


def readonly_dir(tmp):
    """A directory nobody may write, holding a previous report."""
    d = os.path.join(tmp, "ro")
    os.mkdir(d)
    write(d, "report.json", "previous report\n")
    os.chmod(os.path.join(d, "report.json"), 0o644)
    os.chmod(d, 0o555)
    return SMALL


def with_previous(tmp):
    write(tmp, "report.json", "previous report\n")
    return write(tmp, "bad.txt", b"abc\x00def", "wb")


def equiv_refused(name, truth, claim, why):
    """`equiv --batch` on one pair must print an error line matching why."""
    return Case(name, lambda t: write(t, name + ".tsv", f"{truth}\t{claim}\n"),
                ["equiv", "--batch", "{in}"], (0, 1, 2), bound=1,
                check=lambda t, out: None if re.search(r"^error\t.*" + why, out, re.M)
                else f"no refusal ({why}) in {out[:80]!r}")


# ---------------------------------------------------------------- outputs
# Every writer follows one set of rules (src/core/out.c): only a regular
# file is replaced; devices, FIFOs and our own descriptors are written in
# place; an output that is an input is refused; modes are kept or follow
# the umask; a signal leaves no temporary file behind.

def null_device(tmp):
    """A character device named n in tmp (a symlink to /dev/null when not
    root: it must survive as a link to the device)."""
    n = os.path.join(tmp, "n")
    if os.geteuid() == 0:
        os.mknod(n, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    else:
        os.symlink("/dev/null", n)
    return BATCH


def still_device(tmp, out):
    st = os.stat(os.path.join(tmp, "n"))
    if not stat.S_ISCHR(st.st_mode):
        return f"n is no longer a device (mode {oct(st.st_mode)})"
    left = sorted(set(os.listdir(tmp)) - {"n"})
    return f"left behind: {left}" if left else None


def stdout_link(tmp):
    """so -> /proc/self/fd/1: the report must reach standard output."""
    os.symlink("/proc/self/fd/1", os.path.join(tmp, "so"))
    return SMALL


def reached_stdout(jsonl):
    def check(tmp, out):
        if not os.path.islink(os.path.join(tmp, "so")):
            return "the symlink so was replaced"
        try:
            docs = [json.loads(x) for x in out.splitlines() if x.strip()] if jsonl \
                else [json.loads(out)]
        except ValueError as e:
            return f"standard output holds no report: {e}: {out[:80]!r}"
        return None if docs and "parts" in docs[0] else f"no report on stdout: {out[:80]!r}"
    return check


def stdout_to_file(stream):
    """-o so (so -> /proc/self/fd/1) with standard output redirected to a
    file: the report lands in that file and the link stays."""
    def custom(redpen, tmp, inp):
        stdout_link(tmp)
        cmd = [redpen, "grade", "-" if stream else SMALL, "--rubric", RUBRIC, "--format",
               "jsonl" if stream else "json", "-o", os.path.join(tmp, "so")]
        with open(os.path.join(tmp, "out.json"), "w") as out, \
                open(BATCH if stream else os.devnull, "rb") as inp_f:
            p = subprocess.run(cmd, stdin=inp_f, stdout=out, stderr=subprocess.PIPE, timeout=120)
        if p.returncode not in (0, 1):
            return f"exit {p.returncode}: {p.stderr[-200:]!r}"
        with open(os.path.join(tmp, "out.json")) as f:
            return reached_stdout(stream)(tmp, f.read()) or (
                None if sorted(os.listdir(tmp)) == ["out.json", "so"]
                else f"left behind: {sorted(os.listdir(tmp))}")
    return custom


def fifo_stream(redpen, tmp, inp):
    """grade - -o FIFO: the reader gets the reports, the FIFO stays."""
    import threading
    fifo = os.path.join(tmp, "fifo")
    os.mkfifo(fifo)
    got = []

    def reader():
        with open(fifo, "rb") as f:
            got.append(f.read())
    t = threading.Thread(target=reader, daemon=True)
    t.start()
    with open(BATCH, "rb") as f:
        try:
            p = subprocess.run([redpen, "grade", "-", "--format", "jsonl", "--rubric", RUBRIC,
                                "-o", fifo], stdin=f, capture_output=True, timeout=120)
        except subprocess.TimeoutExpired:
            os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # release a writer waiting for a reader
            return "timed out writing into the FIFO"
    if p.returncode not in (0, 1):
        return f"exit {p.returncode}: {p.stderr[-200:]!r}"
    if not stat.S_ISFIFO(os.lstat(fifo).st_mode):
        return "the FIFO was replaced by a regular file"  # (the reader thread is a daemon)
    t.join(30)
    if not got or len(got[0].splitlines()) != 2:
        return f"the reader got {got[0][:80]!r}" if got else "the reader got nothing"
    left = sorted(set(os.listdir(tmp)) - {"fifo"})
    return f"left behind: {left}" if left else None


def copy_small(tmp):
    return write(tmp, "t.json", open(SMALL).read())


def unchanged_input(tmp, out):
    with open(os.path.join(tmp, "t.json")) as f:
        return None if f.read() == open(SMALL).read() else "the transcript was overwritten"


def listed_copy(tmp):
    """A copy of SMALL in tmp, and a list file naming it (after a blank line
    of spaces, which is skipped)."""
    path = copy_small(tmp)
    write(tmp, "list.txt", "   \n" + path + "\n")
    return path


def previous_with_mode(tmp):
    path = write(tmp, "report.json", "previous report\n")
    os.chmod(path, 0o640)
    return SMALL


def mode_is(name, want):
    def check(tmp, out):
        m = stat.S_IMODE(os.stat(os.path.join(tmp, name)).st_mode)
        if m != want:
            return f"{name} has mode {oct(m)}, expected {oct(want)}"
        left = sorted(set(os.listdir(tmp)) - {name})
        return f"left behind: {left}" if left else None
    return check


def signal_stream(sig):
    """A signal during a streamed -o run leaves no temporary file."""
    import signal as signals

    def custom(redpen, tmp, inp):
        with open(BATCH) as f:
            first = f.readline()
        p = subprocess.Popen([redpen, "grade", "-", "--format", "jsonl", "--rubric", RUBRIC,
                              "-o", os.path.join(tmp, "out.jsonl")],
                             stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        p.stdin.write(first.encode())
        p.stdin.flush()
        deadline = time.monotonic() + 60
        while not os.listdir(tmp) and time.monotonic() < deadline and p.poll() is None:
            time.sleep(0.02)
        if not os.listdir(tmp):
            p.kill()
            p.wait()
            return "no temporary output appeared while the stream was open"
        p.send_signal(getattr(signals, sig))
        try:
            p.wait(30)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
            return f"redpen did not stop on {sig}"
        p.stdin.close()
        left = os.listdir(tmp)
        return f"left behind after {sig}: {left}" if left else None
    return custom


def stdout_has(pattern, absent=None):
    """The standard output matches pattern (and not absent)."""
    def check(tmp, out):
        if not re.search(pattern, out):
            return f"stdout does not match {pattern!r}: {out[:300]!r}"
        if absent and re.search(absent, out):
            return f"stdout matches {absent!r}: {out[:300]!r}"
        return None
    return check


def hostile_names(tmp):
    """A transcript whose model name and answer carry terminal escapes, raw
    HTML and javascript: links."""
    return write(tmp, "hostile.json", json.dumps({
        "model": "gpt\u001b]0;PWNED\u0007\u001b[2J</title><script>alert(1)</script>",
        "messages": [{"role": "user", "content": QUESTION},
                     {"role": "assistant", "content":
                      "See [here](javascript:alert(1)), <javascript:alert(2)>, "
                      "![x](JavaScript:alert(3)) and [ok](https://example.org/a). "
                      "The runtime is $2cd^3$.\u001b[2J"}]}))


def pdf_links(tmp, out):
    with open(os.path.join(tmp, "a.pdf"), "rb") as f:
        pdf = f.read()
    uris = re.findall(rb"/URI\s*\(([^)]*)\)", pdf)
    bad = [u for u in uris if not re.match(rb"https?://|#", u, re.I)]
    if bad:
        return f"unsafe links in the PDF: {bad[:5]}"
    return None if any(u.startswith(b"https://example.org/a") for u in uris) \
        else f"the https link was lost: {uris[:5]}"


def no_controls(tmp, out):
    bad = sorted({hex(ord(ch)) for ch in out if (ord(ch) < 32 and ch not in "\n\t")
                  or 0x7f <= ord(ch) <= 0x9f})
    if bad:
        return f"control characters on the terminal: {bad}"
    return None if "PWNED" in out else f"the model name is missing: {out[:200]!r}"


def coloured_terminal(args):
    """redpen ARGS with standard output a terminal (script(1)), so its
    colours are on: its own colour sequences may stay, nothing else of the
    hostile model name may reach the terminal (an input's ESC [ ... m too)."""
    def custom(redpen, tmp, inp):
        if not shutil.which("script"):
            return None  # bsdutils is part of Debian's base system; nothing to test
        log = os.path.join(tmp, "tty.log")
        cmd = " ".join(shlex.quote(a) for a in [redpen] + [a.replace("{in}", inp) for a in args])
        subprocess.run(["script", "-q", "-e", "-c", cmd, log], stdin=subprocess.DEVNULL,
                       capture_output=True, timeout=120)
        with open(log, "rb") as f:
            raw = f.read()
        body = raw.split(b"\n", 1)[1] if raw.startswith(b"Script started") else raw
        if b"\x1b[" not in body:
            return "no colour on the terminal: the case tests nothing"
        if b"\x1b[31mRED" in body:
            return "the model name's own colour sequence reached the terminal"
        own = re.sub(rb"\x1b\[[0-9;]*m", b"", body)
        bad = sorted({hex(c) for c in own if (c < 32 and c not in b"\n\t\r") or c == 0x7f})
        if bad:
            return f"control characters on a coloured terminal: {bad}"
        if b"PWNED" not in own or b"[31mRED" not in own:
            return f"the model name is missing: {own[:300]!r}"
        return None
    return custom


def hostile_coloured(tmp):
    """hostile_names with a colour sequence of its own in the model name."""
    path = hostile_names(tmp)
    with open(path) as f:
        doc = json.load(f)
    doc["model"] += "\u001b[31mRED"
    return write(tmp, "hostile-colour.json", json.dumps(doc))


def md_escaped(tmp, out):
    if "<script>" in out or "</title>" in out:
        return f"raw HTML in the Markdown: {out[:300]!r}"
    return None if "&lt;script&gt;" in out else f"the name was dropped: {out[:300]!r}"


def safe_links(name):
    def check(tmp, out):
        with open(os.path.join(tmp, name), encoding="utf-8") as f:
            page = f.read()
        bad = re.findall(r'(?:href|src)="(?!https?://|#)[^"]+"', page, re.I)
        bad = [b for b in bad if "'+" not in b]  # script text, not an attribute
        if bad:
            return f"unsafe links survive: {bad[:5]}"
        return None if 'href="https://example.org/a"' in page else "the https link was lost"
    return check


def cases():
    rnd = random.Random(8)
    deep = "{" * 100000 + "x" + "}" * 100000
    frac = "\\frac{1}{" * 10000 + "c" + "}" * 10000
    grade = ["grade", "{in}", "--rubric", RUBRIC, "--format", "json"]
    return [
        Case("braces-100k-latex-turn",
             lambda t: write(t, "braces.json", openai(f"**Part (a).** The runtime is $T = {deep}$.")),
             grade, (0, 1), bound=3, grades=True, check=sane_fail("1a")),
        equiv_refused("braces-100k-equiv", deep, "x", "(too long|deeper)"),
        equiv_refused("braces-30k-equiv", "{" * 30000 + "x" + "}" * 30000, "x", "deeper than"),
        Case("braces-100k-json",
             lambda t: write(t, "nest.json", "[" * 100000 + "]" * 100000),
             ["ingest", "{in}"], stderr=r"nest\.json:1:\d+: JSON nested deeper than 256"),
        Case("line-100mb",
             lambda t: write(t, "line.txt", "You said: " + "a" * (100 << 20) + "\n"),
             ["grade", "{in}", "-o", "{tmp}/out.json"], bound=3,
             stderr=r"line\.txt:1:1: line longer than \d+ bytes", out="out.json"),
        Case("invalid-utf8",
             lambda t: write(t, "bad.txt", b"You said:\nhello\nthe runtime is \xff\xfe c\n", "wb"),
             ["ingest", "{in}"], stderr=r"bad\.txt:3:16: .*UTF-8"),
        Case("nul-bytes",
             lambda t: write(t, "nul.txt", b"You said:\nhello\x00world\n", "wb"),
             ["grade", "{in}", "-o", "{tmp}/out.json"], stderr=r"nul\.txt:2:6: .*NUL",
             out="out.json"),
        Case("binary",
             lambda t: write(t, "blob.bin", rnd.randbytes(1 << 16), "wb"),
             ["ingest", "{in}"], stderr=r"blob\.bin:\d+:\d+: "),
        Case("empty",
             lambda t: write(t, "empty.txt", ""),
             ["ingest", "{in}"], stderr=r"empty\.txt: .*(empty|no conversation)"),
        Case("directory",
             lambda t: t, ["ingest", "{in}"], stderr=r"directory"),
        Case("unreadable",
             lambda t: (write(t, "secret.txt", "You said:\nhi\n"),
                        os.chmod(os.path.join(t, "secret.txt"), 0), os.path.join(t, "secret.txt"))[2],
             ["ingest", "{in}"], stderr=r"secret\.txt: .*(Permission denied|cannot open)",
             as_nobody=True),
        Case("truncated-json",
             lambda t: write(t, "cut.json", open(SMALL).read()[:700]),
             ["ingest", "{in}"], stderr=r"cut\.json:\d+:\d+: "),
        Case("mapping-cycle", mapping_cycle, ["ingest", "{in}"],
             stderr=r"loop\.json: \$\[0\]\.mapping\.\w+\.parent: .*loop"),
        Case("latex-10mb-turn",
             lambda t: write(t, "big.json", openai(
                 "**Part (a).** The runtime is $$T = " + "d_{out}^2 + " * ((10 << 20) // 13) + "1$$")),
             grade, (0, 1), bound=5, grades=True, check=sane_fail("1a")),
        Case("frac-10k-deep",
             lambda t: write(t, "frac.json", openai(f"**Part (a).** The runtime is $T = {frac}$.")),
             grade, (0, 1), bound=3, grades=True, check=sane_fail("1a")),
        equiv_refused("frac-10k-equiv", frac, "c", "(too long|deeper)"),
        equiv_refused("frac-3k-equiv", "\\frac{1}{" * 3000 + "c" + "}" * 3000, "c", "deeper than"),
        Case("huge-exponent",
             lambda t: write(t, "pow.tsv", "10^{10^{10}}\t10^{10^{11}}\n(10^{10})!\t(10^{11})!\n"
                             "\\sum_{i=1}^{10^{12}} i\tx\n"),
             ["equiv", "--batch", "{in}"], (0, 1, 2), bound=1,
             check=lambda t, out: None if len(re.findall(r"^(error|different)", out, re.M)) == 3
             else f"an overflow compared equal: {out[:200]!r}"),
        Case("too-many-turns",
             lambda t: write(t, "turns.json", json.dumps({"messages": [
                 {"role": "user" if i % 2 == 0 else "assistant", "content": f"turn {i}"}
                 for i in range(100002)]})),
             ["ingest", "{in}"], stderr=r"turns\.json: more than 100000 turns", bound=2),
        Case("max-input-flag",
             lambda t: SMALL, ["ingest", "{in}", "--max-input", "1K"],
             stderr=r"larger than the limit of 1024"),
        Case("max-line-flag", lambda t: SMALL, ["ingest", "{in}", "--input-format", "markdown",
                                                 "--max-line", "64"],
             stderr=r"openai-messages\.json:11:1: line longer than 64 bytes"),
        Case("max-depth-flag", lambda t: CHATGPT, ["ingest", "{in}", "--max-depth=3"],
             stderr=r"conversations\.json:\d+:\d+: JSON nested deeper than 3 levels"),
        Case("max-turns-flag", lambda t: SMALL, ["extract", "{in}", "--max-turns", "1"],
             stderr=r"openai-messages\.json: more than 1 turns"),
        Case("limit-flag-bad-value", lambda t: SMALL, ["ingest", "{in}", "--max-input", "12Q"],
             stderr=r"--max-input takes a positive size"),
        Case("bad-input-keeps-previous", with_previous,
             ["grade", "{in}", "-o", "{tmp}/report.json"], stderr=r"bad\.txt:1:4: .*NUL",
             check=previous_kept("report.json")),
        Case("annotate-bad-input-keeps-previous", with_previous,
             ["annotate", "{in}", "--format", "md", "-o", "{tmp}/report.json"],
             stderr=r"bad\.txt:1:4: .*NUL", check=previous_kept("report.json")),
        Case("compare-bad-input-keeps-previous", with_previous,
             ["compare", "{in}", SMALL, "-o", "{tmp}/report.json"],
             stderr=r"bad\.txt:1:4: .*NUL", check=previous_kept("report.json")),
        Case("write-error-dev-full", lambda t: SMALL,
             ["grade", "{in}", "--rubric", RUBRIC, "-o", "/dev/full"],
             stderr=r"/dev/full: write failed", bound=2, grades=True),
        Case("write-error-readonly-dir", readonly_dir,
             ["grade", "{in}", "--rubric", RUBRIC, "-o", "{tmp}/ro/report.json"],
             stderr=r"report\.json: cannot create a temporary file", bound=2, grades=True,
             check=lambda t, out: previous_kept("report.json")(os.path.join(t, "ro"), out)
             or (None if os.listdir(os.path.join(t, "ro")) == ["report.json"]
                 else f"left behind: {os.listdir(os.path.join(t, 'ro'))}"),
             as_nobody=True),
        Case("annotate-readonly-dir", readonly_dir,
             ["annotate", "{in}", "--rubric", RUBRIC, "--format", "md", "-o", "{tmp}/ro/report.json"],
             stderr=r"report\.json: cannot create a temporary file", bound=2, grades=True,
             check=lambda t, out: previous_kept("report.json")(os.path.join(t, "ro"), out),
             as_nobody=True),
        Case("compare-readonly-dir", readonly_dir,
             ["compare", "{in}", "--rubric", RUBRIC, "-o", "{tmp}/ro/report.json"],
             stderr=r"report\.json: cannot create a temporary file", bound=2, grades=True,
             check=lambda t, out: previous_kept("report.json")(os.path.join(t, "ro"), out),
             as_nobody=True),
        # invisible characters that changed a reading (issue 22 items 10-14)
        Case("json-nul-escape",
             lambda t: write(t, "nul.json", openai("Some text\u0000 and the rest: the runtime "
                                                   "is $2cd^3$.")),
             ["ingest", "{in}"], (0,), stderr=r"1 NUL character .* read as a space",
             check=stdout_has(r"Some text  and the rest: the runtime is")),
        Case("chat-short-first-question",
             lambda t: write(t, "q.txt", "What is the runtime of 1a\n\nChatGPT said:\n"
                             "The runtime is $2cd^3$.\n\nYou said:\nthat is wrong, try again\n\n"
                             "ChatGPT said:\nThe runtime is $3cd^3$.\n"),
             ["ingest", "{in}"], (0,),
             check=stdout_has(r"2 user and 2 model turns[\s\S]*turn 1: user, line 1\n"
                              r"What is the runtime of 1a")),
        Case("chat-short-title-still-a-title",
             lambda t: write(t, "q.txt", "Newton-Schulz runtime\n\nYou said:\nWhat is the "
                             "runtime of part (a)?\n\nChatGPT said:\nThe runtime is $2cd^3$.\n"),
             ["ingest", "{in}", "--format", "json"], (0,),
             check=stdout_has(r'"title":\s*"Newton-Schulz runtime"')),
        Case("chat-zero-width-before-label",
             lambda t: write(t, "zw.txt", "\u200bYou said:\nWhat is the runtime of part (a)?\n\n"
                             "\u200eChatGPT said:\nThe runtime is $2cd^3$.\n\n\u2066You said:\n"
                             "that is wrong\n"),
             ["ingest", "{in}"], (0,), stderr=r"3 invisible characters .* removed",
             check=stdout_has(r"model ChatGPT, 2 user and 1 model turns", absent=r"You\)")),
        Case("chat-lone-cr",
             lambda t: write(t, "cr.txt", b"You said:\rWhat is the runtime of part (a)?\r\r"
                             b"ChatGPT said:\rThe runtime is $2cd^3$.\r", "wb"),
             ["ingest", "{in}"], (0,), check=stdout_has(r"1 user and 1 model turns")),
        Case("json-two-boms",
             lambda t: write(t, "bom.json", b"\xef\xbb\xbf\xef\xbb\xbf" + open(SMALL, "rb").read(),
                             "wb"),
             ["ingest", "{in}"], (0,), check=stdout_has(r"format openai, model gpt-4o")),
        # what reports embed from their inputs (issue 22 items 18-20)
        Case("term-escapes-grade", hostile_names, ["grade", "{in}", "--rubric", RUBRIC], (0, 1),
             bound=2, grades=True, check=no_controls),
        Case("term-escapes-ingest", hostile_names, ["ingest", "{in}"], (0,), check=no_controls),
        Case("term-escapes-grade-coloured", hostile_coloured, [], (0, 1), bound=2, grades=True,
             custom=coloured_terminal(["grade", "{in}", "--rubric", RUBRIC])),
        Case("term-escapes-compare-coloured", hostile_coloured, [], (0, 1), bound=2, grades=True,
             custom=coloured_terminal(["compare", "{in}", "--rubric", RUBRIC])),
        Case("term-escapes-compare", hostile_names, ["compare", "{in}", "--rubric", RUBRIC],
             (0, 1), bound=2, grades=True, check=no_controls),
        Case("compare-md-escapes-model", hostile_names,
             ["compare", "{in}", "--rubric", RUBRIC, "--format", "md"], (0, 1), bound=2,
             grades=True, check=md_escaped),
        Case("grade-md-escapes-model", hostile_names,
             ["grade", "{in}", "--rubric", RUBRIC, "--format", "md"], (0, 1), bound=2,
             grades=True, check=md_escaped),
        Case("annotate-javascript-links", hostile_names,
             ["annotate", "{in}", "--rubric", RUBRIC, "-o", "{tmp}/a.html"], (0, 1), bound=3,
             grades=True, check=safe_links("a.html")),
    ] + ([
        Case("annotate-pdf-javascript-links", hostile_names,
             ["annotate", "{in}", "--rubric", RUBRIC, "-o", "{tmp}/a.pdf"], (0, 1), bound=60,
             grades=True, check=pdf_links),
    ] if shutil.which("chromium") or shutil.which("chromium-browser") else []) + [
        # every limit on every input kind and subcommand (issue 22 items 5, 9, 21)
        Case("stdin-dev-zero-max-input", lambda t: "/dev/zero",
             ["grade", "-", "--format", "jsonl", "--rubric", RUBRIC, "--max-input", "8M"],
             stdin="/dev/zero", bound=3, stderr=r"<stdin>:1:1: .*limit of 8388608 bytes"),
        Case("stdin-first-jsonl-line-over-max-input",
             lambda t: write(t, "two.jsonl", json.dumps({"messages": [
                 {"role": "user", "content": "x" * 2000}]}) + "\n" + openai("The runtime is $2cd^3$.")),
             ["grade", "-", "--format", "jsonl", "--rubric", RUBRIC, "--max-input", "1K"],
             stdin="{in}", bound=2, stderr=r"<stdin>:1:1: .*limit of 1024 bytes"),
        Case("stdin-no-newline-over-max-input",
             lambda t: write(t, "long.txt", "a" * (20 << 20)),
             ["grade", "-", "--format", "jsonl", "--rubric", RUBRIC, "--max-input", "8M"],
             stdin="{in}", bound=3,
             stderr=r"<stdin>:1:1: .*limit of 8388608 bytes"),
        Case("max-line-json", lambda t: SMALL, ["ingest", "{in}", "--max-line", "64"],
             stderr=r"openai-messages\.json:\d+:1: line longer than 64 bytes"),
        Case("max-depth-above-parser",
             lambda t: write(t, "deep.json", "[" * 1500 + "]" * 1500),
             ["ingest", "{in}", "--max-depth", "2000"], stderr=r"--max-depth takes .* up to 1000"),
        Case("compare-limit-flags", lambda t: SMALL, ["compare", "{in}", "--max-input", "1K"],
             stderr=r"larger than the limit of 1024"),
        Case("annotate-limit-flags", lambda t: SMALL,
             ["annotate", "{in}", "--format", "md", "-o", "{tmp}/a.md", "--max-input", "1K"],
             stderr=r"larger than the limit of 1024", out="a.md"),
        Case("out-device-stream", null_device,
             ["grade", "-", "--format", "jsonl", "--rubric", RUBRIC, "-o", "{tmp}/n"], (0, 1),
             stdin=BATCH, bound=2, grades=True, check=still_device),
        Case("out-device-atomic", null_device,
             ["grade", "{in}", "--rubric", RUBRIC, "-o", "{tmp}/n"], (0, 1), bound=2,
             grades=True, check=still_device),
        Case("out-fifo-stream", lambda t: BATCH, [], custom=fifo_stream),
        Case("out-proc-self-fd", lambda t: SMALL, [], custom=stdout_to_file(False)),
        Case("out-proc-self-fd-stream", lambda t: BATCH, [], custom=stdout_to_file(True)),
        Case("out-is-input", copy_small, ["grade", "{in}", "--rubric", RUBRIC, "-o", "{in}"],
             stderr=r"t\.json: is the same file as the input", check=unchanged_input),
        Case("out-is-listed-input", listed_copy,
             ["grade", "--files-from", "{tmp}/list.txt", "--rubric", RUBRIC, "-o", "{in}"],
             stderr=r"list\.txt:2: .*t\.json is also the output file", check=unchanged_input),
        Case("files-from-directory", lambda t: SMALL,
             ["grade", "--files-from", "{tmp}", "--rubric", RUBRIC, "-o", "{tmp}/r.txt"],
             stderr=r"cannot read the list of files: Is a directory", out="r.txt"),
        Case("out-is-stdin", copy_small,
             ["grade", "-", "--rubric", RUBRIC, "--format", "jsonl", "-o", "{in}"], stdin="{in}",
             stderr=r"t\.json: is the same file as the input <stdin>", check=unchanged_input),
        Case("compare-out-is-input", copy_small, ["compare", "{in}", "-o", "{in}"],
             stderr=r"same file as the input", check=unchanged_input),
        Case("annotate-out-is-input", copy_small,
             ["annotate", "{in}", "--format", "md", "-o", "{in}"],
             stderr=r"same file as the input", check=unchanged_input),
        Case("out-keeps-mode", previous_with_mode,
             ["grade", "{in}", "--rubric", RUBRIC, "-o", "{tmp}/report.json"], (0, 1), bound=2,
             grades=True, check=mode_is("report.json", 0o640)),
        Case("out-honours-umask", lambda t: SMALL,
             ["grade", "{in}", "--rubric", RUBRIC, "-o", "{tmp}/new.json"], (0, 1), bound=2,
             grades=True, umask=0o027, check=mode_is("new.json", 0o640)),
        Case("out-honours-umask-stream", lambda t: BATCH,
             ["grade", "-", "--format", "jsonl", "--rubric", RUBRIC, "-o", "{tmp}/new.jsonl"],
             (0, 1), stdin=BATCH, bound=2, grades=True, umask=0o022,
             check=mode_is("new.jsonl", 0o644)),
        Case("sigterm-stream-leaves-nothing", lambda t: BATCH, [], custom=signal_stream("SIGTERM")),
        Case("sigint-stream-leaves-nothing", lambda t: BATCH, [], custom=signal_stream("SIGINT")),
    ]


def nobody_prefix():
    """argv prefix that runs a command as nobody, or None (with the reason)."""
    if os.geteuid() != 0:
        return [], None
    setpriv = shutil.which("setpriv")
    if not setpriv:
        return None, "running as root without setpriv: root reads and writes anything"
    return [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"], None


def run(cmd, timeout, stdin=None, umask=None, env=None):
    t0 = time.monotonic()
    pre = (lambda: os.umask(umask)) if umask is not None else None
    with open(stdin, "rb") if stdin else open(os.devnull, "rb") as f:
        p = subprocess.run(cmd, capture_output=True, timeout=timeout, cwd=REPO, stdin=f,
                           preexec_fn=pre, env={**os.environ, **env} if env else None)
    return p, time.monotonic() - t0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--redpen", required=True)
    ap.add_argument("--factor", type=float, default=1.0)
    ap.add_argument("--only")
    a = ap.parse_args()
    redpen = os.path.abspath(a.redpen)

    # what grading a tiny transcript costs here (solving the rubric)
    _, base = run([redpen, "grade", SMALL, "--rubric", RUBRIC, "--format", "json"], 600)
    print(f"baseline: grading a small transcript takes {base:.2f} s")

    passed = failed = skipped = 0
    for c in cases() + rubric_cases.cases(Case, write, openai):
        if a.only and c.name != a.only:
            continue
        prefix = []
        if c.as_nobody:
            prefix, why = nobody_prefix()
            if prefix is None:
                print(f"SKIP {c.name}: {why}")
                skipped += 1
                continue
        tmp = tempfile.mkdtemp(prefix="redpen-patho-")
        try:
            os.chmod(tmp, 0o755)
            inp = c.make(tmp)
            args = [s.replace("{in}", inp).replace("{tmp}", tmp) for s in c.args]
            bound = c.bound * a.factor + (base if c.grades else 0)
            if c.custom:
                t0 = time.monotonic()
                msg = c.custom(redpen, tmp, inp)
                dt = time.monotonic() - t0
                if msg:
                    print(f"FAIL {c.name} ({dt:.2f} s): {msg}")
                    failed += 1
                else:
                    print(f"ok   {c.name} ({dt:.2f} s)")
                    passed += 1
                continue
            stdin = c.stdin.replace("{in}", inp) if c.stdin else None
            try:
                p, dt = run(prefix + [redpen] + args, max(60, 10 * bound), stdin, c.umask, c.env)
            except subprocess.TimeoutExpired:
                print(f"FAIL {c.name}: did not finish in {max(60, 10 * bound):.0f} s")
                failed += 1
                continue
            err = p.stderr.decode("utf-8", "replace")
            out = p.stdout.decode("utf-8", "replace")
            problems = []
            if p.returncode not in c.exit_codes:
                problems.append(f"exit {p.returncode}, expected {c.exit_codes}: {err[-300:]!r}")
            if c.stderr and not re.search(c.stderr, err):
                problems.append(f"stderr {err[-300:]!r} does not match {c.stderr!r}")
            if dt > bound:
                problems.append(f"took {dt:.2f} s, bound {bound:.2f} s")
            if c.out and os.path.exists(os.path.join(tmp, c.out)):
                problems.append(f"{c.out} was created")
            if c.check:
                msg = c.check(tmp, out)
                if msg:
                    problems.append(msg)
            if problems:
                print(f"FAIL {c.name} ({dt:.2f} s): " + "; ".join(problems))
                failed += 1
            else:
                print(f"ok   {c.name} ({dt:.2f} s, bound {bound:.2f} s, exit {p.returncode})")
                passed += 1
        finally:
            for root, dirs, _ in os.walk(tmp):
                for d in dirs:
                    os.chmod(os.path.join(root, d), stat.S_IRWXU)
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

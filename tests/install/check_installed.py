#!/usr/bin/env python3
"""An installed redpen works on its own: what CI runs on the .deb unpacked
into a scratch root (dpkg -x) and on `meson install --destdir`.

usage: check_installed.py ROOT [--browser]

ROOT holds an installed tree (ROOT/usr/bin/redpen or ROOT/usr/local/bin/
redpen), moved away from where it was configured to live, so the binary can
find its data only relative to itself.  From an empty folder, with
REDPEN_RUBRICS and REDPEN_KATEX_DIR unset, the check:
  - grades the Claude seed with the installed binary and the installed
    rubrics, writing an HTML report; the page must carry the installed KaTeX
    (its scripts and fonts inlined), and with --browser headless Chromium must
    typeset its math (elements of class katex, none of class katex-error);
  - finds the man page (a section per command), the bash and zsh completions,
    redpen.h, libredpen with its pkg-config file, and the Python module;
  - compiles a C program against the installed redpen.h and libredpen
    (through pkg-config) and runs it;
  - imports the installed Python module, which must load the installed
    libredpen, and compares one pair.
Prints one line per failure and 'N passed, N failed' last.
"""
import gzip
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tests", "report"))
import browser_test  # noqa: E402  (its Run, and the same Chromium as the browser test)
from browser_test import Run  # noqa: E402

C_PROGRAM = r"""
#include <redpen/redpen.h>
#include <stdio.h>
#include <string.h>
int main(void)
{
    char why[256];
    int a = redpen_equiv("2 x y", "2 y x", why, sizeof why);
    int b = redpen_equiv("2 x y", "x y", why, sizeof why);
    printf("%s %d %d %s\n", redpen_version(), a, b, why);
    return a == REDPEN_EQUAL && b == REDPEN_DIFFERENT ? 0 : 1;
}
"""


def find(root, rel_options):
    for rel in rel_options:
        p = os.path.join(root, rel)
        if os.path.exists(p):
            return p
    return None


def find_glob(root, pattern):
    rx = re.compile(pattern)
    for d, _, files in os.walk(root):
        for f in files:
            p = os.path.join(d, f)
            if rx.search(os.path.relpath(p, root)):
                return p
    return None


def check_grade(run, exe, env, tmp, browser):
    seed = os.path.join(tmp, "claude.txt")
    shutil.copy(os.path.join(REPO, "transcripts", "claude-hw4.txt"), seed)
    html = os.path.join(tmp, "report.html")
    p = subprocess.run([exe, "grade", seed, "-o", html], cwd=tmp, env=env,
                       capture_output=True, text=True, timeout=300)
    if not run.check(p.returncode == 0, f"installed redpen grade: exit {p.returncode}: "
                                        f"{p.stderr.strip()[:300]}"):
        return
    page = open(html, encoding="utf-8").read()
    run.check("renderMathInElement" in page, "the report does not carry KaTeX's auto-render")
    run.check("data:font/woff2;base64," in page, "the report does not carry KaTeX's fonts")
    j = subprocess.run([exe, "grade", seed, "--format", "json"], cwd=tmp, env=env,
                       capture_output=True, text=True, timeout=300)
    run.check('"path":\t"' in j.stdout and "/redpen/rubrics/" in j.stdout,
              "the seed was not graded with an installed rubric")
    if not browser:
        return
    chromium = browser_test.find_chromium()
    if not run.check(chromium is not None, "no Chromium for --browser (scripts/setup)"):
        return
    dom, _ = browser_test.chromium(chromium, ["--virtual-time-budget=8000", "--dump-dom",
                                              "file://" + html])
    n = len(re.findall(r'class="katex"', dom))
    errs = len(re.findall(r'class="[^"]*\bkatex-error\b', dom))
    run.check(n > 0, "Chromium: no formula of the installed report was typeset by KaTeX")
    run.check(errs == 0, f"Chromium: {errs} element(s) of class katex-error")
    print(f"installed report: {n} formulas typeset")


def check_files(run, root, exe):
    man = find_glob(root, r"share/man/man1/redpen\.1(\.gz)?$")
    if run.check(man is not None, "no man page redpen.1"):
        text = (gzip.open(man, "rt") if man.endswith(".gz") else open(man)).read()
        cmds = subprocess.run([exe, "help", "--complete"], capture_output=True,
                              text=True).stdout.split()
        for c in cmds:
            run.check(f'.SS "redpen {c}"' in text, f"the man page has no section for {c}")
    run.check(find_glob(root, r"bash-completion/completions/redpen$") is not None,
              "no bash completion")
    run.check(find_glob(root, r"zsh/.*/_redpen$") is not None, "no zsh completion")


def check_c(run, root, tmp):
    pc = find_glob(root, r"pkgconfig/redpen\.pc$")
    if not run.check(pc is not None, "no pkg-config file redpen.pc"):
        return
    env = dict(os.environ, PKG_CONFIG_PATH=os.path.dirname(pc), PKG_CONFIG_SYSROOT_DIR=root)
    flags = subprocess.run(["pkg-config", "--cflags", "--libs", "redpen"], env=env,
                           capture_output=True, text=True)
    if not run.check(flags.returncode == 0, f"pkg-config redpen: {flags.stderr.strip()}"):
        return
    src, prog = os.path.join(tmp, "t.c"), os.path.join(tmp, "t")
    with open(src, "w") as f:
        f.write(C_PROGRAM)
    cc = subprocess.run(["cc", src, "-o", prog] + flags.stdout.split(),
                        capture_output=True, text=True)
    if not run.check(cc.returncode == 0, f"cc against the installed libredpen: {cc.stderr}"):
        return
    lib = os.path.dirname(find_glob(root, r"libredpen\.so\.\d+$"))
    p = subprocess.run([prog], env=dict(os.environ, LD_LIBRARY_PATH=lib),
                       capture_output=True, text=True)
    run.check(p.returncode == 0, f"the C program: {p.stdout} {p.stderr}")


def check_python(run, root):
    mod = find_glob(root, r"(dist|site)-packages/redpen\.py$")
    if not run.check(mod is not None, "no Python module redpen.py"):
        return
    python = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
    code = ("import redpen; v = redpen.equiv('a b', 'a'); "
            "print(redpen.library_path()); assert v.verdict == 'different', v")
    env = {k: v for k, v in os.environ.items() if k != "REDPEN_LIB"}
    env["PYTHONPATH"] = os.path.dirname(mod)
    p = subprocess.run([python, "-c", code], env=env, capture_output=True, text=True)
    ok = p.returncode == 0 and p.stdout.strip().startswith(root)
    run.check(ok, f"the installed module did not load the installed libredpen: "
                  f"{p.stdout.strip()} {p.stderr.strip()[-300:]}")
    # grade() without a rubric chooses among the installed rubrics, found
    # beside the library wherever the install was moved (from a folder
    # without ./rubrics, $REDPEN_RUBRICS unset)
    seed = os.path.join(REPO, "transcripts", "claude-hw4.txt")
    code = ("import redpen, sys; r = redpen.grade(open(sys.argv[1]).read()); "
            "print(r['rubric']['id'])")
    env.pop("REDPEN_RUBRICS", None)
    with tempfile.TemporaryDirectory(prefix="redpen-py-") as cwd:
        p = subprocess.run([python, "-c", code, seed], env=env, capture_output=True, text=True,
                           cwd=cwd)
    run.check(p.returncode == 0 and p.stdout.strip() == "hw4",
              f"grade() without a rubric did not find the installed rubrics: "
              f"{p.stdout.strip()} {p.stderr.strip()[-300:]}")


def main():
    root = os.path.abspath(sys.argv[1])
    browser = "--browser" in sys.argv
    run = Run()
    exe = find(root, ["usr/bin/redpen", "usr/local/bin/redpen"])
    if not run.check(exe is not None, f"no bin/redpen under {root}"):
        print(f"{run.passed} passed, {run.failed} failed")
        return 1
    env = {k: v for k, v in os.environ.items()
           if k not in ("REDPEN_RUBRICS", "REDPEN_KATEX_DIR")}
    with tempfile.TemporaryDirectory(prefix="redpen-installed-") as tmp:
        check_grade(run, exe, env, tmp, browser)
        check_files(run, root, exe)
        check_c(run, root, tmp)
        check_python(run, root)
    print(f"{run.passed} passed, {run.failed} failed")
    return 1 if run.failed else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Browser test of redpen's HTML reports: open them in headless Chromium.

usage: browser_test.py --redpen PATH [--out DIR]

Renders, from saved fixtures (so that it does not depend on the grader):
  - a model comparison page   (redpen compare A.json B.jsonl --format html)
  - an annotated transcript    (redpen annotate T.md --report A.json)
  - the same as PDF            (redpen annotate ... --format pdf)
then loads each page in headless Chromium (fresh profile, no network
services) and checks the DOM after the scripts ran: the math pass finished,
KaTeX typeset the formulas and left no element of class katex-error (nor a
formula redpen had to leave as text), the SVG charts are there with their
cells, the margin notes are there; Chromium reported no blocked request.
Both pages also load in a frame 390 and 360 px wide (a phone): the page
must not scroll sideways; and with the reader's dark setting the dark
theme applies.
Screenshots go to DIR as PNG files.  Every problem is a failure, never a
skip: a missing Chromium or KaTeX fails with a message saying how to
install it.  Prints 'N passed, N failed' last.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
FIX = os.path.join(HERE, "fixtures")

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-extensions",
                  "--hide-scrollbars"]


def find_chromium():
    env = os.environ.get("REDPEN_CHROMIUM")
    if env:
        return env if os.access(env, os.X_OK) else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        p = shutil.which(name)
        if p:
            return p
    return None


class Run:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL {what}")
        return ok


def chromium(browser, args, timeout=120):
    """Run Chromium with a fresh profile; returns (stdout, stderr)."""
    with tempfile.TemporaryDirectory(prefix="redpen-chromium-") as prof:
        cmd = [browser] + CHROMIUM_FLAGS + [f"--user-data-dir={prof}"] + args
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                           stdin=subprocess.DEVNULL)
        return p.stdout, p.stderr


def redpen(exe, args):
    p = subprocess.run([exe] + args, capture_output=True, text=True, timeout=120, cwd=REPO)
    return p.returncode, p.stdout, p.stderr


def check_page(run, browser, page, name, out_dir, extra):
    """Load page; check the DOM; save a screenshot.  extra(dom) -> [(ok, what)]."""
    url = "file://" + page
    dom, log = chromium(browser, ["--virtual-time-budget=8000", "--enable-logging=stderr",
                                  "--dump-dom", url])
    run.check(len(dom) > 1000, f"{name}: Chromium returned no page ({log.strip()[-300:]})")
    run.check('data-math="done"' in dom,
              f"{name}: the math pass did not run (KaTeX missing or a script failed)")
    n_katex = len(re.findall(r'class="katex"', dom))
    run.check(n_katex > 0, f"{name}: no formula was typeset by KaTeX")
    n_err = len(re.findall(r'class="[^"]*\bkatex-error\b', dom))
    run.check(n_err == 0, f"{name}: {n_err} element(s) of class katex-error")
    raw = re.findall(r'class="rp-math-raw"[^>]*title="([^"]*)"', dom)
    run.check(not raw, f"{name}: KaTeX could not typeset {len(raw)} formula(s): {raw[:3]}")
    blocked = [l for l in log.splitlines() if "Content Security Policy" in l or "net::ERR" in l]
    run.check(not blocked, f"{name}: the page tried something blocked: {blocked[:2]}")
    for ok, what in extra(dom):
        run.check(ok, f"{name}: {what}")
    png = os.path.join(out_dir, name + ".png")
    if os.path.exists(png):
        os.remove(png)
    chromium(browser, ["--virtual-time-budget=8000", "--window-size=1280,1600",
                       f"--screenshot={png}", url])
    ok = os.path.exists(png) and os.path.getsize(png) > 20000
    if ok:
        with open(png, "rb") as f:
            ok = f.read(8) == b"\x89PNG\r\n\x1a\n"
    run.check(ok, f"{name}: no screenshot written to {png}")
    return n_katex


FRAME = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">
<iframe id="f" src="%s" style="width:%dpx;height:800px;border:0"></iframe>
<script>
var f = document.getElementById('f');
f.addEventListener('load', function () { setTimeout(function () {
  var d = f.contentDocument, e = d.documentElement;
  document.documentElement.setAttribute('data-m', JSON.stringify({
    scroll: e.scrollWidth, width: e.clientWidth, math: e.getAttribute('data-math'),
    bg: getComputedStyle(d.body).backgroundColor}));
}, 3000); });
</script></body></html>
"""


def measure(browser, page, width, out_dir, dark=False):
    """The page in a frame width px wide (headless windows are at least 500
    px): its scroll width, client width, math pass state and background."""
    harness = os.path.join(out_dir, f"frame-{width}.html")
    with open(harness, "w", encoding="utf-8") as f:
        f.write(FRAME % ("file://" + page, width))
    flags = ["--allow-file-access-from-files", "--virtual-time-budget=15000",
             "--window-size=800,900", "--dump-dom", "file://" + harness]
    dom, _ = chromium(browser, (["--force-dark-mode"] if dark else []) + flags)
    m = re.search(r'data-m="([^"]*)"', dom)
    if not m:
        return None
    import html as htmlmod
    import json
    return json.loads(htmlmod.unescape(m.group(1)))


def check_layout(run, browser, page, name, out_dir):
    """No sideways scrolling down to 360 px; the dark theme follows the
    reader's setting."""
    for width in (390, 360):
        m = measure(browser, page, width, out_dir)
        run.check(m is not None and m["math"] == "done" and m["scroll"] <= m["width"],
                  f"{name}: at {width} px the page scrolls sideways: {m}")
    light = measure(browser, page, 390, out_dir)
    dark = measure(browser, page, 390, out_dir, dark=True)
    def lum(m):
        nums = [int(x) for x in re.findall(r"\d+", m["bg"])[:3]] if m else [0, 0, 0]
        return sum(nums) / 3
    run.check(light is not None and lum(light) > 200, f"{name}: light background expected: {light}")
    run.check(dark is not None and lum(dark) < 40, f"{name}: the dark theme is not applied: {dark}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--redpen", default=os.path.join(REPO, "build", "redpen"))
    ap.add_argument("--out", default=None)
    a = ap.parse_args()
    out_dir = os.path.abspath(a.out or tempfile.mkdtemp(prefix="redpen-browser-"))
    os.makedirs(out_dir, exist_ok=True)
    run = Run()

    browser = find_chromium()
    if not browser:
        print("FAIL headless Chromium is not installed: scripts/setup installs the Debian package "
              "'chromium' (or set REDPEN_CHROMIUM to a Chromium binary)")
        print("0 passed, 1 failed")
        return 1
    katex = os.environ.get("REDPEN_KATEX_DIR") or os.path.join(REPO, "node_modules", "katex", "dist")
    if not run.check(os.path.exists(os.path.join(katex, "katex.min.js")),
                     f"KaTeX is not installed in {katex}: run scripts/setup (npm ci)"):
        print(f"{run.passed} passed, {run.failed} failed")
        return 1

    a_json = os.path.join(FIX, "mini-hw.report.json")
    b_jsonl = os.path.join(FIX, "mini-hw-qwen.report.jsonl")
    transcript = os.path.join(FIX, "mini-hw.md")

    # --- the comparison page
    cmp_html = os.path.join(out_dir, "compare.html")
    rc, _, err = redpen(a.redpen, ["compare", a_json, b_jsonl, "--format", "html", "-o", cmp_html])
    if run.check(rc == 0 and os.path.exists(cmp_html), f"redpen compare exited {rc}: {err.strip()[:400]}"):
        def cmp_checks(dom):
            heat = re.search(r'<svg id="heatmap".*?</svg>', dom, re.S)
            cats = re.search(r'<svg id="categories".*?</svg>', dom, re.S)
            rates = re.search(r'<svg id="passrates".*?</svg>', dom, re.S)
            return [
                (heat is not None, "no heat map SVG"),
                (heat is not None and heat.group(0).count("<rect") == 2 * 4,
                 "the heat map does not have 2 models x 4 parts cells"),
                (cats is not None and cats.group(0).count("<rect") >= 3,
                 "no stacked category bars"),
                (rates is not None and rates.group(0).count("<rect") == 4, "no pass-rate bars"),
                ("Qwen3-Max" in dom and "Claude-Sonnet-4.5" in dom, "the model names are missing"),
                ("unflipped_kernel" in dom, "the error categories are missing"),
            ]
        check_page(run, browser, cmp_html, "compare", out_dir, cmp_checks)
        check_layout(run, browser, cmp_html, "compare", out_dir)

    # --- the annotated transcript
    ann_html = os.path.join(out_dir, "annotated.html")
    rc, _, err = redpen(a.redpen, ["annotate", transcript, "--report", a_json, "-o", ann_html])
    if run.check(rc == 0 and os.path.exists(ann_html), f"redpen annotate exited {rc}: {err.strip()[:400]}"):
        def ann_checks(dom):
            return [
                (len(re.findall(r'<article class="turn ', dom)) == 6, "not 6 turns"),
                (len(re.findall(r'class="mn corr ', dom)) == 2, "not 2 correction notes in the margin"),
                ('class="mn corr solution"' in dom, "the solution correction is not marked"),
                (len(re.findall(r'class="mn fail"', dom)) == 2, "not 2 failed attempts in the margin"),
                ("equals the cross-correlation" in dom, "the diagnosis detail is missing"),
                (dom.count("<table>") >= 2, "the Markdown table in a turn was not rendered"),
                ("katex-display" in dom, "no display math"),
                ("<script>alert" not in dom, "raw HTML from a turn got through"),
            ]
        check_page(run, browser, ann_html, "annotated", out_dir, ann_checks)
        check_layout(run, browser, ann_html, "annotated", out_dir)

    # --- PDF through Chromium
    pdf = os.path.join(out_dir, "annotated.pdf")
    if os.path.exists(pdf):
        os.remove(pdf)
    rc, _, err = redpen(a.redpen, ["annotate", transcript, "--report", a_json, "-o", pdf])
    ok = rc == 0 and os.path.exists(pdf) and os.path.getsize(pdf) > 10000
    if ok:
        with open(pdf, "rb") as f:
            ok = f.read(5) == b"%PDF-"
    run.check(ok, f"redpen annotate --format pdf: exit {rc}, {err.strip()[:300]}")

    # --- without Chromium: a clear message, exit 2, nothing written
    missing = os.path.join(out_dir, "no-chromium.pdf")
    env_rc = subprocess.run([a.redpen, "annotate", transcript, "--report", a_json, "-o", missing],
                            capture_output=True, text=True, timeout=60, cwd=REPO,
                            env=dict(os.environ, REDPEN_CHROMIUM="/nonexistent/chromium"))
    run.check(env_rc.returncode == 2 and "Chromium" in env_rc.stderr and not os.path.exists(missing),
              f"without Chromium: exit {env_rc.returncode}, stderr {env_rc.stderr.strip()[:200]}")

    print(f"screenshots in {out_dir}")
    print(f"{run.passed} passed, {run.failed} failed")
    return 1 if run.failed else 0


if __name__ == "__main__":
    sys.exit(main())

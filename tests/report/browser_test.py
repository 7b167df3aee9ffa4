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
theme applies.  The annotated page's part index and filters are clicked
through (failures, corrected, a category, all; a chip's panel and its
links; keys), in its print layout no KaTeX element or table is wider than
its box (also for a fixture with a very wide formula and a 10-column
matrix), heat-map cells link to the part in an annotated page written
alongside and land on it, a cell shows its details on focus, the tables
sort.  The PDFs of the seeds and of that fixture are rendered with
pdftoppm and no ink may touch the right margin.
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


def redpen(exe, args, env=None):
    p = subprocess.run([exe] + args, capture_output=True, text=True, timeout=120, cwd=REPO,
                       env=dict(os.environ, **(env or {})))
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


PROBE = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">
<iframe id="f" src="%s" style="width:%dpx;height:900px;border:0"></iframe>
<script>
var f = document.getElementById('f');
f.addEventListener('load', function () { setTimeout(function () {
  var w = f.contentWindow, d = f.contentDocument, out;
  try { out = (function (w, d) { %s })(w, d); } catch (e) { out = {error: String(e && e.stack || e)}; }
  document.documentElement.setAttribute('data-m', JSON.stringify(out));
}, 2500); });
</script></body></html>
"""


def probe(browser, url, width, script, out_dir, name):
    """Load url in a frame width px wide, run script (a function body of w,
    d: the frame's window and document, returning something JSON) after the
    page's scripts; returns what it returned, or None."""
    harness = os.path.join(out_dir, f"probe-{name}.html")
    with open(harness, "w", encoding="utf-8") as f:
        f.write(PROBE % (url, width, script))
    dom, _ = chromium(browser, ["--allow-file-access-from-files", "--virtual-time-budget=15000",
                                "--window-size=1300,1000", "--dump-dom", "file://" + harness])
    m = re.search(r'data-m="([^"]*)"', dom)
    if not m:
        return None
    import html as htmlmod
    import json
    return json.loads(htmlmod.unescape(m.group(1)))


# In the print layout (the page's beforeprint handler: class rp-pdf, then
# wide formulas and tables fitted), every .katex must lie inside the box it
# sits in: its nearest block ancestor, whose content edge it may not pass.
KATEX_FITS = r"""
w.dispatchEvent(new w.Event('beforeprint'));
var bad = [], n = 0;
function block(e) {
  for (var b = e.parentElement; b; b = b.parentElement)
    if (w.getComputedStyle(b).display !== 'inline') return b;
}
[].forEach.call(d.querySelectorAll('.katex'), function (k) {
  n++;
  var b = block(k), r = k.getBoundingClientRect(), c = b.getBoundingClientRect();
  var cs = w.getComputedStyle(b);
  var right = c.right - parseFloat(cs.paddingRight) - parseFloat(cs.borderRightWidth);
  var inner = k.querySelector('.katex-html') || k;
  if (r.right > right + 1 || r.width > b.clientWidth + 1 || k.scrollWidth > b.clientWidth + 1 ||
      inner.getBoundingClientRect().right > right + 1)
    bad.push(k.textContent.slice(0, 40) + ' ' + Math.round(r.width) + '>' + b.clientWidth);
});
var tables = [].filter.call(d.querySelectorAll('main table'), function (t) {
  return t.getBoundingClientRect().width > t.parentElement.clientWidth + 1;
}).length;
return {pdf: d.documentElement.classList.contains('rp-pdf'), n: n, bad: bad.slice(0, 5),
        nbad: bad.length, tables: tables};
"""

# The part index and the filters, clicked through.
INDEX_CLICKS = r"""
var r = {}, bar = d.querySelector('nav.rp-bar');
r.bar = !!bar;
if (!bar) return r;
var rows = d.querySelectorAll('tr[data-part]'), turns = d.querySelectorAll('article.turn');
var vis = function (sel) { return [].filter.call(d.querySelectorAll(sel), function (e) {
  return !e.closest('.rp-hide') && e.getClientRects().length > 0; }).length; };
r.parts = rows.length;
r.chips = bar.querySelectorAll('.rp-chip').length;
r.sticky = w.getComputedStyle(bar).position;
bar.querySelector('button[data-filter=fail]').click();
r.failRows = vis('tr[data-part]');
r.failWant = d.querySelectorAll('tr[data-fail]').length;
r.failTurns = vis('article.turn');
r.turns = turns.length;
r.failPassNotesDimmed = [].every.call(d.querySelectorAll('article.turn:not(.rp-hide) .mn.pass'),
  function (m) { var p = m.getAttribute('data-part');
    return m.classList.contains('rp-dim') === !d.querySelector('tr[data-fail][data-part="' + p + '"]'); });
bar.querySelector('button[data-filter=corr]').click();
r.corrRows = vis('tr[data-part]');
r.corrWant = [].filter.call(rows, function (t) { return +t.getAttribute('data-corr') > 0; }).length;
var sel = bar.querySelector('select.rp-cat');
sel.value = sel.options[1] ? sel.options[1].value : '';
sel.dispatchEvent(new w.Event('change'));
r.catRows = vis('tr[data-part]');
r.catWant = [].filter.call(rows, function (t) {
  return (t.getAttribute('data-cats') || '').split(' ').indexOf(sel.value) >= 0; }).length;
r.catPressed = bar.querySelector('button[data-filter=corr]').getAttribute('aria-pressed');
bar.querySelector('button[data-filter=all]').click();
sel.value = ''; sel.dispatchEvent(new w.Event('change'));
r.allRows = vis('tr[data-part]');
r.allTurns = vis('article.turn');
var chip = bar.querySelector('.rp-chip');
chip.click();
var panel = bar.querySelector('.rp-panel');
r.panelOpen = !panel.classList.contains('rp-hide');
var links = [].slice.call(panel.querySelectorAll('a')).map(function (a) { return a.getAttribute('href'); });
var part = chip.textContent;
var want = d.querySelectorAll('article.turn [data-part="' + part + '"]').length + 1;
r.panelLinks = links.length;
r.panelWant = want;
r.linksResolve = links.every(function (h) { return !!d.getElementById(decodeURIComponent(h.slice(1))); });
var last = panel.querySelector('a:last-of-type');
last.click();
r.hash = w.location.hash;
r.hashWant = last.getAttribute('href');
d.dispatchEvent(new w.KeyboardEvent('keydown', {key: 'f', bubbles: true}));
r.keyF = bar.querySelector('button[data-filter=fail]').getAttribute('aria-pressed');
d.dispatchEvent(new w.KeyboardEvent('keydown', {key: 'Escape', bubbles: true}));
r.panelClosed = panel.classList.contains('rp-hide');
return r;
"""

# A heat-map cell's link, followed: the part's row is there and in view.
LANDED = r"""
var id = decodeURIComponent(w.location.hash.slice(1)), t = d.getElementById(id);
if (!t) return {found: false, id: id};
var r = t.getBoundingClientRect();
return {found: true, part: t.getAttribute('data-part'), tag: t.tagName,
        top: Math.round(r.top), height: w.innerHeight};
"""

# The comparison's cells and tables, clicked through.
COMPARE_CLICKS = r"""
var r = {}, cells = d.querySelectorAll('#heatmap .cell'), box = d.getElementById('cell-detail');
r.cells = cells.length;
r.box = !!box;
if (!box || !cells.length) return r;
var c = d.querySelector('#heatmap a.cell') || cells[0];
c.dispatchEvent(new w.FocusEvent('focus'));
r.detail = box.textContent;
r.tip = c.getAttribute('data-tip');
var t = d.querySelector('table.sortable'), b = t && t.rows[0].cells[0].querySelector('button.sort');
r.sortButton = !!b;
if (b) {
  var before = [].map.call(t.rows, function (x) { return x.cells[0].textContent; }).slice(1);
  b.click(); b.click();
  var after = [].map.call(t.rows, function (x) { return x.cells[0].textContent; }).slice(1);
  r.sortOrder = t.rows[0].cells[0].getAttribute('aria-sort');
  r.sorted = JSON.stringify(after) === JSON.stringify(before.slice().sort().reverse());
}
return r;
"""


def ink_in_right_margin(pdf, dpi=60, zone_mm=9.5, page_mm=210.0):
    """Pixels of ink (gray < 200) in the right zone_mm of every page of pdf
    (A4, margins 11 mm: nothing may print there), per page."""
    tmp = tempfile.mkdtemp(prefix="redpen-pdf-pages-")
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", pdf, os.path.join(tmp, "p")],
                   check=True, capture_output=True, timeout=300)
    out = {}
    for name in sorted(os.listdir(tmp)):
        with open(os.path.join(tmp, name), "rb") as f:
            data = f.read()
        magic, dims, maxv, px = data.split(b"\n", 3)
        w, h = map(int, dims.split())
        x0 = int(w * (page_mm - zone_mm) / page_mm)
        ink = sum(1 for y in range(h) for v in px[y * w + x0:(y + 1) * w] if v < 200)
        if ink:
            out[name] = ink
    shutil.rmtree(tmp, ignore_errors=True)
    return out


def check_pdfs(run, exe, out_dir):
    """The PDFs of the seeds and of a fixture with a very wide formula and a
    10-column matrix: no ink in the right margin (nothing clipped runs into
    it: print CSS lets overflow show, so a formula too wide would)."""
    if not run.check(shutil.which("pdftoppm") is not None,
                     "pdftoppm is not installed: scripts/setup installs the Debian package "
                     "'poppler-utils'"):
        return
    cases = [
        ("seed-claude", ["annotate", "transcripts/claude-hw4.txt", "--rubric", "rubrics/hw4.json"]),
        ("seed-qwen", ["annotate", "transcripts/qwen3-max-hw4.txt", "--rubric", "rubrics/hw4.json"]),
        ("wide", ["annotate", os.path.join(FIX, "wide-math.md"), "--report",
                  os.path.join(FIX, "wide-math.report.json")]),
    ]
    for name, args in cases:
        pdf = os.path.join(out_dir, name + ".pdf")
        rc, _, err = redpen(exe, args + ["-o", pdf])
        if not run.check(rc == 0 and os.path.exists(pdf), f"{name}.pdf: exit {rc}, {err.strip()[:300]}"):
            continue
        ink = ink_in_right_margin(pdf)
        run.check(not ink, f"{name}.pdf: ink in the right margin (clipped or overflowing): {ink}")
    # with SOURCE_DATE_EPOCH the same page prints to the same bytes
    same = []
    for k in range(2):
        pdf = os.path.join(out_dir, f"again-{k}.pdf")
        rc, _, err = redpen(exe, cases[2][1] + ["-o", pdf], env={"SOURCE_DATE_EPOCH": "1764806400"})
        with open(pdf, "rb") as f:
            same.append(f.read() if rc == 0 else b"")
    run.check(same[0] and same[0] == same[1] and b"/CreationDate (D:20251204000000" in same[0],
              "with SOURCE_DATE_EPOCH two prints of one page differ, or the date is not the epoch's")


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

    # --- the part index and filters, clicked through; KaTeX inside its box
    if os.path.exists(ann_html):
        r = probe(browser, "file://" + ann_html, 1200, INDEX_CLICKS, out_dir, "index")
        ok = r is not None and "error" not in r
        run.check(ok, f"annotated: the click-through did not run: {r}")
        if ok:
            run.check(r["bar"] and r["sticky"] == "sticky", f"annotated: no sticky part index: {r}")
            run.check(r["chips"] == r["parts"] > 0, f"annotated: not a chip per part: {r}")
            run.check(r["failRows"] == r["failWant"] > 0 and r["failTurns"] < r["turns"],
                      f"annotated: 'Failures' does not keep exactly the failed parts: {r}")
            run.check(r["failPassNotesDimmed"], f"annotated: notes of other parts not dimmed: {r}")
            run.check(r["corrRows"] == r["corrWant"] > 0, f"annotated: 'Corrected' filter wrong: {r}")
            run.check(r["catRows"] == r["catWant"] > 0, f"annotated: the category filter is wrong: {r}")
            run.check(r["allRows"] == r["parts"] and r["allTurns"] == r["turns"],
                      f"annotated: 'All parts' does not show everything again: {r}")
            run.check(r["panelOpen"] and r["panelLinks"] == r["panelWant"] and r["linksResolve"],
                      f"annotated: a chip's panel lacks links to the row, attempts, corrections: {r}")
            run.check(r["hash"] == r["hashWant"], f"annotated: a panel link did not navigate: {r}")
            run.check(r["keyF"] == "true" and r["panelClosed"], f"annotated: keys f / Esc: {r}")
    wide_html = os.path.join(out_dir, "wide.html")
    rc, _, err = redpen(a.redpen, ["annotate", os.path.join(FIX, "wide-math.md"), "--report",
                                   os.path.join(FIX, "wide-math.report.json"), "-o", wide_html])
    run.check(rc == 0, f"annotate wide-math: exit {rc}: {err.strip()[:300]}")
    for page in (ann_html, wide_html):
        if not os.path.exists(page):
            continue
        r = probe(browser, "file://" + page, 1200, KATEX_FITS, out_dir, "fits")
        run.check(r is not None and "error" not in r and r["pdf"] and r["n"] > 0 and r["nbad"] == 0
                  and r["tables"] == 0,
                  f"{os.path.basename(page)}: in the print layout a formula or table is wider than "
                  f"its box: {r}")
    if os.path.exists(wide_html):
        check_layout(run, browser, wide_html, "wide", out_dir)

    # --- heat-map cells link to the annotated page written alongside
    linked_dir = os.path.join(out_dir, "linked")
    os.makedirs(linked_dir, exist_ok=True)
    page = os.path.join(linked_dir, "mini-hw.annotated.html")
    rc1, _, _ = redpen(a.redpen, ["annotate", transcript, "--report", a_json, "-o", page])
    linked = os.path.join(linked_dir, "compare.html")
    rc2, _, err = redpen(a.redpen, ["compare", a_json, b_jsonl, "-o", linked])
    if run.check(rc1 == 0 and rc2 == 0, f"linked comparison: exit {rc1}/{rc2}: {err.strip()[:300]}"):
        with open(linked, encoding="utf-8") as f:
            text = f.read()
        hrefs = re.findall(r'<a class="cell" href="([^"]*)" data-part="([^"]*)"', text)
        # only the transcript whose page was written links (4 parts); the
        # other's page is not there
        run.check(len(hrefs) == 4 and all(h.startswith("mini-hw.annotated.html#part-") for h, _ in hrefs),
                  f"linked comparison: {len(hrefs)} linked cells, 4 expected: {hrefs}")
        for href, part in hrefs[-2:]:
            r = probe(browser, "file://" + os.path.join(linked_dir, href), 1200, LANDED, out_dir, "landed")
            run.check(r is not None and r.get("found") and r["part"] == part and r["tag"] == "TR"
                      and 0 <= r["top"] < r["height"] // 2,
                      f"linked comparison: {href} does not land on part {part}: {r}")
        r = probe(browser, "file://" + linked, 1200, COMPARE_CLICKS, out_dir, "cells")
        run.check(r is not None and r.get("cells") == 8 and r.get("box") and r["tip"] in r["detail"]
                  and "Open" in r["detail"],
                  f"linked comparison: a cell's details do not show on focus: {r}")
        run.check(r is not None and r.get("sortButton") and r.get("sortOrder") == "descending"
                  and r.get("sorted"), f"linked comparison: the models table does not sort: {r}")

    check_pdfs(run, a.redpen, out_dir)

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

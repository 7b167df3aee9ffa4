#!/usr/bin/env python3
"""URL fetch tests: start the HTTP server of server.py on 127.0.0.1, run
`redpen ingest URL --format json` against it and check exit codes and
messages: a transcript over 200, through a short redirect chain, a 404, a
redirect to a non-http scheme, more than 5 redirects, a body over the size
cap (announced and not), a response slower than the timeout, a binary body,
and a scheme redpen must not fetch at all.

usage: test_fetch.py PATH-TO-REDPEN
Prints one line per check and exits 1 if any failed.
"""
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import server  # noqa: E402


def main():
    redpen = sys.argv[1]
    srv, base = server.start()
    env = dict(os.environ)
    env["no_proxy"] = env["NO_PROXY"] = "127.0.0.1,localhost"
    failures = 0

    def check(name, url, want_exit, stderr_has=(), extra_env=None, max_seconds=20, doc_check=None):
        nonlocal failures
        e = dict(env)
        e.update(extra_env or {})
        t0 = time.monotonic()
        try:
            p = subprocess.run([redpen, "ingest", url, "--format", "json"], capture_output=True,
                               text=True, env=e, timeout=60)
        except subprocess.TimeoutExpired:
            print("FAIL %s: redpen did not finish within 60 s" % name)
            failures += 1
            return
        took = time.monotonic() - t0
        errs = []
        if p.returncode != want_exit:
            errs.append("exit %d, expected %d" % (p.returncode, want_exit))
        for s in stderr_has:
            if s not in p.stderr:
                errs.append("stderr lacks %r" % s)
        if took > max_seconds:
            errs.append("took %.1f s" % took)
        if doc_check:
            try:
                errs += doc_check(json.loads(p.stdout))
            except ValueError as ex:
                errs.append("stdout is not JSON: %s" % ex)
        if errs:
            failures += 1
            print("FAIL %s: %s; stderr: %s" % (name, "; ".join(errs), p.stderr.strip()[:300]))
        else:
            print("ok   %s (%.1f s)" % (name, took))

    def is_example(doc):
        errs = []
        if doc.get("format") != "openai":
            errs.append("format %r" % doc.get("format"))
        if doc.get("counts", {}).get("model") != 2 or doc.get("counts", {}).get("user") != 2:
            errs.append("counts %r" % doc.get("counts"))
        if doc.get("model") != "gpt-4o":
            errs.append("model %r" % doc.get("model"))
        return errs

    def is_chatgpt(doc):
        return [] if doc.get("format") == "chatgpt" and len(doc.get("turns", [])) == 4 else \
            ["not the ChatGPT example: %r" % {k: doc.get(k) for k in ("format", "counts")}]

    try:
        check("200 OpenAI messages", base + "/examples/openai-messages.json", 0, doc_check=is_example)
        check("200 ChatGPT export, detected", base + "/examples/chatgpt-conversations.json", 0,
              doc_check=is_chatgpt)
        check("4 redirects are followed", base + "/chain/6", 0, doc_check=is_example)
        check("404", base + "/missing", 2, ["/missing", "HTTP 404"])
        check("redirect to file://", base + "/to-file", 2, ["/to-file", "only http and https"])
        check("redirect to ftp://", base + "/to-ftp", 2, ["/to-ftp", "only http and https"])
        check("a redirect without a target", base + "/nowhere", 2, ["/nowhere", "HTTP 302"])
        check("10 redirects", base + "/chain/0", 2, ["/chain/0", "more than 5 redirects"])
        check("body over the cap", base + "/big", 2, ["/big", "larger than 100000 bytes"],
              extra_env={"REDPEN_FETCH_MAX_BYTES": "100000"})
        check("announced body over the default cap", base + "/declared-huge", 2,
              ["/declared-huge", "larger than"], max_seconds=10)
        check("slow response past the timeout", base + "/slow", 2, ["/slow", "timed out after 2 seconds"],
              extra_env={"REDPEN_FETCH_TIMEOUT": "2"}, max_seconds=10)
        check("binary body", base + "/binary", 2, ["/binary", "NUL byte"])
        check("nothing listening", "http://127.0.0.1:9/x.json", 2, ["127.0.0.1:9", "cannot fetch"])
    finally:
        srv.shutdown()
        srv.server_close()
    print("%d failed" % failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

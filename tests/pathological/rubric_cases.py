"""Pathological rubrics (issue 22, items 6, 8 and 15): a FIFO where a rubric
or its key file is read, a pattern that hits the PCRE2 match limit inside a
tuple, and rubrics whose solving would take minutes.  Imported by run.py;
cases(Case, write, openai) returns the cases."""
import json
import os


def small_rubric(rid, part, cues=("backtracking drill", "warm-up"), **top):
    """A one-problem rubric of one part (problem 1)."""
    r = {"id": rid, "title": "pathological rubric", **top,
         "problems": [{"number": 1, "title": "Backtracking drill", "cues": list(cues),
                       "parts": [part]}]}
    return json.dumps(r)


def fifo(tmp, name):
    path = os.path.join(tmp, name)
    os.mkfifo(path)
    return path


def fifo_key_file(write):
    def make(tmp):
        fifo(tmp, "key.json")
        return write(tmp, "r.json", small_rubric("fifokey", {
            "id": "1a", "title": "a", "targets": ["y"],
            "answer": {"kind": "expr", "latex": "2"}}, key_file="key.json"))
    return make


def fifo_in_rubric_dir(write, openai):
    """A rubrics directory with a good rubric and a FIFO named *.json."""
    def make(tmp):
        d = os.path.join(tmp, "rubrics")
        os.mkdir(d)
        fifo(d, "blocked.json")
        write(d, "good.json", small_rubric("good", {
            "id": "1a", "title": "a", "targets": ["y"],
            "answer": {"kind": "expr", "latex": "2"}}))
        return write(tmp, "t.json", openai("**Part (a).** y = 2",
                                           "Problem 1 (a) of the backtracking drill, the "
                                           "warm-up: what is y?"))
    return make


def backtracking_tuple(write, openai):
    """A tuple part whose text item's pattern backtracks past the match limit."""
    def make(tmp):
        write(tmp, "r.json", small_rubric("backtrack", {
            "id": "1a", "title": "a value and why", "targets": ["y"],
            "answer": {"kind": "tuple", "items": [
                {"name": "y", "answer": {"kind": "expr", "latex": "2"}},
                {"name": "why", "answer": {"kind": "text", "points": ["says a"],
                                           "patterns": ["(a|aa)+$"]}}]}}))
        return write(tmp, "t.json", openai("**Part (a).** y = 2, because " + "a" * 60 + "b",
                                           "Problem 1 (a) of the backtracking drill: y?"))
    return make


def ungraded(part):
    def check(tmp, stdout):
        doc = json.loads(stdout)
        f = [p for p in doc["parts"] if p["part"] == part][0]["final"]
        if f["verdict"] != "ungraded" or "match limit" not in (f.get("detail") or ""):
            return f"part {part}: {f['verdict']} ({f.get('detail')}), expected ungraded (match limit)"
        return None
    return check


def cases(Case, write, openai):
    return [
        Case("rubric-fifo-key-file", fifo_key_file(write), ["rubric", "check", "{in}"],
             stderr=r"key\.json is not a regular file", bound=2),
        Case("rubric-fifo-in-rubric-dir", fifo_in_rubric_dir(write, openai),
             ["grade", "{in}", "--rubric-dir", "{tmp}/rubrics", "--format", "json"],
             exit_codes=(0, 1), stderr=r"blocked\.json: warning: not a regular file", bound=2),
        Case("rubric-pattern-match-limit-in-tuple", backtracking_tuple(write, openai),
             ["grade", "{in}", "--rubric", "{tmp}/r.json", "--format", "json"],
             exit_codes=(0, 1), bound=3, check=ungraded("1a")),
    ]

"""redpen for Python: check a model's answer against a gold answer.

A thin ctypes module over libredpen (the C API of include/redpen/redpen.h),
with nothing but the standard library, for eval and RL code that calls its
verifier from Python:

    import redpen
    redpen.equiv("2c\\,d^2", "2 d^2")     # Verdict('different', 'missing_factor: missing factor c')
    redpen.equiv("1/2", "0.5").equal      # True
    report = redpen.grade_gold(conversation_text, "72")   # the JSON report, as a dict
    report["parts"][0]["final"]["verdict"]                # 'pass'

Every function is thread-safe (the library keeps no state between calls).

The library is looked for, in this order: the file $REDPEN_LIB names; the
library installed with this module (the same place relative to this file
as at install time, then the configured libdir); a build tree at
../build (build/src/api/libredpen.so.0, for a source checkout); and the
dynamic loader's search (libredpen.so.0).
"""
import ctypes
import json
import os
from collections import namedtuple

__all__ = ["Verdict", "RedpenError", "version", "equiv", "grade", "grade_gold", "library_path"]

# Filled in by meson when the module is installed (python/meson.build);
# left as they are in the source tree.
_LIBDIR = "@LIBDIR@"
_LIBDIR_FROM_HERE = "@LIBDIR_FROM_PYDIR@"
_SONAME = "libredpen.so.@SOVERSION@"

_VERDICTS = {0: "equal", 1: "different", 2: "error"}


class Verdict(namedtuple("Verdict", "verdict why")):
    """The outcome of equiv(): verdict is 'equal', 'different' or 'error';
    why is the category and detail ('missing_factor: missing factor c'),
    the reason of an error, or a note (often '') for equal."""

    @property
    def equal(self):
        return self.verdict == "equal"


class RedpenError(Exception):
    """A conversation or rubric redpen could not grade; code is the exit
    code `redpen grade` would give (2 bad input, 3 internal error)."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def _candidates():
    env = os.environ.get("REDPEN_LIB")
    if env:
        yield env
        return
    here = os.path.dirname(os.path.abspath(__file__))
    soname = _SONAME if "@" not in _SONAME else "libredpen.so.0"
    # the copy installed with this module first: an install that was moved
    # must not load an older library still at the configured libdir
    if "@" not in _LIBDIR_FROM_HERE:
        yield os.path.join(here, _LIBDIR_FROM_HERE, soname)
    if "@" not in _LIBDIR:
        yield os.path.join(_LIBDIR, soname)
    for build in ("build", "builddir"):
        yield os.path.join(here, "..", build, "src", "api", soname)
    yield soname  # the dynamic loader's search


def _load():
    tried = []
    for path in _candidates():
        if os.sep in path and not os.path.exists(path):
            tried.append(path)
            continue
        try:
            return ctypes.CDLL(path), path
        except OSError as e:
            tried.append(f"{path} ({e})")
    raise ImportError("libredpen not found; set REDPEN_LIB to its path. Tried: " +
                      "; ".join(tried))


_lib, _path = _load()
_lib.redpen_version.restype = ctypes.c_char_p
_lib.redpen_version.argtypes = []
_lib.redpen_equiv.restype = ctypes.c_int
_lib.redpen_equiv.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t]
for _fn in (_lib.redpen_grade, _lib.redpen_grade_gold):
    _fn.restype = ctypes.c_int
    _fn.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p,
                    ctypes.POINTER(ctypes.c_void_p), ctypes.POINTER(ctypes.c_void_p)]
_lib.redpen_free.restype = None
_lib.redpen_free.argtypes = [ctypes.c_void_p]

_WHY_CAP = 1024


def library_path():
    """The path (or name) libredpen was loaded from."""
    return _path


def version():
    """libredpen's version, "MAJOR.MINOR.PATCH"."""
    return _lib.redpen_version().decode()


def _c_string(s, what):
    """s as a C string; a NUL inside would end it early (the rest unread),
    so it is refused."""
    b = s.encode() if isinstance(s, str) else bytes(s)
    if b"\0" in b:
        raise ValueError(f"{what} holds a NUL character")
    return b


def equiv(truth, claim):
    """Compare claim with truth (LaTeX, plain ASCII or Unicode math, numbers,
    matrices, sets, intervals, text); returns a Verdict.  Raises ValueError
    for a string holding a NUL character."""
    why = ctypes.create_string_buffer(_WHY_CAP)
    rc = _lib.redpen_equiv(_c_string(truth, "truth"), _c_string(claim, "claim"), why, _WHY_CAP)
    return Verdict(_VERDICTS.get(rc, "error"), why.value.decode(errors="replace"))


def _take(p):
    """The string at p (malloc'ed by the library), freed."""
    if not p.value:
        return None
    try:
        return ctypes.string_at(p.value).decode(errors="replace")
    finally:
        _lib.redpen_free(p)


def _grade(fn, text, arg):
    data = text.encode() if isinstance(text, str) else bytes(text)
    report, error = ctypes.c_void_p(), ctypes.c_void_p()
    rc = fn(data, len(data), _c_string(arg, "the rubric or gold") if arg is not None else None,
            ctypes.byref(report), ctypes.byref(error))
    out, msg = _take(report), _take(error)
    if rc != 0:
        raise RedpenError(rc, msg or f"redpen failed with code {rc}")
    return json.loads(out)


def grade(text, rubric=None):
    """Grade one conversation (text or bytes, any format redpen reads) with
    the rubric file rubric, or the rubric chosen by its problems' cues;
    returns the JSON report (schema 1) as a dict.  Raises RedpenError."""
    return _grade(_lib.redpen_grade, text, rubric)


def grade_gold(text, gold):
    """Grade one conversation about one question against its gold answer
    (as `redpen grade --answer GOLD`); returns the JSON report as a dict.
    Raises RedpenError."""
    return _grade(_lib.redpen_grade_gold, text, gold)

/*
 * redpen.h: the public API of redpen for library users.
 *
 * This is the one header a program (or a Python module through ctypes)
 * needs to use redpen as a library: compare one claimed answer with a
 * reference, and grade one conversation.  It is small on purpose and its
 * functions keep their signatures across versions.  The other headers under
 * include/redpen/ are the modules' internal interfaces: the command-line
 * tool and the tests use them, they change whenever the code does, and
 * `meson install` does not install them.  libredpen (pkg-config redpen)
 * exports these functions and nothing else.
 *
 * Every function is thread-safe (no global state is written) and reports a
 * failure through its return value and, where given, a message; none
 * prints, exits or aborts.  Strings returned to the caller are allocated
 * with malloc() and freed with redpen_free().
 */
#ifndef REDPEN_REDPEN_H
#define REDPEN_REDPEN_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What libredpen exports (it is built with hidden visibility otherwise). */
#if defined(__GNUC__)
#define REDPEN_API __attribute__((visibility("default")))
#else
#define REDPEN_API
#endif

/* The version of the library, "MAJOR.MINOR.PATCH" (a static string). */
REDPEN_API const char *redpen_version(void);

/* Outcomes of redpen_equiv(), the same as the exit codes of `redpen equiv`. */
enum {
    REDPEN_EQUAL = 0,
    REDPEN_DIFFERENT = 1,
    REDPEN_ERROR = 2
};

/* Compare claim with truth: two math answers in LaTeX, plain ASCII or
 * Unicode math ("2c\\,d_{out}^2 d_{in}", "2*c*d_out^2*d_in"), numbers,
 * matrices, sets, intervals or text answers.  Variables are drawn from
 * positive reals.  Returns REDPEN_EQUAL, REDPEN_DIFFERENT or REDPEN_ERROR
 * (a side could not be read, or an argument is NULL).  When why is not NULL
 * (why_cap bytes, NUL-terminated, truncated to fit) it receives, for
 * DIFFERENT, the error category and its detail ("missing_factor: missing
 * factor c"), for ERROR the reason, naming the side ("claim: unbalanced
 * '{' (offset 5)"), and for EQUAL a note or "". */
REDPEN_API int redpen_equiv(const char *truth, const char *claim, char *why, size_t why_cap);

/* Grade one conversation.  text[0..len) is the conversation in any format
 * redpen reads (chat text, Markdown, OpenAI or ShareGPT JSON, ...; a file of
 * several conversations is graded as the first).  rubric_path names a
 * rubric JSON file; NULL chooses one from the rubric directory
 * ($REDPEN_RUBRICS, ./rubrics) by its problem cues.  On success returns
 * 0 and sets *report_json to the JSON report (schema 1, as `redpen grade
 * --format json` prints it; free with redpen_free()).  On failure returns
 * non-zero (2: bad input or rubric, 3: internal error), sets *report_json
 * to NULL and, when error is not NULL, *error to a message naming what
 * failed (free with redpen_free()). */
REDPEN_API int redpen_grade(const char *text, size_t len, const char *rubric_path,
                            char **report_json, char **error);

/* Grade one conversation about one question against its gold answer, as
 * `redpen grade --answer GOLD` does: the whole conversation answers it (no
 * part labels needed), and its first and final answer, the corrections it
 * took and whether the gold was revealed are reported.  gold is written as
 * an answer is (LaTeX, plain or Unicode math, a number with a unit, a
 * matrix, text).  Returns and sets *report_json and *error as
 * redpen_grade() does. */
REDPEN_API int redpen_grade_gold(const char *text, size_t len, const char *gold,
                                 char **report_json, char **error);

/* Free a string this library returned (NULL is fine). */
REDPEN_API void redpen_free(void *p);

#ifdef __cplusplus
}
#endif

#endif

/*
 * redpen core: the one JSON writer of the tool.  Every JSON redpen prints
 * (reports, the comparison, `ingest`, `extract`, `solve`, `check-key`) is
 * written with it: values go straight into an rp_buf, in one pass, with no
 * tree and no copy.  cJSON stays for reading JSON.  Its output is byte
 * for byte what cJSON 1.7 prints for the same values (cJSON_PrintUnformatted
 * when compact, cJSON_Print when pretty), because saved reports, golden
 * files and the people diffing them all know that form:
 *
 *   - strings: " \ and the control characters below 0x20 escaped (\b \f \n
 *     \r \t by name, the others as \u00xx in lower case); every other byte,
 *     / and DEL and UTF-8 (valid or not) included, copied as it is;
 *   - numbers: %1.15g, or %1.17g when that does not read back (so
 *     integers below 1e15 in plain digits, -0 as -0); NaN and infinities
 *     as null.  This is cJSON 1.7.15, Debian 12's; later versions print
 *     ints with %d, which differs only for -0;
 *   - pretty: an object's members on their own lines, indented by a tab per
 *     level, "key":<tab>value; an array's elements on one line, ", "
 *     between them; arrays count as a level for the indentation too.
 *
 * Every value function takes the member's key, or NULL for an array
 * element or the top-level value.  A key is escaped as a string is (keys
 * may be data: model names, error categories, a rubric's parameters);
 * the program's own short names take a faster path.  The status sticks:
 * after the first failure nothing more reaches the buffer, and rp_jw_end()
 * undoes the partial output.
 */
#ifndef REDPEN_JSONW_H
#define REDPEN_JSONW_H

#include "redpen/core.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#define RP_JW_STAGE 4096
/* Nesting deeper than this stops the writer with RP_ELIMIT (a report has
 * 5 levels). */
#define RP_JW_MAX_DEPTH 256
/* Keys up to this long that need no escape are copied in one piece. */
#define RP_JW_MAX_KEY 64

/* The writer's state.  Nesting needs no stack: after a container closes,
 * its parent has at least one value, so only "first" and the depth are
 * kept.  Output gathers in stage and goes to b a few KB at a time: one
 * rp_buf_append per token cost more than the JSON itself. */
typedef struct rp_jw {
    rp_buf *b;       /* the output, owned by the caller */
    size_t start;    /* b->len when the writer began: the undo point */
    rp_status st;    /* RP_OK, or the first failure */
    unsigned depth;  /* open objects and arrays */
    bool pretty;     /* cJSON_Print's layout rather than the compact one */
    bool first;      /* nothing written yet in the innermost container */
    size_t n_stage;  /* bytes in stage, not yet in b */
    size_t value_at; /* rp_jw_pos() where the latest value began (after its key) */
    char stage[RP_JW_STAGE];
} rp_jw;

/* Begin writing one JSON value at the end of b. */
void rp_jw_begin(rp_jw *j, rp_buf *b, bool pretty);
/* The same for a value that stands depth levels deep in a document the
 * caller writes around it (an element of an array of values written one
 * at a time): its pretty indentation starts from there. */
void rp_jw_begin_at(rp_jw *j, rp_buf *b, bool pretty, unsigned depth);
/* Everything into b, and the status; on failure b is cut back to where
 * rp_jw_begin() found it.  Until this is called, b may lack the end of
 * the output. */
rp_status rp_jw_end(rp_jw *j);

/* The functions that take a member's key are called through the macros
 * below, which pass the key's length as well: strlen of a literal key (the
 * program's own names, nearly every key) is worked out by the compiler, so
 * a key costs no scan at run time beyond the check that it needs no
 * escape.  The _k forms take the length themselves (klen == strlen(key);
 * 0 with a NULL key). */
static inline size_t rp_jw_klen(const char *key)
{
    return key ? strlen(key) : 0;
}

void rp_jw_obj_open_k(rp_jw *j, const char *key, size_t klen);
void rp_jw_obj_close(rp_jw *j);
void rp_jw_arr_open_k(rp_jw *j, const char *key, size_t klen);
void rp_jw_arr_close(rp_jw *j);
/* A string (NUL-terminated; NULL writes null). */
void rp_jw_str_k(rp_jw *j, const char *key, size_t klen, const char *s);
/* A number as cJSON prints a double. */
void rp_jw_num_k(rp_jw *j, const char *key, size_t klen, double d);
void rp_jw_bool_k(rp_jw *j, const char *key, size_t klen, bool v);
void rp_jw_null_k(rp_jw *j, const char *key, size_t klen);

#define rp_jw_obj_open(j, key) rp_jw_obj_open_k((j), (key), rp_jw_klen(key))
#define rp_jw_arr_open(j, key) rp_jw_arr_open_k((j), (key), rp_jw_klen(key))
#define rp_jw_str(j, key, s) rp_jw_str_k((j), (key), rp_jw_klen(key), (s))
#define rp_jw_num(j, key, d) rp_jw_num_k((j), (key), rp_jw_klen(key), (d))
#define rp_jw_bool(j, key, v) rp_jw_bool_k((j), (key), rp_jw_klen(key), (v))
#define rp_jw_null(j, key) rp_jw_null_k((j), (key), rp_jw_klen(key))

/* Positions in the output for rp_jw_repeat(): the logical end of what the
 * writer has written (b->len plus the staged bytes), and where the value
 * begun most recently starts (just after its key, at its '{' for an
 * object: read it right after rp_jw_obj_open()). */
static inline size_t rp_jw_pos(const rp_jw *j)
{
    return j->b->len + j->n_stage;
}

static inline size_t rp_jw_value_start(const rp_jw *j)
{
    return j->value_at;
}

/* Write again, as member key (NULL: an element), the value this writer
 * wrote between from and to (rp_jw_value_start() when it began and
 * rp_jw_pos() when it ended), byte for byte: for a value known to equal
 * one written before, at the cost of a copy.  Compact output only, since
 * pretty indentation depends on where a value stands: with pretty set it
 * writes nothing and returns false, and the caller writes the value. */
bool rp_jw_repeat_k(rp_jw *j, const char *key, size_t klen, size_t from, size_t to);
#define rp_jw_repeat(j, key, from, to) rp_jw_repeat_k((j), (key), rp_jw_klen(key), (from), (to))

/* s[0..n) as the body of a JSON string, without the quotes: the escaper
 * on its own, for tests and for callers that quote themselves. */
rp_status rp_json_escape(rp_buf *b, const char *s, size_t n);

#endif

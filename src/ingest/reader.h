/*
 * Internal interface between the ingest front end and the readers.  Each
 * reader turns bytes of one format into transcripts through the builder
 * functions below, which copy text into the transcript's arena.
 */
#ifndef RP_INGEST_READER_H
#define RP_INGEST_READER_H

#include "redpen/ingest.h"

/* A reader: parse data[0..n) (valid UTF-8 text, NUL-terminated at n) and
 * push one or more transcripts onto out.  On failure add a diagnostic
 * naming label and line or JSON path, and return non-OK; the caller frees
 * whatever was pushed. */
typedef rp_status (*rp_reader_fn)(const char *label, const char *data, size_t n,
                                  const rp_ingest_opts *opts,
                                  rp_transcript_set *out, rp_diags *d);

/* What rp_ingest_normalise() found (and removed or changed). */
typedef struct rp_norm {
    size_t boms;      /* byte order marks at the start */
    size_t crs;       /* lone CRs, now line feeds */
    size_t invisible; /* zero-width and bidi format characters */
} rp_norm;

/* Normalise s[0..n) (src/ingest/normalise.c): drop the byte order marks
 * at its start, read a lone CR as a line end, and with invisible drop the
 * zero-width and bidi format characters.  Counts go to *w.  When there is
 * anything to change the result is appended to out (which the caller
 * initialised and frees); else out is left alone. */
rp_status rp_ingest_normalise(const char *s, size_t n, bool invisible, rp_buf *out, rp_norm *w);

rp_status rp_read_chat_text(const char *label, const char *data, size_t n,
                            const rp_ingest_opts *opts, rp_transcript_set *out,
                            rp_diags *d);
rp_status rp_read_markdown(const char *label, const char *data, size_t n,
                           const rp_ingest_opts *opts, rp_transcript_set *out,
                           rp_diags *d);
rp_status rp_read_openai(const char *label, const char *data, size_t n,
                         const rp_ingest_opts *opts, rp_transcript_set *out,
                         rp_diags *d);
rp_status rp_read_sharegpt(const char *label, const char *data, size_t n,
                           const rp_ingest_opts *opts, rp_transcript_set *out,
                           rp_diags *d);
rp_status rp_read_chatgpt(const char *label, const char *data, size_t n,
                          const rp_ingest_opts *opts, rp_transcript_set *out,
                          rp_diags *d);
rp_status rp_read_claude(const char *label, const char *data, size_t n,
                         const rp_ingest_opts *opts, rp_transcript_set *out,
                         rp_diags *d);
rp_status rp_read_openwebui(const char *label, const char *data, size_t n,
                            const rp_ingest_opts *opts, rp_transcript_set *out,
                            rp_diags *d);

rp_status rp_read_responses(const char *label, const char *data, size_t n,
                            const rp_ingest_opts *opts, rp_transcript_set *out,
                            rp_diags *d);
rp_status rp_read_lmsys(const char *label, const char *data, size_t n,
                        const rp_ingest_opts *opts, rp_transcript_set *out,
                        rp_diags *d);
rp_status rp_read_aistudio(const char *label, const char *data, size_t n,
                           const rp_ingest_opts *opts, rp_transcript_set *out,
                           rp_diags *d);
rp_status rp_read_gemini(const char *label, const char *data, size_t n,
                         const rp_ingest_opts *opts, rp_transcript_set *out,
                         rp_diags *d);
rp_status rp_read_grok(const char *label, const char *data, size_t n,
                       const rp_ingest_opts *opts, rp_transcript_set *out,
                       rp_diags *d);
rp_status rp_read_librechat(const char *label, const char *data, size_t n,
                            const rp_ingest_opts *opts, rp_transcript_set *out,
                            rp_diags *d);
rp_status rp_read_lmstudio(const char *label, const char *data, size_t n,
                           const rp_ingest_opts *opts, rp_transcript_set *out,
                           rp_diags *d);
rp_status rp_read_sillytavern(const char *label, const char *data, size_t n,
                              const rp_ingest_opts *opts, rp_transcript_set *out,
                              rp_diags *d);

/* The reader for a format name, or NULL. */
rp_reader_fn rp_reader_for(const char *format);

/* Fetch an http(s) URL into b (initialised by the caller) with libcurl:
 * http/https only (also on redirects, at most 5), timeouts, size cap. */
rp_status rp_fetch_url(const char *url, const rp_ingest_opts *opts, rp_buf *b,
                       rp_diags *d);

/* ---- builder ---- */

/* A new empty transcript with its own arena (NULL when out of memory). */
rp_transcript *rp_tb_new(const char *label, const char *format);

/* Append a turn with a copy of text[0..n).  Returns the turn (its time and
 * model may then be set with rp_tb_str), or NULL when out of memory. */
rp_turn *rp_tb_add_turn(rp_transcript *t, rp_role role, const char *text,
                        size_t n, unsigned line);

/* Replace the text of a turn with a copy of text[0..n). */
rp_status rp_tb_set_text(rp_transcript *t, rp_turn *turn, const char *text,
                         size_t n);

/* Attach a note to the last turn (or to the lead notes before any turn). */
rp_status rp_tb_add_note(rp_transcript *t, const char *text, size_t n,
                         unsigned line);

/* Add a warning to t (formatted, copied into t's arena).  RP_ENOMEM when
 * it cannot be kept. */
rp_status rp_tb_warn(rp_transcript *t, const char *fmt, ...) RP_PRINTF(2, 3);

/* A copy of s[0..n) in t's arena. */
const char *rp_tb_str(rp_transcript *t, const char *s, size_t n);

/* Push t onto the set (the set takes ownership). */
rp_status rp_tset_push(rp_transcript_set *s, rp_transcript *t);

#endif

/*
 * Tables: Markdown pipe tables and tab-separated rows whose first cell is
 * one of the part's row labels; the longest run of such rows is the claim.
 */
#include "extract_int.h"

static const char *norm_label(rp_arena *a, const char *s, size_t n)
{
    char *o = rp_arena_alloc(a, n + 1);
    if (!o)
        return "";
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (isalnum(ch))
            o[k++] = (char)tolower(ch);
    }
    o[k] = '\0';
    return o;
}

/* Split a table row into cells: pipes, else tabs.  Returns the count. */
static size_t split_row(const char *s, size_t n, size_t *a, size_t *b, size_t max)
{
    rp_span t = rp_span_trim(rp_span_make(s, n));
    size_t cnt = 0;
    char sep = memchr(t.p, '|', t.n) ? '|' : '\t';
    if (sep == '\t' && !memchr(t.p, '\t', t.n))
        return 0;
    size_t i = 0;
    if (t.n && t.p[0] == '|')
        i = 1;
    size_t start = i;
    for (; i <= t.n && cnt < max; i++) {
        if (i == t.n || t.p[i] == sep) {
            if (i == t.n && sep == '|' && start == t.n)
                break;
            a[cnt] = (size_t)(t.p - s) + start;
            b[cnt] = (size_t)(t.p - s) + i;
            cnt++;
            start = i + 1;
        }
    }
    return cnt;
}

rp_status rpx_table(ctx *c, const rp_extract_spec *sp, rp_claim *out)
{
    size_t rows = sp->n_row_labels, cols = sp->n_cols ? sp->n_cols : 1;
    if (!rows)
        return RP_OK;
    const char **norm = rp_arena_alloc(c->a, rows * sizeof *norm);
    const char **best = rp_arena_alloc(c->a, rows * cols * sizeof *best);
    const char **cur = rp_arena_alloc(c->a, rows * cols * sizeof *cur);
    bool *used = rp_arena_alloc(c->a, rows * sizeof *used);
    if (!norm || !best || !cur || !used)
        return RP_ENOMEM;
    for (size_t r = 0; r < rows; r++)
        norm[r] = norm_label(c->a, sp->row_labels[r], strlen(sp->row_labels[r]));
    size_t best_hits = 0, best_pos = 0, cur_hits = 0, cur_pos = 0;
    size_t i = 0;
    bool in_table = false;
    while (i <= c->n) {
        size_t e = i;
        while (e < c->n && c->u[e] != '\n')
            e++;
        size_t a[16], b[16];
        size_t nc = split_row(c->u + i, e - i, a, b, 16);
        bool matched = false;
        if (nc >= 2) {
            const char *lab = norm_label(c->a, c->u + i + a[0], b[0] - a[0]);
            for (size_t r = 0; r < rows && lab[0]; r++) {
                if (used[r] || strcmp(lab, norm[r]) != 0)
                    continue;
                if (!in_table) {
                    memset(cur, 0, rows * cols * sizeof *cur);
                    memset(used, 0, rows * sizeof *used);
                    cur_hits = 0;
                    cur_pos = i;
                    in_table = true;
                }
                used[r] = true;
                for (size_t k = 0; k < cols && k + 1 < nc; k++) {
                    const char *cell = c->u + i + a[k + 1];
                    size_t cl = b[k + 1] - a[k + 1];
                    rp_span t = rp_span_trim(rp_span_make(cell, cl));
                    if (t.n == 0)
                        continue;
                    /* strip $..$ and take the last side of a chain */
                    rp_span in = t;
                    if (in.n >= 2 && in.p[0] == '$' && in.p[in.n - 1] == '$') {
                        while (in.n && in.p[0] == '$') {
                            in.p++;
                            in.n--;
                        }
                        while (in.n && in.p[in.n - 1] == '$')
                            in.n--;
                    } else {
                        /* a cell typed without LaTeX: 3*3*10 + 10, 14 x 14 x 10 */
                        rp_buf pb;
                        rp_buf_init(&pb, 1 << 16);
                        const char *tex = NULL;
                        if (rp_latex_from_plain(in.p, in.n, &pb) == RP_OK)
                            tex = rp_arena_strndup(c->a, pb.data ? pb.data : "", pb.len);
                        rp_buf_free(&pb);
                        if (tex)
                            in = rp_span_make(tex, strlen(tex));
                    }
                    chain ch;
                    rpx_split_chain(in.p, in.n, &ch);
                    cur[r * cols + k] = rpx_pick_side(c, in.p, &ch, 0, false);
                }
                cur_hits++;
                matched = true;
                break;
            }
        }
        bool sep_row = nc >= 2 && c->u[i + a[0]] == '-';
        if (!matched && !sep_row && in_table && !rpx_blank(c->u + i, e - i)) {
            if (cur_hits >= best_hits) {
                best_hits = cur_hits;
                best_pos = cur_pos;
                memcpy(best, cur, rows * cols * sizeof *best);
            }
            in_table = false;
        }
        if (e >= c->n)
            break;
        i = e + 1;
    }
    if (in_table && cur_hits >= best_hits) {
        best_hits = cur_hits;
        best_pos = cur_pos;
        memcpy(best, cur, rows * cols * sizeof *best);
    }
    if (!best_hits)
        return RP_OK;
    out->kind = RP_CLAIM_TABLE;
    out->cells = best;
    out->rows = rows;
    out->cols = cols;
    out->how = "table";
    out->offset = best_pos;
    out->shown = rp_arena_printf(c->a, "table with %zu of %zu rows", best_hits, rows);
    return RP_OK;
}

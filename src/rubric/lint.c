/*
 * `rubric check`'s deeper look at a loaded rubric: mistakes the reader
 * lets through because they are well-formed JSON, yet would make every
 * transcript fail the part.  Every LaTeX truth, key, variant, matrix or
 * table cell, piecewise case and compute formula is parsed as the grader
 * parses it; braces must balance; `\frac{d}{dx}` (which the parser reads
 * as a quotient, d over d times x) is flagged; every free symbol must be
 * a declared variable or alias; every text pattern must compile as the
 * grader compiles it; and a part whose answer is a grid (matrix, vector,
 * table) should name its targets, the evidence the extractor looks for.
 * Each finding names the file and JSON path of the value.
 *
 * Errors are mistakes that change grading; warnings are doubts: a symbol
 * in a part that declares no variable at all is sampled from the default
 * domain, which may be what the author meant.
 */
#include "rubric_int.h"

#include "redpen/judge.h"
#include "redpen/latex.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MAX_NAMES 512

/* The walk's state: where findings go, the path of the value at hand and
 * the names the part declares (canonical spellings). */
typedef struct lint {
    rp_vctx v;             /* diagnostics, file label and JSON path */
    size_t errors, warnings;
    const rp_part *part;
    const char *names[MAX_NAMES]; /* declared variables, aliases, extra */
    size_t n_names;
    size_t n_declared;     /* of those, names the part declares itself */
    rp_arena *scratch;     /* parse trees; reset per rubric */
    const char *src;       /* the LaTeX being checked */
    size_t src_len;
} lint;

static void finding(lint *L, bool error, const char *fmt, ...) RP_PRINTF(3, 4);
static void finding(lint *L, bool error, const char *fmt, ...)
{
    char msg[700];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (error)
        L->errors++;
    else
        L->warnings++;
    rp_diag_add_path(L->v.diags, L->v.label, L->v.path, "%s%s", error ? "" : "warning: ", msg);
}

static size_t key(lint *L, const char *k)
{
    return rp_vpush_key(&L->v, k);
}

static size_t idx(lint *L, size_t i)
{
    return rp_vpush_index(&L->v, i);
}

static void pop(lint *L, size_t old)
{
    rp_vpop(&L->v, old);
}

/* Add a name in its canonical spelling (as the parser names the symbol). */
static void add_name(lint *L, const char *s)
{
    char canon[256];
    if (!s || L->n_names >= MAX_NAMES)
        return;
    if (rp_latex_symbol_name(s, strlen(s), canon, sizeof canon))
        s = rp_arena_strdup(L->scratch, canon);
    if (s)
        L->names[L->n_names++] = s;
}

static bool declared(const lint *L, const char *name)
{
    for (size_t i = 0; i < L->n_names; i++)
        if (strcmp(L->names[i], name) == 0)
            return true;
    return false;
}

/* ------------------------------------------------------------ LaTeX */

/* Unbalanced braces: a '}' without its '{', or '{' never closed (\{ and
 * \} are literal braces). */
static bool braces_ok(lint *L, const char *s)
{
    long depth = 0;
    for (size_t i = 0; s[i]; i++) {
        if (s[i] == '\\' && s[i + 1]) {
            i++;
            continue;
        }
        if (s[i] == '{')
            depth++;
        else if (s[i] == '}' && --depth < 0) {
            finding(L, true, "unbalanced braces: the '}' at byte %zu closes no '{'", i);
            return false;
        }
    }
    if (depth > 0) {
        finding(L, true, "unbalanced braces: %ld '{' never closed", depth);
        return false;
    }
    return true;
}

/* \begin{env} ... \end{env}: every \end closes the \begin of the same
 * name (the parser reads \begin{bmatrix} ... \end{pmatrix} without
 * complaint). */
static bool environments_ok(lint *L, const char *s)
{
    char open[8][32];
    size_t n = 0;
    for (const char *p = s; (p = strchr(p, '\\')) != NULL; p++) {
        bool begin = strncmp(p, "\\begin{", 7) == 0, end = strncmp(p, "\\end{", 5) == 0;
        if (!begin && !end)
            continue;
        const char *name = p + (begin ? 7 : 5), *close = strchr(name, '}');
        if (!close || close - name >= 32)
            continue;
        int len = (int)(close - name);
        if (begin) {
            if (n < 8)
                snprintf(open[n], sizeof open[n], "%.*s", len, name);
            n++;
        } else if (n == 0) {
            finding(L, true, "\\end{%.*s} at byte %zu has no \\begin", len, name,
                    (size_t)(p - s));
            return false;
        } else if (--n < 8 && (strlen(open[n]) != (size_t)len ||
                               strncmp(open[n], name, (size_t)len) != 0)) {
            finding(L, true, "\\end{%.*s} at byte %zu closes \\begin{%s}", len, name,
                    (size_t)(p - s), open[n]);
            return false;
        }
    }
    if (n) {
        finding(L, true, "\\begin{%s} is never ended", n <= 8 ? open[n - 1] : "...");
        return false;
    }
    return true;
}

/* The braced group at s (after spaces): its inside in [*b, *e); the text
 * after it is returned, or NULL when s does not start a group. */
static const char *group(const char *s, const char **b, const char **e)
{
    while (*s == ' ')
        s++;
    if (*s != '{')
        return NULL;
    int depth = 0;
    for (const char *p = s; *p; p++) {
        if (*p == '\\' && p[1]) {
            p++;
            continue;
        }
        if (*p == '{')
            depth++;
        else if (*p == '}' && --depth == 0) {
            *b = s + 1;
            *e = p;
            return p + 1;
        }
    }
    return NULL;
}

/* Length of a differential operator at s: "d", "\mathrm{d}", "\partial"
 * (0 when none). */
static size_t differential(const char *s, const char *e)
{
    static const char *const ops[] = {"\\mathrm{d}", "\\operatorname{d}", "\\partial", "d"};
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++) {
        size_t n = strlen(ops[i]);
        if ((size_t)(e - s) >= n && strncmp(s, ops[i], n) == 0)
            return n;
    }
    return 0;
}

/* \frac{d}{dx}, \frac{dy}{dx}, \frac{d^2 y}{dx^2}, \frac{\partial f}{\partial x}: the parser
 * reads a quotient (d over d·x), not a derivative.  The evidence: a
 * numerator that is a differential alone or before one symbol, over a
 * denominator that is a differential followed by a variable (not d_{k},
 * a subscripted symbol). */
static bool derivative_notation(lint *L, const char *s)
{
    for (const char *p = strstr(s, "\\frac"); p; p = strstr(p + 5, "\\frac")) {
        const char *nb, *ne, *db, *de;
        const char *after = group(p + 5, &nb, &ne);
        if (!after || !group(after, &db, &de))
            continue;
        while (nb < ne && *nb == ' ')
            nb++;
        size_t nd = differential(nb, ne), dd = differential(db, de);
        if (!nd || !dd)
            continue;
        const char *rest = nb + nd;
        if (rest < ne && *rest == '^') { /* d^2 y, d^{2} y: the order */
            rest++;
            if (rest < ne && *rest == '{')
                while (rest < ne && *rest != '}')
                    rest++;
            if (rest < ne)
                rest++;
        }
        while (rest < ne && *rest == ' ')
            rest++;
        bool num_ok = rest == ne || isalpha((unsigned char)*rest) || *rest == '\\';
        const char *v = db + dd;
        while (v < de && *v == ' ')
            v++;
        bool den_ok = v < de && (isalpha((unsigned char)*v) || *v == '\\');
        if (num_ok && den_ok) {
            finding(L, true, "'%.*s' reads as a quotient, not a derivative: write the "
                             "derivative out (or name it, e.g. \"f'(x)\")",
                    (int)(de + 1 - p < 80 ? de + 1 - p : 80), p);
            return true;
        }
    }
    return false;
}

#define MAX_BOUND 8

/* Sum indices in scope. */
typedef struct bound_names {
    const char *name[MAX_BOUND];
    size_t n;
} bound_names;

/* Is x bound: a sum's index, or an entry of an indexed family whose
 * subscript uses a sum's index (x_{i+h-1,j+l-1} under \sum_i \sum_j)? */
static bool is_bound(const rp_latex_node *x, const bound_names *b)
{
    const char *sub = x->base ? x->name + strlen(x->base) : "";
    for (size_t i = 0; i < b->n; i++) {
        if (strcmp(b->name[i], x->name) == 0)
            return true;
        size_t n = strlen(b->name[i]);
        for (const char *p = strstr(sub, b->name[i]); p; p = strstr(p + 1, b->name[i]))
            if ((p == sub || !isalnum((unsigned char)p[-1])) && !isalnum((unsigned char)p[n]))
                return true;
    }
    return false;
}

/* Collect the free symbols of x that are not declared. */
static void free_symbols(lint *L, const rp_latex_node *x, const char **bad, size_t *n_bad,
                         size_t cap, bound_names bound)
{
    if (!x)
        return;
    if (x->kind == RP_LX_SYM) {
        /* dy, dw: "d" written against a name is a differential's or a
         * gradient's prefix, not a variable (the source has no space) */
        const char *after = L->src + x->pos + x->len;
        bool prefix = strcmp(x->name, "d") == 0 && x->pos + x->len < L->src_len &&
                      (isalpha((unsigned char)*after) || *after == '\\');
        if (x->name && !(x->flags & RP_LXF_BRACKET) && !declared(L, x->name) &&
            !is_bound(x, &bound) && !prefix) {
            bool seen = false;
            for (size_t i = 0; i < *n_bad; i++)
                seen |= strcmp(bad[i], x->name) == 0;
            if (!seen && *n_bad < cap)
                bad[(*n_bad)++] = x->name;
        }
        return; /* subscripts are part of the name */
    }
    if (x->kind == RP_LX_SUM && x->name && bound.n < MAX_BOUND) /* bound in the body */
        bound.name[bound.n++] = x->name;
    for (size_t i = 0; i < x->n_kid; i++) {
        const rp_latex_node *k = x->kid[i];

        /* y(n), p(W): a function applied, not a variable */
        if (i == 0 && x->kind == RP_LX_MUL && (x->flags & RP_LXF_APPLY) && k &&
            k->kind == RP_LX_SYM)
            continue;
        /* the left side of "g_3 = ..." names what is given */
        if (i == 0 && x->kind == RP_LX_REL && k && k->kind == RP_LX_SYM)
            continue;
        free_symbols(L, k, bad, n_bad, cap, bound);
    }
}

/* Check one LaTeX string at the current path. */
static void check_latex(lint *L, const char *s)
{
    if (!s || !*s)
        return;
    if (!braces_ok(L, s) || !environments_ok(L, s))
        return;
    if (derivative_notation(L, s))
        return; /* its d and \partial would be reported as undeclared symbols too */
    rp_latex_node *root = NULL;
    rp_latex_error err;
    memset(&err, 0, sizeof err);
    rp_status st = rp_latex_parse(L->scratch, s, strlen(s), &root, &err);
    if (st == RP_EPARSE) {
        finding(L, true, "does not parse as LaTeX at byte %zu: %s", err.pos, err.msg);
        return;
    }
    if (st != RP_OK) {
        finding(L, true, "cannot be read (%s)", rp_strerror(st));
        return;
    }
    const char *bad[8];
    size_t n_bad = 0;
    bound_names none = {{NULL}, 0};
    L->src = s;
    L->src_len = strlen(s);
    free_symbols(L, root, bad, &n_bad, 8, none);
    for (size_t i = 0; i < n_bad; i++) {
        if (L->n_declared)
            finding(L, true, "symbol %s is not a declared variable or alias of part %s "
                             "(declare it in \"vars\", or add it to a variable's \"aliases\")",
                    bad[i], L->part->id);
        else
            finding(L, false, "symbol %s is not declared: part %s declares no variables, so "
                              "it is sampled from the default domain 0.5..8",
                    bad[i], L->part->id);
    }
}

/* ---------------------------------------------------------- answers */

/* Strings of compute params that are LaTeX: members named latex, formula
 * or expr (the formulas of conv1d, receptive_field and layer_formula). */
static void check_params(lint *L, const cJSON *j)
{
    size_t i = 0;
    for (const cJSON *k = j ? j->child : NULL; k; k = k->next, i++) {
        size_t old = k->string ? key(L, k->string) : idx(L, i);
        if (cJSON_IsString(k) && k->string &&
            (strcmp(k->string, "latex") == 0 || strcmp(k->string, "formula") == 0 ||
             strcmp(k->string, "expr") == 0))
            check_latex(L, k->valuestring);
        else if (cJSON_IsObject(k) || cJSON_IsArray(k))
            check_params(L, k);
        pop(L, old);
    }
}

static void check_answer(lint *L, const rp_answer *a)
{
    if (!a)
        return;
    size_t old;
    switch (a->kind) {
    case RP_ANS_EXPR:
        old = key(L, "latex");
        check_latex(L, a->latex);
        pop(L, old);
        break;
    case RP_ANS_MATRIX:
    case RP_ANS_VECTOR:
        for (size_t i = 0; i < a->mat.rows; i++)
            for (size_t k = 0; k < a->mat.cols; k++) {
                size_t at = i * a->mat.cols + k;
                if (!isnan(a->mat.values[at]))
                    continue; /* a number */
                old = key(L, "value");
                idx(L, i);
                if (a->kind != RP_ANS_VECTOR)
                    idx(L, k);
                check_latex(L, a->mat.cells[at]);
                pop(L, old);
            }
        break;
    case RP_ANS_TUPLE:
        for (size_t i = 0; i < a->n_items; i++) {
            old = L->v.plen;
            key(L, "items");
            idx(L, i);
            key(L, "answer");
            check_answer(L, a->items[i].answer);
            pop(L, old);
        }
        break;
    case RP_ANS_TABLE:
        for (size_t i = 0; i < a->table.rows; i++)
            for (size_t k = 0; k < a->table.cols; k++) {
                size_t at = i * a->table.cols + k;
                if (!isnan(a->table.values[at]))
                    continue;
                old = L->v.plen;
                key(L, "rows");
                idx(L, i);
                key(L, "cells");
                idx(L, k);
                check_latex(L, a->table.cells[at]);
                pop(L, old);
            }
        break;
    case RP_ANS_PIECEWISE: {
        size_t mark = L->n_names;
        add_name(L, a->sample_var);
        for (size_t i = 0; i < a->n_cases; i++) {
            old = L->v.plen;
            key(L, "cases");
            idx(L, i);
            key(L, "expr");
            check_latex(L, a->cases[i].expr);
            pop(L, old);
            old = L->v.plen;
            key(L, "cases");
            idx(L, i);
            key(L, "cond");
            check_latex(L, a->cases[i].cond);
            pop(L, old);
        }
        L->n_names = mark;
        break;
    }
    case RP_ANS_TEXT:
        for (size_t i = 0; i < a->n_patterns; i++) {
            char why[200];
            if (rp_judge_pattern_ok(a->patterns[i], why, sizeof why))
                continue;
            old = L->v.plen;
            key(L, "patterns");
            idx(L, i);
            finding(L, true, "the pattern does not compile: %s", why);
            pop(L, old);
        }
        break;
    case RP_ANS_COMPUTE: {
        cJSON *params = cJSON_Parse(a->params_json ? a->params_json : "{}");
        old = key(L, "params");
        check_params(L, params);
        pop(L, old);
        cJSON_Delete(params);
        break;
    }
    }
}

static bool grid_answer(const rp_answer *a)
{
    if (!a)
        return false;
    if (a->kind == RP_ANS_COMPUTE) {
        const rp_op *op = a->op ? rp_op_find(a->op) : NULL;
        return op && op->grid;
    }
    return a->kind == RP_ANS_MATRIX || a->kind == RP_ANS_VECTOR || a->kind == RP_ANS_TABLE;
}

static void check_part(lint *L, const rp_part *p, size_t pi, size_t k)
{
    L->part = p;
    L->n_names = 0;
    for (size_t i = 0; i < p->n_vars; i++)
        add_name(L, p->vars[i].name);
    for (size_t i = 0; i < 2 * p->n_aliases; i++)
        add_name(L, p->aliases[i]);
    L->n_declared = L->n_names;
    /* a tuple's item names may appear in its items' answers */
    const rp_answer *spec = p->spec;
    for (size_t i = 0; spec && spec->kind == RP_ANS_TUPLE && i < spec->n_items; i++)
        add_name(L, spec->items[i].name);
    size_t base = L->v.plen;
    key(L, "problems");
    idx(L, pi);
    key(L, "parts");
    idx(L, k);
    if (grid_answer(spec) && p->n_targets == 0) {
        size_t old = key(L, "targets");
        finding(L, false, "part %s's answer is a %s but it names no targets: an answer is "
                          "then found only where the part is named (add e.g. \"targets\": "
                          "[\"y\"], the symbol a transcript writes it as)",
                p->id, spec->kind == RP_ANS_TABLE ? "table" : "matrix or vector");
        pop(L, old);
    }
    size_t old = key(L, "answer");
    check_answer(L, spec);
    pop(L, old);
    for (size_t v = 0; v < p->n_variants; v++) {
        const rp_answer *a = p->variants[v].answer;
        if (!a || (a->op && strcmp(a->op, "swap") == 0))
            continue;
        old = L->v.plen;
        key(L, "variants");
        idx(L, v);
        key(L, a->kind == RP_ANS_COMPUTE ? "set" : "answer");
        if (a->kind != RP_ANS_COMPUTE)
            check_answer(L, a);
        pop(L, old);
    }
    if (p->key && !p->key_file) {
        old = key(L, "key");
        check_answer(L, p->key);
        pop(L, old);
    }
    pop(L, base);
    if (p->key && p->key_file) {
        const char *label = L->v.label;
        L->v.label = p->key_file;
        old = L->v.plen;
        key(L, "keys");
        key(L, p->id);
        key(L, "answer");
        check_answer(L, p->key);
        pop(L, old);
        L->v.label = label;
    }
}

rp_status rp_rubric_lint(const rp_rubric *r, rp_diags *d, size_t *errors, size_t *warnings)
{
    lint L;
    memset(&L, 0, sizeof L);
    L.v.diags = d;
    L.v.label = r->path;
    L.v.arena = r->arena;
    memcpy(L.v.path, "$", 2);
    L.v.plen = 1;
    L.scratch = rp_arena_new((size_t)64 << 20);
    if (!L.scratch)
        return RP_ENOMEM;
    for (size_t pi = 0; pi < r->n_problems; pi++)
        for (size_t k = 0; k < r->problems[pi].n_parts; k++)
            check_part(&L, &r->problems[pi].parts[k], pi, k);
    rp_arena_free(L.scratch);
    if (errors)
        *errors = L.errors;
    if (warnings)
        *warnings = L.warnings;
    return L.errors ? RP_EINPUT : RP_OK;
}

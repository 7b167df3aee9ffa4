/*
 * redpen equiv TRUTH CLAIM [--var NAME=LO..HI[:int]]... [--alias A=B]...
 * redpen equiv --batch FILE|-
 *
 * Compares a claimed LaTeX expression with the reference (TRUTH first; the
 * diagnosis is relative to it).  Prints "equal" (and a "note:" line when
 * the comparison needed one) or "different: CATEGORY: DETAIL"; exit 0 equal,
 * 1 different, 2 unparseable or bad usage (the message shows the position).
 *
 * --batch reads TRUTH<TAB>CLAIM lines and prints one tab-separated result
 * per line: "equal[<TAB>NOTE]", "different<TAB>CATEGORY<TAB>DETAIL" or
 * "error<TAB>MESSAGE"; a summary goes to stderr (pairs, equal, different,
 * errors, seconds, pairs/s, then cpu-seconds and pairs/cpu-s).
 *
 * --var NAME=VALUE fixes a problem constant; --var NAME=matrix:RxC declares
 * a matrix symbol; --var NAME=function a function (NAME(x) applies it).  Other options: --points N, --tol X, --seed N,
 * --accept-bound, --e-var, --strict-units (a claim without the unit the
 * truth has is wrong_unit).
 */
#include "cli.h"
#include "help.h"

#include "redpen/expr.h"
#include "redpen/latex.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_VARS 64
#define MAX_ALIASES 64
#define NAME_LEN 128

typedef struct eq_args {
    rp_var_domain vars[MAX_VARS];
    char var_names[MAX_VARS][NAME_LEN];
    size_t n_vars;
    const char *aliases[2 * MAX_ALIASES];
    char alias_names[2 * MAX_ALIASES][NAME_LEN];
    size_t n_aliases;
    rp_equiv_opts opts;
} eq_args;

/* Canonical symbol name of a LaTeX spelling (p_out -> p_{out}). */
static bool canon_name(const char *s, size_t n, char *out)
{
    if (rp_latex_symbol_name(s, n, out, NAME_LEN))
        return true;
    if (n >= NAME_LEN)
        return false;
    memcpy(out, s, n);
    out[n] = 0;
    return n > 0;
}

static bool parse_double(const char *s, const char *end, double *v)
{
    char buf[64];
    size_t n = (size_t)(end - s);
    if (n == 0 || n >= sizeof buf)
        return false;
    memcpy(buf, s, n);
    buf[n] = 0;
    char *e;
    errno = 0;
    *v = strtod(buf, &e);
    return errno == 0 && *e == 0;
}

static bool parse_var(eq_args *a, const char *spec)
{
    const char *eq = strchr(spec, '=');
    if (!eq || a->n_vars >= MAX_VARS)
        return false;
    size_t k = a->n_vars;
    rp_var_domain *d = &a->vars[k];
    memset(d, 0, sizeof *d);
    if (!canon_name(spec, (size_t)(eq - spec), a->var_names[k]))
        return false;
    d->name = a->var_names[k];
    const char *v = eq + 1;
    if (strcmp(v, "function") == 0) {
        d->function = true; /* f(x) applies f */
    } else if (strncmp(v, "matrix:", 7) == 0) {
        int r, c;
        char x;
        if (sscanf(v + 7, "%d%c%d", &r, &x, &c) != 3 || (x != 'x' && x != 'X') || r <= 0 ||
            c <= 0)
            return false;
        d->rows = r;
        d->cols = c;
        d->lo = -1;
        d->hi = 1;
    } else {
        const char *colon = strchr(v, ':');
        const char *end = colon ? colon : v + strlen(v);
        if (colon && strcmp(colon, ":int") != 0)
            return false;
        d->integer = colon != NULL;
        const char *dots = strstr(v, "..");
        if (dots && dots < end) {
            if (!parse_double(v, dots, &d->lo) || !parse_double(dots + 2, end, &d->hi) ||
                d->hi < d->lo)
                return false;
        } else {
            if (!parse_double(v, end, &d->value))
                return false;
            d->has_value = true;
            d->lo = d->hi = d->value;
        }
    }
    a->n_vars++;
    return true;
}

static bool parse_alias(eq_args *a, const char *spec)
{
    const char *eq = strchr(spec, '=');
    if (!eq || a->n_aliases >= MAX_ALIASES)
        return false;
    size_t k = 2 * a->n_aliases;
    if (!canon_name(spec, (size_t)(eq - spec), a->alias_names[k]) ||
        !canon_name(eq + 1, strlen(eq + 1), a->alias_names[k + 1]))
        return false;
    a->aliases[k] = a->alias_names[k];
    a->aliases[k + 1] = a->alias_names[k + 1];
    a->n_aliases++;
    return true;
}

/* One line of the result without tabs or newlines inside fields. */
static void clean(char *s)
{
    for (; *s; s++)
        if (*s == '\t' || *s == '\n' || *s == '\r')
            *s = ' ';
}

static int run_batch(const char *path, eq_args *a)
{
    rp_buf b;
    rp_diags d;
    rp_buf_init(&b, 0);
    if (rp_diags_init(&d) != RP_OK)
        return RP_EXIT_INTERNAL;
    rp_status st = rp_file_read(path, RP_MAX_INPUT_DEFAULT, RP_MAX_LINE_DEFAULT, &b, &d);
    if (st != RP_OK) {
        rp_diags_print(&d, stderr);
        rp_diags_free(&d);
        rp_buf_free(&b);
        return rp_status_exit(st);
    }
    rp_diags_free(&d);
    size_t pairs = 0, n_eq = 0, n_diff = 0, n_err = 0;
    rp_equiv_ctx *ctx = rp_equiv_ctx_new();
    if (!ctx) {
        rp_buf_free(&b);
        fprintf(stderr, "redpen: out of memory\n");
        return RP_EXIT_INTERNAL;
    }
    struct timespec t0, t1, c0, c1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
    const char *p = b.data ? b.data : "", *end = p + b.len;
    int rc = RP_EXIT_OK;
    rp_buf lt, lc; /* the truth and claim of a line as LaTeX */
    rp_buf_init(&lt, 0);
    rp_buf_init(&lc, 0);
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        const char *line = p;
        p = nl ? nl + 1 : end;
        size_t n = (size_t)(le - line);
        if (n && line[n - 1] == '\r')
            n--;
        if (n == 0)
            continue;
        pairs++;
        const char *tab = memchr(line, '\t', n);
        if (!tab) {
            printf("error\tline %zu: no TAB between truth and claim\n", pairs);
            n_err++;
            continue;
        }
        const char *claim = tab + 1;
        size_t cn = n - (size_t)(claim - line);
        const char *tab2 = memchr(claim, '\t', cn); /* extra columns are ignored */
        if (tab2)
            cn = (size_t)(tab2 - claim);
        rp_equiv_result r;
        size_t tl, cl;
        const char *tx = rp_latex_as_latex(line, (size_t)(tab - line), &lt, &tl);
        const char *cx = rp_latex_as_latex(claim, cn, &lc, &cl);
        if (rp_equiv_ctx_run(ctx, tx, tl, cx, cl, &a->opts, &r) != RP_OK) {
            fprintf(stderr, "redpen: out of memory\n");
            rc = RP_EXIT_INTERNAL;
            break;
        }
        clean(r.detail);
        clean(r.note);
        clean(r.error);
        if (r.verdict == RP_EQUIV_EQUAL) {
            n_eq++;
            if (r.note[0])
                printf("equal\t%s\n", r.note);
            else
                printf("equal\n");
        } else if (r.verdict == RP_EQUIV_DIFFERENT) {
            n_diff++;
            printf("different\t%s\t%s\n", rp_category_id(r.category), r.detail);
        } else {
            n_err++;
            printf("error\t%s\n", r.error);
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
    double cpu = (double)(c1.tv_sec - c0.tv_sec) + (double)(c1.tv_nsec - c0.tv_nsec) * 1e-9;
    fflush(stdout);
    /* wall-clock figures first; CPU time shows the rate of one core when
     * the machine is shared */
    fprintf(stderr,
            "pairs %zu, equal %zu, different %zu, errors %zu, seconds %.3f, pairs/s %.0f, "
            "cpu-seconds %.3f, pairs/cpu-s %.0f\n",
            pairs, n_eq, n_diff, n_err, secs, secs > 0 ? (double)pairs / secs : 0.0, cpu,
            cpu > 0 ? (double)pairs / cpu : 0.0);
    rp_equiv_ctx_free(ctx);
    rp_buf_free(&lt);
    rp_buf_free(&lc);
    rp_buf_free(&b);
    return rc;
}

/* Show the expression with a caret under the error position. */
static void show_error(const char *expr, const rp_equiv_result *r)
{
    fprintf(stderr, "redpen: %s\n", r->error);
    size_t n = strlen(expr);
    if (n > 200 || r->error_pos > n)
        return;
    fprintf(stderr, "  %s\n  ", expr);
    for (size_t i = 0; i < r->error_pos; i++)
        fputc(expr[i] == '\t' ? '\t' : ' ', stderr);
    fputs("^\n", stderr);
}

int rp_cmd_equiv(int argc, char **argv)
{
    eq_args *a = calloc(1, sizeof *a);
    if (!a)
        return RP_EXIT_INTERNAL;
    const char *pos[2] = {NULL, NULL};
    size_t npos = 0;
    const char *batch = NULL;
    int rc = RP_EXIT_BADINPUT;
    bool bad = false;
    for (int i = 1; i < argc && !bad; i++) {
        const char *v;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            free(a);
            return rp_cli_help_exit("equiv");
        } else if (rp_cli_opt(argc, argv, &i, "--var", &v, &bad)) {
            if (!bad && !parse_var(a, v)) {
                rp_cli_usage_error("bad --var '%s' (NAME=LO..HI[:int], NAME=VALUE, NAME=matrix:RxC "
                                   "or NAME=function)", v);
                bad = true;
            }
        } else if (rp_cli_opt(argc, argv, &i, "--alias", &v, &bad)) {
            if (!bad && !parse_alias(a, v)) {
                rp_cli_usage_error("bad --alias '%s' (A=B)", v);
                bad = true;
            }
        } else if (rp_cli_opt(argc, argv, &i, "--batch", &v, &bad)) {
            batch = v;
        } else if (rp_cli_opt(argc, argv, &i, "--points", &v, &bad)) {
            char *e;
            unsigned long n = strtoul(v, &e, 10);
            if (*e || n == 0 || n > 4096) {
                rp_cli_usage_error("bad --points '%s' (1..4096)", v);
                bad = true;
            }
            a->opts.n_points = (unsigned)n;
        } else if (rp_cli_opt(argc, argv, &i, "--tol", &v, &bad)) {
            char *e;
            a->opts.rel_tol = strtod(v, &e);
            if (*e || !(a->opts.rel_tol > 0 && a->opts.rel_tol < 1)) {
                rp_cli_usage_error("bad --tol '%s'", v);
                bad = true;
            }
        } else if (rp_cli_opt(argc, argv, &i, "--seed", &v, &bad)) {
            a->opts.seed = strtoull(v, NULL, 10);
        } else if (strcmp(argv[i], "--accept-bound") == 0) {
            a->opts.accept_bound = true;
        } else if (strcmp(argv[i], "--e-var") == 0) {
            a->opts.e_is_variable = true;
        } else if (strcmp(argv[i], "--strict-units") == 0) {
            a->opts.strict_units = true;
        } else if (argv[i][0] == '-' && argv[i][1] == '-') {
            rp_cli_unknown_option("equiv", argv[i]);
            bad = true;
        } else if (npos < 2) {
            pos[npos++] = argv[i];
        } else {
            rp_cli_usage_error("equiv: too many arguments");
            bad = true;
        }
    }
    if (bad)
        goto out;
    a->opts.vars = a->vars;
    a->opts.n_vars = a->n_vars;
    a->opts.aliases = a->aliases;
    a->opts.n_aliases = a->n_aliases;
    if (batch) {
        if (npos) {
            rp_cli_usage_error("equiv: --batch takes no TRUTH or CLAIM arguments");
            goto out;
        }
        rc = run_batch(batch, a);
        goto out;
    }
    if (npos != 2) {
        rp_cli_usage("equiv");
        goto out;
    }
    rp_equiv_result r;
    rp_buf lt, lc;
    rp_buf_init(&lt, 0);
    rp_buf_init(&lc, 0);
    size_t tl, cl;
    const char *tx = rp_latex_as_latex(pos[0], strlen(pos[0]), &lt, &tl);
    const char *cx = rp_latex_as_latex(pos[1], strlen(pos[1]), &lc, &cl);
    rp_status est = rp_equiv(tx, tl, cx, cl, &a->opts, &r);
    /* an error position refers to the text that was parsed */
    char *side = NULL;
    if (est == RP_OK && r.verdict != RP_EQUIV_EQUAL && r.verdict != RP_EQUIV_DIFFERENT)
        side = strndup(r.error_side ? cx : tx, r.error_side ? cl : tl);
    rp_buf_free(&lt);
    rp_buf_free(&lc);
    if (est != RP_OK) {
        free(side);
        fprintf(stderr, "redpen: out of memory\n");
        rc = RP_EXIT_INTERNAL;
        goto out;
    }
    if (r.verdict == RP_EQUIV_EQUAL) {
        printf("equal\n");
        if (r.note[0])
            printf("note: %s\n", r.note);
        rc = RP_EXIT_OK;
    } else if (r.verdict == RP_EQUIV_DIFFERENT) {
        printf("different: %s: %s\n", rp_category_id(r.category), r.detail);
        if (r.note[0])
            printf("note: %s\n", r.note);
        rc = RP_EXIT_FAILURES;
    } else {
        show_error(side ? side : r.error_side ? pos[1] : pos[0], &r);
        rc = RP_EXIT_BADINPUT;
    }
    free(side);
out:
    free(a);
    return rc;
}

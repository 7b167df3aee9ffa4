/*
 * Solving a rubric: every compute answer (of a part, of a tuple item, of
 * a variant) is handed to its operation, which has the engine compute it,
 * and replaced by the answer it computes; "swap" variants exchange two
 * tuple items of the truth.
 * Also the helpers operations share: failure reports, bound evaluation,
 * fitting into an expr answer, fit ranges, and expression comparison.
 */
#include "rubric_int.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const rp_op *const ops[] = {
    &rp_op_conv1d,       &rp_op_conv2d,   &rp_op_pool_backward,
    &rp_op_cnn_table,    &rp_op_shift_lookup, &rp_op_receptive_field,
    &rp_op_matmul_cost,  &rp_op_linear_scaling, &rp_op_conv_grad_moments,
    &rp_op_layer_formula,
};

const rp_op *rp_op_find(const char *name)
{
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (strcmp(ops[i]->name, name) == 0)
            return ops[i];
    return NULL;
}

const char *rp_op_names(rp_arena *a)
{
    const char *list = "";
    for (size_t i = 0; list && i < sizeof ops / sizeof ops[0]; i++)
        list = rp_arena_printf(a, "%s%s%s", list, i ? ", " : "", ops[i]->name);
    return list ? list : "(out of memory)";
}

rp_status rp_solve_fail(rp_solve_ctx *s, rp_status st, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    rp_diag_add(s->diags, s->rubric->path, 0, 0, "%s: %s", s->where, msg);
    return st == RP_OK ? RP_EEVAL : st;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static bool out_of_time(const rp_solve_budget *b)
{
    return b && now() > b->deadline;
}

static rp_status time_spent(rp_solve_ctx *s)
{
    s->budget->spent = true;
    return rp_solve_fail(s, RP_ELIMIT, "solving stopped: the rubric's time budget of %g s is "
                                       "spent (REDPEN_SOLVE_SECONDS raises it)",
                         s->budget->seconds);
}

rp_status rp_solve_charge(rp_solve_ctx *s, double work, const char *what)
{
    rp_solve_budget *b = s->budget;
    if (!b)
        return RP_OK;
    if (out_of_time(b))
        return time_spent(s);
    if (b->work + work > b->max_work) {
        b->spent = true;
        return rp_solve_fail(s, RP_ELIMIT, "%s needs %.3g multiply-adds; with the parts "
                                           "before it that is over the rubric's solving "
                                           "budget of %.3g (REDPEN_SOLVE_WORK raises it)",
                             what, work, b->max_work);
    }
    b->work += work;
    return RP_OK;
}

/* A fit's point function under the solve's deadline. */
typedef struct timed_fit {
    rp_fit_point_fn f;
    void *ctx;
    const rp_solve_budget *budget;
} timed_fit;

static double timed_point(void *vctx, size_t point, const double *vals, rp_status *st)
{
    const timed_fit *t = vctx;
    if (out_of_time(t->budget)) {
        *st = RP_ELIMIT;
        return NAN;
    }
    return t->f(t->ctx, point, vals, st);
}

bool rp_bound_eval(const char *b, const cJSON *let, long *out)
{
    char *end;
    long v = strtol(b, &end, 10);
    if (end != b && *end == '\0') {
        *out = v;
        return true;
    }
    /* SYMBOL [(+|-) INT] */
    char sym[64];
    size_t n = 0;
    const char *p = b;
    while (*p && *p != '+' && *p != '-' && n + 1 < sizeof sym)
        sym[n++] = *p++;
    sym[n] = '\0';
    const cJSON *val = let ? cJSON_GetObjectItemCaseSensitive(let, sym) : NULL;
    if (!cJSON_IsNumber(val) || val->valuedouble != floor(val->valuedouble) ||
        fabs(val->valuedouble) > 1e9)
        return false;
    long off = 0;
    if (*p) {
        off = strtol(p, &end, 10);
        if (*end || end == p)
            return false;
    }
    *out = (long)val->valuedouble + off;
    return true;
}

void rp_fit_range(const rp_solve_ctx *s, const cJSON *params, const char *name,
                  double lo, double hi, bool use_domain, rp_fit_var *v)
{
    v->name = name;
    v->lo = lo;
    v->hi = hi;
    v->integer = false;
    const cJSON *ranges = params ? cJSON_GetObjectItemCaseSensitive(params, "ranges") : NULL;
    const cJSON *r = ranges ? cJSON_GetObjectItemCaseSensitive(ranges, name) : NULL;
    if (cJSON_IsArray(r) && cJSON_GetArraySize(r) == 2) {
        v->lo = cJSON_GetArrayItem(r, 0)->valuedouble;
        v->hi = cJSON_GetArrayItem(r, 1)->valuedouble;
    }
    for (size_t i = 0; s->part && i < s->part->n_vars; i++)
        if (strcmp(s->part->vars[i].name, name) == 0) {
            v->integer = s->part->vars[i].integer;
            if (!r && use_domain && s->part->vars[i].lo > 0 &&
                s->part->vars[i].hi > s->part->vars[i].lo) {
                v->lo = s->part->vars[i].lo;
                v->hi = s->part->vars[i].hi;
            }
        }
}

rp_status rp_fit_to_answer(rp_solve_ctx *s, const rp_fit_var *vars,
                           size_t n_vars, rp_fit_point_fn f, void *ctx,
                           const rp_fit_opts *o, rp_answer *out)
{
    rp_monomial m;
    timed_fit t = {f, ctx, s->budget};
    rp_status st = rp_fit_monomial_points(vars, n_vars, timed_point, &t, o, &m);
    if (st != RP_OK && out_of_time(s->budget))
        return time_spent(s);
    if (st != RP_OK)
        return rp_solve_fail(s, st, "monomial fit failed (%s; worst misfit %.3g)",
                             rp_strerror(st), m.max_rel_err);
    char buf[1024];
    if (rp_monomial_latex(&m, buf, sizeof buf) != RP_OK)
        return rp_solve_fail(s, RP_ELIMIT, "monomial too long to print");
    out->kind = RP_ANS_EXPR;
    out->latex = rp_arena_strdup(s->rubric->arena, buf);
    out->derivation = rp_arena_printf(
        s->rubric->arena, "monomial fit over %zu sizes (worst misfit %.2g)",
        m.n_points, m.max_rel_err);
    return out->latex ? RP_OK : RP_ENOMEM;
}

/* Text with white space, "\,", "\cdot", "\left", "\right" and braces
 * around single characters removed, for a cheap equality test. */
static void normalize(const char *s, char *out, size_t cap)
{
    static const char *const drop[] = {"\\left", "\\right", "\\cdot", "\\,",
                                       "\\;", "\\!", "\\ ", "\\times", NULL};
    size_t n = 0;
    while (*s && n + 1 < cap) {
        bool dropped = false;
        for (size_t i = 0; drop[i]; i++) {
            size_t l = strlen(drop[i]);
            if (strncmp(s, drop[i], l) == 0 && !isalpha((unsigned char)s[l])) {
                s += l;
                dropped = true;
                break;
            }
        }
        if (dropped)
            continue;
        if (isspace((unsigned char)*s) || *s == '*') {
            s++;
            continue;
        }
        out[n++] = *s++;
    }
    out[n] = '\0';
}

rp_key_verdict rp_expr_compare(rp_arena *a, const rp_part *p, const char *x,
                               const char *y, const char **detail)
{
    *detail = NULL;
    if (!x || !y) {
        *detail = "missing expression";
        return RP_KEY_UNCHECKED;
    }
    char nx[2048], ny[2048];
    normalize(x, nx, sizeof nx);
    normalize(y, ny, sizeof ny);
    if (strcmp(nx, ny) == 0)
        return RP_KEY_AGREE;
    rp_equiv_opts o = rp_part_equiv_opts(p);
    o.accept_bound = false;
    rp_equiv_result res;
    if (rp_equiv(x, strlen(x), y, strlen(y), &o, &res) != RP_OK) {
        *detail = "out of memory";
        return RP_KEY_UNCHECKED;
    }
    if (res.verdict == RP_EQUIV_EQUAL)
        return RP_KEY_AGREE;
    if (res.verdict == RP_EQUIV_DIFFERENT) {
        *detail = rp_arena_printf(a, "%s%s%s", rp_category_id(res.category),
                                  res.detail[0] ? ": " : "", res.detail);
        return RP_KEY_DISAGREE;
    }
    *detail = rp_arena_printf(a, "cannot compare: %s", res.error);
    return RP_KEY_UNCHECKED;
}

/* ----------------------------------------------------------- solving */

static const char *tuple_latex(rp_arena *a, const rp_answer *t)
{
    rp_buf b;
    rp_buf_init(&b, (size_t)1 << 22);
    size_t shown = 0;
    for (size_t i = 0; i < t->n_items; i++) {
        const rp_answer *x = t->items[i].answer;
        if (!x || !x->latex)
            continue;
        rp_buf_printf(&b, "%s%s = %s", shown++ ? ",\\quad " : "",
                      t->items[i].name, x->latex);
    }
    const char *out = b.data ? rp_arena_strndup(a, b.data, b.len) : NULL;
    rp_buf_free(&b);
    return out;
}

static rp_status solve_answer(rp_solve_ctx *s, const rp_answer *in,
                              rp_answer **out);

static rp_status solve_compute(rp_solve_ctx *s, const rp_answer *in,
                               rp_answer **out)
{
    const rp_op *op = rp_op_find(in->op);
    if (!op)
        return rp_solve_fail(s, RP_EINTERNAL, "unknown operation %s", in->op);
    cJSON *params = cJSON_Parse(in->params_json);
    if (!params)
        return rp_solve_fail(s, RP_ENOMEM, "cannot read parameters");
    rp_answer *a = rp_arena_alloc(s->rubric->arena, sizeof *a);
    rp_status st = a ? op->solve(s, params, a) : RP_ENOMEM;
    cJSON_Delete(params);
    if (st != RP_OK)
        return st;
    if (a->kind == RP_ANS_TUPLE) {
        /* an operation may return tuples whose items are computed too */
        for (size_t i = 0; i < a->n_items; i++)
            if (a->items[i].answer && a->items[i].answer->kind == RP_ANS_COMPUTE) {
                rp_answer *x;
                st = solve_answer(s, a->items[i].answer, &x);
                if (st != RP_OK)
                    return st;
                a->items[i].answer = x;
            }
        a->latex = tuple_latex(s->rubric->arena, a);
    }
    *out = a;
    return RP_OK;
}

static rp_status solve_answer(rp_solve_ctx *s, const rp_answer *in,
                              rp_answer **out)
{
    if (in->kind == RP_ANS_COMPUTE)
        return solve_compute(s, in, out);
    if (in->kind != RP_ANS_TUPLE) {
        *out = (rp_answer *)in;
        return RP_OK;
    }
    rp_answer *a = rp_arena_alloc(s->rubric->arena, sizeof *a);
    rp_tuple_item *items =
        rp_arena_alloc(s->rubric->arena, (in->n_items + 1) * sizeof *items);
    if (!a || !items)
        return RP_ENOMEM;
    *a = *in;
    a->items = items;
    for (size_t i = 0; i < in->n_items; i++) {
        items[i] = in->items[i];
        if (in->items[i].answer) {
            rp_status st = solve_answer(s, in->items[i].answer, &items[i].answer);
            if (st != RP_OK)
                return st;
        }
    }
    a->latex = tuple_latex(s->rubric->arena, a);
    *out = a;
    return RP_OK;
}

/* The truth with two tuple items exchanged (a "swap" variant). */
static rp_status solve_swap(rp_solve_ctx *s, const rp_answer *truth,
                            const rp_answer *marker, rp_answer **out)
{
    cJSON *names = cJSON_Parse(marker->params_json);
    const cJSON *n0 = cJSON_GetArrayItem(names, 0), *n1 = cJSON_GetArrayItem(names, 1);
    if (truth->kind != RP_ANS_TUPLE || !cJSON_IsString(n0) || !cJSON_IsString(n1)) {
        cJSON_Delete(names);
        return rp_solve_fail(s, RP_EINPUT, "swap needs a tuple truth");
    }
    rp_answer *a = rp_arena_alloc(s->rubric->arena, sizeof *a);
    rp_tuple_item *items =
        rp_arena_alloc(s->rubric->arena, (truth->n_items + 1) * sizeof *items);
    if (!a || !items) {
        cJSON_Delete(names);
        return RP_ENOMEM;
    }
    *a = *truth;
    a->items = items;
    memcpy(items, truth->items, truth->n_items * sizeof *items);
    long i0 = -1, i1 = -1;
    for (size_t i = 0; i < truth->n_items; i++) {
        if (strcmp(items[i].name, n0->valuestring) == 0)
            i0 = (long)i;
        if (strcmp(items[i].name, n1->valuestring) == 0)
            i1 = (long)i;
    }
    cJSON_Delete(names);
    if (i0 < 0 || i1 < 0)
        return rp_solve_fail(s, RP_EINPUT, "swap names an item the truth lacks");
    rp_answer *t = items[i0].answer;
    items[i0].answer = items[i1].answer;
    items[i1].answer = t;
    a->latex = tuple_latex(s->rubric->arena, a);
    a->derivation = NULL;
    *out = a;
    return RP_OK;
}

rp_status rp_rubric_solve(rp_rubric *r, rp_diags *d)
{
    return rp_rubric_solve_opts(r, NULL, d);
}

rp_status rp_rubric_solve_opts(rp_rubric *r, const rp_solve_opts *o,
                               rp_diags *d)
{
    if (r->solved)
        return RP_OK;
    const char *cache_dir = o ? o->cache_dir : NULL;
    bool hit = rp_rubric_cache_get(r, cache_dir, d) == RP_CACHE_HIT;
    unsigned jobs = o ? o->jobs : 1;
    rp_solve_budget budget = {0, o && o->max_seconds > 0 ? o->max_seconds : RP_SOLVE_SECONDS,
                              0, o && o->max_work > 0 ? o->max_work : RP_SOLVE_WORK, false};
    const char *env = getenv("REDPEN_SOLVE_SECONDS");
    if (!(o && o->max_seconds > 0) && env && strtod(env, NULL) > 0)
        budget.seconds = strtod(env, NULL);
    env = getenv("REDPEN_SOLVE_WORK");
    if (!(o && o->max_work > 0) && env && strtod(env, NULL) > 0)
        budget.max_work = strtod(env, NULL);
    budget.deadline = now() + budget.seconds;
    rp_status first = RP_OK;
    rp_solve_cache *cache = rp_arena_alloc(r->arena, sizeof *cache);
    /* once the budget is spent (one message said so) nothing more is solved */
    for (size_t i = 0; i < r->n_parts && !budget.spent; i++) {
        rp_part *p = &r->parts[i];
        rp_solve_ctx s = {r, p, d, rp_arena_printf(r->arena, "part %s", p->id),
                          cache, jobs, &budget};
        rp_status st = p->truth             ? RP_OK /* from the cache */
                       : out_of_time(&budget) ? time_spent(&s)
                       : p->spec              ? solve_answer(&s, p->spec, &p->truth)
                                              : RP_EINPUT;
        if (st != RP_OK) {
            if (first == RP_OK)
                first = st;
            p->truth = NULL;
            continue;
        }
        for (size_t v = 0; v < p->n_variants; v++) {
            rp_variant *var = &p->variants[v];
            s.where = rp_arena_printf(r->arena, "part %s variant %zu (%s)", p->id,
                                      v + 1, var->category ? var->category : "?");
            rp_answer *res = NULL;
            if (budget.spent || out_of_time(&budget)) {
                if (!budget.spent)
                    time_spent(&s);
                first = RP_ELIMIT;
                break;
            }
            if (var->answer && var->answer->op &&
                strcmp(var->answer->op, "swap") == 0 &&
                var->answer->kind == RP_ANS_TUPLE)
                st = solve_swap(&s, p->truth, var->answer, &res);
            else if (var->answer)
                st = solve_answer(&s, var->answer, &res);
            else
                st = RP_EINPUT;
            if (st != RP_OK) {
                if (first == RP_OK)
                    first = st;
                continue;
            }
            var->answer = res;
        }
    }
    r->solved = first == RP_OK;
    if (!hit)
        rp_rubric_cache_put(r, cache_dir, d);
    return first;
}

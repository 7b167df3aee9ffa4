/*
 * Loading a rubric: read the file under the size cap, parse it with
 * cJSON, walk problems and parts while validating every field (errors name
 * the JSON path), merge the official key file, and build the in-memory
 * rubric in one arena.  Also the small accessors the grader uses.
 */
#include "rubric_int.h"

#include "redpen/judge.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Part ids: digits, a lower-case letter, optionally "." and a roman
 * numeral: 12 followed by c, or with sub-parts "12c.i", "12c.ii". */
static bool id_ok(const char *id, int *problem)
{
    const char *p = id;
    int num = 0, nd = 0;
    while (isdigit((unsigned char)*p) && nd < 4) {
        num = num * 10 + (*p++ - '0');
        nd++;
    }
    if (nd == 0 || !islower((unsigned char)*p))
        return false;
    p++;
    if (*p == '.') {
        p++;
        if (!*p)
            return false;
        while (*p == 'i' || *p == 'v' || *p == 'x')
            p++;
    }
    *problem = num;
    return *p == '\0';
}

static void read_vars(rp_vctx *c, const cJSON *obj, rp_var_domain **vars,
                      size_t *n_vars, const char ***aliases, size_t *n_aliases)
{
    const cJSON *arr = rp_varr(c, obj, "vars", false, RP_RUBRIC_MAX_LIST);
    if (!arr)
        return;
    size_t n = (size_t)cJSON_GetArraySize(arr);
    size_t base = *n_vars;
    rp_var_domain *nv = rp_arena_alloc(c->arena, (base + n + 1) * sizeof *nv);
    if (!nv)
        return;
    if (base)
        memcpy(nv, *vars, base * sizeof *nv);
    size_t old = rp_vpush_key(c, "vars");
    size_t i = 0;
    for (const cJSON *v = arr->child; v; v = v->next, i++) {
        size_t o2 = rp_vpush_index(c, i);
        static const char *const keys[] = {"name", "min", "max", "integer",
                                           "value", "shape", "aliases", "function", NULL};
        if (!cJSON_IsObject(v)) {
            rp_verr(c, "expected a variable object");
            rp_vpop(c, o2);
            continue;
        }
        rp_vkeys(c, v, keys);
        rp_var_domain d = {0};
        d.name = rp_vstr(c, v, "name", true);
        d.lo = rp_vnum(c, v, "min", false, 0.5);
        d.hi = rp_vnum(c, v, "max", false, 8);
        d.integer = rp_vbool(c, v, "integer", false);
        d.function = rp_vbool(c, v, "function", false); /* f(x) applies it */
        if (d.lo > d.hi)
            rp_verr(c, "min %g is above max %g", d.lo, d.hi);
        if (cJSON_GetObjectItemCaseSensitive(v, "value")) {
            d.has_value = true;
            d.value = rp_vnum(c, v, "value", true, 0);
        }
        const cJSON *shape = rp_varr(c, v, "shape", false, 2);
        if (shape) {
            const cJSON *r = cJSON_GetArrayItem(shape, 0);
            const cJSON *cc = cJSON_GetArrayItem(shape, 1);
            if (!cJSON_IsNumber(r) || !cJSON_IsNumber(cc) || r->valueint < 1 ||
                cc->valueint < 1 || r->valueint > RP_RUBRIC_MAX_DIM ||
                cc->valueint > RP_RUBRIC_MAX_DIM) {
                size_t o3 = rp_vpush_key(c, "shape");
                rp_verr(c, "expected [rows, cols] with 1..%d each", RP_RUBRIC_MAX_DIM);
                rp_vpop(c, o3);
            } else {
                d.rows = r->valueint;
                d.cols = cc->valueint;
            }
        }
        size_t na = 0;
        const char **al = rp_vstrlist(c, v, "aliases", &na);
        if (d.name) {
            size_t slot = base + (i < n ? i : n);
            for (size_t k = 0; k < base; k++)
                if (strcmp(nv[k].name, d.name) == 0)
                    slot = k; /* the part overrides the problem's domain */
            nv[slot] = d;
            if (slot >= *n_vars)
                *n_vars = slot + 1;
            if (na) {
                const char **pa = rp_arena_alloc(
                    c->arena, (2 * (*n_aliases + na) + 1) * sizeof *pa);
                if (pa) {
                    if (*n_aliases)
                        memcpy(pa, *aliases, 2 * *n_aliases * sizeof *pa);
                    for (size_t k = 0; k < na; k++) {
                        pa[2 * (*n_aliases + k)] = d.name;
                        pa[2 * (*n_aliases + k) + 1] = al[k];
                    }
                    *aliases = pa;
                    *n_aliases += na;
                }
            }
        }
        rp_vpop(c, o2);
    }
    /* compact: slots of unnamed (erroneous) vars stay zero */
    size_t w = 0;
    for (size_t k = 0; k < *n_vars; k++)
        if (nv[k].name)
            nv[w++] = nv[k];
    *n_vars = w;
    *vars = nv;
    rp_vpop(c, old);
}

/* "tolerance": {"relative": R, "absolute": A} at obj (absent: *rel and
 * *abs stay as they are): how far a claimed value may be from the truth.
 * relative in (0, 0.5], absolute >= 0. */
static void read_tolerance(rp_vctx *c, const cJSON *obj, double *rel, double *abs_)
{
    const cJSON *t = rp_vobj(c, obj, "tolerance", false);
    if (!t)
        return;
    size_t old = rp_vpush_key(c, "tolerance");
    static const char *const keys[] = {"relative", "absolute", NULL};
    rp_vkeys(c, t, keys);
    if (!t->child)
        rp_verr(c, "expected \"relative\" or \"absolute\" (or both)");
    if (cJSON_GetObjectItemCaseSensitive(t, "relative")) {
        double r = rp_vnum(c, t, "relative", true, 0);
        size_t o2 = rp_vpush_key(c, "relative");
        if (!(r > 0 && r <= 0.5))
            rp_verr(c, "%g is out of range (0, 0.5]", r);
        else
            *rel = r;
        rp_vpop(c, o2);
    }
    if (cJSON_GetObjectItemCaseSensitive(t, "absolute")) {
        double a = rp_vnum(c, t, "absolute", true, 0);
        size_t o2 = rp_vpush_key(c, "absolute");
        if (!(a >= 0))
            rp_verr(c, "%g is negative", a);
        else
            *abs_ = a;
        rp_vpop(c, o2);
    }
    rp_vpop(c, old);
}

static void read_variants(rp_vctx *c, const cJSON *obj, rp_part *p)
{
    const cJSON *arr = rp_varr(c, obj, "variants", false, RP_RUBRIC_MAX_LIST);
    if (!arr)
        return;
    size_t n = (size_t)cJSON_GetArraySize(arr);
    p->variants = rp_arena_alloc(c->arena, (n + 1) * sizeof *p->variants);
    if (!p->variants)
        return;
    size_t old = rp_vpush_key(c, "variants");
    size_t i = 0;
    for (const cJSON *v = arr->child; v; v = v->next, i++) {
        size_t o2 = rp_vpush_index(c, i);
        static const char *const keys[] = {"set", "answer", "swap", "category",
                                           "detail", NULL};
        if (!cJSON_IsObject(v)) {
            rp_verr(c, "expected a variant object");
            rp_vpop(c, o2);
            continue;
        }
        rp_vkeys(c, v, keys);
        rp_variant *var = &p->variants[p->n_variants++];
        var->category = rp_vstr(c, v, "category", true);
        var->detail = rp_vstr(c, v, "detail", false);
        const cJSON *set = rp_vobj(c, v, "set", false);
        const cJSON *ans = rp_vobj(c, v, "answer", false);
        const cJSON *swap = rp_varr(c, v, "swap", false, 2);
        int forms = (set != NULL) + (ans != NULL) + (swap != NULL);
        if (forms != 1)
            rp_verr(c, "a variant needs exactly one of \"set\", \"answer\", \"swap\"");
        var->answer = rp_arena_alloc(c->arena, sizeof *var->answer);
        if (!var->answer) {
            rp_vpop(c, o2);
            continue;
        }
        if (ans) {
            size_t o3 = rp_vpush_key(c, "answer");
            rp_answer *a = rp_answer_read(c, ans, false, true);
            if (a)
                var->answer = a;
            rp_vpop(c, o3);
        } else if (set && p->spec) {
            /* the spec's compute params with these replaced: checked now */
            size_t o3 = rp_vpush_key(c, "set");
            if (p->spec->kind != RP_ANS_COMPUTE) {
                rp_verr(c, "\"set\" needs a part whose answer is kind compute");
            } else {
                cJSON *params = cJSON_Parse(p->spec->params_json);
                for (const cJSON *k = set->child; params && k; k = k->next) {
                    cJSON *dup = cJSON_Duplicate(k, true);
                    if (dup && cJSON_GetObjectItemCaseSensitive(params, k->string))
                        cJSON_ReplaceItemInObjectCaseSensitive(params, k->string, dup);
                    else if (dup)
                        cJSON_AddItemToObject(params, k->string, dup);
                }
                const rp_op *op = p->spec->op ? rp_op_find(p->spec->op) : NULL;
                if (op && params)
                    op->validate(c, params);
                char *txt = params ? cJSON_PrintUnformatted(params) : NULL;
                var->answer->kind = RP_ANS_COMPUTE;
                var->answer->op = p->spec->op;
                var->answer->params_json = txt ? rp_arena_strdup(c->arena, txt) : "{}";
                free(txt);
                cJSON_Delete(params);
            }
            rp_vpop(c, o3);
        } else if (swap) {
            size_t o3 = rp_vpush_key(c, "swap");
            const cJSON *s0 = cJSON_GetArrayItem(swap, 0), *s1 = cJSON_GetArrayItem(swap, 1);
            if (!cJSON_IsString(s0) || !cJSON_IsString(s1))
                rp_verr(c, "expected two tuple item names");
            else if (!p->spec || (p->spec->kind != RP_ANS_TUPLE &&
                                  p->spec->kind != RP_ANS_COMPUTE))
                rp_verr(c, "\"swap\" needs a tuple answer");
            else {
                /* kept as a marker; solved by exchanging the two items */
                var->answer->kind = RP_ANS_TUPLE;
                var->answer->op = "swap";
                var->answer->params_json = rp_arena_printf(
                    c->arena, "[\"%s\",\"%s\"]", s0->valuestring, s1->valuestring);
            }
            rp_vpop(c, o3);
        }
        rp_vpop(c, o2);
    }
    rp_vpop(c, old);
}

static void read_part(rp_vctx *c, const cJSON *j, rp_problem *pr, rp_part *p,
                      rp_var_domain *pvars, size_t n_pvars,
                      const char **paliases, size_t n_paliases)
{
    static const char *const keys[] = {
        "id", "title", "targets", "answer", "key", "key_source", "key_note",
        "variants", "vars", "accept_bound", "points", "tolerance", "strict_units",
        NULL};
    p->prob = pr;
    p->problem = pr->number;
    p->id = "?";
    p->title = "";
    if (!cJSON_IsObject(j)) {
        rp_verr(c, "expected a part object");
        return;
    }
    rp_vkeys(c, j, keys);
    p->id = rp_vstr(c, j, "id", true);
    if (p->id) {
        int num = -1;
        size_t old = rp_vpush_key(c, "id");
        if (!id_ok(p->id, &num))
            rp_verr(c, "\"%s\" is not a part id (digits, a letter, optional "
                       "\".\" and roman numeral, such as \"12c\" or \"12c.ii\")",
                    p->id);
        else if (num != pr->number)
            rp_verr(c, "part \"%s\" is not in problem %d", p->id, pr->number);
        rp_vpop(c, old);
    } else {
        p->id = "?";
    }
    p->title = rp_vstr(c, j, "title", true);
    if (!p->title)
        p->title = "";
    p->targets = rp_vstrlist(c, j, "targets", &p->n_targets);
    p->points = rp_vstrlist(c, j, "points", &p->n_points);
    p->accept_bound = rp_vbool(c, j, "accept_bound", false);
    read_tolerance(c, j, &p->rel_tol, &p->abs_tol); /* over the rubric's, set by the caller */
    p->strict_units = rp_vbool(c, j, "strict_units", false);
    p->key_source = rp_vstr(c, j, "key_source", false);
    p->key_note = rp_vstr(c, j, "key_note", false);
    p->vars = pvars;
    p->n_vars = n_pvars;
    p->aliases = paliases;
    p->n_aliases = n_paliases;
    read_vars(c, j, &p->vars, &p->n_vars, &p->aliases, &p->n_aliases);
    const cJSON *ans = rp_vobj(c, j, "answer", true);
    if (ans) {
        size_t old = rp_vpush_key(c, "answer");
        p->spec = rp_answer_read(c, ans, true, true);
        rp_vpop(c, old);
    }
    const cJSON *key = rp_vobj(c, j, "key", false);
    if (key) {
        size_t old = rp_vpush_key(c, "key");
        p->key = rp_answer_read(c, key, false, true);
        rp_vpop(c, old);
    }
    read_variants(c, j, p);
}

/* Merge keys from the key file: {"rubric": id, "keys": {PART_ID: {...}}}. */
static void merge_keys(rp_vctx *c, rp_rubric *r, const char *key_path)
{
    rp_buf b;
    rp_buf_init(&b, RP_RUBRIC_MAX_BYTES);
    rp_diags local;
    if (rp_diags_init(&local) != RP_OK) {
        rp_buf_free(&b);
        return;
    }
    /* a FIFO or a device would block the read or never end: the key file a
     * rubric names must be a regular file */
    struct stat sb;
    if (stat(key_path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        rp_verr(c, "key_file: %s is not a regular file (a FIFO, device or directory is "
                   "refused)", key_path);
        rp_diags_free(&local);
        rp_buf_free(&b);
        return;
    }
    if (rp_file_read(key_path, RP_RUBRIC_MAX_BYTES, RP_MAX_LINE_DEFAULT, &b,
                     &local) != RP_OK) {
        for (rp_diag *dg = local.head; dg; dg = dg->next)
            rp_verr(c, "key_file: %s", dg->msg);
        if (!local.head)
            rp_verr(c, "key_file: cannot read %s", key_path);
        rp_diags_free(&local);
        rp_buf_free(&b);
        return;
    }
    rp_diags_free(&local);
    /* the key file's bytes are part of the rubric's content: their digest
     * waits in cache_key until rp_rubric_parse() makes the key */
    rp_sha256_hex(b.data ? b.data : "", b.len, r->cache_key);
    cJSON *root = cJSON_ParseWithLength(b.data, b.len);
    rp_buf_free(&b);
    rp_vctx kc = *c;
    kc.label = rp_arena_strdup(c->arena, key_path);
    kc.errors = 0;
    rp_vpop(&kc, 0);
    memcpy(kc.path, "$", 2);
    kc.plen = 1;
    if (!root) {
        rp_verr(&kc, "not valid JSON");
        c->errors++;
        return;
    }
    static const char *const keys[] = {"rubric", "source", "keys", NULL};
    rp_vkeys(&kc, root, keys);
    const char *rid = rp_vstr(&kc, root, "rubric", true);
    if (rid && r->id && strcmp(rid, r->id) != 0) {
        size_t o = rp_vpush_key(&kc, "rubric");
        rp_verr(&kc, "key file is for rubric \"%s\", not \"%s\"", rid, r->id);
        rp_vpop(&kc, o);
    }
    const cJSON *ks = rp_vobj(&kc, root, "keys", true);
    size_t old = rp_vpush_key(&kc, "keys");
    for (const cJSON *k = ks ? ks->child : NULL; k; k = k->next) {
        size_t o2 = rp_vpush_key(&kc, k->string);
        rp_part *p = NULL;
        for (size_t i = 0; i < r->n_parts; i++)
            if (strcmp(r->parts[i].id, k->string) == 0)
                p = &r->parts[i];
        static const char *const kkeys[] = {"answer", "source", "note", NULL};
        rp_vkeys(&kc, k, kkeys);
        if (!p) {
            rp_verr(&kc, "no part \"%s\" in the rubric", k->string);
        } else if (p->key) {
            rp_verr(&kc, "part \"%s\" already has a key in the rubric", k->string);
        } else {
            const cJSON *ans = rp_vobj(&kc, k, "answer", true);
            if (ans) {
                size_t o3 = rp_vpush_key(&kc, "answer");
                p->key = rp_answer_read(&kc, ans, false, true);
                p->key_file = kc.label;
                rp_vpop(&kc, o3);
            }
            const char *src = rp_vstr(&kc, k, "source", false);
            const char *note = rp_vstr(&kc, k, "note", false);
            if (src)
                p->key_source = src;
            if (note)
                p->key_note = note;
        }
        rp_vpop(&kc, o2);
    }
    rp_vpop(&kc, old);
    c->errors += kc.errors;
    cJSON_Delete(root);
}

static int json_depth(const cJSON *j, int depth)
{
    int best = depth;
    for (const cJSON *k = j ? j->child : NULL; k; k = k->next) {
        if (depth + 1 > RP_RUBRIC_MAX_DEPTH)
            return depth + 1;
        int d = json_depth(k, depth + 1);
        if (d > best)
            best = d;
    }
    return best;
}

static void build(rp_vctx *c, const cJSON *root, rp_rubric *r,
                  const char *base_dir)
{
    static const char *const keys[] = {"id", "title", "description",
                                       "key_file", "tolerance", "problems", NULL};
    if (!cJSON_IsObject(root)) {
        rp_verr(c, "expected a rubric object");
        return;
    }
    rp_vkeys(c, root, keys);
    r->id = rp_vstr(c, root, "id", true);
    r->title = rp_vstr(c, root, "title", false);
    const char *key_file = rp_vstr(c, root, "key_file", false);
    double rel_tol = 0, abs_tol = 0;
    read_tolerance(c, root, &rel_tol, &abs_tol);
    const cJSON *probs = rp_varr(c, root, "problems", true, RP_RUBRIC_MAX_PROBLEMS);
    if (!probs)
        return;
    size_t np = (size_t)cJSON_GetArraySize(probs), total = 0;
    if (np == 0) {
        size_t o = rp_vpush_key(c, "problems");
        rp_verr(c, "a rubric needs at least one problem");
        rp_vpop(c, o);
    }
    for (const cJSON *p = probs->child; p; p = p->next) {
        const cJSON *parts = cJSON_GetObjectItemCaseSensitive(p, "parts");
        if (cJSON_IsArray(parts))
            total += (size_t)cJSON_GetArraySize(parts);
    }
    if (total > RP_RUBRIC_MAX_PARTS) {
        rp_verr(c, "%zu parts exceed the limit of %d", total, RP_RUBRIC_MAX_PARTS);
        return;
    }
    r->problems = rp_arena_alloc(c->arena, (np + 1) * sizeof *r->problems);
    r->parts = rp_arena_alloc(c->arena, (total + 1) * sizeof *r->parts);
    if (!r->problems || !r->parts)
        return;
    size_t old = rp_vpush_key(c, "problems");
    size_t i = 0;
    for (const cJSON *pj = probs->child; pj; pj = pj->next, i++) {
        size_t o2 = rp_vpush_index(c, i);
        static const char *const pkeys[] = {"number", "title", "cues", "vars",
                                            "parts", NULL};
        if (!cJSON_IsObject(pj)) {
            rp_verr(c, "expected a problem object");
            rp_vpop(c, o2);
            continue;
        }
        rp_vkeys(c, pj, pkeys);
        rp_problem *pr = &r->problems[r->n_problems++];
        pr->number = (int)rp_vint(c, pj, "number", true, 1, 9999, 0);
        for (size_t k = 0; k + 1 < r->n_problems; k++)
            if (pr->number && r->problems[k].number == pr->number) {
                size_t o3 = rp_vpush_key(c, "number");
                rp_verr(c, "problem %d appears twice", pr->number);
                rp_vpop(c, o3);
            }
        pr->title = rp_vstr(c, pj, "title", true);
        if (!pr->title)
            pr->title = "";
        pr->cues = rp_vstrlist(c, pj, "cues", &pr->n_cues);
        rp_var_domain *pv = NULL;
        size_t npv = 0, npa = 0;
        const char **pa = NULL;
        read_vars(c, pj, &pv, &npv, &pa, &npa);
        const cJSON *parts = rp_varr(c, pj, "parts", true, RP_RUBRIC_MAX_LIST);
        pr->parts = &r->parts[r->n_parts];
        size_t o3 = rp_vpush_key(c, "parts");
        size_t k = 0;
        for (const cJSON *q = parts ? parts->child : NULL; q; q = q->next, k++) {
            size_t o4 = rp_vpush_index(c, k);
            rp_part *p = &r->parts[r->n_parts];
            p->rel_tol = rel_tol;
            p->abs_tol = abs_tol;
            read_part(c, q, pr, p, pv, npv, pa, npa);
            for (size_t m = 0; m < r->n_parts; m++)
                if (r->parts[m].id && p->id && strcmp(r->parts[m].id, p->id) == 0 &&
                    strcmp(p->id, "?") != 0) {
                    size_t o5 = rp_vpush_key(c, "id");
                    rp_verr(c, "part \"%s\" appears twice", p->id);
                    rp_vpop(c, o5);
                }
            r->n_parts++;
            pr->n_parts++;
            rp_vpop(c, o4);
        }
        if (parts && k == 0)
            rp_verr(c, "a problem needs at least one part");
        rp_vpop(c, o3);
        rp_vpop(c, o2);
    }
    rp_vpop(c, old);
    if (key_file) {
        size_t o = rp_vpush_key(c, "key_file");
        if (!base_dir)
            rp_verr(c, "key_file needs a rubric read from a file");
        else if (key_file[0] == '/')
            merge_keys(c, r, key_file);
        else
            merge_keys(c, r, rp_arena_printf(c->arena, "%s/%s", base_dir, key_file));
        rp_vpop(c, o);
    }
}

rp_status rp_rubric_parse(const char *label, const char *data, size_t n,
                          const char *base_dir, rp_rubric **out, rp_diags *d)
{
    *out = NULL;
    if (n > RP_RUBRIC_MAX_BYTES) {
        rp_diag_add(d, label, 0, 0, "rubric of %zu bytes exceeds the limit of %zu",
                    n, RP_RUBRIC_MAX_BYTES);
        return RP_ELIMIT;
    }
    cJSON *root = cJSON_ParseWithLength(data, n);
    if (!root) {
        const char *e = cJSON_GetErrorPtr();
        unsigned line = 0, col = 0;
        if (e && e >= data && e <= data + n)
            rp_line_col(data, n, (size_t)(e - data), &line, &col);
        rp_diag_add(d, label, line, col, "not valid JSON");
        return RP_EINPUT;
    }
    rp_arena *a = rp_arena_new((size_t)256 << 20);
    rp_rubric *r = a ? rp_arena_alloc(a, sizeof *r) : NULL;
    if (!r) {
        rp_arena_free(a);
        cJSON_Delete(root);
        return RP_ENOMEM;
    }
    r->arena = a;
    r->path = rp_arena_strdup(a, label ? label : "-");
    rp_vctx c = {0};
    c.arena = a;
    c.diags = d;
    c.label = r->path;
    memcpy(c.path, "$", 2);
    c.plen = 1;
    if (json_depth(root, 0) > RP_RUBRIC_MAX_DEPTH)
        rp_verr(&c, "JSON nested deeper than %d levels", RP_RUBRIC_MAX_DEPTH);
    else
        build(&c, root, r, base_dir);
    cJSON_Delete(root);
    char key_digest[65];
    snprintf(key_digest, sizeof key_digest, "%s", r->cache_key);
    rp_rubric_cache_key(data, n, key_digest[0] ? key_digest : NULL, strlen(key_digest),
                        r->cache_key);
    if (c.errors) {
        if (c.errors > 200)
            rp_diag_add(d, label, 0, 0, "%zu more errors not shown", c.errors - 200);
        rp_rubric_free(r);
        return RP_EINPUT;
    }
    *out = r;
    return RP_OK;
}

rp_status rp_rubric_load(const char *path, rp_rubric **out, rp_diags *d)
{
    *out = NULL;
    rp_buf b;
    rp_buf_init(&b, RP_RUBRIC_MAX_BYTES + 1);
    rp_status st = rp_file_read(path, RP_RUBRIC_MAX_BYTES, RP_MAX_LINE_DEFAULT,
                                &b, d);
    if (st != RP_OK) {
        rp_buf_free(&b);
        return st;
    }
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(dir, sizeof dir, ".");
    st = rp_rubric_parse(path, b.data ? b.data : "", b.len,
                         strcmp(path, "-") ? dir : ".", out, d);
    rp_buf_free(&b);
    return st;
}

void rp_rubric_free(rp_rubric *r)
{
    if (r)
        rp_arena_free(r->arena);
}

const rp_part *rp_rubric_part(const rp_rubric *r, const char *id)
{
    for (size_t i = 0; r && i < r->n_parts; i++)
        if (strcmp(r->parts[i].id, id) == 0)
            return &r->parts[i];
    return NULL;
}

rp_equiv_opts rp_part_equiv_opts(const rp_part *p)
{
    rp_equiv_opts o;
    memset(&o, 0, sizeof o);
    o.vars = p->vars;
    o.n_vars = p->n_vars;
    o.aliases = p->aliases;
    o.n_aliases = p->n_aliases;
    o.accept_bound = p->accept_bound;
    o.rel_tol = p->rel_tol;
    o.abs_tol = p->abs_tol;
    o.strict_units = p->strict_units;
    return o;
}

void rp_rubric_require_units(rp_rubric *r)
{
    for (size_t i = 0; r && i < r->n_parts; i++)
        r->parts[i].strict_units = true;
}

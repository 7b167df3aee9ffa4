/*
 * Unit tests of the rubric module: the hw4 rubric solves to the
 * hand-checked answers of the issue (convolutions, the CNN table, shift
 * lookup, fitted scaling laws), the key disagrees only on 2e, and broken
 * rubrics are refused with the JSON path of every error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "redpen/rubric.h"
#include "rubric_int.h" /* rp_num_latex */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static rp_rubric *hw4;

static int load_hw4(void **state)
{
    (void)state;
    rp_diags d;
    rp_diags_init(&d);
    rp_status st = rp_rubric_load(RP_SOURCE_ROOT "/rubrics/hw4.json", &hw4, &d);
    if (st == RP_OK)
        st = rp_rubric_solve(hw4, &d);
    rp_diags_print(&d, stderr);
    rp_diags_free(&d);
    return st == RP_OK ? 0 : -1;
}

static int free_hw4(void **state)
{
    (void)state;
    rp_rubric_free(hw4);
    return 0;
}

static const rp_part *part(const char *id)
{
    const rp_part *p = rp_rubric_part(hw4, id);
    assert_non_null(p);
    assert_non_null(p->truth);
    return p;
}

static void assert_values(const rp_answer *a, size_t rows, size_t cols,
                          const double *want)
{
    assert_int_equal(a->mat.rows, rows);
    assert_int_equal(a->mat.cols, cols);
    assert_true(a->mat.numeric);
    for (size_t i = 0; i < rows * cols; i++)
        assert_float_equal(a->mat.values[i], want[i], 1e-12);
}

static const rp_variant *variant(const rp_part *p, const char *category)
{
    for (size_t i = 0; i < p->n_variants; i++)
        if (strcmp(p->variants[i].category, category) == 0)
            return &p->variants[i];
    fail_msg("no variant %s in %s", category, p->id);
    return NULL;
}

static const rp_answer *item(const rp_answer *t, const char *name)
{
    assert_int_equal(t->kind, RP_ANS_TUPLE);
    for (size_t i = 0; i < t->n_items; i++)
        if (strcmp(t->items[i].name, name) == 0)
            return t->items[i].answer;
    fail_msg("no item %s", name);
    return NULL;
}

static void test_hw4_shape(void **state)
{
    (void)state;
    assert_string_equal(hw4->id, "hw4");
    assert_int_equal(hw4->n_problems, 5);
    assert_int_equal(hw4->n_parts, 24);
    const char *ids[] = {"1a", "1b", "2a", "2b", "2c", "2d", "2e", "2f", "2g",
                         "3a", "3b", "3c", "3d.i", "3d.ii", "4a", "4b", "4c",
                         "4d", "4e", "4f", "7a", "7b", "7c", "7d"};
    for (size_t i = 0; i < 24; i++) {
        assert_string_equal(hw4->parts[i].id, ids[i]);
        assert_true(hw4->parts[i].truth->kind != RP_ANS_COMPUTE);
    }
    /* cues identify the problems */
    bool found = false;
    for (size_t i = 0; i < hw4->problems[0].n_cues; i++)
        found |= strcmp(hw4->problems[0].cues[i], "Newton-Schulz") == 0;
    assert_true(found);
    assert_int_equal(part("3d.ii")->problem, 3);
    assert_int_equal(part("3d.ii")->prob->number, 3);
}

static void test_hw4_convolutions(void **state)
{
    (void)state;
    double m40[9], p40[9];
    for (int i = 0; i < 9; i++) {
        m40[i] = -40;
        p40[i] = 40;
    }
    const rp_part *c = part("3c");
    assert_int_equal(c->truth->kind, RP_ANS_MATRIX);
    assert_values(c->truth, 3, 3, m40);
    assert_values(variant(c, "unflipped_kernel")->answer, 3, 3, p40);
    assert_non_null(strstr(c->truth->latex, "\\begin{bmatrix}"));
    assert_values(part("3d.i")->truth, 5, 5,
                  (double[]){-19, -28, -32, -36, -29, -30, -40, -40, -40, -30,
                             -30, -40, -40, -40, -30, -30, -40, -40, -40, -30,
                             49,  68,  72,  76,  59});
    assert_values(part("3d.ii")->truth, 3, 3,
                  (double[]){-19, -32, -29, -30, -40, -30, 49, 72, 59});
    /* 3a: samples n = -6..12 at L = 7, general formula checked at other L */
    const rp_answer *a = part("3a")->truth;
    assert_int_equal(a->kind, RP_ANS_PIECEWISE);
    assert_int_equal(a->sample_from, -6);
    assert_int_equal(a->n_samples, 19);
    assert_float_equal(a->samples[6], 1.0, 1e-15);
    assert_float_equal(a->samples[6 + 7], 127.0 / 128, 1e-15);
    assert_int_equal(a->n_cases, 3);
    assert_string_equal(a->cases[2].from, "L");
    assert_true(a->check == RP_CHECK_PASSED || a->check == RP_CHECK_UNAVAILABLE);
    /* typed layer formulas of 4a, 4b, 4c agree with the engine */
    const rp_answer *f4a = part("4a")->truth;
    assert_int_equal(f4a->kind, RP_ANS_TUPLE);
    assert_int_equal(f4a->n_items, 2);
    assert_int_not_equal(f4a->items[0].answer->check, RP_CHECK_FAILED);
    assert_int_not_equal(f4a->items[1].answer->check, RP_CHECK_FAILED);
    assert_int_equal(part("4b")->truth->kind, RP_ANS_EXPR);
    assert_int_not_equal(part("4b")->truth->check, RP_CHECK_FAILED);
    assert_int_not_equal(part("4c")->truth->check, RP_CHECK_FAILED);
}

static void test_hw4_cnn(void **state)
{
    (void)state;
    const rp_answer *t = part("4e")->truth;
    assert_int_equal(t->kind, RP_ANS_TABLE);
    assert_int_equal(t->table.rows, 7);
    assert_int_equal(t->table.cols, 2);
    double params[7] = {0, 100, 0, 910, 0, 0, 1473};
    for (int i = 0; i < 7; i++)
        assert_float_equal(t->table.values[2 * i], params[i], 0);
    assert_string_equal(t->table.cells[2 * 4 + 1], "7\\times 7\\times 10");
    assert_string_equal(t->table.cells[2 * 5 + 1], "490");
    assert_true(t->table.given[2 * 3]);   /* CONV3-10 parameters are given */
    assert_false(t->table.given[2 * 1]);  /* the first conv's are not */
    const rp_answer *nb = variant(part("4e"), "missing_bias")->answer;
    assert_float_equal(nb->table.values[2 * 6], 1470, 0);

    const rp_part *f = part("4f");
    double g2[3] = {0, 0.8, 0}, g1[3] = {0.8, 0, 0};
    assert_values(item(f->truth, "g_3"), 3, 1, g2);
    assert_values(item(f->truth, "g_4"), 3, 1, g1);
    const rp_answer *sw = variant(f, "swapped")->answer;
    assert_values(item(sw, "g_3"), 3, 1, g1);
    assert_values(item(sw, "g_4"), 3, 1, g2);
}

static void test_hw4_scaling(void **state)
{
    (void)state;
    assert_string_equal(part("1a")->truth->latex, "2c\\,d_{out}^{2}\\,d_{in}");
    assert_string_equal(part("1b")->truth->latex, "2c\\,d_{out}\\,d_{in}^{2}");
    assert_string_equal(variant(part("1a"), "missing_factor")->answer->latex,
                        "2d_{out}^{2}\\,d_{in}");
    assert_string_equal(part("2b")->truth->latex, "\\frac{1}{\\sqrt{d_{in}}}");
    assert_string_equal(part("2c")->truth->latex, "\\sqrt{d_{out}}");
    assert_string_equal(part("2d")->truth->latex, "\\frac{1}{\\sqrt{d_{in}}}");
    assert_string_equal(part("2e")->truth->latex, "\\sqrt{d_{out}}");
    assert_string_equal(item(part("2g")->truth, "multiplier")->latex,
                        "\\frac{1}{\\sqrt{d_{out}}}");
    assert_non_null(strstr(item(part("2g")->truth, "behavior")->points[0], "explode"));
    const rp_answer *b = part("7b")->truth;
    assert_string_equal(item(b, "mean")->latex, "0");
    assert_string_equal(item(b, "variance")->latex,
                        "(n-k+1)^{2}\\,\\sigma_x^{2}\\,\\sigma_g^{2}");
    assert_string_equal(item(b, "growth")->latex, "n");
    assert_true(item(b, "growth")->up_to_constant);
    const rp_answer *c = part("7c")->truth;
    assert_string_equal(item(c, "max")->mat.cells[0], "dy_{1,1}");
    assert_string_equal(item(c, "max")->mat.cells[1], "0");
    assert_string_equal(item(c, "avg")->mat.cells[3], "\\frac{1}{4}dy_{1,1}");
}

static void test_hw4_key_and_opts(void **state)
{
    (void)state;
    const rp_part *e = part("2e");
    assert_non_null(e->key);
    assert_string_equal(e->key->latex, "\\sqrt{d_{out}\\,d_{in}}");
    assert_non_null(e->key_note);
    rp_equiv_opts o = rp_part_equiv_opts(e);
    assert_true(o.n_vars >= 2);
    assert_string_equal(o.vars[0].name, "d_{out}");
    assert_true(o.vars[0].integer);
    bool alias = false;
    for (size_t i = 0; i < o.n_aliases; i++)
        alias |= strcmp(o.aliases[2 * i], "d_{out}") == 0 &&
                 strcmp(o.aliases[2 * i + 1], "n_{out}") == 0;
    assert_true(alias);
    assert_true(part("2c")->accept_bound);
    assert_false(part("2d")->accept_bound);
    const rp_var_domain *L = NULL;
    for (size_t i = 0; i < part("3a")->n_vars; i++)
        if (strcmp(part("3a")->vars[i].name, "L") == 0)
            L = &part("3a")->vars[i];
    assert_non_null(L);
    assert_true(L->has_value);
    assert_float_equal(L->value, 7, 0);

    rp_key_check *checks;
    size_t n;
    assert_int_equal(rp_rubric_check_key(hw4, &checks, &n), RP_OK);
    assert_true(n >= 10);
    size_t disagree = 0;
    for (size_t i = 0; i < n; i++) {
        if (checks[i].verdict != RP_KEY_DISAGREE)
            continue;
        disagree++;
        assert_string_equal(checks[i].part->id, "2e");
    }
    /* 2e disagrees whenever rp_equiv can compare; nothing else ever does */
    assert_true(disagree <= 1);
    char *json = rp_rubric_solution_json(hw4);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"unflipped_kernel\""));
    free(json);
}

/* ------------------------------------------------------ invalid rubrics */

static rp_status parse(const char *text, rp_diags *d, rp_rubric **r)
{
    rp_diags_init(d);
    return rp_rubric_parse("t.json", text, strlen(text), NULL, r, d);
}

static bool has_diag(const rp_diags *d, const char *path, const char *msg)
{
    for (const rp_diag *g = d->head; g; g = g->next)
        if ((!path || (g->path && strcmp(g->path, path) == 0)) &&
            strstr(g->msg, msg))
            return true;
    for (const rp_diag *g = d->head; g; g = g->next)
        fprintf(stderr, "  have: %s: %s\n", g->path ? g->path : "-", g->msg);
    return false;
}

#define PART(answer) \
    "{\"id\":\"t\",\"problems\":[{\"number\":1,\"title\":\"P\",\"parts\":[" \
    "{\"id\":\"1a\",\"title\":\"A\",\"answer\":" answer "}]}]}"

static void test_type_errors_name_paths(void **state)
{
    (void)state;
    rp_diags d;
    rp_rubric *r = (rp_rubric *)1;
    assert_int_equal(parse(PART("{\"kind\":\"expr\",\"latex\":3}"), &d, &r), RP_EINPUT);
    assert_null(r);
    assert_true(has_diag(&d, "$.problems[0].parts[0].answer.latex",
                         "expected a string, got a number"));
    rp_diags_free(&d);

    parse(PART("{\"kind\":\"matrx\"}"), &d, &r);
    assert_true(has_diag(&d, "$.problems[0].parts[0].answer.kind", "expected one of expr"));
    rp_diags_free(&d);

    parse(PART("{\"kind\":\"compute\",\"op\":\"conv2d\",\"params\":"
               "{\"x\":[[1,2],[3]],\"h\":[[1]],\"pad\":-1,\"colour\":1}}"),
          &d, &r);
    assert_true(has_diag(&d, "$.problems[0].parts[0].answer.params.x[1]", "row has 1"));
    assert_true(has_diag(&d, "$.problems[0].parts[0].answer.params.pad", "out of range"));
    assert_true(has_diag(&d, "$.problems[0].parts[0].answer.params.colour", "unknown key"));
    rp_diags_free(&d);

    parse(PART("{\"kind\":\"compute\",\"op\":\"nope\"}"), &d, &r);
    assert_true(has_diag(&d, "$.problems[0].parts[0].answer.op", "expected one of conv1d"));
    rp_diags_free(&d);

    parse(PART("{\"kind\":\"tuple\",\"items\":[{\"name\":\"a\",\"answer\":"
               "{\"kind\":\"tuple\",\"items\":[]}}]}"),
          &d, &r);
    assert_true(has_diag(&d, "$.problems[0].parts[0].answer.items[0].answer.kind",
                         "tuple cannot contain"));
    rp_diags_free(&d);

    parse(PART("{\"kind\":\"text\"}"), &d, &r);
    assert_true(has_diag(&d, "$.problems[0].parts[0].answer", "points"));
    rp_diags_free(&d);

    parse(PART("{\"kind\":\"piecewise\",\"cases\":[{\"expr\":\"0\",\"to\":\"L-\"}]}"), &d, &r);
    assert_true(has_diag(&d, "$.problems[0].parts[0].answer.cases[0].to", "symbol"));
    rp_diags_free(&d);
}

static void test_structure_errors(void **state)
{
    (void)state;
    rp_diags d;
    rp_rubric *r;
    parse("{\"id\":\"t\",\"problems\":[{\"number\":1,\"title\":\"P\",\"parts\":["
          "{\"id\":\"2a\",\"title\":\"A\",\"answer\":{\"kind\":\"expr\",\"latex\":\"1\"}},"
          "{\"id\":\"1a\",\"title\":\"A\",\"answer\":{\"kind\":\"expr\",\"latex\":\"1\"}},"
          "{\"id\":\"1a\",\"title\":\"A\",\"answer\":{\"kind\":\"expr\",\"latex\":\"1\"}},"
          "{\"id\":\"1 b\",\"answer\":{\"kind\":\"expr\",\"latex\":\"1\"},"
          "\"variants\":[{\"set\":{\"a\":1},\"category\":\"x\"}]}]}]}",
          &d, &r);
    assert_null(r);
    assert_true(has_diag(&d, "$.problems[0].parts[0].id", "not in problem 1"));
    assert_true(has_diag(&d, "$.problems[0].parts[2].id", "appears twice"));
    assert_true(has_diag(&d, "$.problems[0].parts[3].id", "not a part id"));
    assert_true(has_diag(&d, "$.problems[0].parts[3].title", "missing"));
    assert_true(has_diag(&d, "$.problems[0].parts[3].variants[0].set", "kind compute"));
    rp_diags_free(&d);

    /* a part that is not an object, next to a valid one (found by fuzzing) */
    parse("{\"id\":\"t\",\"problems\":[{\"number\":1,\"title\":\"P\",\"parts\":[10,"
          "{\"id\":\"1a\",\"title\":\"A\",\"answer\":{\"kind\":\"expr\",\"latex\":\"1\"}}]}]}",
          &d, &r);
    assert_null(r);
    assert_true(has_diag(&d, "$.problems[0].parts[0]", "expected a part object"));
    rp_diags_free(&d);

    /* not JSON: line and column */
    assert_int_equal(parse("{\n  \"id\": \"t\",\n  oops\n}", &d, &r), RP_EINPUT);
    assert_non_null(d.head);
    assert_int_equal(d.head->line, 3);
    rp_diags_free(&d);

    /* nesting beyond the cap */
    char deep[200];
    memset(deep, '[', 60);
    memset(deep + 60, ']', 60);
    deep[120] = '\0';
    assert_int_equal(parse(deep, &d, &r), RP_EINPUT);
    assert_true(has_diag(&d, "$", "nested deeper"));
    rp_diags_free(&d);

    /* a key file needs a rubric read from a file */
    parse("{\"id\":\"t\",\"key_file\":\"k.json\",\"problems\":[]}", &d, &r);
    assert_true(has_diag(&d, "$.key_file", "needs a rubric read from a file"));
    rp_diags_free(&d);
}

static void test_formula_check_and_solve_errors(void **state)
{
    (void)state;
    /* a wrong general formula: the engine's check reports it (when the
     * comparison is available) */
    const char *wrong = PART(
        "{\"kind\":\"compute\",\"op\":\"conv1d\",\"params\":{"
        "\"x\":{\"rect\":{\"length\":\"L\"}},\"h\":{\"geometric\":{\"ratio\":0.5}},"
        "\"range\":[0,10],\"let\":{\"L\":3},\"check_at\":{\"L\":[2,5]},"
        "\"formula\":{\"kind\":\"piecewise\",\"cases\":["
        "{\"expr\":\"0\",\"to\":-1},{\"expr\":\"2-2^{-n}\",\"from\":0,\"to\":\"L-1\"},"
        "{\"expr\":\"\\\\frac{2^{L}-1}{2^{n-L+1}}\",\"from\":\"L\"}]}}}");
    rp_diags d;
    rp_rubric *r;
    assert_int_equal(parse(wrong, &d, &r), RP_OK);
    assert_int_equal(rp_rubric_solve(r, &d), RP_OK);
    const rp_answer *a = r->parts[0].truth;
    assert_int_equal(a->n_samples, 11);
    assert_float_equal(a->samples[3], 7.0 / 8, 1e-15); /* (2^3-1)/2^3 */
    assert_true(a->check == RP_CHECK_FAILED || a->check == RP_CHECK_UNAVAILABLE);
    if (a->check == RP_CHECK_FAILED)
        assert_non_null(strstr(a->check_detail, "disagrees"));
    rp_rubric_free(r);
    rp_diags_free(&d);

    /* layer formulas are checked against the engine's layer table, in the
     * rubric's own symbols */
    const char *layer = PART(
        "{\"kind\":\"compute\",\"op\":\"layer_formula\",\"params\":{\"layer\":\"conv\","
        "\"symbols\":{\"width\":\"w\",\"height\":\"h\",\"channels\":\"c_{in}\","
        "\"kernel\":\"r\",\"padding\":\"p\",\"stride\":\"s\",\"filters\":\"c_{out}\"},"
        "\"items\":[{\"name\":\"p\",\"latex\":\"c_{out}r^{2}c_{in}\",\"quantity\":\"weights\"},"
        "{\"name\":\"q\",\"latex\":\"c_{out}r^{2}c_{in}\",\"quantity\":\"params\"}],"
        "\"check\":[{\"w\":8,\"h\":8,\"c_{in}\":2,\"r\":3,\"p\":1,\"s\":1,\"c_{out}\":4}]}}");
    assert_int_equal(parse(layer, &d, &r), RP_OK);
    assert_int_equal(rp_rubric_solve(r, &d), RP_OK);
    a = r->parts[0].truth;
    assert_int_equal(a->kind, RP_ANS_TUPLE);
    assert_int_equal(a->n_items, 2);
    if (a->items[0].answer->check != RP_CHECK_UNAVAILABLE) {
        assert_int_equal(a->items[0].answer->check, RP_CHECK_PASSED);
        assert_int_equal(a->items[1].answer->check, RP_CHECK_FAILED); /* biases left out */
        assert_non_null(strstr(a->items[1].answer->check_detail,
                               "(76) at w=8 h=8 c_{in}=2 r=3 p=1 s=1 c_{out}=4"));
    }
    rp_rubric_free(r);
    rp_diags_free(&d);

    /* without symbols, or with check points in other symbols: refused */
    const char *nosym = PART(
        "{\"kind\":\"compute\",\"op\":\"layer_formula\",\"params\":{\"layer\":\"pool\","
        "\"items\":[{\"name\":\"p\",\"latex\":\"C\",\"quantity\":\"shape\"}],"
        "\"check\":[{\"W\":8}]}}");
    parse(nosym, &d, &r);
    assert_null(r);
    assert_true(has_diag(&d, "$.problems[0].parts[0].answer.params.symbols",
                         "missing (required for the formulas' symbols"));
    assert_true(has_diag(&d, "$.problems[0].parts[0].answer.params.check[0].W",
                         "unknown key"));
    rp_diags_free(&d);
    const char *pool = PART(
        "{\"kind\":\"compute\",\"op\":\"layer_formula\",\"params\":{\"layer\":\"pool\","
        "\"symbols\":{\"width\":\"a\",\"height\":\"b\",\"channels\":\"d\","
        "\"kernel\":\"r\",\"stride\":\"s\"},"
        "\"items\":[{\"name\":\"p\",\"latex\":\"\\\\left(\\\\left\\\\lfloor\\\\frac{a-r}{s}"
        "\\\\right\\\\rfloor+1\\\\right)^{2}d\",\"quantity\":\"shape\"}],"
        "\"check\":[{\"a\":9,\"b\":9,\"d\":3,\"r\":3,\"s\":2},{\"a\":6}]}}");
    parse(pool, &d, &r);
    assert_null(r); /* the second point lacks b, d, r and s */
    assert_true(has_diag(&d, "$.problems[0].parts[0].answer.params.check[1].b",
                         "missing (required)"));
    assert_false(has_diag(&d, "$.problems[0].parts[0].answer.params.symbols.padding",
                          "missing"));
    rp_diags_free(&d);

    /* a query image that is no shift of a known one: solving fails */
    const char *noshift = PART(
        "{\"kind\":\"compute\",\"op\":\"shift_lookup\",\"params\":{"
        "\"known\":[{\"image\":[[1,0],[0,0]],\"output\":[1]}],"
        "\"queries\":[{\"name\":\"g\",\"image\":[[1,1],[0,0]]}]}}");
    assert_int_equal(parse(noshift, &d, &r), RP_OK);
    assert_int_equal(rp_rubric_solve(r, &d), RP_EEVAL);
    assert_true(has_diag(&d, NULL, "not a circular shift"));
    assert_null(r->parts[0].truth);
    rp_rubric_free(r);
    rp_diags_free(&d);
}

/* The tuple item name: an operation's answer inside a test rubric. */
#define ITEM(name, op, params) \
    "{\"name\":\"" name "\",\"answer\":{\"kind\":\"compute\",\"op\":\"" op \
    "\",\"params\":" params "}}"

static const rp_answer *solved_item(const rp_rubric *r, const char *name)
{
    const rp_answer *t = r->parts[0].truth;
    assert_non_null(t);
    for (size_t i = 0; i < t->n_items; i++)
        if (strcmp(t->items[i].name, name) == 0)
            return t->items[i].answer;
    fail_msg("no item %s", name);
    return NULL;
}

/* The scaling operations with symbols, bounds, kernel sizes, deviations
 * and probe points of their own (not hw4's). */
static void test_scaling_ops_params(void **state)
{
    (void)state;
#define LIN "\"symbols\":{\"out\":\"m\",\"in\":\"p\"},\"ranges\":{\"m\":[8,48],\"p\":[8,48]}"
#define CG "\"distribution\":\"gauss\",\"samples\":8000,\"symbols\":{\"m\":\"M\"," \
           "\"k\":\"K\",\"sigma_x\":\"s\",\"sigma_g\":\"t\",\"n\":\"N\"}"
    const char *text = PART(
        "{\"kind\":\"tuple\",\"items\":["
        ITEM("c", "linear_scaling", "{\"quantity\":\"xavier_c\"," LIN "}") ","
        ITEM("smax", "linear_scaling", "{\"quantity\":\"max_spectral_norm\","
             "\"constraint\":{\"norm\":\"rms\",\"factor\":2}," LIN "}") ","
        ITEM("muon", "linear_scaling", "{\"quantity\":\"muon_lr\","
             "\"constraint\":{\"norm\":\"spectral\",\"factor\":1,\"out\":0.5}," LIN "}") ","
        ITEM("sign", "linear_scaling", "{\"quantity\":\"signsgd_lr\","
             "\"constraint\":{\"norm\":\"spectral\",\"factor\":3,\"in\":1}," LIN "}") ","
        ITEM("back", "linear_scaling", "{\"quantity\":\"backprop_multiplier\"," LIN "}") ","
        ITEM("trend", "linear_scaling", "{\"quantity\":\"backprop_behavior\"," LIN ","
             "\"behavior_words\":{\"grow\":{\"word\":\"get larger\",\"pattern\":\"larg\"},"
             "\"shrink\":{\"word\":\"get smaller\",\"pattern\":\"small\"},"
             "\"steady\":{\"word\":\"keep their size\",\"pattern\":\"same\"}}}") ","
        ITEM("mean", "conv_grad_moments", "{\"quantity\":\"mean\"," CG ","
             "\"probe_points\":[{\"m\":5,\"k\":5,\"sigma_x\":3,\"sigma_g\":0.25},"
             "{\"m\":1,\"k\":2,\"sigma_x\":1,\"sigma_g\":1}]}") ","
        ITEM("var", "conv_grad_moments", "{\"quantity\":\"variance\"," CG "}") ","
        ITEM("growth", "conv_grad_moments", "{\"quantity\":\"std_growth\"," CG ","
             "\"growth\":{\"k\":2,\"sigma_x\":2,\"sigma_g\":0.5,\"m\":[3,24]}}")
        "]}");
    rp_diags d;
    rp_rubric *r;
    assert_int_equal(parse(text, &d, &r), RP_OK);
    assert_int_equal(rp_rubric_solve(r, &d), RP_OK);
    assert_string_equal(solved_item(r, "c")->latex, "\\frac{1}{\\sqrt{p}}");
    /* ||c dW x||_rms <= 2: twice hw4's bound */
    assert_string_equal(solved_item(r, "smax")->latex, "2\\,\\sqrt{m}");
    assert_non_null(strstr(solved_item(r, "smax")->derivation, "<= 2 for"));
    /* ||c dW||_2 <= sqrt(m): sqrt(m) / c over ||U V^T|| = 1 */
    const rp_answer *muon = solved_item(r, "muon");
    assert_string_equal(muon->latex, "\\sqrt{m\\,p}");
    assert_non_null(strstr(muon->derivation, "constraint read as ||c dW||_2 <= m^{0.5}"));
    /* ||c dW||_2 <= 3p: 3 p sqrt(p) / ||sign(G)|| = 3 p sqrt(p) / sqrt(m p) */
    const rp_answer *sign = solved_item(r, "sign");
    assert_string_equal(sign->latex, "\\frac{3p}{\\sqrt{m}}");
    assert_non_null(strstr(sign->derivation, "<= 3 p^{1}"));
    assert_string_equal(solved_item(r, "back")->latex, "\\frac{1}{\\sqrt{m}}");
    /* the gain sqrt(m) grows with size: the rubric's words for growth */
    const rp_answer *trend = solved_item(r, "trend");
    assert_int_equal(trend->kind, RP_ANS_TEXT);
    assert_non_null(strstr(trend->points[0], "gradients get larger: each layer "
                                             "multiplies their norm by \\sqrt{m}"));
    assert_string_equal(trend->patterns[0], "larg");
    assert_string_equal(solved_item(r, "mean")->latex, "0");
    assert_non_null(strstr(solved_item(r, "mean")->derivation, "Gaussian"));
    /* Var(dw) = m^2 sigma_x^2 sigma_g^2, free of the kernel size */
    assert_string_equal(solved_item(r, "var")->latex, "M^{2}\\,s^{2}\\,t^{2}");
    const rp_answer *g = solved_item(r, "growth");
    assert_string_equal(g->latex, "N");
    assert_true(g->up_to_constant);
    assert_non_null(strstr(g->derivation, "grows as M^(1/1)"));
    rp_rubric_free(r);
    rp_diags_free(&d);
#undef LIN
#undef CG
}

/* Parse a one-part rubric whose answer is op with params; it must be
 * refused with every (suffix, message) of want (NULL-terminated pairs) at
 * the params' path + suffix. */
static void assert_param_errors(const char *op, const char *params,
                                const char *const *want)
{
    char text[2048], path[200];
    snprintf(text, sizeof text, PART("{\"kind\":\"compute\",\"op\":\"%s\",\"params\":%s}"),
             op, params);
    rp_diags d;
    rp_rubric *r;
    assert_int_equal(parse(text, &d, &r), RP_EINPUT);
    assert_null(r);
    for (size_t i = 0; want[i]; i += 2) {
        snprintf(path, sizeof path, "$.problems[0].parts[0].answer.params%s", want[i]);
        assert_true(has_diag(&d, path, want[i + 1]));
    }
    rp_diags_free(&d);
}

/* Every homework value the scaling operations need is a param: a missing
 * one is an error at its JSON path saying what it is for. */
static void test_scaling_ops_missing_params(void **state)
{
    (void)state;
    assert_param_errors("linear_scaling",
                        "{\"quantity\":\"signsgd_lr\",\"symbols\":{\"out\":\"m\"}}",
                        (const char *const[]){
                            ".symbols.in", "missing (required for the symbols",
                            ".constraint", "missing (required for quantity signsgd_lr",
                            NULL});
    assert_param_errors("linear_scaling",
                        "{\"quantity\":\"backprop_behavior\","
                        "\"symbols\":{\"out\":\"m\",\"in\":\"p\"}}",
                        (const char *const[]){
                            ".behavior_words",
                            "missing (required for quantity backprop_behavior", NULL});
    assert_param_errors("linear_scaling",
                        "{\"quantity\":\"backprop_behavior\","
                        "\"symbols\":{\"out\":\"m\",\"in\":\"p\"},"
                        "\"behavior_words\":{\"grow\":{\"word\":\"w\"},\"shrink\":{}}}",
                        (const char *const[]){
                            ".behavior_words.grow.pattern", "missing (required)",
                            ".behavior_words.steady", "missing (required)", NULL});
    assert_param_errors("linear_scaling",
                        "{\"quantity\":\"muon_lr\",\"symbols\":{\"out\":\"m\",\"in\":\"p\"},"
                        "\"constraint\":{\"factor\":-1}}",
                        (const char *const[]){
                            ".constraint.norm", "missing (required for the norm",
                            ".constraint.factor", "expected a positive number", NULL});
    assert_param_errors("conv_grad_moments", "{\"quantity\":\"mean\"}",
                        (const char *const[]){
                            ".distribution", "missing (required",
                            ".probe_points", "missing (required for quantity mean",
                            NULL});
    assert_param_errors("conv_grad_moments",
                        "{\"quantity\":\"std_growth\",\"distribution\":\"gauss\","
                        "\"symbols\":{\"m\":\"M\"},\"probe_points\":[{\"m\":2,\"k\":0,"
                        "\"sigma_x\":1,\"sigma_g\":1}],\"growth\":{\"k\":2,\"sigma_x\":1,"
                        "\"sigma_g\":0,\"m\":[4,100]}}",
                        (const char *const[]){
                            ".symbols.n", "missing (required for quantity std_growth",
                            ".probe_points[0].k", "out of range",
                            ".growth.sigma_g", "expected a positive number",
                            ".growth.m", "hi <= 64", NULL});
    assert_param_errors("conv_grad_moments",
                        "{\"quantity\":\"std_growth\",\"distribution\":\"uniform\","
                        "\"symbols\":{\"m\":\"M\",\"n\":\"N\"}}",
                        (const char *const[]){
                            ".growth", "missing (required for quantity std_growth",
                            NULL});
}

/* The other operations' homework notation is a param too. */
static void test_ops_notation_params(void **state)
{
    (void)state;
    assert_param_errors("cnn_table", "{\"input\":[8,8,1],\"layers\":[\"CONV3-2\"]}",
                        (const char *const[]){
                            ".columns", "missing (required for the table's headings",
                            NULL});
    assert_param_errors("cnn_table",
                        "{\"input\":[8,8,1],\"layers\":[\"CONV3-2\"],\"columns\":[\"p\"]}",
                        (const char *const[]){".columns", "expected two labels", NULL});
    assert_param_errors("pool_backward", "{\"x\":[[1,2],[3,4]],\"k\":2}",
                        (const char *const[]){
                            ".symbol", "missing (required without upstream", NULL});
    assert_param_errors("receptive_field", "{\"formula\":\"1\",\"check\":[[1,3]]}",
                        (const char *const[]){".layers_symbol", "missing (required)",
                                              ".kernel_symbol", "missing (required)",
                                              NULL});
    /* with numbers upstream no symbol is needed; the one given names the cells */
    rp_diags d;
    rp_rubric *r;
    assert_int_equal(parse(PART("{\"kind\":\"compute\",\"op\":\"pool_backward\",\"params\":"
                                "{\"x\":[[1,2],[3,4]],\"k\":2,\"symbol\":\"g\"}}"),
                           &d, &r),
                     RP_OK);
    assert_int_equal(rp_rubric_solve(r, &d), RP_OK);
    assert_string_equal(r->parts[0].truth->mat.cells[3], "g_{1,1}");
    assert_string_equal(r->parts[0].truth->mat.cells[0], "0");
    rp_rubric_free(r);
    rp_diags_free(&d);
    assert_int_equal(parse(PART("{\"kind\":\"compute\",\"op\":\"cnn_table\",\"params\":"
                                "{\"input\":[8,8,1],\"layers\":[\"CONV3-2\"],"
                                "\"columns\":[\"weights\",\"output\"]}}"),
                           &d, &r),
                     RP_OK);
    assert_int_equal(rp_rubric_solve(r, &d), RP_OK);
    assert_string_equal(r->parts[0].truth->table.col_labels[0], "weights");
    assert_string_equal(r->parts[0].truth->table.col_labels[1], "output");
    rp_rubric_free(r);
    rp_diags_free(&d);
}

static void test_compare(void **state)
{
    (void)state;
    rp_diags d;
    rp_rubric *r;
    assert_int_equal(parse(PART("{\"kind\":\"matrix\",\"value\":[[1,2],[3,4]]}"), &d, &r),
                     RP_OK);
    rp_rubric_solve(r, &d);
    const rp_part *p = &r->parts[0];
    rp_answer other = *p->truth;
    double vals[4] = {1, 2, 3, 5};
    const char *cells[4] = {"1", "2", "3", "5"};
    other.mat.values = vals;
    other.mat.cells = cells;
    const char *detail;
    assert_int_equal(rp_answer_compare(r, p, p->truth, p->truth, &detail), RP_KEY_AGREE);
    assert_int_equal(rp_answer_compare(r, p, p->truth, &other, &detail), RP_KEY_DISAGREE);
    assert_non_null(strstr(detail, "(2,2): 5 vs 4"));
    other.mat.rows = 1;
    assert_int_equal(rp_answer_compare(r, p, p->truth, &other, &detail), RP_KEY_DISAGREE);
    assert_non_null(strstr(detail, "wrong_shape"));
    /* identical text formulas agree even without rp_equiv */
    rp_answer x = {0}, y = {0};
    x.kind = y.kind = RP_ANS_EXPR;
    x.latex = "\\sqrt{d_{out}}";
    y.latex = "\\sqrt{ d_{out} }";
    assert_int_equal(rp_answer_compare(r, p, &x, &y, &detail), RP_KEY_AGREE);
    rp_answer t = {0};
    t.kind = RP_ANS_TEXT;
    assert_int_equal(rp_answer_compare(r, p, &t, &t, &detail), RP_KEY_UNCHECKED);
    rp_rubric_free(r);
    rp_diags_free(&d);
}

/* Solving with several jobs gives the very rubric one job gives. */
static void test_hw4_jobs(void **state)
{
    (void)state;
    rp_diags d;
    rp_diags_init(&d);
    rp_rubric *r = NULL;
    assert_int_equal(rp_rubric_load(RP_SOURCE_ROOT "/rubrics/hw4.json", &r, &d), RP_OK);
    rp_solve_opts o = {3, 0, 0, NULL};
    assert_int_equal(rp_rubric_solve_opts(r, &o, &d), RP_OK);
    char *one = rp_rubric_solution_json(hw4), *three = rp_rubric_solution_json(r);
    assert_non_null(one);
    assert_non_null(three);
    assert_string_equal(one, three);
    free(one);
    free(three);
    rp_rubric_free(r);
    rp_diags_free(&d);
}

/* Numbers the engine computes are written as a reader (and the LaTeX
 * parser) expects them: integers whole, exponents as powers of ten. */
static void test_num_latex(void **state)
{
    (void)state;
    rp_arena *a = rp_arena_new(0);
    assert_non_null(a);
    assert_string_equal(rp_num_latex(a, -40), "-40");
    assert_string_equal(rp_num_latex(a, 10), "10");
    assert_string_equal(rp_num_latex(a, -0.0), "0");
    assert_string_equal(rp_num_latex(a, 0.5), "0.5");
    assert_string_equal(rp_num_latex(a, 123456789012.0), "123456789012");
    assert_string_equal(rp_num_latex(a, 1.5e-7), "1.5 \\times 10^{-7}");
    assert_string_equal(rp_num_latex(a, 2.5e20), "2.5 \\times 10^{20}");
    rp_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest hw4_tests[] = {
        cmocka_unit_test(test_hw4_shape),
        cmocka_unit_test(test_hw4_convolutions),
        cmocka_unit_test(test_hw4_cnn),
        cmocka_unit_test(test_hw4_scaling),
        cmocka_unit_test(test_hw4_key_and_opts),
        cmocka_unit_test(test_hw4_jobs),
    };
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_type_errors_name_paths),
        cmocka_unit_test(test_structure_errors),
        cmocka_unit_test(test_formula_check_and_solve_errors),
        cmocka_unit_test(test_compare),
        cmocka_unit_test(test_num_latex),
        cmocka_unit_test(test_scaling_ops_params),
        cmocka_unit_test(test_scaling_ops_missing_params),
        cmocka_unit_test(test_ops_notation_params),
    };
    int fails = cmocka_run_group_tests_name("hw4", hw4_tests, load_hw4, free_hw4);
    fails += cmocka_run_group_tests_name("rubric", tests, NULL, NULL);
    return fails;
}

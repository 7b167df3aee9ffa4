/*
 * LaTeX printer and relation helpers: prints an expression tree back to
 * normalized LaTeX (canonical symbol names, \frac, \sqrt, minimal
 * parentheses) and answers questions about relation chains (sides, the
 * right-most side, the left-hand side symbol) for the grader and the
 * extractor.
 */
#include "latex_int.h"

#include <stdio.h>
#include <string.h>

typedef rp_latex_node node;

static const char *const rel_names[] = {
    [RP_REL_EQ] = "=", [RP_REL_LE] = "\\leq", [RP_REL_LT] = "<",
    [RP_REL_GE] = "\\geq", [RP_REL_GT] = ">", [RP_REL_APPROX] = "\\approx",
    [RP_REL_PROPTO] = "\\propto", [RP_REL_SIM] = "\\sim", [RP_REL_NE] = "\\neq",
    [RP_REL_IN] = "\\in", [RP_REL_TO] = "\\to", [RP_REL_DEF] = ":="};

const char *rp_latex_rel_name(int rel)
{
    if (rel < 0 || rel > RP_REL_DEF)
        return "?";
    return rel_names[rel];
}

size_t rp_latex_n_sides(const rp_latex_node *root)
{
    return root && root->kind == RP_LX_REL ? root->n_kid : 1;
}

const rp_latex_node *rp_latex_side(const rp_latex_node *root, size_t i)
{
    if (!root)
        return NULL;
    if (root->kind != RP_LX_REL)
        return i == 0 ? root : NULL;
    return i < root->n_kid ? root->kid[i] : NULL;
}

int rp_latex_rel_op(const rp_latex_node *root, size_t i)
{
    if (!root || root->kind != RP_LX_REL || i + 1 >= root->n_kid)
        return -1;
    return root->rel[i];
}

const rp_latex_node *rp_latex_rhs(const rp_latex_node *root)
{
    if (root && root->kind == RP_LX_REL)
        return root->kid[root->n_kid - 1];
    return root;
}

const char *rp_latex_lhs_symbol(const rp_latex_node *root)
{
    if (!root || root->kind != RP_LX_REL)
        return NULL;
    const node *l = root->kid[0];
    for (int guard = 0; l && guard < 8; guard++) {
        switch (l->kind) {
        case RP_LX_SYM:
            return l->flags & RP_LXF_BRACKET ? l->base : l->name;
        case RP_LX_TRANSPOSE:
        case RP_LX_NORM:
        case RP_LX_ABS:
            l = l->kid[0];
            break;
        case RP_LX_MUL:
            if ((l->flags & RP_LXF_APPLY) && l->kid[0]->kind == RP_LX_SYM)
                return l->kid[0]->name;
            return NULL;
        default:
            return NULL;
        }
    }
    return NULL;
}

bool rp_latex_is_bound(const rp_latex_node *root)
{
    if (!root || root->kind != RP_LX_REL)
        return false;
    for (size_t i = 0; i + 1 < root->n_kid; i++) {
        int r = root->rel[i];
        if (r == RP_REL_LE || r == RP_REL_LT || r == RP_REL_GE || r == RP_REL_GT)
            return true;
    }
    return false;
}

/* ------------------------------------------------------------- printer */

enum { PR_REL = 1, PR_ADD = 2, PR_MUL = 3, PR_NEG = 4, PR_POW = 5, PR_ATOM = 6 };

static int prec(const node *x)
{
    switch (x->kind) {
    case RP_LX_REL:
    case RP_LX_AND:
    case RP_LX_TUPLE:
        return (x->flags & RP_LXF_PAREN) || x->kind == RP_LX_TUPLE ? PR_ATOM : PR_REL;
    case RP_LX_ADD:
    case RP_LX_SUB:
        return PR_ADD;
    case RP_LX_MUL:
    case RP_LX_SUM:
        return PR_MUL;
    case RP_LX_NEG:
        return PR_NEG;
    case RP_LX_NUM:
        return x->num < 0 ? PR_NEG : PR_ATOM;
    case RP_LX_POW:
    case RP_LX_TRANSPOSE:
    case RP_LX_FACT:
        return PR_POW;
    case RP_LX_DIV: /* printed as \frac */
    default:
        return PR_ATOM;
    }
}

typedef struct pr {
    rp_buf *b;
    rp_status st;
    int depth;
} pr;

static void put(pr *w, const char *s)
{
    if (w->st == RP_OK)
        w->st = rp_buf_puts(w->b, s);
}

static void pnode(pr *w, const node *x, int min_prec);

static void pwrap(pr *w, const node *x, int min_prec)
{
    if (x && prec(x) < min_prec) {
        put(w, "\\left(");
        pnode(w, x, 0);
        put(w, "\\right)");
    } else {
        pnode(w, x, min_prec);
    }
}

static void pnum(pr *w, double v)
{
    char t[40];
    if (v < 1e15 && v > -1e15 && v == (double)(long long)v)
        snprintf(t, sizeof t, "%lld", (long long)v);
    else
        snprintf(t, sizeof t, "%.15g", v);
    put(w, t);
}

/* Does the printed form of x start with a digit? */
static bool starts_digit(const node *x)
{
    while (x) {
        if (x->kind == RP_LX_NUM)
            return true;
        if (x->kind == RP_LX_NEG)
            return true;
        if (x->kind == RP_LX_MUL || x->kind == RP_LX_POW || x->kind == RP_LX_FACT ||
            x->kind == RP_LX_TRANSPOSE) {
            if (prec(x->kid[0]) < prec(x))
                return false;
            x = x->kid[0];
            continue;
        }
        return false;
    }
    return false;
}

/* Long (over 120 lines) because it is one switch over the node kinds, each
 * case printing its kind in a few lines. */
static void pnode(pr *w, const node *x, int min_prec)
{
    (void)min_prec;
    /* once the output is full (or failed) nothing more is visited: a tree
     * whose subtrees are shared (a sum's bounds borrowed by the next sum)
     * is a DAG whose full walk can take exponential time, while what is
     * printed stays within the buffer's limit */
    if (w->st != RP_OK)
        return;
    if (!x) {
        put(w, "?");
        return;
    }
    if (++w->depth > RP_LATEX_MAX_TREE + 16) {
        w->st = RP_ELIMIT;
        return;
    }
    switch (x->kind) {
    case RP_LX_NUM:
        pnum(w, x->num);
        break;
    case RP_LX_SYM:
        put(w, x->flags & RP_LXF_BRACKET ? x->base : x->name);
        if (x->flags & RP_LXF_BRACKET) {
            put(w, "[");
            for (size_t i = 0; i < x->n_kid; i++) {
                if (i)
                    put(w, ", ");
                pnode(w, x->kid[i], 0);
            }
            put(w, "]");
        }
        break;
    case RP_LX_CONST:
        put(w, x->op == RP_LC_PI ? "\\pi" : x->op == RP_LC_E ? "e" : "\\infty");
        break;
    case RP_LX_ADD:
    case RP_LX_SUB:
        pwrap(w, x->kid[0], PR_ADD);
        put(w, x->kind == RP_LX_ADD ? " + " : " - ");
        pwrap(w, x->kid[1], PR_MUL);
        break;
    case RP_LX_MUL:
        pwrap(w, x->kid[0], PR_MUL);
        if (x->flags & RP_LXF_APPLY) {
            put(w, "\\left(");
            pnode(w, x->kid[1], 0);
            put(w, "\\right)");
            break;
        }
        if (x->flags & RP_LXF_TIMES)
            put(w, " \\times ");
        else if (starts_digit(x->kid[1]) || prec(x->kid[1]) < PR_MUL)
            put(w, " \\cdot ");
        else
            put(w, " ");
        pwrap(w, x->kid[1], PR_MUL + 1);
        break;
    case RP_LX_DIV:
        put(w, "\\frac{");
        pnode(w, x->kid[0], 0);
        put(w, "}{");
        pnode(w, x->kid[1], 0);
        put(w, "}");
        break;
    case RP_LX_NEG:
        put(w, "-");
        pwrap(w, x->kid[0], PR_POW);
        break;
    case RP_LX_POW:
        if (x->kid[0]->kind == RP_LX_DIV || x->kid[0]->kind == RP_LX_SQRT) {
            put(w, "\\left(");
            pnode(w, x->kid[0], 0);
            put(w, "\\right)");
        } else {
            pwrap(w, x->kid[0], PR_ATOM);
        }
        put(w, "^{");
        pnode(w, x->kid[1], 0);
        put(w, "}");
        break;
    case RP_LX_SQRT:
        put(w, "\\sqrt");
        if (x->n_kid > 1) {
            put(w, "[");
            pnode(w, x->kid[1], 0);
            put(w, "]");
        }
        put(w, "{");
        pnode(w, x->kid[0], 0);
        put(w, "}");
        break;
    case RP_LX_FUNC: {
        size_t nargs = x->n_kid - ((x->flags & RP_LXF_BRACKET) ? 1 : 0);
        if (x->op == RP_LF_OTHER || x->op == RP_LF_SIGN || x->op == RP_LF_SIGMOID ||
            x->op == RP_LF_BINOM || x->op == RP_LF_TR) {
            put(w, "\\operatorname{");
            put(w, x->name ? x->name : "f");
            put(w, "}");
        } else {
            put(w, "\\");
            put(w, x->name ? x->name : "f");
        }
        if (x->flags & RP_LXF_BRACKET) {
            put(w, "_{");
            pnode(w, x->kid[x->n_kid - 1], 0);
            put(w, "}");
        }
        put(w, "\\left(");
        for (size_t i = 0; i < nargs; i++) {
            if (i)
                put(w, ", ");
            pnode(w, x->kid[i], 0);
        }
        put(w, "\\right)");
        break;
    }
    case RP_LX_ABS:
        put(w, "\\left|");
        pnode(w, x->kid[0], 0);
        put(w, "\\right|");
        break;
    case RP_LX_NORM:
        put(w, "\\|");
        pnode(w, x->kid[0], 0);
        put(w, "\\|");
        if (x->name && x->name[0]) {
            put(w, "_{");
            put(w, x->name);
            put(w, "}");
        }
        break;
    case RP_LX_FLOOR:
    case RP_LX_CEIL:
        put(w, x->kind == RP_LX_FLOOR ? "\\left\\lfloor " : "\\left\\lceil ");
        pnode(w, x->kid[0], 0);
        put(w, x->kind == RP_LX_FLOOR ? " \\right\\rfloor" : " \\right\\rceil");
        break;
    case RP_LX_FACT:
        pwrap(w, x->kid[0], PR_ATOM);
        put(w, "!");
        break;
    case RP_LX_TRANSPOSE:
        pwrap(w, x->kid[0], PR_ATOM);
        put(w, "^T");
        break;
    case RP_LX_BIGO:
        put(w, x->op == 1 ? "\\Theta(" : x->op == 2 ? "\\Omega(" : "O(");
        pnode(w, x->kid[0], 0);
        put(w, ")");
        break;
    case RP_LX_SUM:
        put(w, x->op ? "\\prod" : "\\sum");
        if (x->name) {
            put(w, "_{");
            put(w, x->name);
            if (x->kid[0]) {
                put(w, "=");
                pnode(w, x->kid[0], 0);
            }
            put(w, "}");
        }
        if (x->kid[1]) {
            put(w, "^{");
            pnode(w, x->kid[1], 0);
            put(w, "}");
        }
        put(w, " ");
        pwrap(w, x->kid[2], PR_MUL);
        break;
    case RP_LX_MATRIX:
        put(w, x->op == 'v' ? "\\begin{vmatrix}" : "\\begin{bmatrix}");
        for (int r = 0; r < x->rows; r++) {
            if (r)
                put(w, " \\\\");
            for (int c = 0; c < x->cols; c++) {
                put(w, c ? " & " : " ");
                pnode(w, x->kid[(size_t)r * (size_t)x->cols + (size_t)c], 0);
            }
        }
        put(w, x->op == 'v' ? " \\end{vmatrix}" : " \\end{bmatrix}");
        break;
    case RP_LX_TUPLE: {
        char o = x->op == '[' ? '[' : '(';
        put(w, o == '[' ? "[" : "(");
        for (size_t i = 0; i < x->n_kid; i++) {
            if (i)
                put(w, ", ");
            pnode(w, x->kid[i], 0);
        }
        put(w, o == '[' ? "]" : ")");
        break;
    }
    case RP_LX_CASES:
        put(w, "\\begin{cases}");
        for (size_t i = 0; i + 1 < x->n_kid; i += 2) {
            put(w, i ? " \\\\ " : " ");
            pnode(w, x->kid[i], 0);
            put(w, " & ");
            if (x->kid[i + 1])
                pnode(w, x->kid[i + 1], 0);
            else
                put(w, "\\text{otherwise}");
        }
        put(w, " \\end{cases}");
        break;
    case RP_LX_REL:
        for (size_t i = 0; i < x->n_kid; i++) {
            if (i) {
                put(w, " ");
                put(w, rp_latex_rel_name(x->rel[i - 1]));
                put(w, " ");
            }
            pnode(w, x->kid[i], PR_ADD);
        }
        break;
    case RP_LX_AND:
        for (size_t i = 0; i < x->n_kid; i++) {
            if (i)
                put(w, ", ");
            pnode(w, x->kid[i], 0);
        }
        break;
    case RP_LX_TEXT:
        put(w, "\\text{");
        put(w, x->name ? x->name : "");
        put(w, "}");
        break;
    case RP_LX_ELLIPSIS:
        put(w, "\\cdots");
        break;
    }
    w->depth--;
}

rp_status rp_latex_print(const rp_latex_node *root, rp_buf *b)
{
    pr w = {b, RP_OK, 0};
    pnode(&w, root, 0);
    return w.st;
}

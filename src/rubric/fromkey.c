/*
 * A rubric from an answer key: what a course (or a data set) has in hand
 * is a list of parts and their answers, not compute specifications.  This
 * file reads such a key, CSV (`part,answer[,title][,points]`) or JSON
 * (`{"5a": "3k\\,m^2 n", "6c": [[-40,-40],[-40,-40]],
 * "8b": {"points": [...]}}`), and writes the JSON of a rubric through the
 * one JSON writer.  That text is then read by rp_rubric_parse() like any
 * rubric file, so the rubric `redpen rubric from-key` writes and the one
 * `grade --key` grades with are the same by construction.
 *
 * What decides an answer's kind (evidence, in order): a JSON array of
 * arrays is a matrix, a flat array a vector; an object with "points" and no
 * answer is text; a string is translated with rp_latex_from_plain() (the
 * one translation of plain and Unicode math) and is a matrix when that
 * gives a bmatrix, else an expression when it parses as math and does not
 * read as prose (two or more words of three letters or more, none a known
 * function, Greek letter or constant, outside LaTeX commands and their
 * first argument; a number and one word is a quantity with its unit,
 * "12\,\text{cm}"); prose is a
 * text answer whose one point is the string.  Unknown symbols need no
 * declaration: rp_equiv samples them as positive reals (0.5..8); a JSON
 * part may give "vars" (rubric form) to say otherwise.  Math in a part's
 * title ("the transpose $A^T$") names what the part asks for: its
 * targets.  A point written "/regex/" is a pattern that signals a point
 * of a text answer, which then needs no judge.
 */
#include "redpen/jsonw.h"
#include "redpen/latex.h"
#include "rubric_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_MAX_FIELDS 4

/* One part of the key, as read. */
typedef struct key_part {
    char id[32];
    int problem;
    const char *title;    /* NULL: none given */
    const char *answer;   /* a string answer, or NULL */
    const cJSON *json;    /* a JSON answer (array, number), or NULL */
    const cJSON *vars;    /* JSON "vars", or NULL */
    const char **points;
    size_t n_points;
} key_part;

typedef struct key_ctx {
    rp_arena *a;
    rp_diags *d;
    const char *label;
    key_part parts[RP_RUBRIC_MAX_PARTS];
    size_t n;
    size_t errors;
    bool no_title_targets; /* titles are questions from data ("$5 and $10"), not
                              a key's titles: no targets from their math */
} key_ctx;

static const char *answer_problem(const char *s);

/* "5a", "6c.ii" as they are; "1", "Q2", "2(b)", "2.b" read as problem
 * digits and an optional letter (default a).  False when there are no
 * digits or the result is no part id. */
static bool norm_id(const char *src, char *out, size_t cap, int *problem)
{
    const char *p = src;
    while (*p && !isdigit((unsigned char)*p))
        p++;
    int num = 0, nd = 0;
    while (isdigit((unsigned char)*p) && nd < 4) {
        num = num * 10 + (*p++ - '0');
        nd++;
    }
    if (!nd || num < 1)
        return false;
    while (*p == '(' || *p == '.' || *p == ' ' || *p == '-')
        p++;
    char letter = 'a';
    if (isalpha((unsigned char)*p))
        letter = (char)tolower((unsigned char)*p++);
    while (*p == ')')
        p++;
    char sub[16] = "";
    if (*p == '.' || *p == '(') {
        size_t k = 0;
        for (p++; *p && *p != ')' && k + 1 < sizeof sub; p++)
            if (strchr("ivx", tolower((unsigned char)*p)))
                sub[k++] = (char)tolower((unsigned char)*p);
            else
                return false;
        sub[k] = '\0';
        if (*p == ')')
            p++;
    }
    while (*p == ' ')
        p++;
    if (*p)
        return false;
    *problem = num;
    int w = snprintf(out, cap, "%d%c%s%s", num, letter, sub[0] ? "." : "", sub);
    return w > 0 && (size_t)w < cap;
}

static key_part *add_part(key_ctx *k, const char *id, unsigned line, const char *path)
{
    if (k->n >= RP_RUBRIC_MAX_PARTS) {
        if (path)
            rp_diag_add_path(k->d, k->label, path, "more than %d parts", RP_RUBRIC_MAX_PARTS);
        else
            rp_diag_add(k->d, k->label, line, 0, "more than %d parts", RP_RUBRIC_MAX_PARTS);
        k->errors++;
        return NULL;
    }
    key_part *p = &k->parts[k->n];
    memset(p, 0, sizeof *p);
    if (!norm_id(id, p->id, sizeof p->id, &p->problem)) {
        if (path)
            rp_diag_add_path(k->d, k->label, path,
                             "\"%s\" is not a part id (a problem number and a letter: 5a, 6, "
                             "8c.ii)", id);
        else
            rp_diag_add(k->d, k->label, line, 0,
                        "\"%s\" is not a part id (a problem number and a letter: 5a, 6, 8c.ii)",
                        id);
        k->errors++;
        return NULL;
    }
    for (size_t i = 0; i < k->n; i++)
        if (strcmp(k->parts[i].id, p->id) == 0) {
            if (path)
                rp_diag_add_path(k->d, k->label, path, "part %s is given twice", p->id);
            else
                rp_diag_add(k->d, k->label, line, 0, "part %s is given twice", p->id);
            k->errors++;
            return NULL;
        }
    k->n++;
    return p;
}

/* ------------------------------------------------------------- CSV */

/* Split one CSV line into fields: "..." quotes (with "" for a quote); a
 * comma after a backslash is LaTeX's thin space and one inside brackets
 * part of the math, not a separator. */
static size_t csv_fields(rp_arena *a, const char *s, size_t n, const char **f, size_t max,
                         bool *bad_quote)
{
    size_t nf = 0, i = 0;
    *bad_quote = false;
    for (;;) {
        rp_buf b;
        rp_buf_init(&b, RP_RUBRIC_MAX_STRING);
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
            i++;
        if (i < n && s[i] == '"') {
            for (i++;; i++) {
                if (i >= n) {
                    *bad_quote = true;
                    break;
                }
                if (s[i] == '"' && i + 1 < n && s[i + 1] == '"') {
                    rp_buf_putc(&b, '"');
                    i++;
                } else if (s[i] == '"') {
                    i++;
                    break;
                } else {
                    rp_buf_putc(&b, s[i]);
                }
            }
            while (i < n && s[i] != ',')
                i++;
        } else {
            /* a comma inside brackets belongs to the math: [[1,2],[3,4]], (3, 4) */
            int depth = 0;
            for (; i < n && !(s[i] == ',' && depth <= 0 && (i == 0 || s[i - 1] != '\\'));
                 i++) {
                depth += (s[i] == '[' || s[i] == '(' || s[i] == '{') -
                         (s[i] == ']' || s[i] == ')' || s[i] == '}');
                rp_buf_putc(&b, s[i]);
            }
            while (b.len && (b.data[b.len - 1] == ' ' || b.data[b.len - 1] == '\t'))
                b.len--;
        }
        if (nf < max)
            f[nf] = rp_arena_strndup(a, b.data ? b.data : "", b.len);
        nf++;
        rp_buf_free(&b);
        if (i >= n)
            break;
        i++; /* the comma */
    }
    return nf;
}

/* Points of a CSV field: separated by ';' (empty ones dropped). */
static void csv_points(rp_arena *a, const char *s, key_part *p)
{
    size_t cnt = 1;
    for (const char *q = s; *q; q++)
        cnt += *q == ';';
    p->points = rp_arena_alloc(a, cnt * sizeof *p->points);
    if (!p->points)
        return;
    while (*s) {
        const char *e = strchr(s, ';');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        while (len && isspace((unsigned char)*s)) {
            s++;
            len--;
        }
        while (len && isspace((unsigned char)s[len - 1]))
            len--;
        if (len && p->n_points < RP_RUBRIC_MAX_LIST)
            p->points[p->n_points++] = rp_arena_strndup(a, s, len);
        if (!e)
            break;
        s = e + 1;
    }
}

static void read_csv(key_ctx *k, const char *data, size_t n)
{
    unsigned line = 0;
    bool first = true;
    for (size_t i = 0; i < n;) {
        const char *e = memchr(data + i, '\n', n - i);
        size_t len = e ? (size_t)(e - (data + i)) : n - i;
        const char *s = data + i;
        i += len + 1;
        line++;
        if (len && s[len - 1] == '\r')
            len--;
        size_t lead = 0;
        while (lead < len && isspace((unsigned char)s[lead]))
            lead++;
        if (lead == len || s[lead] == '#')
            continue;
        const char *f[KEY_MAX_FIELDS];
        bool bad_quote;
        size_t nf = csv_fields(k->a, s, len, f, KEY_MAX_FIELDS, &bad_quote);
        if (first && nf >= 2 && strcasecmp(f[0], "part") == 0) {
            first = false; /* the header */
            continue;
        }
        first = false;
        if (bad_quote || nf < 2 || nf > KEY_MAX_FIELDS) {
            rp_diag_add(k->d, k->label, line, 0,
                        bad_quote ? "unterminated quote"
                                  : "expected part,answer[,title][,points], got %zu field%s "
                                    "(quote an answer that has commas)",
                        nf, nf == 1 ? "" : "s");
            k->errors++;
            continue;
        }
        key_part *p = add_part(k, f[0], line, NULL);
        if (!p)
            continue;
        p->answer = *f[1] ? f[1] : NULL;
        const char *why = p->answer ? answer_problem(p->answer) : NULL;
        if (why) {
            rp_diag_add(k->d, k->label, line, 0, "part %s: %s", p->id, why);
            k->errors++;
        }
        p->title = nf > 2 && *f[2] ? f[2] : NULL;
        if (nf > 3 && *f[3])
            csv_points(k->a, f[3], p);
        if (!p->answer && !p->n_points) {
            rp_diag_add(k->d, k->label, line, 0, "part %s has neither an answer nor points",
                        p->id);
            k->errors++;
        }
    }
    if (!k->n && !k->errors) {
        rp_diag_add(k->d, k->label, line ? line : 1, 0, "no part in the key");
        k->errors++;
    }
}

/* ------------------------------------------------------------ JSON */

static void json_err(key_ctx *k, const char *id, const char *member, const char *msg)
{
    char path[160];
    snprintf(path, sizeof path, "$[\"%s\"]%s%s", id, member ? "." : "", member ? member : "");
    rp_diag_add_path(k->d, k->label, path, "%s", msg);
    k->errors++;
}

/* A JSON array of numbers or strings, or of such arrays (rectangular). */
static bool json_matrix_ok(const cJSON *v)
{
    int rows = cJSON_GetArraySize(v), cols = -1;
    if (rows < 1 || rows > RP_RUBRIC_MAX_DIM)
        return false;
    for (const cJSON *r = v->child; r; r = r->next) {
        if (cJSON_IsNumber(r) || cJSON_IsString(r)) {
            if (cols > 0)
                return false;
            cols = 0;
            continue;
        }
        if (!cJSON_IsArray(r) || cols == 0)
            return false;
        int c = cJSON_GetArraySize(r);
        if (c < 1 || c > RP_RUBRIC_MAX_DIM || (cols > 0 && c != cols))
            return false;
        cols = c;
        for (const cJSON *x = r->child; x; x = x->next)
            if (!cJSON_IsNumber(x) && !cJSON_IsString(x))
                return false;
    }
    return true;
}

static void read_json_part(key_ctx *k, const cJSON *v)
{
    char path[160];
    snprintf(path, sizeof path, "$[\"%s\"]", v->string);
    key_part *p = add_part(k, v->string, 0, path);
    if (!p)
        return;
    const cJSON *ans = v;
    if (cJSON_IsObject(v)) {
        static const char *const allowed[] = {"answer", "title", "points", "vars", NULL};
        for (const cJSON *m = v->child; m; m = m->next) {
            bool ok = m->string[0] == '_' || m->string[0] == '$';
            for (size_t i = 0; allowed[i] && !ok; i++)
                ok = strcmp(m->string, allowed[i]) == 0;
            if (!ok)
                json_err(k, v->string, m->string,
                         "unknown key (expected answer, title, points or vars)");
        }
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(v, "title");
        if (t && !cJSON_IsString(t))
            json_err(k, v->string, "title", "expected a string");
        else if (t)
            p->title = rp_arena_strdup(k->a, t->valuestring);
        const cJSON *pts = cJSON_GetObjectItemCaseSensitive(v, "points");
        if (pts) {
            int np = cJSON_IsArray(pts) ? cJSON_GetArraySize(pts) : -1;
            p->points = np > 0 ? rp_arena_alloc(k->a, (size_t)np * sizeof *p->points) : NULL;
            if (np < 1 || np > RP_RUBRIC_MAX_LIST || !p->points) {
                json_err(k, v->string, "points", "expected a non-empty array of strings");
            } else {
                for (const cJSON *x = pts->child; x; x = x->next) {
                    if (!cJSON_IsString(x)) {
                        json_err(k, v->string, "points", "expected strings");
                        break;
                    }
                    p->points[p->n_points++] = rp_arena_strdup(k->a, x->valuestring);
                }
            }
        }
        p->vars = cJSON_GetObjectItemCaseSensitive(v, "vars");
        if (p->vars && !cJSON_IsArray(p->vars))
            json_err(k, v->string, "vars", "expected an array of variables");
        ans = cJSON_GetObjectItemCaseSensitive(v, "answer");
        if (!ans && !p->n_points)
            json_err(k, v->string, NULL, "neither an answer nor points");
        if (!ans)
            return;
    }
    if (cJSON_IsString(ans) && *ans->valuestring && answer_problem(ans->valuestring))
        json_err(k, v->string, ans == v ? NULL : "answer", answer_problem(ans->valuestring));
    else if (cJSON_IsString(ans) && *ans->valuestring)
        p->answer = rp_arena_strdup(k->a, ans->valuestring);
    else if (cJSON_IsNumber(ans) || (cJSON_IsArray(ans) && json_matrix_ok(ans)))
        p->json = ans;
    else
        json_err(k, v->string, ans == v ? NULL : "answer",
                 "expected a non-empty string, a number, or an array (a vector) or array of "
                 "arrays (a matrix) of numbers and strings");
}

static void read_json(key_ctx *k, const char *data, size_t n, cJSON **root)
{
    const char *end = NULL;
    *root = cJSON_ParseWithLengthOpts(data, n, &end, false);
    if (!*root || !cJSON_IsObject(*root)) {
        unsigned line = 1, col = 1;
        if (!*root && end && end >= data)
            rp_line_col(data, n, (size_t)(end - data), &line, &col);
        if (*root)
            rp_diag_add_path(k->d, k->label, "$", "expected an object of part: answer");
        else
            rp_diag_add(k->d, k->label, line, col, "not valid JSON");
        k->errors++;
        return;
    }
    for (const cJSON *v = (*root)->child; v; v = v->next)
        if (v->string[0] != '_' && v->string[0] != '$')
            read_json_part(k, v);
    if (!k->n && !k->errors) {
        rp_diag_add_path(k->d, k->label, "$", "no part in the key");
        k->errors++;
    }
}

/* ---------------------------------------------------------- writing */

/* Does s read as prose: two words or more of three letters or more, none
 * a name plain math knows (sqrt, sigma, pi), outside LaTeX commands and
 * \text{}? */
static bool reads_as_prose(const char *s)
{
    size_t words = 0;
    for (const char *p = s; *p;) {
        if (*p == '\\') {
            for (p++; isalpha((unsigned char)*p); p++)
                ;
            if (*p == '{') /* its argument: \begin{bmatrix}, \text{cm} */
                while (*p && *p != '}')
                    p++;
            continue;
        }
        if (!isalpha((unsigned char)*p)) {
            p++;
            continue;
        }
        const char *w = p;
        while (isalpha((unsigned char)*p) || *p == '\'')
            p++;
        size_t len = (size_t)(p - w);
        if (len >= 3 && !rp_latex_plain_name(w, len))
            words++;
    }
    return words >= 2;
}

/* A number cell as a number, else its LaTeX. */
static void write_cell(rp_jw *j, const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    char buf[64];
    if (n && n < sizeof buf) {
        memcpy(buf, s, n);
        buf[n] = '\0';
        char *end;
        double v = strtod(buf, &end);
        if (*end == '\0') {
            rp_jw_num(j, NULL, v);
            return;
        }
    }
    char *c = strndup(s, n);
    rp_jw_str(j, NULL, c ? c : "");
    free(c);
}

/* The next row of a bmatrix body from *i (rows end at "\\\\"): its
 * start in *a and length in *len; false past the end. */
static bool next_row(const char *body, size_t n, size_t *i, size_t *a, size_t *len)
{
    if (*i > n)
        return false;
    size_t e = n;
    for (size_t q = *i; q + 1 < n; q++)
        if (body[q] == '\\' && body[q + 1] == '\\') {
            e = q;
            break;
        }
    *a = *i;
    *len = e - *i;
    *i = e + 2;
    return true;
}

/* The rows of a bmatrix/pmatrix body ("a & b \\ c & d") as "value";
 * false when it is not rectangular. */
static bool write_bmatrix(rp_jw *j, const char *body, size_t n)
{
    size_t cols = 0, rows = 0, a, len;
    for (size_t i = 0; next_row(body, n, &i, &a, &len);) { /* the shape first */
        size_t c = 1;
        bool blank = true;
        for (size_t q = a; q < a + len; q++) {
            c += body[q] == '&';
            blank &= isspace((unsigned char)body[q]) != 0;
        }
        if (blank)
            continue;
        if (cols && c != cols)
            return false;
        cols = c;
        rows++;
    }
    if (!rows || rows > RP_RUBRIC_MAX_DIM || cols > RP_RUBRIC_MAX_DIM)
        return false;
    if (!j)
        return true; /* the shape alone */
    rp_jw_arr_open(j, "value");
    for (size_t i = 0; next_row(body, n, &i, &a, &len);) {
        bool blank = true;
        for (size_t q = a; q < a + len; q++)
            blank &= isspace((unsigned char)body[q]) != 0;
        if (blank)
            continue;
        rp_jw_arr_open(j, NULL);
        size_t c0 = a;
        for (size_t q = a; q <= a + len; q++)
            if (q == a + len || body[q] == '&') {
                write_cell(j, body + c0, q - c0);
                c0 = q + 1;
            }
        rp_jw_arr_close(j);
    }
    rp_jw_arr_close(j);
    return true;
}

/* "12 cm", "3.5 km", "72 apples": a number and one word, a quantity with
 * its unit, as rp_equiv reads units: "12\,\text{cm}" (a claim without
 * the unit still matches, with a note).  False when s is not of that form
 * or the result would not fit. */
static bool quantity_latex(const char *s, rp_buf *b)
{
    const char *p = s;
    if (*p == '-' || *p == '+')
        p++;
    const char *num = p;
    while (isdigit((unsigned char)*p) || *p == '.')
        p++;
    if (p == num || !isspace((unsigned char)*p))
        return false;
    const char *num_end = p;
    while (isspace((unsigned char)*p))
        p++;
    const char *w = p;
    while (isalpha((unsigned char)*p))
        p++;
    if (p == w || *p)
        return false;
    return rp_buf_printf(b, "%.*s\\,\\text{%s}", (int)(num_end - s), s, w) == RP_OK;
}

/* A string answer translated: its LaTeX into b (rp_latex_from_plain, or
 * a quantity with its unit), *prose when it reads as prose (b empty then);
 * *body and *n the body of a matrix environment in b, or NULL. */
static rp_status translate(const char *s, rp_buf *b, bool *prose, const char **body, size_t *n)
{
    *body = NULL;
    *n = 0;
    *prose = reads_as_prose(s);
    rp_status st = *prose || quantity_latex(s, b) ? RP_OK : rp_latex_from_plain(s, strlen(s), b);
    const char *tex = b->data ? b->data : "";
    static const char *const envs[] = {"bmatrix", "pmatrix", "matrix", NULL};
    for (size_t e = 0; envs[e] && st == RP_OK && !*prose; e++) {
        char open[32], close[32];
        snprintf(open, sizeof open, "\\begin{%s}", envs[e]);
        snprintf(close, sizeof close, "\\end{%s}", envs[e]);
        const char *o = strstr(tex, open), *c = o ? strstr(o, close) : NULL;
        if (o && c) {
            *body = o + strlen(open);
            *n = (size_t)(c - *body);
            break;
        }
    }
    return st;
}

/* Why a string answer cannot be written, or NULL: a matrix whose rows
 * differ in length. */
/* Evidence that an answer is meant as LaTeX math: a command (a backslash
 * before a letter) or a brace. */
static bool looks_latex(const char *s)
{
    for (; *s; s++)
        if (*s == '{' || *s == '}' || (*s == '\\' && isalpha((unsigned char)s[1])))
            return true;
    return false;
}

static const char *answer_problem(const char *s)
{
    rp_buf b;
    rp_buf_init(&b, RP_RUBRIC_MAX_STRING);
    bool prose;
    const char *body;
    size_t n;
    const char *why = NULL;
    const char *t = s;
    while (isspace((unsigned char)*t))
        t++;
    if (translate(s, &b, &prose, &body, &n) == RP_OK &&
        (body ? !write_bmatrix(NULL, body, n) : strncmp(t, "[[", 2) == 0))
        why = "a matrix whose rows differ in length"; /* [[1,2],[3]] is no matrix */
    else if (!why && !prose && !body && b.data && looks_latex(t) && !rp_latex_parses(b.data, strlen(b.data)))
        why = "LaTeX math that does not parse"; /* it would become a text part, never graded */
    rp_buf_free(&b);
    return why;
}

/* The answer object of a string answer (see the top of the file); a
 * matrix has passed answer_problem(). */
static void write_string_answer(rp_jw *j, const char *s)
{
    rp_buf b;
    rp_buf_init(&b, RP_RUBRIC_MAX_STRING);
    bool prose;
    const char *body;
    size_t n;
    rp_status st = translate(s, &b, &prose, &body, &n);
    const char *tex = b.data ? b.data : "";
    rp_jw_obj_open(j, "answer");
    if (st == RP_OK && body) {
        rp_jw_str(j, "kind", "matrix");
        write_bmatrix(j, body, n);
    } else if (!prose && st == RP_OK && rp_latex_parses(tex, strlen(tex))) {
        rp_jw_str(j, "kind", "expr");
        rp_jw_str(j, "latex", tex);
    } else {
        rp_jw_str(j, "kind", "text");
        rp_jw_arr_open(j, "points");
        rp_jw_str(j, NULL, s);
        rp_jw_arr_close(j);
    }
    rp_jw_obj_close(j);
    rp_buf_free(&b);
}

/* A point written "/regex/" is a pattern (PCRE2, caseless) that signals
 * it: with patterns a text part is graded without a judge. */
static bool is_pattern(const char *s)
{
    size_t n = strlen(s);
    return n > 2 && s[0] == '/' && s[n - 1] == '/';
}

/* The points (patterns false) or the patterns of p as member key; nothing
 * when there are none. */
static void write_points(rp_jw *j, const key_part *p, const char *key, bool patterns)
{
    size_t n = 0;
    for (size_t i = 0; i < p->n_points; i++) {
        if (is_pattern(p->points[i]) != patterns)
            continue;
        if (!n++)
            rp_jw_arr_open(j, key);
        if (patterns) {
            char *t = strndup(p->points[i] + 1, strlen(p->points[i]) - 2);
            rp_jw_str(j, NULL, t ? t : "");
            free(t);
        } else {
            rp_jw_str(j, NULL, p->points[i]);
        }
    }
    if (n)
        rp_jw_arr_close(j);
}

static void write_answer(rp_jw *j, const key_part *p)
{
    if (p->answer) {
        write_string_answer(j, p->answer);
        return;
    }
    rp_jw_obj_open(j, "answer");
    if (p->json && cJSON_IsNumber(p->json)) {
        rp_jw_str(j, "kind", "expr");
        char num[64];
        snprintf(num, sizeof num, "%.15g", p->json->valuedouble);
        rp_jw_str(j, "latex", num);
    } else if (p->json) {
        bool matrix = cJSON_IsArray(p->json->child);
        rp_jw_str(j, "kind", matrix ? "matrix" : "vector");
        rp_rubric_write_cjson(j, "value", p->json);
    } else {
        rp_jw_str(j, "kind", "text");
        write_points(j, p, "points", false);
        write_points(j, p, "patterns", true);
    }
    rp_jw_obj_close(j);
}

/* The targets a title names in math: "the transpose $A^T$" asks for
 * A^T (a transcript's "A^T = ..." then answers it). */
static void write_targets(rp_jw *j, const char *title)
{
    size_t n = 0;
    for (const char *p = title ? strchr(title, '$') : NULL; p && n < RP_RUBRIC_MAX_LIST;) {
        const char *e = strchr(p + 1, '$');
        if (!e)
            break;
        if (e > p + 1) {
            if (!n++)
                rp_jw_arr_open(j, "targets");
            char *t = strndup(p + 1, (size_t)(e - p - 1));
            rp_jw_str(j, NULL, t ? t : "");
            free(t);
        }
        p = strchr(e + 1, '$');
    }
    if (n)
        rp_jw_arr_close(j);
}

static int by_id(const void *x, const void *y)
{
    const key_part *a = x, *b = y;
    if (a->problem != b->problem)
        return a->problem < b->problem ? -1 : 1;
    return strcmp(a->id, b->id);
}

/* The rubric's id: the key file's base name without extension, in the
 * letters, digits, '-' and '_' it has ("key" when none). */
static void rubric_id(const char *label, char *out, size_t cap)
{
    const char *base = strrchr(label, '/');
    base = base ? base + 1 : label;
    size_t k = 0;
    for (const char *p = base; *p && *p != '.' && k + 1 < cap; p++)
        if (isalnum((unsigned char)*p) || *p == '-' || *p == '_')
            out[k++] = *p;
    out[k] = '\0';
    if (!k)
        snprintf(out, cap, "key");
}

static rp_status write_rubric(key_ctx *k, rp_buf *out)
{
    qsort(k->parts, k->n, sizeof *k->parts, by_id);
    char id[64];
    rubric_id(k->label, id, sizeof id);
    rp_jw j;
    rp_jw_begin(&j, out, true);
    rp_jw_obj_open(&j, NULL);
    rp_jw_str(&j, "id", id);
    char title[512];
    const char *base = strrchr(k->label, '/');
    snprintf(title, sizeof title, "answer key %s", base ? base + 1 : k->label);
    rp_jw_str(&j, "title", title);
    rp_jw_arr_open(&j, "problems");
    for (size_t i = 0; i < k->n;) {
        size_t e = i;
        while (e < k->n && k->parts[e].problem == k->parts[i].problem)
            e++;
        rp_jw_obj_open(&j, NULL);
        rp_jw_num(&j, "number", k->parts[i].problem);
        snprintf(title, sizeof title, "Problem %d", k->parts[i].problem);
        rp_jw_str(&j, "title", title);
        /* cues: the parts' titles (the problem's number and title are cues
         * already) */
        size_t nt = 0;
        for (size_t q = i; q < e; q++)
            nt += k->parts[q].title != NULL;
        if (nt) {
            rp_jw_arr_open(&j, "cues");
            for (size_t q = i; q < e; q++)
                if (k->parts[q].title)
                    rp_jw_str(&j, NULL, k->parts[q].title);
            rp_jw_arr_close(&j);
        }
        rp_jw_arr_open(&j, "parts");
        for (size_t q = i; q < e; q++) {
            const key_part *p = &k->parts[q];
            rp_jw_obj_open(&j, NULL);
            rp_jw_str(&j, "id", p->id);
            snprintf(title, sizeof title, "Part %s", p->id);
            rp_jw_str(&j, "title", p->title ? p->title : title);
            if (!k->no_title_targets)
                write_targets(&j, p->title);
            write_answer(&j, p);
            if (p->n_points && (p->answer || p->json))
                write_points(&j, p, "points", false);
            if (p->vars)
                rp_rubric_write_cjson(&j, "vars", p->vars);
            rp_jw_obj_close(&j);
        }
        rp_jw_arr_close(&j);
        rp_jw_obj_close(&j);
        i = e;
    }
    rp_jw_arr_close(&j);
    rp_jw_obj_close(&j);
    rp_status st = rp_jw_end(&j);
    return st == RP_OK ? rp_buf_putc(out, '\n') : st;
}

rp_status rp_rubric_key_json(const char *label, const char *data, size_t n, rp_buf *out,
                             rp_diags *d)
{
    key_ctx *k = calloc(1, sizeof *k);
    rp_arena *a = rp_arena_new(0);
    if (!k || !a) {
        free(k);
        rp_arena_free(a);
        return RP_ENOMEM;
    }
    k->a = a;
    k->d = d;
    k->label = label;
    size_t lead = 0;
    while (lead < n && isspace((unsigned char)data[lead]))
        lead++;
    cJSON *root = NULL;
    if (lead < n && (data[lead] == '{' || data[lead] == '['))
        read_json(k, data, n, &root);
    else
        read_csv(k, data, n);
    rp_status st = k->errors ? RP_EINPUT : write_rubric(k, out);
    cJSON_Delete(root);
    rp_arena_free(a);
    free(k);
    return st;
}

/* Parse the rubric JSON in b (from label) into *out and solve it. */
static rp_status parse_solve(const char *label, const rp_buf *b, rp_rubric **out, rp_diags *d)
{
    rp_status st = rp_rubric_parse(label, b->data, b->len, NULL, out, d);
    if (st == RP_OK)
        st = rp_rubric_solve(*out, d);
    if (st != RP_OK) {
        rp_rubric_free(*out);
        *out = NULL;
    }
    return st;
}

rp_status rp_rubric_from_key(const char *path, rp_rubric **out, rp_diags *d)
{
    *out = NULL;
    rp_buf in, js;
    rp_buf_init(&in, RP_RUBRIC_MAX_BYTES);
    rp_buf_init(&js, RP_RUBRIC_MAX_BYTES * 4);
    rp_status st = rp_file_read(path, RP_RUBRIC_MAX_BYTES, RP_RUBRIC_MAX_BYTES, &in, d);
    if (st == RP_OK)
        st = rp_rubric_key_json(path, in.data ? in.data : "", in.len, &js, d);
    if (st == RP_OK)
        st = parse_solve(path, &js, out, d);
    rp_buf_free(&in);
    rp_buf_free(&js);
    return st;
}

rp_status rp_rubric_from_answer(const char *label, const char *answer, const char *question,
                                rp_rubric **out, rp_diags *d)
{
    *out = NULL;
    key_ctx *k = calloc(1, sizeof *k);
    rp_arena *a = rp_arena_new(0);
    rp_buf js;
    rp_buf_init(&js, RP_RUBRIC_MAX_BYTES);
    rp_status st = k && a ? RP_OK : RP_ENOMEM;
    if (st == RP_OK) {
        /* the key of one line "1,ANSWER,QUESTION": problem 1, its first part */
        k->a = a;
        k->d = d;
        k->label = "answer";
        k->no_title_targets = true;
        const char *why = answer_problem(answer);
        key_part *p = why ? NULL : add_part(k, "1", 1, NULL);
        if (why)
            rp_diag_add(d, label, 0, 0, "%s", why);
        if (p) {
            p->answer = answer;
            p->title = question && *question ? question : NULL;
        }
        st = p ? write_rubric(k, &js) : RP_EINPUT;
    }
    if (st == RP_OK)
        st = parse_solve(label, &js, out, d);
    rp_buf_free(&js);
    rp_arena_free(a);
    free(k);
    return st;
}

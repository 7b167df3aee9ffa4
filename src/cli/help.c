/*
 * What the command table (help_table.c) is turned into: the help pages
 * (wrapped to 79 columns), the man page's command sections in roff, the
 * word lists the shell completions ask for, and "did you mean" for a
 * mistyped command, option or value.  A suggestion is made only on
 * evidence of a typo: the nearest names at most one edit away (two for
 * words of more than three letters), or the one name the word begins.
 */
#include "cli.h"
#include "help.h"

#include "redpen/core.h"
#include "redpen/ingest.h"

#include <stdio.h>
#include <string.h>

#define WIDTH 79 /* help is wrapped to this many columns */
#define OPT_COL 24 /* an option's text starts here */

const rp_cli_command *rp_cli_command_find(const char *name)
{
    for (const rp_cli_command *c = rp_cli_commands; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

void rp_cli_help_main(FILE *f)
{
    fprintf(f, "usage: redpen COMMAND [ARGS]\n       redpen -V | --version\n\ncommands:\n");
    for (const rp_cli_command *c = rp_cli_commands; c->name; c++)
        fprintf(f, "  %-10s %s\n", c->name, c->summary);
    fprintf(f, "\n'redpen help COMMAND' or 'redpen COMMAND --help' shows a command's options;\n"
               "'man redpen' the whole manual.\n");
}

/* Print text from column col (the cursor is there), wrapped to WIDTH,
 * later lines indented by indent; '\n' in text starts a new line. */
static void wrap(FILE *f, const char *text, int col, int indent)
{
    const char *p = text;
    bool first = true;
    while (*p) {
        if (*p == '\n') {
            fputc('\n', f);
            fprintf(f, "%*s", indent, "");
            col = indent;
            first = true;
            p++;
            continue;
        }
        if (*p == ' ') {
            p++;
            continue;
        }
        size_t n = strcspn(p, " \n");
        if (!first && col + 1 + (int)n > WIDTH) {
            fprintf(f, "\n%*s", indent, "");
            col = indent;
            first = true;
        }
        if (!first) {
            fputc(' ', f);
            col++;
        }
        fwrite(p, 1, n, f);
        col += (int)n;
        first = false;
        p += n;
    }
    fputc('\n', f);
}

/* "--format text|json" or "-o, --output OUT": an option as help shows it. */
static int option_label(char *buf, size_t cap, const rp_cli_option *o)
{
    const char *arg = o->kind == RP_ARG_CHOICE ? o->values : o->arg;
    return snprintf(buf, cap, "%s%s%s", o->names, arg ? " " : "", arg ? arg : "");
}

/* "usage: redpen CMD ...", a line per form. */
static void usage_lines(FILE *f, const rp_cli_command *c)
{
    const char *u = c->usage;
    for (bool first = true; *u; first = false) {
        size_t n = strcspn(u, "\n");
        fprintf(f, "%s redpen %s %.*s\n", first ? "usage:" : "      ", c->name, (int)n, u);
        u += n + (u[n] == '\n');
    }
}

int rp_cli_usage(const char *cmd)
{
    const rp_cli_command *c = rp_cli_command_find(cmd);
    if (c) {
        usage_lines(stderr, c);
        fprintf(stderr, "'redpen help %s' shows every option.\n", cmd);
    }
    return RP_EXIT_BADINPUT;
}

int rp_cli_help_exit(const char *cmd)
{
    return rp_cli_help(stdout, cmd) ? RP_EXIT_OK : RP_EXIT_INTERNAL;
}

bool rp_cli_help(FILE *f, const char *cmd)
{
    const rp_cli_command *c = rp_cli_command_find(cmd);
    if (!c)
        return false;
    usage_lines(f, c);
    fputc('\n', f);
    for (const char *p = c->about; *p;) {
        const char *end = strstr(p, "\n\n");
        size_t n = end ? (size_t)(end - p) : strlen(p);
        char para[2048];
        snprintf(para, sizeof para, "%.*s", (int)n, p);
        wrap(f, para, 0, 0);
        p += n;
        if (*p) {
            fputc('\n', f);
            p += 2;
        }
    }
    if (c->opts[0])
        fprintf(f, "\noptions:\n");
    for (const rp_cli_option *const *o = c->opts; *o; o++) {
        char label[256];
        int n = option_label(label, sizeof label, *o);
        fprintf(f, "  %s", label);
        if (n + 2 > OPT_COL - 2)
            fprintf(f, "\n%*s", OPT_COL, "");
        else
            fprintf(f, "%*s", OPT_COL - 2 - n, "");
        wrap(f, (*o)->help, OPT_COL, OPT_COL);
    }
    fprintf(f, "\nexamples:\n");
    for (int i = 0; i < 2; i++) {
        fprintf(f, "  redpen %s\n      ", c->examples[i][0]);
        wrap(f, c->examples[i][1], 6, 6);
    }
    return true;
}

/* ---------------------------------------------------------------- roff */

/* s with roff's special characters escaped ('\\' and a leading '.' or
 * '\''); hyphens in option names stay minus signs. */
static void roff_text(FILE *f, const char *s, size_t n, bool minus)
{
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == '\\')
            fputs("\\e", f);
        else if (ch == '-' && minus)
            fputs("\\-", f);
        else if ((ch == '.' || ch == '\'') && (i == 0 || s[i - 1] == '\n'))
            fprintf(f, "\\&%c", ch);
        else if (ch == '\n')
            fputs(i + 1 < n && s[i + 1] == '\n' ? "\n.PP" : "\n", f);
        else
            fputc(ch, f);
    }
}

static void roff(FILE *f, const char *s, bool minus)
{
    roff_text(f, s, strlen(s), minus);
}

void rp_cli_help_roff(FILE *f)
{
    for (const rp_cli_command *c = rp_cli_commands; c->name; c++) {
        fprintf(f, ".SS \"redpen %s\"\n", c->name);
        for (const char *u = c->usage; *u;) {
            size_t n = strcspn(u, "\n");
            fprintf(f, ".B redpen %s\n", c->name);
            roff_text(f, u, n, true);
            fputs("\n.br\n", f);
            u += n + (u[n] == '\n');
        }
        fputs(".PP\n", f);
        roff(f, c->about, false);
        fputc('\n', f);
        for (const rp_cli_option *const *o = c->opts; *o; o++) {
            char label[256];
            option_label(label, sizeof label, *o);
            fputs(".TP\n.B ", f);
            roff(f, label, true);
            fputc('\n', f);
            roff(f, (*o)->help, false);
            fputc('\n', f);
        }
        fputs(".PP\nExamples:\n", f);
        for (int i = 0; i < 2; i++) {
            fputs(".TP\n.B redpen ", f);
            roff(f, c->examples[i][0], true);
            fputc('\n', f);
            roff(f, c->examples[i][1], false);
            fputc('\n', f);
        }
    }
}

/* ---------------------------------------------------------- did you mean */

/* Calls fn(word, n, ctx) for every word of list (separated by any of
 * seps). */
static void each_word(const char *list, const char *seps,
                      void (*fn)(const char *w, size_t n, void *ctx), void *ctx)
{
    for (const char *p = list; *p;) {
        p += strspn(p, seps);
        size_t n = strcspn(p, seps);
        if (n)
            fn(p, n, ctx);
        p += n;
    }
}

typedef struct near {
    const char *word;
    size_t best;         /* the smallest distance seen */
    const char *hit[3];  /* the words at that distance */
    size_t len[3], n;
    const char *prefixed; /* the one word that begins with word */
    size_t prefixed_len;
    int n_prefixed;
    const char *abbrev; /* the one word word abbreviates ("grd": "grade") */
    size_t abbrev_len;
    int n_abbrev;
} near;

/* Does word abbreviate cand[0..n): the same first letter, then every
 * letter of word in order in cand? */
static bool abbreviates(const char *word, const char *cand, size_t n)
{
    if (!word[0] || n == 0 || word[0] != cand[0])
        return false;
    const char *w = word + 1;
    for (size_t i = 1; i < n && *w; i++)
        if (cand[i] == *w)
            w++;
    return *w == '\0';
}

static void measure(const char *w, size_t n, void *ctx)
{
    near *s = ctx;
    char cand[128];
    if (n >= sizeof cand)
        return;
    memcpy(cand, w, n);
    cand[n] = '\0';
    size_t wl = strlen(s->word);
    if (wl >= 2 && wl < n && strncmp(cand, s->word, wl) == 0 &&
        !(s->n_prefixed == 1 && s->prefixed_len == n && memcmp(s->prefixed, w, n) == 0)) {
        s->prefixed = w;
        s->prefixed_len = n;
        s->n_prefixed++;
    }
    if (wl >= 2 && wl < n && abbreviates(s->word, cand, n) &&
        !(s->n_abbrev == 1 && s->abbrev_len == n && memcmp(s->abbrev, w, n) == 0)) {
        s->abbrev = w;
        s->abbrev_len = n;
        s->n_abbrev++;
    }
    size_t d = rp_edit_distance(s->word, cand);
    if (d < s->best) {
        s->best = d;
        s->n = 0;
    }
    if (d != s->best || s->n == 3)
        return;
    for (size_t i = 0; i < s->n; i++)
        if (s->len[i] == n && memcmp(s->hit[i], w, n) == 0)
            return;
    s->hit[s->n] = w;
    s->len[s->n++] = n;
}

bool rp_cli_suggest(FILE *f, const char *word, const char *candidates, const char *seps)
{
    near s = {word, 9, {NULL}, {0}, 0, NULL, 0, 0, NULL, 0, 0};
    each_word(candidates, seps, measure, &s);
    size_t limit = strlen(word) > 3 ? 2 : 1;
    if (s.best == 0)
        return false;
    if (s.best > limit || !s.n) {
        /* no near spelling: the one word it begins, else the one word it
         * abbreviates */
        if (s.n_prefixed == 1) {
            s.hit[0] = s.prefixed;
            s.len[0] = s.prefixed_len;
        } else if (s.n_prefixed == 0 && s.n_abbrev == 1) {
            s.hit[0] = s.abbrev;
            s.len[0] = s.abbrev_len;
        } else {
            return false;
        }
        s.n = 1;
    }
    fputs("; did you mean ", f);
    for (size_t i = 0; i < s.n; i++)
        fprintf(f, "%s'%.*s'", i == 0 ? "" : i + 1 == s.n ? " or " : ", ", (int)s.len[i],
                s.hit[i]);
    fputc('?', f);
    return true;
}

bool rp_cli_option_is(const rp_cli_option *opt, const char *arg)
{
    size_t al = strcspn(arg, "=");
    for (const char *p = opt->names; *p;) {
        p += strspn(p, ", ");
        size_t n = strcspn(p, ", ");
        if (n && n == al && strncmp(p, arg, n) == 0)
            return true;
        p += n;
    }
    return false;
}

const rp_cli_option *rp_cli_option_find(const char *cmd, const char *arg)
{
    const rp_cli_command *c = rp_cli_command_find(cmd);
    if (!c)
        return NULL;
    for (const rp_cli_option *const *o = c->opts; *o; o++)
        if (rp_cli_option_is(*o, arg))
            return *o;
    return NULL;
}

/* Every option name of c, joined by '|' into buf. */
static void option_names(const rp_cli_command *c, char *buf, size_t cap)
{
    size_t w = 0;
    buf[0] = '\0';
    for (const rp_cli_option *const *o = c->opts; *o; o++) {
        int k = snprintf(buf + w, cap - w, "%s|", (*o)->names);
        if (k < 0 || (size_t)k >= cap - w)
            break;
        w += (size_t)k;
    }
}

int rp_cli_unknown_option(const char *cmd, const char *arg)
{
    const rp_cli_command *c = rp_cli_command_find(cmd);
    char names[2048] = "";
    char word[128];
    snprintf(word, sizeof word, "%.*s", (int)strcspn(arg, "="), arg);
    fprintf(stderr, "redpen: %s: unknown option '%s'", cmd, arg);
    if (c) {
        option_names(c, names, sizeof names);
        rp_cli_suggest(stderr, word, names, "|, ");
    }
    fprintf(stderr, " ('redpen help %s' lists them)\n", cmd);
    return RP_EXIT_BADINPUT;
}

int rp_cli_choice(const char *cmd, const char *opt, const char *what, const char *value)
{
    const rp_cli_option *o = rp_cli_option_find(cmd, opt);
    const char *vals = o && o->values ? o->values : "";
    size_t vl = strlen(value);
    for (const char *p = vals; *p;) {
        size_t n = strcspn(p, "|");
        if (n == vl && strncmp(p, value, n) == 0)
            return -1;
        p += n + (p[n] == '|');
    }
    fprintf(stderr, "redpen: %s: %s is ", cmd, what ? what : opt);
    size_t count = 0, i = 0;
    for (const char *p = vals; *p; p += strcspn(p, "|") + (p[strcspn(p, "|")] == '|'))
        count++;
    for (const char *p = vals; *p; i++) {
        size_t n = strcspn(p, "|");
        fprintf(stderr, "%s%.*s", i == 0 ? "" : i + 1 == count ? " or " : ", ", (int)n, p);
        p += n + (p[n] == '|');
    }
    fprintf(stderr, ", not '%s'", value);
    rp_cli_suggest(stderr, value, vals, "|");
    fputc('\n', stderr);
    return RP_EXIT_BADINPUT;
}

/* ----------------------------------------------------------- redpen help */

/* For the shell completions: the commands; a command's option names; or
 * what an option's value is ("flag", "file", "dir", "text", or "choice"
 * and the values), one word a line. */
static int complete(int argc, char **argv)
{
    if (argc < 1) {
        for (const rp_cli_command *c = rp_cli_commands; c->name; c++)
            printf("%s\n", c->name);
        return RP_EXIT_OK;
    }
    const rp_cli_command *c = rp_cli_command_find(argv[0]);
    if (!c)
        return RP_EXIT_BADINPUT;
    if (argc < 2) {
        char names[2048];
        option_names(c, names, sizeof names);
        for (const char *p = names; *p;) {
            p += strspn(p, "|, ");
            size_t n = strcspn(p, "|, ");
            if (n)
                printf("%.*s\n", (int)n, p);
            p += n;
        }
        return RP_EXIT_OK;
    }
    const rp_cli_option *o = rp_cli_option_find(c->name, argv[1]);
    if (!o)
        return RP_EXIT_BADINPUT;
    static const char *const kinds[] = {"flag", "file", "dir", "text", "choice", "choice"};
    printf("%s\n", kinds[o->kind]);
    if (o->kind == RP_ARG_CHOICE)
        for (const char *p = o->values; *p;) {
            size_t n = strcspn(p, "|");
            printf("%.*s\n", (int)n, p);
            p += n + (p[n] == '|');
        }
    if (o->kind == RP_ARG_INPUT_FORMAT)
        for (const char *const *f = rp_ingest_formats(); *f; f++)
            printf("%s\n", *f);
    return RP_EXIT_OK;
}

/* "unknown command 'x'; did you mean 'y'?" and the command list. */
static int unknown_command(const char *name)
{
    char names[512];
    size_t w = 0;
    names[0] = '\0';
    for (const rp_cli_command *c = rp_cli_commands; c->name && w < sizeof names; c++) {
        int k = snprintf(names + w, sizeof names - w, "%s|", c->name);
        if (k > 0)
            w += (size_t)k;
    }
    fprintf(stderr, "redpen: unknown command '%s'", name);
    rp_cli_suggest(stderr, name, names, "|");
    fputs("\n\n", stderr);
    rp_cli_help_main(stderr);
    return RP_EXIT_BADINPUT;
}

int rp_cmd_help(int argc, char **argv)
{
    if (argc < 2) {
        rp_cli_help_main(stdout);
        return RP_EXIT_OK;
    }
    if (strcmp(argv[1], "--man") == 0) {
        rp_cli_help_roff(stdout);
        return RP_EXIT_OK;
    }
    if (strcmp(argv[1], "--complete") == 0)
        return complete(argc - 2, argv + 2);
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
        return rp_cli_help_exit("help");
    if (argc > 2)
        return rp_cli_usage_error("help: one command at a time");
    if (!rp_cli_help(stdout, argv[1]))
        return unknown_command(argv[1]);
    return RP_EXIT_OK;
}

int rp_cli_main(int argc, char **argv)
{
    if (argc < 2) {
        rp_cli_help_main(stderr);
        return RP_EXIT_BADINPUT;
    }
    const char *a = argv[1];
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
        rp_cli_help_main(stdout);
        return RP_EXIT_OK;
    }
    if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
        printf("redpen %s\n", REDPEN_VERSION);
        return RP_EXIT_OK;
    }
    const rp_cli_command *c = rp_cli_command_find(a);
    if (c)
        return c->run(argc - 1, argv + 1);
    if (a[0] == '-') {
        fprintf(stderr, "redpen: unknown option '%s'", a);
        rp_cli_suggest(stderr, a, "-h|--help|-V|--version", "|");
        fputs(" (a command comes first: 'redpen help' lists them)\n", stderr);
        return RP_EXIT_BADINPUT;
    }
    return unknown_command(a);
}

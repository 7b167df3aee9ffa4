/*
 * redpen grade FILE… [--rubric R | --rubric-dir DIR] [--format text|json|jsonl|md|html]
 *                    [-o OUT] [--model NAME] [--input-format NAME]
 *                    [--keep-going] [--jobs N] [--judge URL [--judge-model NAME]
 *                    [--judge-cache DIR] [--judge-budget SECONDS] [--no-cache]]
 *
 * Grades every conversation in every input against a rubric (the one
 * given, else the one the pipeline's registry finds for it) and prints the
 * report: a table per transcript, the JSON contract of DESIGN.md (one
 * object, or {"reports": […]} for several), JSON Lines, Markdown or HTML.
 * Output is written atomically; on bad input nothing is written and the
 * exit code is 2.
 *
 * This file parses the command line and chooses the output; the pipeline
 * (redpen/pipeline.h) reads, grades and orders: --jobs N reads the inputs
 * and grades their conversations on N threads, the output keeping the
 * input order; `redpen grade - --format jsonl` streams a JSON Lines input
 * (one report line per conversation, in constant memory).
 */
#include "cli.h"
#include "help.h"

#include "redpen/judge.h"
#include "redpen/pipeline.h"
#include "redpen/report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int rp_cli_grade_args(int argc, char **argv, rp_grade_args *o)
{
    memset(o, 0, sizeof *o);
    o->jobs = 1;
    const char *jobs = NULL, *budget = NULL;
    bool bad = false;
    o->files = calloc((size_t)argc + 1, sizeof *o->files);
    if (!o->files)
        return RP_EXIT_INTERNAL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return rp_cli_help_exit("grade");
        if (rp_cli_flag(argv[i], "--keep-going", &o->keep_going) ||
            rp_cli_flag(argv[i], "--no-cache", &o->no_cache) ||
            rp_cli_flag(argv[i], "--no-memo", &o->no_memo) ||
            rp_cli_flag(argv[i], "--progress", &o->progress) ||
            rp_cli_flag(argv[i], "--quiet", &o->quiet) ||
            rp_cli_flag(argv[i], "--strict-units", &o->strict_units))
            continue;
        if (rp_cli_rubric_opt(argc, argv, &i, &o->rubric_path, &o->rubric_dir, &bad) ||
            rp_cli_opt(argc, argv, &i, "--format", &o->format, &bad) ||
            rp_cli_opt(argc, argv, &i, "--key", &o->key_path, &bad) ||
            rp_cli_opt(argc, argv, &i, "--answer", &o->answer, &bad) ||
            rp_cli_opt(argc, argv, &i, "--answer-field", &o->answer_field, &bad) ||
            rp_cli_opt(argc, argv, &i, "--question-field", &o->question_field, &bad) ||
            rp_cli_opt(argc, argv, &i, "--files-from", &o->files_from, &bad) ||
            rp_cli_output_opt(argc, argv, &i, &o->out_path, &bad) ||
            rp_cli_opt(argc, argv, &i, "--model", &o->model, &bad) ||
            rp_cli_opt(argc, argv, &i, "--input-format", &o->input_format, &bad) ||
            rp_cli_opt(argc, argv, &i, "--jobs", &jobs, &bad) ||
            rp_cli_opt(argc, argv, &i, "-j", &jobs, &bad) ||
            rp_cli_opt(argc, argv, &i, "--judge", &o->judge, &bad) ||
            rp_cli_opt(argc, argv, &i, "--judge-model", &o->judge_model, &bad) ||
            rp_cli_opt(argc, argv, &i, "--judge-cache", &o->judge_cache, &bad) ||
            rp_cli_opt(argc, argv, &i, "--judge-budget", &budget, &bad) ||
            rp_cli_limit_opt(argc, argv, &i, &o->limits, &bad)) {
            if (bad)
                return RP_EXIT_BADINPUT;
            continue;
        }
        if (argv[i][0] == '-' && argv[i][1] != '\0')
            return rp_cli_unknown_option("grade", argv[i]);
        o->files[o->nfiles++] = argv[i];
    }
    if (!o->nfiles && !o->files_from)
        return rp_cli_usage("grade");
    for (size_t f = 0; o->files_from && f < o->nfiles; f++)
        if (strcmp(o->files_from, "-") == 0 && strcmp(o->files[f], "-") == 0)
            return rp_cli_usage_error("grade: standard input holds the list of --files-from -, "
                                      "not a transcript ('-')");
    if (o->progress && o->quiet)
        return rp_cli_usage_error("grade: --progress and --quiet exclude each other");
    if ((o->rubric_path != NULL) + (o->key_path != NULL) + (o->answer != NULL) +
            (o->answer_field != NULL) > 1)
        return rp_cli_usage_error("grade: --rubric, --key, --answer and --answer-field "
                                  "exclude each other");
    if (o->question_field && !o->answer_field)
        return rp_cli_usage_error("grade: --question-field goes with --answer-field");
    if (budget) {
        char *end = NULL;
        errno = 0;
        double s = strtod(budget, &end);
        if (!o->judge)
            return rp_cli_usage_error("grade: --judge-budget goes with --judge");
        if (end == budget || *end || errno || !(s > 0) || s > 1e6)
            return rp_cli_usage_error("grade: --judge-budget is a number of seconds above 0 "
                                      "(at most 1000000), not '%s'", budget);
        o->judge_budget_ms = (long)(s * 1000.0 + 0.5) > 0 ? (long)(s * 1000.0 + 0.5) : 1;
    }
    const char *given = o->format;
    o->format = rp_report_format_pick(given, o->out_path, "text"); /* -o x.html: html */
    if (rp_cli_choice("grade", "--format", given ? NULL : "the format of -o's extension",
                      o->format) >= 0)
        return RP_EXIT_BADINPUT;
    int rc = rp_cli_output_not_input("grade", o->out_path, o->files, o->nfiles, o->rubric_path,
                                     o->key_path);
    if (rc < 0 && o->files_from && strcmp(o->files_from, "-") != 0)
        rc = rp_cli_output_not_input("grade", o->out_path, &o->files_from, 1, NULL, NULL);
    if (rc >= 0)
        return rc;
    if (jobs)
        return rp_cli_jobs("grade", jobs, &o->jobs);
    return -1;
}

/* The inputs of grade: the FILE arguments, then the lines of
 * --files-from LIST (blank lines skipped), read one at a time.  A listed
 * file that is the output file (-o) ends the run before it is read, and
 * so does a list that cannot be read to its end: both are errors, and
 * the output is then not written (it would replace an input, or hold an
 * unknown part of the list). */
typedef struct grade_inputs {
    const rp_grade_args *o;
    const rp_buf *pre; /* standard input already read, or NULL */
    size_t i;
    FILE *list;
    char *line;
    size_t cap;
    size_t lineno;      /* of the list */
    bool have_out;      /* -o names an existing file: its identity */
    dev_t out_dev;
    ino_t out_ino;
    bool failed;        /* a listed file was the output, or the list failed */
} grade_inputs;

static bool blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t')
            return false;
    return true;
}

static bool next_input(void *ctx, rp_input *in)
{
    grade_inputs *g = ctx;
    memset(in, 0, sizeof *in);
    if (g->i < g->o->nfiles) {
        in->label = g->o->files[g->i++];
        if (g->pre && strcmp(in->label, "-") == 0) {
            in->label = "<stdin>";
            in->data = g->pre->data ? g->pre->data : "";
            in->len = g->pre->len;
        }
        return true;
    }
    ssize_t k;
    const char *list = strcmp(g->o->files_from ? g->o->files_from : "-", "-") == 0
                           ? "<stdin>" : g->o->files_from;
    while (g->list && !g->failed && (k = getline(&g->line, &g->cap, g->list)) >= 0) {
        g->lineno++;
        while (k > 0 && (g->line[k - 1] == '\n' || g->line[k - 1] == '\r'))
            g->line[--k] = '\0';
        if (blank(g->line))
            continue;
        struct stat sb;
        if (g->have_out && stat(g->line, &sb) == 0 && sb.st_dev == g->out_dev &&
            sb.st_ino == g->out_ino) {
            fprintf(stderr, "redpen grade: %s:%zu: %s is also the output file (-o); nothing "
                            "was written\n", list, g->lineno, g->line);
            g->failed = true;
            return false;
        }
        in->label = g->line;
        return true;
    }
    if (g->list && !g->failed && ferror(g->list)) {
        fprintf(stderr, "redpen grade: %s:%zu: cannot read the list of files: %s\n", list,
                g->lineno + 1, strerror(errno));
        g->failed = true;
    }
    return false;
}

/* The lines of the list file f that are not blank (f rewound after), or
 * 0 when f is no regular file: the progress line's total. */
static size_t count_listed(FILE *f)
{
    struct stat sb;
    if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode))
        return 0;
    size_t n = 0;
    int c, prev = '\n';
    while ((c = getc(f)) != EOF) {
        if (c == '\n' && prev != '\n')
            n++;
        prev = c;
    }
    if (prev != '\n')
        n++;
    rewind(f);
    return n;
}

/* Grade whole inputs (pre: standard input already read), each report
 * written as soon as it and all before it are graded; diagnostics as
 * their input is written. */
static rp_status grade_files(const rp_grade_args *o, const rp_pipeline *p, const rp_buf *pre)
{
    grade_inputs g;
    memset(&g, 0, sizeof g);
    g.o = o;
    g.pre = pre;
    struct stat osb;
    if (o->files_from && o->out_path && strcmp(o->out_path, "-") != 0 &&
        stat(o->out_path, &osb) == 0 && S_ISREG(osb.st_mode)) {
        g.have_out = true;
        g.out_dev = osb.st_dev;
        g.out_ino = osb.st_ino;
    }
    size_t total = o->nfiles;
    if (o->files_from) {
        g.list = strcmp(o->files_from, "-") == 0 ? stdin : fopen(o->files_from, "r");
        if (!g.list) {
            fprintf(stderr, "%s: cannot read the list of files: %s\n", o->files_from,
                    strerror(errno));
            return RP_EIO;
        }
        size_t listed = count_listed(g.list);
        total = listed ? total + listed : 0;
    }
    rp_grade_out w;
    rp_status st = rp_grade_out_open(&w, o->format, o->out_path);
    if (st == RP_OK) {
        rp_run r;
        memset(&r, 0, sizeof r);
        r.next = next_input;
        r.next_ctx = &g;
        r.total = total;
        r.sink = rp_grade_out_sink;
        r.sink_ctx = &w;
        /* the first JSON report and every HTML report are kept */
        r.sink_frees = strcmp(o->format, "json") != 0 && strcmp(o->format, "html") != 0;
        r.diag_to = stderr;
        st = rp_pipeline_run(p, &r, NULL);
        if (g.failed) {
            w.n = 0; /* nothing is kept: see grade_inputs */
            if (st == RP_OK)
                st = RP_EINPUT;
        }
        rp_status wst = rp_grade_out_close(&w, st);
        if (st == RP_OK)
            st = wst;
    }
    if (g.list && g.list != stdin)
        fclose(g.list);
    free(g.line);
    return st;
}

int rp_cmd_grade(int argc, char **argv)
{
    rp_grade_args o;
    int rc = rp_cli_grade_args(argc, argv, &o);
    if (rc >= 0) {
        free(o.files);
        return rc;
    }
    rp_pipeline p;
    memset(&p, 0, sizeof p);
    p.ingest = o.limits;
    p.ingest.format = o.input_format;
    p.jobs = o.jobs;
    p.keep_going = o.keep_going;
    p.progress = o.quiet ? RP_PROGRESS_OFF : o.progress ? RP_PROGRESS_ON : RP_PROGRESS_AUTO;
    p.grade.model = o.model;
    p.grade.judge_url = o.judge;
    p.grade.judge_model = o.judge_model;
    p.grade.cache_dir = o.judge_cache;
    p.grade.no_cache = o.no_cache;
    p.grade.judge_budget_ms = o.judge_budget_ms;
    /* one budget and one "down" for the run's judges, whatever the number
     * of transcripts and threads */
    if (o.judge && !(p.grade.judge_run = rp_judge_run_new())) {
        free(o.files);
        return RP_EXIT_INTERNAL;
    }
    if (!o.no_memo)
        p.grade.memo = rp_grade_memo_new(0); /* shared by the threads; NULL: none */
    rp_diags d;
    if (rp_diags_init(&d) != RP_OK) {
        rp_grade_memo_free(p.grade.memo);
        rp_judge_run_free(p.grade.judge_run);
        free(o.files);
        return RP_EXIT_INTERNAL;
    }
    p.gold_field = o.answer_field;
    p.question_field = o.answer_field ? (o.question_field ? o.question_field : "question")
                                      : NULL;
    rp_registry_opts ro = {o.rubric_path, o.rubric_dir, o.jobs, o.key_path, o.answer};
    rp_status st = rp_registry_new(&ro, &p.rubrics, &d);
    if (st == RP_OK && o.strict_units)
        rp_registry_require_units(p.rubrics);
    rp_diags_print(&d, stderr);
    rp_diags_free(&d);
    if (st == RP_OK) {
        bool streamed = false;
        rp_buf pre;
        rp_buf_init(&pre, 0);
        /* standard input that is not a stream was read whole: pre */
        bool try_stream = o.nfiles == 1 && strcmp(o.files[0], "-") == 0 &&
                          strcmp(o.format, "jsonl") == 0 && !o.files_from;
        if (try_stream)
            st = rp_pipeline_stream(&p, STDIN_FILENO, o.out_path, &streamed, &pre);
        if (!streamed && st == RP_OK)
            st = grade_files(&o, &p, try_stream ? &pre : NULL);
        rp_buf_free(&pre);
    }
    if (getenv("REDPEN_MEMO_STATS")) {
        size_t hits, misses;
        rp_grade_memo_stats(p.grade.memo, &hits, &misses);
        fprintf(stderr, "memo: %zu hits, %zu misses\n", hits, misses);
    }
    rp_grade_memo_free(p.grade.memo);
    rp_judge_run_free(p.grade.judge_run);
    rp_registry_free(p.rubrics);
    free(o.files);
    return rp_status_exit(st);
}

/*
 * redpen ingest FILE [--format text|json] [--input-format NAME] [limits]
 *
 * Shows the normalized turns and annotator notes of a transcript: what
 * every later stage sees.
 */
#include "cli.h"
#include "help.h"

#include "redpen/ingest.h"
#include "redpen/jsonw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void notes_json(rp_jw *j, const char *key, const rp_note *notes, size_t n)
{
    rp_jw_arr_open(j, key);
    for (size_t i = 0; i < n; i++)
        if (notes[i].text)
            rp_jw_str(j, NULL, notes[i].text);
    rp_jw_arr_close(j);
}

/* A transcript as JSON; absent optional strings are left out, as cJSON
 * printed them. */
static void transcript_json(rp_jw *j, const char *key, const rp_transcript *t)
{
    rp_jw_obj_open(j, key);
    if (t->format)
        rp_jw_str(j, "format", t->format);
    rp_jw_str(j, "model", t->model);
    if (t->title)
        rp_jw_str(j, "title", t->title);
    if (t->n_lead_notes)
        notes_json(j, "lead_notes", t->lead_notes, t->n_lead_notes);
    rp_jw_arr_open(j, "turns");
    for (size_t i = 0; i < t->n_turns; i++) {
        const rp_turn *u = &t->turns[i];
        rp_jw_obj_open(j, NULL);
        rp_jw_num(j, "index", u->index);
        rp_jw_str(j, "role", rp_role_name(u->role));
        rp_jw_str(j, "time", u->time);
        if (u->model)
            rp_jw_str(j, "model", u->model);
        rp_jw_num(j, "line", u->line);
        if (u->text)
            rp_jw_str(j, "text", u->text);
        notes_json(j, "notes", u->notes, u->n_notes);
        rp_jw_obj_close(j);
    }
    rp_jw_arr_close(j);
    rp_jw_obj_open(j, "counts");
    rp_jw_num(j, "user", (double)rp_transcript_count(t, RP_ROLE_USER));
    rp_jw_num(j, "model", (double)rp_transcript_count(t, RP_ROLE_MODEL));
    rp_jw_num(j, "notes", (double)t->n_notes);
    rp_jw_obj_close(j);
    if (t->n_warnings) {
        rp_jw_arr_open(j, "warnings");
        for (size_t i = 0; i < t->n_warnings; i++)
            rp_jw_str(j, NULL, t->warnings[i]);
        rp_jw_arr_close(j);
    }
    rp_jw_obj_close(j);
}

/* The set as JSON on standard output: one transcript as its object, several
 * as {"transcripts": [...]}. */
static rp_status print_json(const rp_transcript_set *set)
{
    rp_buf b;
    rp_buf_init(&b, 0);
    rp_jw j;
    rp_jw_begin(&j, &b, true);
    if (set->n == 1) {
        transcript_json(&j, NULL, set->items[0]);
    } else {
        rp_jw_obj_open(&j, NULL);
        rp_jw_arr_open(&j, "transcripts");
        for (size_t i = 0; i < set->n; i++)
            transcript_json(&j, NULL, set->items[i]);
        rp_jw_arr_close(&j);
        rp_jw_obj_close(&j);
    }
    rp_status st = rp_jw_end(&j);
    if (st == RP_OK) {
        fwrite(b.data, 1, b.len, stdout);
        fputc('\n', stdout);
    }
    rp_buf_free(&b);
    return st;
}

/* The transcript as text, stripped of terminal controls (its strings are
 * the input's). */
static rp_status print_text(const rp_transcript *t)
{
    rp_buf b;
    rp_buf_init(&b, 0);
    rp_status st = rp_buf_printf(&b, "%s: format %s, model %s, %zu user and %zu model turns, "
                                     "%zu notes\n",
                                 t->path, t->format, t->model ? t->model : "(unknown)",
                                 rp_transcript_count(t, RP_ROLE_USER),
                                 rp_transcript_count(t, RP_ROLE_MODEL), t->n_notes);
    for (size_t i = 0; i < t->n_lead_notes && st == RP_OK; i++)
        st = rp_buf_printf(&b, "    note: %s\n", t->lead_notes[i].text);
    for (size_t i = 0; i < t->n_turns && st == RP_OK; i++) {
        const rp_turn *u = &t->turns[i];
        st = rp_buf_printf(&b, "\n--- turn %d: %s", u->index, rp_role_name(u->role));
        if (u->model && st == RP_OK)
            st = rp_buf_printf(&b, " (%s)", u->model);
        if (u->time && st == RP_OK)
            st = rp_buf_printf(&b, " at %s", u->time);
        if (st == RP_OK)
            st = rp_buf_printf(&b, ", line %u\n%s\n", u->line, u->text);
        for (size_t k = 0; k < u->n_notes && st == RP_OK; k++)
            st = rp_buf_printf(&b, "    note: %s\n", u->notes[k].text);
    }
    if (st == RP_OK) {
        rp_term_clean(&b, 0, false);
        fwrite(b.data ? b.data : "", 1, b.len, stdout);
    }
    rp_buf_free(&b);
    return st;
}

int rp_cmd_ingest(int argc, char **argv)
{
    const char *file = NULL, *format = "text", *input_format = NULL;
    bool bad = false;
    rp_ingest_opts opts;
    memset(&opts, 0, sizeof opts);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return rp_cli_help_exit("ingest");
        if (rp_cli_opt(argc, argv, &i, "--format", &format, &bad) ||
            rp_cli_opt(argc, argv, &i, "--input-format", &input_format, &bad) ||
            rp_cli_limit_opt(argc, argv, &i, &opts, &bad)) {
            if (bad)
                return RP_EXIT_BADINPUT;
            continue;
        }
        if (argv[i][0] == '-' && argv[i][1] != '\0')
            return rp_cli_unknown_option("ingest", argv[i]);
        if (file)
            return rp_cli_usage_error("ingest: one file at a time");
        file = argv[i];
    }
    if (!file) {
        rp_cli_usage_error("ingest: which file?");
        return rp_cli_usage("ingest");
    }
    if (rp_cli_choice("ingest", "--format", NULL, format) >= 0)
        return RP_EXIT_BADINPUT;

    rp_diags d;
    if (rp_diags_init(&d) != RP_OK)
        return RP_EXIT_INTERNAL;
    opts.format = input_format;
    rp_transcript_set set;
    rp_status st = rp_ingest_path(file, &opts, &set, &d);
    if (st != RP_OK) {
        rp_diags_print(&d, stderr);
        rp_diags_free(&d);
        return rp_status_exit(st);
    }
    if (strcmp(format, "json") == 0) {
        st = print_json(&set);
    } else {
        for (size_t i = 0; i < set.n && st == RP_OK; i++)
            st = print_text(set.items[i]);
    }
    rp_transcript_set_free(&set);
    rp_diags_print(&d, stderr);
    rp_diags_free(&d);
    return rp_status_exit(st);
}

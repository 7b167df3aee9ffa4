/*
 * redpen ingest FILE [--format text|json] [--input-format NAME] [limits]
 *
 * Shows the normalized turns and annotator notes of a transcript: what
 * every later stage sees.
 */
#include "cli.h"

#include "redpen/ingest.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static cJSON *notes_json(const rp_note *notes, size_t n)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(arr, cJSON_CreateString(notes[i].text));
    return arr;
}

static cJSON *transcript_json(const rp_transcript *t)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "format", t->format);
    if (t->model)
        cJSON_AddStringToObject(o, "model", t->model);
    else
        cJSON_AddNullToObject(o, "model");
    if (t->title)
        cJSON_AddStringToObject(o, "title", t->title);
    if (t->n_lead_notes)
        cJSON_AddItemToObject(o, "lead_notes", notes_json(t->lead_notes, t->n_lead_notes));
    cJSON *turns = cJSON_AddArrayToObject(o, "turns");
    for (size_t i = 0; i < t->n_turns; i++) {
        const rp_turn *u = &t->turns[i];
        cJSON *j = cJSON_CreateObject();
        cJSON_AddNumberToObject(j, "index", u->index);
        cJSON_AddStringToObject(j, "role", rp_role_name(u->role));
        if (u->time)
            cJSON_AddStringToObject(j, "time", u->time);
        else
            cJSON_AddNullToObject(j, "time");
        if (u->model)
            cJSON_AddStringToObject(j, "model", u->model);
        cJSON_AddNumberToObject(j, "line", u->line);
        cJSON_AddStringToObject(j, "text", u->text);
        cJSON_AddItemToObject(j, "notes", notes_json(u->notes, u->n_notes));
        cJSON_AddItemToArray(turns, j);
    }
    cJSON *c = cJSON_AddObjectToObject(o, "counts");
    cJSON_AddNumberToObject(c, "user", (double)rp_transcript_count(t, RP_ROLE_USER));
    cJSON_AddNumberToObject(c, "model", (double)rp_transcript_count(t, RP_ROLE_MODEL));
    cJSON_AddNumberToObject(c, "notes", (double)t->n_notes);
    if (t->n_warnings) {
        cJSON *w = cJSON_AddArrayToObject(o, "warnings");
        for (size_t i = 0; i < t->n_warnings; i++)
            cJSON_AddItemToArray(w, cJSON_CreateString(t->warnings[i]));
    }
    return o;
}

static void print_text(const rp_transcript *t)
{
    printf("%s: format %s, model %s, %zu user and %zu model turns, %zu notes\n",
           t->path, t->format, t->model ? t->model : "(unknown)",
           rp_transcript_count(t, RP_ROLE_USER), rp_transcript_count(t, RP_ROLE_MODEL),
           t->n_notes);
    for (size_t i = 0; i < t->n_lead_notes; i++)
        printf("    note: %s\n", t->lead_notes[i].text);
    for (size_t i = 0; i < t->n_turns; i++) {
        const rp_turn *u = &t->turns[i];
        printf("\n--- turn %d: %s", u->index, rp_role_name(u->role));
        if (u->model)
            printf(" (%s)", u->model);
        if (u->time)
            printf(" at %s", u->time);
        printf(", line %u\n%s\n", u->line, u->text);
        for (size_t k = 0; k < u->n_notes; k++)
            printf("    note: %s\n", u->notes[k].text);
    }
}

int rp_cmd_ingest(int argc, char **argv)
{
    const char *file = NULL, *format = "text", *input_format = NULL;
    bool bad = false;
    rp_ingest_opts opts;
    memset(&opts, 0, sizeof opts);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            printf("usage: redpen ingest FILE|URL|- [--format text|json] [--input-format NAME]\n"
                   "       " RP_CLI_LIMITS_USAGE "\n");
            return 0;
        }
        if (rp_cli_opt(argc, argv, &i, "--format", &format, &bad) ||
            rp_cli_opt(argc, argv, &i, "--input-format", &input_format, &bad) ||
            rp_cli_limit_opt(argc, argv, &i, &opts, &bad)) {
            if (bad)
                return RP_EXIT_BADINPUT;
            continue;
        }
        if (argv[i][0] == '-' && argv[i][1] != '\0')
            return rp_cli_usage_error("ingest: unknown option '%s'", argv[i]);
        if (file)
            return rp_cli_usage_error("ingest: one file at a time");
        file = argv[i];
    }
    if (!file)
        return rp_cli_usage_error("ingest: which file? usage: redpen ingest FILE [--format text|json]");
    if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
        return rp_cli_usage_error("ingest: --format is text or json, not '%s'", format);

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
        cJSON *root;
        if (set.n == 1) {
            root = transcript_json(set.items[0]);
        } else {
            root = cJSON_CreateObject();
            cJSON *arr = cJSON_AddArrayToObject(root, "transcripts");
            for (size_t i = 0; i < set.n; i++)
                cJSON_AddItemToArray(arr, transcript_json(set.items[i]));
        }
        char *s = cJSON_Print(root);
        if (s) {
            fputs(s, stdout);
            fputc('\n', stdout);
        }
        free(s);
        cJSON_Delete(root);
    } else {
        for (size_t i = 0; i < set.n; i++)
            print_text(set.items[i]);
    }
    rp_transcript_set_free(&set);
    rp_diags_print(&d, stderr);
    rp_diags_free(&d);
    return 0;
}

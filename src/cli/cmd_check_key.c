/*
 * redpen check-key R: solve a rubric and list every part where the
 * course's official key and the engine disagree, with both values.  Exit
 * 1 when any part disagrees, 0 when none does.
 */
#include "cli.h"
#include "help.h"

#include "redpen/core.h"
#include "redpen/jsonw.h"
#include "redpen/rubric.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *answer_text(const rp_answer *a)
{
    if (!a)
        return "(none)";
    if (a->latex)
        return a->latex;
    return rp_answer_kind_name(a->kind);
}

static void print_json(const rp_rubric *r, const rp_key_check *c, size_t n)
{
    rp_buf b;
    rp_buf_init(&b, 0);
    rp_jw j;
    rp_jw_begin(&j, &b, true);
    rp_jw_obj_open(&j, NULL);
    rp_jw_str(&j, "rubric", r->id ? r->id : "");
    /* the parts grouped by verdict: those that disagree, the ids of those
     * that agree, the others */
    static const rp_key_verdict groups[] = {RP_KEY_DISAGREE, RP_KEY_AGREE, RP_KEY_UNCHECKED};
    static const char *const names[] = {"disagree", "agree", "unchecked"};
    for (size_t g = 0; g < 3; g++) {
        rp_jw_arr_open(&j, names[g]);
        for (size_t i = 0; i < n; i++) {
            const rp_part *p = c[i].part;
            if (c[i].verdict != groups[g])
                continue;
            if (c[i].verdict == RP_KEY_AGREE) {
                rp_jw_str(&j, NULL, p->id);
                continue;
            }
            rp_jw_obj_open(&j, NULL);
            rp_jw_str(&j, "part", p->id);
            if (c[i].verdict == RP_KEY_DISAGREE) {
                rp_jw_str(&j, "key", answer_text(p->key));
                rp_jw_str(&j, "engine", answer_text(p->truth));
                if (p->truth && p->truth->derivation)
                    rp_jw_str(&j, "derivation", p->truth->derivation);
                if (p->key_note)
                    rp_jw_str(&j, "note", p->key_note);
            }
            if (c[i].detail)
                rp_jw_str(&j, "detail", c[i].detail);
            rp_jw_obj_close(&j);
        }
        rp_jw_arr_close(&j);
    }
    rp_jw_obj_close(&j);
    if (rp_jw_end(&j) == RP_OK)
        printf("%s\n", b.data);
    rp_buf_free(&b);
}

static void print_text(const rp_key_check *c, size_t n)
{
    size_t ndis = 0, nagree = 0, nunc = 0;
    for (size_t i = 0; i < n; i++) {
        const rp_part *p = c[i].part;
        if (c[i].verdict == RP_KEY_AGREE) {
            nagree++;
        } else if (c[i].verdict == RP_KEY_DISAGREE) {
            ndis++;
            printf("%s  %s\n  key:    %s\n  engine: %s\n", p->id, p->title,
                   answer_text(p->key), answer_text(p->truth));
            if (p->truth && p->truth->derivation)
                printf("  how:    %s\n", p->truth->derivation);
            if (c[i].detail)
                printf("  differs: %s\n", c[i].detail);
            if (p->key_note)
                printf("  note:   %s\n", p->key_note);
        } else {
            nunc++;
            fprintf(stderr, "redpen: %s not compared: %s\n", p->id,
                    c[i].detail ? c[i].detail : "");
        }
    }
    printf("%zu parts with a key: %zu agree, %zu disagree, %zu not compared\n", n,
           nagree, ndis, nunc);
}

int rp_cmd_check_key(int argc, char **argv)
{
    const char *path = NULL, *format = "text";
    bool bad = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return rp_cli_help_exit("check-key");
        if (rp_cli_opt(argc, argv, &i, "--format", &format, &bad)) {
            if (bad)
                return RP_EXIT_BADINPUT;
            continue;
        }
        if (argv[i][0] == '-' && argv[i][1])
            return rp_cli_unknown_option("check-key", argv[i]);
        if (path)
            return rp_cli_usage_error("check-key: one rubric at a time");
        path = argv[i];
    }
    if (!path)
        return rp_cli_usage("check-key");
    if (rp_cli_choice("check-key", "--format", NULL, format) >= 0)
        return RP_EXIT_BADINPUT;
    rp_diags d;
    if (rp_diags_init(&d) != RP_OK)
        return RP_EXIT_INTERNAL;
    rp_rubric *r = NULL;
    rp_key_check *checks = NULL;
    size_t n = 0;
    rp_status st = rp_rubric_load(path, &r, &d);
    if (st == RP_OK)
        st = rp_rubric_solve(r, &d);
    if (st == RP_OK)
        st = rp_rubric_check_key(r, &checks, &n);
    int rc = rp_status_exit(st);
    if (st == RP_OK) {
        if (strcmp(format, "json") == 0)
            print_json(r, checks, n);
        else
            print_text(checks, n);
        for (size_t i = 0; i < n; i++)
            if (checks[i].verdict == RP_KEY_DISAGREE)
                rc = RP_EXIT_FAILURES;
    }
    rp_diags_print(&d, stderr);
    rp_rubric_free(r);
    rp_diags_free(&d);
    return rc;
}

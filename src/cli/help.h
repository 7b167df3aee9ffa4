/*
 * The one table of redpen's commands and options (src/cli/help_table.c)
 * and what is made from it: `redpen help CMD` and `CMD --help`, the man
 * page's command sections (`redpen help --man`), the shell completions'
 * word lists (`redpen help --complete`), and "did you mean" for a
 * mistyped command, option or option value.  A parser accepts exactly the
 * options its command's table lists (tests/golden/help checks both ways).
 */
#ifndef RP_CLI_HELP_H
#define RP_CLI_HELP_H

#include <stdbool.h>
#include <stdio.h>

/* What an option's value is, for help and completion. */
typedef enum rp_cli_arg {
    RP_ARG_NONE,         /* a flag */
    RP_ARG_FILE,         /* a path to a file (completion offers files) */
    RP_ARG_DIR,          /* a path to a folder */
    RP_ARG_TEXT,         /* anything else: a number, a name, a URL */
    RP_ARG_CHOICE,       /* one of the option's values */
    RP_ARG_INPUT_FORMAT  /* one of the readers' names (rp_ingest_formats) */
} rp_cli_arg;

/* One option as users see it. */
typedef struct rp_cli_option {
    const char *names;  /* "--format" or "-o, --output": every spelling */
    const char *arg;    /* the value's name in help ("OUT"); NULL for a flag */
    rp_cli_arg kind;
    const char *values; /* RP_ARG_CHOICE: the values, separated by '|' */
    const char *help;   /* one paragraph, unwrapped */
} rp_cli_option;

/* One subcommand. */
typedef struct rp_cli_command {
    const char *name;
    int (*run)(int argc, char **argv); /* argv[0] is the name */
    const char *summary;               /* one line, for the command list */
    const char *usage;                 /* what follows "redpen NAME " ('\n' between forms) */
    const char *about;                 /* paragraphs ("\n\n" between them), unwrapped */
    const rp_cli_option *const *opts;  /* NULL-terminated */
    const char *examples[2][2];        /* a command line (after "redpen ") and what it does */
} rp_cli_command;

/* The commands, NULL-name terminated, in the order help lists them. */
extern const rp_cli_command rp_cli_commands[];

/* The command called name, or NULL. */
const rp_cli_command *rp_cli_command_find(const char *name);

/* Print the top-level help (the command list) to f. */
void rp_cli_help_main(FILE *f);

/* Print cmd's help (usage, description, every option, two examples) to f.
 * Returns false when there is no such command. */
bool rp_cli_help(FILE *f, const char *cmd);

/* Print cmd's help to stdout; returns exit code 0 (3 for no such
 * command), what `CMD --help` exits with. */
int rp_cli_help_exit(const char *cmd);

/* Print cmd's usage lines and where its help is to stderr; returns 2
 * (what a command without its arguments exits with). */
int rp_cli_usage(const char *cmd);

/* `redpen help [CMD | --man | --complete [CMD [OPTION]]]`: returns the
 * exit code. */
int rp_cmd_help(int argc, char **argv);

/* redpen's command line: -h/--help, -V/--version, or a command (argv[1])
 * with its arguments; an unknown one is a usage error with "did you
 * mean".  Returns the exit code. */
int rp_cli_main(int argc, char **argv);

/* The man page's command sections in roff (every command, option and
 * example), for doc/redpen.1.in. */
void rp_cli_help_roff(FILE *f);

/* Whether arg is one of the spellings of opt. */
bool rp_cli_option_is(const rp_cli_option *opt, const char *arg);

/* The option of cmd spelt arg (the part before '=' when it has one), or
 * NULL. */
const rp_cli_option *rp_cli_option_find(const char *cmd, const char *arg);

/* Report "CMD: unknown option 'ARG'" on stderr with the nearest options of
 * cmd as "did you mean" and where the list is; returns 2. */
int rp_cli_unknown_option(const char *cmd, const char *arg);

/* Check value against the values of cmd's option opt ("--format") in the
 * table.  Returns -1 when it is one of them; else reports "CMD: WHAT is
 * a, b or c, not 'VALUE'" (what defaults to opt), with the nearest value
 * as "did you mean", and returns 2. */
int rp_cli_choice(const char *cmd, const char *opt, const char *what, const char *value);

/* Print ", did you mean 'X'?" (or "'X' or 'Y'") for the words of
 * candidates (separated by any of seps) nearest to word, to f; nothing
 * when none is near.  Returns whether it printed. */
bool rp_cli_suggest(FILE *f, const char *word, const char *candidates, const char *seps);

#endif

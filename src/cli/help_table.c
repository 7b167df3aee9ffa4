/*
 * The table of redpen's commands and their options: the one source of
 * `redpen help`, `CMD --help`, the man page's command sections, the shell
 * completions and "did you mean" (src/cli/help.c prints them).  A new
 * option is added here and in its command's parser; tests/golden/help
 * fails when the two disagree.  Options several commands share are
 * written once below and listed by each command.
 */
#include "cli.h"
#include "help.h"

#include <stddef.h>

/* ------------------------------------------------------- shared options */

static const rp_cli_option o_help = {
    "-h, --help", NULL, RP_ARG_NONE, NULL, "Show this help and exit."};
static const rp_cli_option o_rubric = {
    "--rubric", "R", RP_ARG_FILE, NULL,
    "Grade with the rubric file R. Without it redpen chooses, for each transcript, the rubric "
    "of the rubric directory whose problems' cues occur most often in its text, and refuses a "
    "transcript that matches none."};
static const rp_cli_option o_rubric_dir = {
    "--rubric-dir", "DIR", RP_ARG_DIR, NULL,
    "Choose rubrics from DIR. Without it: $REDPEN_RUBRICS, else ./rubrics, else the installed "
    "rubrics (see FILES in redpen(1))."};
static const rp_cli_option o_output = {
    "-o, --output", "OUT", RP_ARG_FILE, NULL,
    "Write to OUT instead of standard output. The file is replaced atomically: on an error "
    "nothing is written. Without --format, OUT's extension chooses the format."};
static const rp_cli_option o_model = {
    "--model", "NAME", RP_ARG_TEXT, NULL,
    "Name the model NAME in the report instead of the name found in the transcript."};
static const rp_cli_option o_input_format = {
    "--input-format", "NAME", RP_ARG_INPUT_FORMAT, NULL,
    "Read the inputs as format NAME instead of detecting it (chat-text, markdown, openai, "
    "sharegpt, chatgpt, claude, ...; a wrong name lists them all)."};
static const rp_cli_option o_keep_going = {
    "--keep-going", NULL, RP_ARG_NONE, NULL,
    "Report what could be read when some inputs or records fail (they are named on stderr); "
    "the exit code is still 2."};
static const rp_cli_option o_jobs = {
    "-j, --jobs", "N", RP_ARG_TEXT, NULL,
    "Use N threads (0: one per processor). The output is the same for every N and keeps the "
    "input order."};
static const rp_cli_option o_no_katex = {
    "--no-katex", NULL, RP_ARG_NONE, NULL,
    "Leave the math of HTML pages as LaTeX text instead of typesetting it with KaTeX."};
static const rp_cli_option o_max_input = {
    "--max-input", "SIZE", RP_ARG_TEXT, NULL,
    "Refuse an input larger than SIZE (K, M or G suffix; default 256M)."};
static const rp_cli_option o_max_line = {
    "--max-line", "SIZE", RP_ARG_TEXT, NULL,
    "Refuse an input with a line longer than SIZE (default 16M)."};
static const rp_cli_option o_max_turns = {
    "--max-turns", "N", RP_ARG_TEXT, NULL,
    "Refuse a conversation of more than N turns (default 100000)."};
static const rp_cli_option o_max_depth = {
    "--max-depth", "N", RP_ARG_TEXT, NULL,
    "Refuse JSON nested deeper than N (default 256)."};
static const rp_cli_option o_timeout = {
    "--timeout", "S", RP_ARG_TEXT, NULL,
    "Give up fetching a URL after S seconds (default 30)."};

/* ---------------------------------------------------------------- grade */

static const rp_cli_option o_grade_format = {
    "--format", NULL, RP_ARG_CHOICE, "text|json|jsonl|md|html",
    "The report's format: a table per transcript (text, the default), the JSON report (one "
    "object, or {\"reports\": [...]} for several), JSON Lines (one report per line), Markdown, "
    "or one HTML page."};
static const rp_cli_option o_key = {
    "--key", "KEY", RP_ARG_FILE, NULL,
    "Grade against an answer key instead of a rubric: CSV lines part,answer[,title][,points] "
    "or a JSON object of part ids to answers."};
static const rp_cli_option o_answer = {
    "--answer", "TEXT", RP_ARG_TEXT, NULL,
    "One question, one answer: the whole conversation answers TEXT."};
static const rp_cli_option o_answer_field = {
    "--answer-field", "NAME", RP_ARG_TEXT, NULL,
    "Grade each JSON or JSONL record against its own gold answer, in the field NAME (a dotted "
    "path such as answer or metadata.gold)."};
static const rp_cli_option o_question_field = {
    "--question-field", "NAME", RP_ARG_TEXT, NULL,
    "With --answer-field: the record's question, shown in the report (default question)."};
static const rp_cli_option o_no_memo = {
    "--no-memo", NULL, RP_ARG_NONE, NULL,
    "Compare every claim anew instead of remembering the verdicts of repeated answers."};
static const rp_cli_option o_judge = {
    "--judge", "URL", RP_ARG_TEXT, NULL,
    "Grade free-text parts with the OpenAI-compatible server at URL (otherwise they are "
    "ungraded)."};
static const rp_cli_option o_judge_model = {
    "--judge-model", "NAME", RP_ARG_TEXT, NULL, "The model the judge server should use."};
static const rp_cli_option o_judge_cache = {
    "--judge-cache", "DIR", RP_ARG_DIR, NULL, "Keep the judge's answers in DIR."};
static const rp_cli_option o_judge_budget = {
    "--judge-budget", "SECONDS", RP_ARG_TEXT, NULL,
    "The most time the judge may take in this run, requests and waits together, over every "
    "transcript and thread (default 600); once it is spent, or once the server is found down "
    "or rate-limited, the remaining free-text parts are ungraded with the reason."};
static const rp_cli_option o_no_cache = {
    "--no-cache", NULL, RP_ARG_NONE, NULL, "Ask the judge again instead of using its cache."};

static const rp_cli_option o_strict_units = {
    "--strict-units", NULL, RP_ARG_NONE, NULL,
    "Where the truth has a unit, an answer must give it: a number without its unit is "
    "wrong_unit (by default a unit the answer leaves out is accepted)."};

static const rp_cli_option o_files_from = {
    "--files-from", "LIST", RP_ARG_TEXT, NULL,
    "Grade the files LIST names too, one a line, after the FILE arguments ('-': the list is "
    "read from standard input, which then holds no transcript). Any number: memory stays "
    "the same."};
static const rp_cli_option o_grade_keep_going = {
    "--keep-going", NULL, RP_ARG_NONE, NULL,
    "Skip a bad record inside an input (a JSONL line, an array element, a conversation) "
    "instead of stopping that input there; the exit code is still 2. Every input is tried "
    "either way: one that cannot be read is named on stderr."};
static const rp_cli_option o_progress = {
    "--progress", NULL, RP_ARG_NONE, NULL,
    "Show the progress line on stderr even when it is not a terminal (by default it shows on "
    "a terminal once a run takes a second: conversations, inputs, MB/s, elapsed, ETA)."};
static const rp_cli_option o_quiet = {
    "--quiet", NULL, RP_ARG_NONE, NULL, "Never show the progress line."};

static const rp_cli_option o_grade_output = {
    "-o, --output", "OUT", RP_ARG_FILE, NULL,
    "Write to OUT instead of standard output. OUT is replaced in one step when the run ends; "
    "it holds the report of every input that could be graded (the exit code is 2 if one could "
    "not; of a large JSON array or JSON Lines file read record by record, the records before "
    "a bad one), and nothing is written when none could. Without --format, OUT's extension "
    "chooses the format."};

static const rp_cli_option *const grade_opts[] = {
    &o_rubric, &o_rubric_dir, &o_key, &o_answer, &o_answer_field, &o_question_field,
    &o_grade_format, &o_grade_output, &o_model, &o_input_format, &o_files_from, &o_grade_keep_going,
    &o_jobs, &o_no_memo, &o_progress, &o_quiet,
    &o_strict_units,
    &o_judge, &o_judge_model, &o_judge_cache, &o_judge_budget, &o_no_cache, &o_max_input,
    &o_max_line,
    &o_max_turns, &o_max_depth, &o_timeout, &o_help, NULL};

/* -------------------------------------------------------------- compare */

static const rp_cli_option o_compare_format = {
    "--format", NULL, RP_ARG_CHOICE, "text|md|html|json|csv",
    "The comparison's format (default text)."};
static const rp_cli_option o_from_jsonl = {
    "--from-jsonl", "SAVED", RP_ARG_FILE, NULL,
    "Read SAVED as saved reports of 'redpen grade --format jsonl' (streamed, so its size has "
    "no limit). May be given more than once."};

static const rp_cli_option o_group_by = {
    "--group-by", NULL, RP_ARG_CHOICE, "model|file|dir|title|format|rubric",
    "What the rows aggregate: the model name (default: --model, else --models, else the name "
    "the input carries, else a guess from the file name), each input file, its folder, or the "
    "transcript's title, format or rubric. The report says where each name came from."};
static const rp_cli_option o_models_map = {
    "--models", "MAP", RP_ARG_FILE, NULL,
    "Name the models from MAP, lines FILE<TAB>NAME ('#' starts a comment); FILE is an input as "
    "given or its last component. An entry that names no input is a warning."};

static const rp_cli_option *const compare_opts[] = {
    &o_rubric, &o_rubric_dir, &o_compare_format, &o_output, &o_model, &o_group_by, &o_models_map,
    &o_input_format, &o_no_katex, &o_from_jsonl, &o_keep_going, &o_jobs, &o_max_input, &o_max_line,
    &o_max_turns, &o_max_depth, &o_timeout, &o_help, NULL};

/* ------------------------------------------------------------- annotate */

static const rp_cli_option o_annotate_format = {
    "--format", NULL, RP_ARG_CHOICE, "html|md|pdf",
    "The annotated copy's format (default: from OUT's extension, .pdf or .md, else html). "
    "PDF is printed by headless Chromium."};
static const rp_cli_option o_report = {
    "--report", "SAVED", RP_ARG_FILE, NULL,
    "Take the findings from SAVED, a saved 'redpen grade --format json' report of FILE, "
    "instead of grading FILE."};

static const rp_cli_option *const annotate_opts[] = {
    &o_rubric, &o_rubric_dir, &o_annotate_format, &o_output, &o_model, &o_report,
    &o_input_format, &o_no_katex, &o_max_input, &o_max_line, &o_max_turns, &o_max_depth,
    &o_timeout, &o_help, NULL};

/* ------------------------------------------------------ ingest, extract */

static const rp_cli_option o_text_json = {
    "--format", NULL, RP_ARG_CHOICE, "text|json", "The output's format (default text)."};

static const rp_cli_option *const ingest_opts[] = {
    &o_text_json, &o_input_format, &o_max_input, &o_max_line, &o_max_turns, &o_max_depth,
    &o_timeout, &o_help, NULL};

static const rp_cli_option *const extract_opts[] = {
    &o_rubric, &o_rubric_dir, &o_text_json, &o_input_format, &o_max_input, &o_max_line,
    &o_max_turns, &o_max_depth, &o_timeout, &o_help, NULL};

/* ---------------------------------------------------------------- equiv */

static const rp_cli_option o_var = {
    "--var", "SPEC", RP_ARG_TEXT, NULL,
    "Declare a variable: NAME=LO..HI draws it from that range (add :int for integers), "
    "NAME=VALUE fixes a constant, NAME=matrix:RxC makes it an R by C matrix, NAME=function makes "
    "NAME(x) an application of NAME. May be given more than once."};
static const rp_cli_option o_alias = {
    "--alias", "A=B", RP_ARG_TEXT, NULL,
    "Read symbol A as B (y_1 as y_{1,0}). May be given more than once."};
static const rp_cli_option o_batch = {
    "--batch", "FILE", RP_ARG_FILE, NULL,
    "Read TRUTH<TAB>CLAIM lines from FILE (- for standard input) and print one result per "
    "line: equal[<TAB>NOTE], different<TAB>CATEGORY<TAB>DETAIL or error<TAB>MESSAGE; a summary "
    "goes to stderr."};
static const rp_cli_option o_points = {
    "--points", "N", RP_ARG_TEXT, NULL, "Compare at N random points (1 to 4096)."};
static const rp_cli_option o_tol = {
    "--tol", "X", RP_ARG_TEXT, NULL, "The relative tolerance, between 0 and 1."};
static const rp_cli_option o_seed = {
    "--seed", "N", RP_ARG_TEXT, NULL, "Draw the random points from seed N."};
static const rp_cli_option o_accept_bound = {
    "--accept-bound", NULL, RP_ARG_NONE, NULL,
    "Accept a bound (\\le) that holds where a value was asked."};
static const rp_cli_option o_e_var = {
    "--e-var", NULL, RP_ARG_NONE, NULL, "Read e as a variable, not Euler's number."};

static const rp_cli_option *const equiv_opts[] = {
    &o_var, &o_alias, &o_batch, &o_points, &o_tol, &o_seed, &o_accept_bound, &o_e_var,
    &o_strict_units,
    &o_help, NULL};

/* ------------------------------------------------- rubric tools, solve */

static const rp_cli_option *const solve_opts[] = {&o_jobs, &o_help, NULL};

static const rp_cli_option *const check_key_opts[] = {&o_text_json, &o_help, NULL};

static const rp_cli_option o_solve = {
    "--solve", NULL, RP_ARG_NONE, NULL,
    "check: also run the engine over every part, so a part it cannot compute is an error."};
static const rp_cli_option o_from_key_out = {
    "-o, --output", "OUT", RP_ARG_FILE, NULL,
    "from-key: write the rubric to OUT (atomically) instead of standard output."};

static const rp_cli_option *const rubric_opts[] = {&o_solve, &o_from_key_out, &o_help, NULL};

static const rp_cli_option *const help_opts[] = {NULL};

/* ------------------------------------------------------------- commands */

const rp_cli_command rp_cli_commands[] = {
    {"grade", rp_cmd_grade, "grade transcripts against a rubric or an answer key",
     "FILE|URL|-... [OPTION]...",
     "Grades every conversation in every input: finds each part the model answered, the "
     "answer it claimed in each turn, compares it with the rubric's truth, and reports per "
     "part the first and final verdict, why a wrong answer is wrong, the corrections it took "
     "and whether the answer was revealed.\n\n"
     "'-' reads standard input; with --format jsonl it is streamed, one report line per "
     "conversation. Each report is written as soon as it and those before it are graded. "
     "Exit 0 when every input was graded, 2 when one could not be (the others are still "
     "graded and written) or on usage.",
     grade_opts,
     {{"grade transcripts/claude-hw4.txt", "a table of every part of the chosen rubric"},
      {"grade chats.jsonl --key key.csv --format json -o report.json",
       "every conversation of chats.jsonl against an answer key, as JSON"}}},
    {"compare", rp_cmd_compare, "compare models across graded transcripts",
     "FILE... [OPTION]...",
     "Compares models across transcripts: each FILE is a transcript (graded first) or saved "
     "reports of 'redpen grade --format json|jsonl'. Transcripts of the same model aggregate.",
     compare_opts,
     {{"compare transcripts/claude-hw4.txt transcripts/qwen3-max-hw4.txt",
       "first and final pass rates and corrections, model by model"},
      {"compare --from-jsonl reports.jsonl --format html -o compare.html",
       "an HTML page with charts from saved reports"}}},
    {"annotate", rp_cmd_annotate, "write an annotated copy of a transcript",
     "FILE -o OUT [OPTION]...",
     "Writes the whole conversation of FILE with redpen's findings in the margin: beside every "
     "answer its verdict and why, beside every correction its kind and the part corrected.",
     annotate_opts,
     {{"annotate transcripts/claude-hw4.txt -o claude.html",
       "an HTML page with the math typeset"},
      {"annotate transcripts/claude-hw4.txt --report claude.json -o claude.pdf",
       "a PDF from a saved report, without grading again"}}},
    {"ingest", rp_cmd_ingest, "show the normalized turns and notes of a transcript",
     "FILE|URL|- [OPTION]...",
     "Shows the turns (role, text, model name) and the annotator notes redpen read from FILE: "
     "what every later stage sees.",
     ingest_opts,
     {{"ingest transcripts/claude-hw4.txt", "the turns as text"},
      {"ingest export.json --input-format chatgpt --format json",
       "a ChatGPT export's current branch as JSON"}}},
    {"extract", rp_cmd_extract, "show the claims found per turn and part",
     "FILE [OPTION]...",
     "Shows the claims found, turn by turn and part by part, with their verdicts: what the "
     "grader compared, for checking why a verdict came out as it did.",
     extract_opts,
     {{"extract transcripts/claude-hw4.txt", "every claim as a table"},
      {"extract transcripts/claude-hw4.txt --rubric rubrics/hw4.json --format json",
       "the same as JSON, against a given rubric"}}},
    {"equiv", rp_cmd_equiv, "compare two expressions and diagnose the difference",
     "TRUTH CLAIM [OPTION]...\n--batch FILE|- [OPTION]...",
     "Compares a claimed answer with the reference (TRUTH first: the diagnosis is relative to "
     "it), in LaTeX, plain ASCII or Unicode math. Prints \"equal\" (with a note when the "
     "comparison needed one) or \"different: CATEGORY: DETAIL\". Exit 0 equal, 1 different, 2 "
     "unreadable or bad usage.",
     equiv_opts,
     {{"equiv 'k\\,b^2 c' 'b^2 c'",
       "different: missing_factor: missing factor k"},
      {"equiv --batch pairs.tsv", "one verdict per TRUTH<TAB>CLAIM line"}}},
    {"solve", rp_cmd_solve, "print the engine's answer for every part of a rubric",
     "RUBRIC [OPTION]...",
     "Runs the engine over every part of RUBRIC and prints the answer key it derives as JSON "
     "(LaTeX for formulas, arrays for matrices), with the official key and the known wrong "
     "variants. The answers are the same for every --jobs.",
     solve_opts,
     {{"solve rubrics/hw4.json", "the derived key as JSON"},
      {"solve rubrics/hw4.json --jobs 0", "the same, simulating on every processor"}}},
    {"check-key", rp_cmd_check_key, "list parts where the official key and the engine disagree",
     "RUBRIC [OPTION]...",
     "Solves RUBRIC and lists every part where the course's official key and the engine "
     "disagree, with both values. Exit 1 when any part disagrees, 0 when none does.",
     check_key_opts,
     {{"check-key rubrics/hw4.json", "the disagreeing parts as text"},
      {"check-key rubrics/hw4.json --format json", "the same as JSON"}}},
    {"rubric", rp_cmd_rubric, "check a rubric, or make one from an answer key",
     "check RUBRIC [--solve]\nfrom-key KEY [-o OUT]",
     "check validates a rubric and its key file: every error names the file and the JSON path. "
     "Exit 0 when valid, 2 otherwise.\n\n"
     "from-key writes the rubric an answer key makes (CSV part,answer[,title][,points] or "
     "JSON), the one 'redpen grade --key KEY' grades with, so a course can start from a key "
     "and add variants later.",
     rubric_opts,
     {{"rubric check rubrics/hw4.json --solve", "validate the rubric and run the engine"},
      {"rubric from-key key.csv -o course.json", "a rubric to edit, from a 3-line key"}}},
    {"help", rp_cmd_help, "show the help of a command", "[COMMAND]",
     "Shows the help of COMMAND (the same as 'redpen COMMAND --help'), or the list of "
     "commands.",
     help_opts,
     {{"help grade", "the options of grade"}, {"help", "the list of commands"}}},
    {NULL, NULL, NULL, NULL, NULL, NULL, {{NULL, NULL}, {NULL, NULL}}},
};

/*
 * PDF output through headless Chromium: the HTML page is written into a
 * fresh temporary directory, printed there by Chromium with a throwaway
 * profile and no network services, and the PDF is then written to its
 * destination atomically.  Where Chromium is missing the caller gets
 * RP_ENOTFOUND and a message saying how to install it.
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include "report_int.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define PDF_MAX ((size_t)256 << 20)

static bool executable_file(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 && S_ISREG(sb.st_mode) && access(p, X_OK) == 0;
}

char *rp_chromium_find(void)
{
    const char *env = getenv("REDPEN_CHROMIUM");
    if (env && *env)
        return executable_file(env) ? strdup(env) : NULL;
    static const char *const names[] = {"chromium", "chromium-browser", "google-chrome",
                                        "google-chrome-stable"};
    const char *path = getenv("PATH");
    if (!path || !*path)
        path = "/usr/local/bin:/usr/bin:/bin";
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        const char *p = path;
        while (*p) {
            const char *e = strchr(p, ':');
            size_t len = e ? (size_t)(e - p) : strlen(p);
            char cand[PATH_MAX];
            if (len > 0 &&
                snprintf(cand, sizeof cand, "%.*s/%s", (int)len, p, names[k]) < (int)sizeof cand &&
                executable_file(cand))
                return strdup(cand);
            p += len;
            if (*p == ':')
                p++;
        }
    }
    return NULL;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

static void rm_tree(const char *dir)
{
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static bool write_file(const char *path, const char *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    bool ok = fwrite(data, 1, n, f) == n;
    return fclose(f) == 0 && ok;
}

/* Run argv with stdout and stderr into log; the exit status, or -1 when it
 * could not start or ran past timeout_s (then it is killed). */
static int run(char *const argv[], const char *log, unsigned timeout_s)
{
    posix_spawn_file_actions_t fa;
    if (posix_spawn_file_actions_init(&fa) != 0)
        return -1;
    posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    pid_t pid;
    int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0)
        return -1;
    struct timespec nap = {0, 50 * 1000 * 1000};
    for (unsigned long waited = 0;; waited += 50) {
        int status;
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        if (w < 0 && errno != EINTR)
            return -1;
        if (waited >= (unsigned long)timeout_s * 1000) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            return -1;
        }
        nanosleep(&nap, NULL);
    }
}

/* With SOURCE_DATE_EPOCH set (the reproducible-builds convention), the
 * PDF's creation and modification dates become that time, UTC, in place
 * (14 digits for 14 digits: no offset moves), so that the same page prints
 * to the same bytes, together with rp_pdf_fixed_node_ids(). */
static void pdf_fixed_dates(char *data, size_t n)
{
    const char *env = getenv("SOURCE_DATE_EPOCH");
    char *end = NULL;
    long long secs = env && *env ? strtoll(env, &end, 10) : -1;
    if (secs < 0 || (end && *end))
        return;
    time_t t = (time_t)secs;
    struct tm tm;
    char stamp[32];
    if (!gmtime_r(&t, &tm) || strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &tm) != 14)
        return;
    static const char *const keys[] = {"/CreationDate (D:", "/ModDate (D:"};
    for (size_t k = 0; k < 2; k++) {
        size_t kl = strlen(keys[k]);
        for (size_t i = 0; i + kl + 14 <= n; i++) {
            if (memcmp(data + i, keys[k], kl) != 0)
                continue;
            char *digits = data + i + kl;
            size_t d = 0;
            while (d < 14 && digits[d] >= '0' && digits[d] <= '9')
                d++;
            if (d == 14)
                memcpy(digits, stamp, 14);
        }
    }
}

#define NODE_KEY "(node"
#define NODE_DIGITS 8

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* The ids "(nodeNNNNNNNN)" at data[i], or -1 (digits only, then ')'). */
static long node_id_at(const char *data, size_t n, size_t i)
{
    size_t kl = sizeof NODE_KEY - 1;
    if (i + kl + NODE_DIGITS + 1 > n || memcmp(data + i, NODE_KEY, kl) != 0 ||
        data[i + kl + NODE_DIGITS] != ')')
        return -1;
    long v = 0;
    for (size_t d = 0; d < NODE_DIGITS; d++) {
        char c = data[i + kl + d];
        if (c < '0' || c > '9')
            return -1;
        v = v * 10 + (c - '0');
    }
    return v;
}

size_t rp_pdf_fixed_node_ids(char *data, size_t n)
{
    /* Chromium's tagged PDF names each structure element after its DOM
     * node, "(node00000063)", and the DOM's node counter can start one
     * higher in one run than in the next (a node made or not before the
     * page's own, depending on timing): the same page then prints to
     * other bytes.  Every id becomes its rank among the ids of the file,
     * in the same width: lengths and offsets stay, the order of the ids
     * (the /IDTree is sorted by them) stays, and two prints whose ids
     * differ by a constant shift become the same. */
    size_t count = 0;
    for (const char *p = data; (p = memchr(p, '(', (size_t)(data + n - p))) != NULL; p++)
        if (node_id_at(data, n, (size_t)(p - data)) >= 0)
            count++;
    if (count == 0)
        return 0;
    uint32_t *ids = malloc(count * sizeof *ids);
    if (!ids)
        return 0; /* the ids stay as Chromium wrote them */
    size_t k = 0;
    for (const char *p = data; k < count && (p = memchr(p, '(', (size_t)(data + n - p))) != NULL; p++) {
        long v = node_id_at(data, n, (size_t)(p - data));
        if (v >= 0)
            ids[k++] = (uint32_t)v;
    }
    qsort(ids, count, sizeof *ids, cmp_u32);
    size_t distinct = 0;
    for (size_t i = 0; i < count; i++)
        if (distinct == 0 || ids[distinct - 1] != ids[i])
            ids[distinct++] = ids[i];
    for (char *p = data; (p = memchr(p, '(', (size_t)(data + n - p))) != NULL; p++) {
        long v = node_id_at(data, n, (size_t)(p - data));
        if (v < 0)
            continue;
        uint32_t key = (uint32_t)v;
        uint32_t *hit = bsearch(&key, ids, distinct, sizeof *ids, cmp_u32);
        char digits[NODE_DIGITS + 1];
        snprintf(digits, sizeof digits, "%0*zu", NODE_DIGITS, (size_t)(hit - ids) + 1);
        memcpy(p + sizeof NODE_KEY - 1, digits, NODE_DIGITS);
    }
    free(ids);
    return distinct;
}

rp_status rp_pdf_from_html(const char *html, size_t n, const char *out_path,
                           unsigned timeout_s, rp_diags *d)
{
    char *chromium = rp_chromium_find();
    if (!chromium) {
        rp_diag_add(d, out_path, 0, 0,
                    "PDF output needs Chromium, which was not found (install the Debian package "
                    "'chromium', or set REDPEN_CHROMIUM to its path); --format html works without it");
        return RP_ENOTFOUND;
    }
    const char *tmpdir = getenv("TMPDIR");
    char dir[PATH_MAX];
    if (snprintf(dir, sizeof dir, "%s/redpen-pdf-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp") >=
            (int)sizeof dir ||
        !mkdtemp(dir)) {
        rp_diag_add(d, out_path, 0, 0, "cannot create a temporary directory: %s", strerror(errno));
        free(chromium);
        return RP_EIO;
    }
    char page[PATH_MAX + 32], pdf[PATH_MAX + 32], log[PATH_MAX + 32], prof[PATH_MAX + 32];
    char a_prof[PATH_MAX + 64], a_pdf[PATH_MAX + 64], url[PATH_MAX + 64];
    snprintf(page, sizeof page, "%s/page.html", dir);
    snprintf(pdf, sizeof pdf, "%s/out.pdf", dir);
    snprintf(log, sizeof log, "%s/chromium.log", dir);
    snprintf(prof, sizeof prof, "%s/profile", dir);
    snprintf(a_prof, sizeof a_prof, "--user-data-dir=%s", prof);
    snprintf(a_pdf, sizeof a_pdf, "--print-to-pdf=%s", pdf);
    snprintf(url, sizeof url, "file://%s", page);
    rp_status st = RP_OK;
    if (!write_file(page, html, n)) {
        rp_diag_add(d, out_path, 0, 0, "cannot write the page for Chromium in %s", dir);
        st = RP_EIO;
    }
    if (st == RP_OK) {
        char *argv[] = {chromium, "--headless", "--no-sandbox", "--disable-gpu",
                        "--disable-background-networking", "--disable-component-update",
                        "--disable-sync", "--no-first-run", "--disable-extensions",
                        "--no-pdf-header-footer", a_prof, a_pdf, url, NULL};
        int rc = run(argv, log, timeout_s ? timeout_s : 120);
        rp_buf out;
        rp_buf_init(&out, PDF_MAX);
        bool ok = rc == 0 && rp_read_raw(pdf, &out) && out.len > 4 && memcmp(out.data, "%PDF", 4) == 0;
        if (!ok) {
            rp_buf why;
            rp_buf_init(&why, (size_t)1 << 20);
            rp_read_raw(log, &why);
            /* the last line Chromium printed says most */
            const char *last = why.data ? why.data : "";
            for (size_t i = why.len; i > 1; i--)
                if (why.data[i - 2] == '\n') {
                    last = why.data + i - 1;
                    break;
                }
            rp_diag_add(d, out_path, 0, 0, "Chromium (%s) did not print the page (%s)%s%s", chromium,
                        rc < 0 ? "could not run or timed out" : "no PDF written",
                        *last ? ": " : "", last);
            rp_buf_free(&why);
            st = RP_EIO;
        } else {
            pdf_fixed_dates(out.data, out.len);
            rp_pdf_fixed_node_ids(out.data, out.len);
            st = rp_write_atomic(out_path, out.data, out.len, d);
        }
        rp_buf_free(&out);
    }
    rm_tree(dir);
    free(chromium);
    return st;
}

/*
 * Where redpen's data lives once it leaves the source tree, and the
 * nearest name to a mistyped one.
 *
 * `meson install` puts the rubrics and the KaTeX assets under
 * DATADIR/redpen (RP_DATADIR, set by the top-level meson.build).  A copy
 * of the installed tree moved elsewhere (a .deb unpacked into a scratch
 * root, a tarball in a home folder) keeps the same layout relative to the
 * binary, so the data is also looked for at EXEDIR/RP_DATADIR_FROM_BINDIR
 * (e.g. "../share/redpen").  Code running inside libredpen, loaded by a
 * program installed elsewhere (python3 importing the module of a moved
 * install), looks beside the library instead: LIBDIR/RP_DATADIR_FROM_LIBDIR
 * (e.g. "../../share/redpen").  The search orders that put these after the
 * user's own choices live with their users (the rubric registry, the
 * KaTeX loader); this file only answers "where is the installed data".
 *
 * rp_edit_distance serves every "did you mean": input formats, commands,
 * options and option values.
 */
#define _GNU_SOURCE /* dladdr */
#include "redpen/core.h"

#include <ctype.h>
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef RP_DATADIR
#define RP_DATADIR "/usr/local/share/redpen"
#endif
#ifndef RP_DATADIR_FROM_BINDIR
#define RP_DATADIR_FROM_BINDIR "../share/redpen"
#endif
#ifndef RP_DATADIR_FROM_LIBDIR
#define RP_DATADIR_FROM_LIBDIR "../share/redpen"
#endif

/* The directory of the shared library this code was loaded from, when it
 * runs inside one (libredpen), in buf; false inside the executable. */
static const char anchor; /* an address inside this code's object */

static bool lib_dir(char *buf, size_t cap)
{
    Dl_info info;
    if (!dladdr(&anchor, &info) || !info.dli_fname || !strchr(info.dli_fname, '/'))
        return false;
    char so[PATH_MAX], exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (!realpath(info.dli_fname, so))
        return false;
    if (n > 0) {
        exe[n] = '\0';
        if (strcmp(exe, so) == 0)
            return false; /* the executable itself */
    }
    char *slash = strrchr(so, '/');
    if (!slash)
        return false;
    *slash = '\0';
    int w = snprintf(buf, cap, "%s", slash == so ? "/" : so);
    return w > 0 && (size_t)w < cap;
}

bool rp_exe_dir(char *buf, size_t cap)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return false;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return false;
    *slash = '\0';
    int w = snprintf(buf, cap, "%s", slash == exe ? "/" : exe);
    return w > 0 && (size_t)w < cap;
}

bool rp_data_dir(const char *sub, bool (*ok)(const char *path), char *buf, size_t cap)
{
    int w = snprintf(buf, cap, "%s/%s", RP_DATADIR, sub);
    if (w > 0 && (size_t)w < cap && ok(buf))
        return true;
    char dir[PATH_MAX];
    if (lib_dir(dir, sizeof dir)) {
        if (RP_DATADIR_FROM_LIBDIR[0] == '\0')
            return false;
        w = snprintf(buf, cap, "%s/%s/%s", dir, RP_DATADIR_FROM_LIBDIR, sub);
        return w > 0 && (size_t)w < cap && ok(buf);
    }
    if (RP_DATADIR_FROM_BINDIR[0] == '\0' || !rp_exe_dir(dir, sizeof dir))
        return false;
    w = snprintf(buf, cap, "%s/%s/%s", dir, RP_DATADIR_FROM_BINDIR, sub);
    return w > 0 && (size_t)w < cap && ok(buf);
}

size_t rp_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63)
        return 9;
    /* optimal string alignment: Levenshtein plus swapping two neighbours,
     * the commonest typo, as one edit; rows i-2, i-1 and i */
    size_t rows[3][64];
    for (size_t j = 0; j <= lb; j++)
        rows[0][j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t *cur = rows[i % 3], *up = rows[(i - 1) % 3], *up2 = rows[(i - 2) % 3];
        cur[0] = i;
        int ca = tolower((unsigned char)a[i - 1]);
        for (size_t j = 1; j <= lb; j++) {
            int cb = tolower((unsigned char)b[j - 1]);
            size_t best = up[j - 1] + (ca != cb);
            if (up[j] + 1 < best)
                best = up[j] + 1;
            if (cur[j - 1] + 1 < best)
                best = cur[j - 1] + 1;
            if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
                tolower((unsigned char)a[i - 2]) == cb && up2[j - 2] + 1 < best)
                best = up2[j - 2] + 1;
            cur[j] = best;
        }
    }
    size_t d = rows[la % 3][lb];
    return d < 9 ? d : 9;
}

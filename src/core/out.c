/*
 * Where reports go: the one set of rules every writer of an output follows
 * (the atomic writes of grade, compare, annotate and rubric, and the
 * streaming writer of `grade -`).  A regular file is replaced atomically:
 * a temporary file beside it is written, flushed and renamed over it, and
 * keeps the mode of the file it replaces (a new file gets 0666 less the
 * umask).  Anything that is not a regular file is never replaced: devices,
 * FIFOs and terminals are written in place, a name of one of our own
 * descriptors (/dev/stdout, /proc/self/fd/N) is written into that
 * descriptor, a symlink is followed to what it names, and a directory or
 * socket is refused.  Temporary files still pending when SIGINT, SIGTERM
 * or SIGHUP stops the process are removed by a signal handler, and an
 * output that is one of the inputs is refused before anything is read.
 */
#include "redpen/core.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ------------------------------------------------- temporary-file cleanup */

/* Temporary files not yet renamed into place.  The handler only loads
 * pointers and calls unlink(), both safe in a signal handler; a slot is
 * emptied before its string is freed. */
#define PENDING_MAX 64
static _Atomic(char *) pending[PENDING_MAX];
static pthread_once_t handlers_once = PTHREAD_ONCE_INIT;
static const int cleanup_signals[] = {SIGINT, SIGTERM, SIGHUP};

static void on_signal(int sig)
{
    for (size_t i = 0; i < PENDING_MAX; i++) {
        char *p = atomic_load(&pending[i]);
        if (p)
            unlink(p);
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
    raise(sig);
}

/* Install the handler for each signal whose disposition is the default:
 * a signal the caller ignores or handles itself is left alone. */
static void install_handlers(void)
{
    for (size_t i = 0; i < sizeof cleanup_signals / sizeof cleanup_signals[0]; i++) {
        struct sigaction old;
        if (sigaction(cleanup_signals[i], NULL, &old) != 0 || old.sa_handler != SIG_DFL ||
            (old.sa_flags & SA_SIGINFO))
            continue;
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(cleanup_signals[i], &sa, NULL);
    }
}

static int pending_add(char *path)
{
    pthread_once(&handlers_once, install_handlers);
    for (int i = 0; i < PENDING_MAX; i++) {
        char *expected = NULL;
        if (atomic_compare_exchange_strong(&pending[i], &expected, path))
            return i;
    }
    return -1; /* more outputs open at once than slots: no cleanup for this one */
}

static void pending_remove(int slot)
{
    if (slot >= 0)
        atomic_store(&pending[slot], NULL);
}

/* ------------------------------------------------------- resolving a name */

/* The descriptor a name stands for when it is one of this process's own
 * (its directory resolves to /proc/<our pid>/fd or
 * /proc/<our pid>/task/<tid>/fd and its last component is an open
 * descriptor's number), else -1.  /dev/stdout and /dev/fd/N reach this
 * through their symlinks. */
static int own_descriptor(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t nd = strspn(base, "0123456789");
    if (nd == 0 || nd > 9 || base[nd] != '\0')
        return -1;
    char dir[PATH_MAX];
    size_t dl = slash ? (size_t)(slash - path) : 0;
    if (dl >= sizeof dir)
        return -1;
    if (slash && dl == 0)
        strcpy(dir, "/");
    else if (!slash)
        strcpy(dir, ".");
    else {
        memcpy(dir, path, dl);
        dir[dl] = '\0';
    }
    char real[PATH_MAX];
    if (!realpath(dir, real))
        return -1;
    char self[64];
    int k = snprintf(self, sizeof self, "/proc/%ld/", (long)getpid());
    if (strncmp(real, self, (size_t)k) != 0)
        return -1;
    const char *rest = real + k;
    if (strncmp(rest, "task/", 5) == 0) {
        rest += 5;
        size_t t = strspn(rest, "0123456789");
        if (t == 0 || rest[t] != '/')
            return -1;
        rest += t + 1;
    }
    if (strcmp(rest, "fd") != 0)
        return -1;
    int fd = atoi(base);
    return fcntl(fd, F_GETFD) == -1 ? -1 : fd;
}

/* The name a symlink at path points to, relative names taken from path's
 * directory; NULL (errno set) on failure.  Freed by the caller. */
static char *link_target(const char *path)
{
    char link[PATH_MAX];
    ssize_t r = readlink(path, link, sizeof link - 1);
    if (r < 0)
        return NULL;
    link[r] = '\0';
    const char *slash = strrchr(path, '/');
    size_t dl = link[0] == '/' || !slash ? 0 : (size_t)(slash - path) + 1;
    char *next = malloc(dl + (size_t)r + 1);
    if (!next)
        return NULL;
    memcpy(next, path, dl);
    memcpy(next + dl, link, (size_t)r + 1);
    return next;
}

typedef enum { NAME_NEW, NAME_REGULAR, NAME_OTHER, NAME_DESCRIPTOR } name_kind;

/* Follow path through symlinks to what it names: one of our descriptors
 * (*fd), or a final name (*final, malloc'd) with its lstat in *sb (not
 * filled for NAME_NEW).  Returns -1 after a diagnostic. */
static int resolve(const char *path, char **final, int *fd, struct stat *sb, rp_diags *d)
{
    char *cur = strdup(path);
    for (int hop = 0; cur && hop < 40; hop++) {
        int n = own_descriptor(cur);
        if (n >= 0) {
            free(cur);
            *fd = n;
            return NAME_DESCRIPTOR;
        }
        if (lstat(cur, sb) != 0) {
            if (errno == ENOENT) {
                *final = cur;
                return NAME_NEW;
            }
            rp_diag_add(d, path, 0, 0, "cannot write: %s", strerror(errno));
            free(cur);
            return -1;
        }
        if (!S_ISLNK(sb->st_mode)) {
            *final = cur;
            return S_ISREG(sb->st_mode) ? NAME_REGULAR : NAME_OTHER;
        }
        char *next = link_target(cur);
        if (!next) {
            rp_diag_add(d, path, 0, 0, "cannot follow the symbolic link %s: %s", cur,
                        strerror(errno));
            free(cur);
            return -1;
        }
        free(cur);
        cur = next;
    }
    if (!cur) {
        rp_diag_add(d, path, 0, 0, "cannot write: %s", strerror(ENOMEM));
        return -1;
    }
    free(cur);
    rp_diag_add(d, path, 0, 0, "cannot write: %s", strerror(ELOOP));
    return -1;
}

/* -------------------------------------------------------------- outputs */

static rp_status open_in_place(const char *path, const char *name, const struct stat *sb,
                               rp_out *o, rp_diags *d)
{
    if (S_ISDIR(sb->st_mode)) {
        rp_diag_add(d, path, 0, 0, "is a directory");
        return RP_EIO;
    }
    if (S_ISSOCK(sb->st_mode)) {
        rp_diag_add(d, path, 0, 0, "is a socket: a report cannot be written into it");
        return RP_EIO;
    }
    /* a device, FIFO or terminal: written as it is (a FIFO waits for its reader) */
    int fd = open(name, O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        rp_diag_add(d, path, 0, 0, "cannot open for writing: %s", strerror(errno));
        return RP_EIO;
    }
    o->fd = fd;
    o->own_fd = true;
    return RP_OK;
}

/* The process's umask, read once.  umask() can only be read by setting
 * it, which would change it for a moment under other threads creating
 * files (the solved-rubric cache is written from worker threads): Linux
 * reports it in /proc/self/status, and only without that is it read by
 * setting and restoring it. */
static mode_t the_umask;
static pthread_once_t umask_once = PTHREAD_ONCE_INIT;

static void read_umask(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    unsigned m;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "Umask: %o", &m) == 1) {
            the_umask = (mode_t)(m & 0777);
            fclose(f);
            return;
        }
    if (f)
        fclose(f);
    the_umask = umask(022);
    umask(the_umask);
}

/* The temporary file beside final, with the mode of the file it replaces
 * (sb, when replaced) or 0666 less the umask. */
static rp_status open_temporary(const char *path, char *final, const struct stat *sb,
                                rp_out *o, rp_diags *d)
{
    size_t n = strlen(final) + 16;
    char *tmp = malloc(n);
    if (!tmp)
        return RP_ENOMEM;
    snprintf(tmp, n, "%s.tmp-XXXXXX", final);
    /* registered before it exists: mkstemp fills in the name before it
     * creates the file, so a signal at any moment finds it */
    o->slot = pending_add(tmp);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int err = errno;
        pending_remove(o->slot);
        o->slot = -1;
        rp_diag_add(d, path, 0, 0, "cannot create a temporary file beside it: %s",
                    strerror(err));
        free(tmp);
        return RP_EIO;
    }
    mode_t mode;
    if (sb) {
        if (fchown(fd, sb->st_uid, sb->st_gid) != 0) {
            /* not ours to give away: the replaced file's owner is lost, as with any editor */
        }
        mode = sb->st_mode & 0777; /* never setuid, setgid or sticky: it is new content */
    } else {
        pthread_once(&umask_once, read_umask);
        mode = 0666 & ~the_umask;
    }
    fchmod(fd, mode);
    o->fd = fd;
    o->own_fd = true;
    o->tmp = tmp;
    o->target = final;
    return RP_OK;
}

rp_status rp_out_open(const char *path, rp_out *o, rp_diags *d)
{
    memset(o, 0, sizeof *o);
    o->fd = -1;
    o->slot = -1;
    o->label = strcmp(path, "-") == 0 ? "<stdout>" : path;
    int fd = -1;
    char *final = NULL;
    struct stat sb;
    int kind = NAME_DESCRIPTOR;
    if (strcmp(path, "-") == 0)
        fd = STDOUT_FILENO;
    else
        kind = resolve(path, &final, &fd, &sb, d);
    rp_status st = RP_OK;
    switch (kind) {
    case NAME_DESCRIPTOR:
        if ((fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDONLY) {
            rp_diag_add(d, o->label, 0, 0, "is open for reading only");
            return RP_EIO;
        }
        if (fd == STDOUT_FILENO)
            fflush(stdout);
        else if (fd == STDERR_FILENO)
            fflush(stderr);
        o->fd = fd;
        return RP_OK;
    case NAME_OTHER:
        st = open_in_place(path, final, &sb, o, d);
        free(final);
        return st;
    case NAME_REGULAR:
    case NAME_NEW:
        st = open_temporary(path, final, kind == NAME_REGULAR ? &sb : NULL, o, d);
        if (st != RP_OK)
            free(final);
        return st;
    default:
        return RP_EIO;
    }
}

rp_status rp_out_write(rp_out *o, const char *data, size_t n, rp_diags *d)
{
    size_t off = 0;
    while (off < n) {
        ssize_t w = write(o->fd, data + off, n - off);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            rp_diag_add(d, o->label, 0, 0, "write failed: %s", strerror(errno));
            return RP_EIO;
        }
        off += (size_t)w;
    }
    return RP_OK;
}

rp_status rp_out_close(rp_out *o, bool keep, rp_diags *d)
{
    rp_status st = RP_OK;
    if (o->tmp && keep && fsync(o->fd) != 0 && errno != EINVAL && errno != EROFS) {
        rp_diag_add(d, o->label, 0, 0, "flush failed: %s", strerror(errno));
        st = RP_EIO;
    }
    if (o->own_fd && o->fd >= 0 && close(o->fd) != 0 && st == RP_OK && keep) {
        rp_diag_add(d, o->label, 0, 0, o->tmp ? "close failed: %s" : "write failed: %s",
                    strerror(errno));
        st = RP_EIO;
    }
    o->fd = -1;
    if (o->tmp) {
        if (keep && st == RP_OK && rename(o->tmp, o->target) != 0) {
            rp_diag_add(d, o->label, 0, 0, "cannot replace: %s", strerror(errno));
            st = RP_EIO;
        }
        if (!keep || st != RP_OK)
            unlink(o->tmp);
        pending_remove(o->slot);
        free(o->tmp);
        o->tmp = NULL;
    }
    free(o->target);
    o->target = NULL;
    return st;
}

rp_status rp_write_atomic(const char *path, const char *data, size_t n, rp_diags *d)
{
    rp_out o;
    rp_status st = rp_out_open(path, &o, d);
    if (st != RP_OK)
        return st;
    st = rp_out_write(&o, data, n, d);
    rp_status cst = rp_out_close(&o, st == RP_OK, d);
    return st != RP_OK ? st : cst;
}

rp_status rp_out_check_inputs(const char *out, const char *const *inputs, size_t n,
                              rp_diags *d)
{
    struct stat so;
    if (!out || strcmp(out, "-") == 0 || stat(out, &so) != 0)
        return RP_OK;
    if (!S_ISREG(so.st_mode)) /* a device or FIFO read and written is no loss */
        return RP_OK;
    for (size_t i = 0; i < n; i++) {
        struct stat si;
        if (!inputs[i])
            continue;
        bool std_in = strcmp(inputs[i], "-") == 0;
        if (std_in ? fstat(STDIN_FILENO, &si) != 0 : stat(inputs[i], &si) != 0)
            continue;
        if (si.st_dev == so.st_dev && si.st_ino == so.st_ino) {
            rp_diag_add(d, out, 0, 0,
                        "is the same file as the input %s: the report would overwrite it "
                        "(choose another output)",
                        std_in ? "<stdin>" : inputs[i]);
            return RP_EINPUT;
        }
    }
    return RP_OK;
}

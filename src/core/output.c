/* Safe output files (contract: include/demarche/output.h): a temporary
 * file renamed over a regular file, direct writes to FIFOs and devices,
 * every write checked as it happens. */
#include "demarche/output.h"
#include "core/temp_internal.h"
#include "core/output_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_LINKS 40

struct dm_output {
    char *path;        /* as given */
    char *target;      /* the final target, links followed */
    char *tmp;         /* the temporary file, NULL when direct */
    int tmp_slot;      /* its registry entry */
    int fd;
    bool direct, own_fd, existed;
    struct stat old;   /* the file replaced, when existed */
    FILE *fp;
    char *buf;         /* fp's buffer (not a terminal's), freed after fp is closed */
    int write_errno;   /* the first write failure, 0 if none */
};

/* The stream's sink: every write(2) checked; after the first failure the
 * output refuses all further bytes. Returning less than asked sets the
 * stream's error flag. */
static ssize_t sink_write(void *cookie, const char *buf, size_t len)
{
    dm_output *o = cookie;
    size_t done = 0;
    while (!o->write_errno && done < len) {
        ssize_t n = write(o->fd, buf + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            o->write_errno = n < 0 ? errno : EIO;
        else
            done += (size_t)n;
    }
    if (o->write_errno)
        errno = o->write_errno;
    return (ssize_t)done;
}

char *dm_output_resolve(const char *path, dm_error *err)
{
    char *p = strdup(path);
    for (int links = 0; p; links++) {
        struct stat st;
        if (lstat(p, &st) != 0 || !S_ISLNK(st.st_mode))
            return p;
        if (links == MAX_LINKS) {
            free(p);
            dm_error_set(err, DM_E_IO, path, 0, "too many levels of symbolic links");
            return NULL;
        }
        size_t cap = st.st_size > 0 ? (size_t)st.st_size + 1 : PATH_MAX; /* /proc says 0 */
        char *link = malloc(cap + 1);
        ssize_t n = link ? readlink(p, link, cap) : -1;
        if (n < 0 || (size_t)n >= cap) { /* gone or grown meanwhile: stop here */
            free(link);
            return p;
        }
        link[n] = '\0';
        const char *slash = strrchr(p, '/');
        char *next;
        if (link[0] == '/' || !slash) {
            next = link;
        } else { /* relative to the link's own directory */
            size_t dir = (size_t)(slash - p) + 1;
            next = malloc(dir + (size_t)n + 1);
            if (next) {
                memcpy(next, p, dir);
                memcpy(next + dir, link, (size_t)n + 1);
            }
            free(link);
        }
        free(p);
        p = next;
    }
    dm_error_set(err, DM_E_NOMEM, path, 0, "out of memory");
    return NULL;
}

static dm_output *output_new(const char *path, int fd)
{
    dm_output *o = calloc(1, sizeof *o);
    if (!o || !(o->path = strdup(path))) {
        free(o);
        return NULL;
    }
    o->fd = fd;
    o->tmp_slot = -1;
    return o;
}

static void output_free(dm_output *o)
{
    if (o->fp)
        fclose(o->fp); /* the sink has no close: the descriptor is ours to close */
    free(o->buf);
    if (o->own_fd && o->fd >= 0)
        close(o->fd);
    if (o->tmp) {
        unlink(o->tmp);
        dm_temp_forget(&o->tmp_slot);
    }
    free(o->tmp);
    free(o->target);
    free(o->path);
    free(o);
}

static dm_status attach_stream(dm_output *o, dm_error *err)
{
    cookie_io_functions_t io = {.write = sink_write};
    o->fp = fopencookie(o, "w", io);
    if (!o->fp)
        return dm_error_set(err, DM_E_NOMEM, o->path, 0, "out of memory");
    /* A terminal sees each line as it is written. Elsewhere stdio's 8 kB
     * made a write(2) for every 20 statements (2,467 on 50,000, each a
     * switch into a kernel with page-table isolation); 256 kB make 80.
     * glibc takes the size only with a buffer given (a NULL one gets
     * its default). Without memory for it, the default buffer serves. */
    enum { BUFFER = 256 << 10 };
    if (isatty(o->fd))
        setvbuf(o->fp, NULL, _IOLBF, 0);
    else if ((o->buf = malloc(BUFFER)) != NULL)
        setvbuf(o->fp, o->buf, _IOFBF, BUFFER);
    return DM_OK;
}

/* A Unix socket cannot be open(2)ed: connect to it. */
static int connect_socket(const char *path)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof a.sun_path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    strcpy(a.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        fd = -1;
    }
    return fd;
}

static dm_status open_direct(dm_output *o, const struct stat *st, dm_error *err)
{
    o->direct = true;
    o->own_fd = true;
    o->fd = S_ISSOCK(st->st_mode) ? connect_socket(o->path)
                                   : open(o->path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (o->fd < 0)
        return dm_error_set(err, DM_E_IO, o->path, 0, "cannot open for writing: %s",
                            strerror(errno));
    struct stat now;
    if (fstat(o->fd, &now) != 0 || S_ISREG(now.st_mode) || S_ISDIR(now.st_mode))
        return dm_error_set(err, DM_E_IO, o->path, 0, "changed while it was being opened");
    return DM_OK;
}

static dm_status open_temporary(dm_output *o, dm_error *err)
{
    size_t n = strlen(o->target) + sizeof ".tmp.XXXXXX";
    o->tmp = malloc(n);
    if (!o->tmp)
        return dm_error_set(err, DM_E_NOMEM, o->path, 0, "out of memory");
    snprintf(o->tmp, n, "%s.tmp.XXXXXX", o->target);
    o->fd = dm_temp_mkstemp(o->tmp, &o->tmp_slot);
    if (o->fd < 0) {
        int saved = errno;
        free(o->tmp); /* nothing was created: never unlink it */
        o->tmp = NULL;
        return dm_error_set(err, DM_E_IO, o->path, 0, "cannot create a temporary file: %s",
                            strerror(saved));
    }
    o->own_fd = true;
    return DM_OK;
}

/* /dev/stdout, /dev/stderr, /dev/fd/N and /proc/self/fd/N name a
 * descriptor this process has open: written through it, as bash treats
 * them in redirections, so "-o /dev/stdout >>log" appends and never
 * replaces the file behind it. -1 for any other path. */
static int named_descriptor(const char *path)
{
    if (strcmp(path, "/dev/stdin") == 0)
        return -1; /* not for writing: handled as an ordinary path */
    if (strcmp(path, "/dev/stdout") == 0)
        return STDOUT_FILENO;
    if (strcmp(path, "/dev/stderr") == 0)
        return STDERR_FILENO;
    const char *num = strncmp(path, "/dev/fd/", 8) == 0         ? path + 8
                      : strncmp(path, "/proc/self/fd/", 14) == 0 ? path + 14
                                                                 : NULL;
    if (!num || *num < '0' || *num > '9')
        return -1;
    char *end;
    long fd = strtol(num, &end, 10);
    return *end == '\0' && fd <= INT_MAX ? (int)fd : -1;
}

dm_status dm_output_open(const char *path, dm_output **out, dm_error *err)
{
    if (!path || !*path || !out)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0, "dm_output_open: invalid argument");
    *out = NULL;
    int fd = named_descriptor(path);
    if (fd >= 0) {
        if (fcntl(fd, F_GETFL) < 0)
            return dm_error_set(err, DM_E_IO, path, 0, "cannot write: %s", strerror(errno));
        return dm_output_open_fd(fd, path, out, err);
    }
    dm_output *o = output_new(path, -1);
    if (!o)
        return dm_error_set(err, DM_E_NOMEM, path, 0, "out of memory");
    /* What is there, links followed by the kernel: /dev/stdout and other
     * /proc magic links only resolve this way. */
    dm_status s = DM_OK;
    struct stat st;
    bool found = stat(path, &st) == 0;
    if (!found && errno != ENOENT) {
        s = dm_error_set(err, DM_E_IO, path, 0, "cannot write: %s", strerror(errno));
    } else if (found && S_ISDIR(st.st_mode)) {
        s = dm_error_set(err, DM_E_IO, path, 0, "is a directory");
    } else if (found && (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ||
                         S_ISSOCK(st.st_mode))) {
        s = open_direct(o, &st, err);
    } else if (found && !S_ISREG(st.st_mode)) {
        s = dm_error_set(err, DM_E_IO, path, 0, "is not a file, FIFO or device");
    } else if (!(o->target = dm_output_resolve(path, err))) {
        s = err ? err->status : DM_E_IO;
    } else { /* a regular file or nothing: a temporary next to the final target */
        o->existed = found;
        if (found)
            o->old = st;
        s = open_temporary(o, err);
    }
    if (s == DM_OK)
        s = attach_stream(o, err);
    if (s != DM_OK) {
        output_free(o);
        return s;
    }
    *out = o;
    return DM_OK;
}

dm_status dm_output_open_fd(int fd, const char *name, dm_output **out, dm_error *err)
{
    if (fd < 0 || !name || !out)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0, "dm_output_open_fd: invalid argument");
    *out = NULL;
    dm_output *o = output_new(name, fd);
    if (!o)
        return dm_error_set(err, DM_E_NOMEM, name, 0, "out of memory");
    o->direct = true;
    dm_status s = attach_stream(o, err);
    if (s != DM_OK) {
        output_free(o);
        return s;
    }
    *out = o;
    return DM_OK;
}

FILE *dm_output_stream(dm_output *o)
{
    return o ? o->fp : NULL;
}

const char *dm_output_path(const dm_output *o)
{
    return o ? o->path : NULL;
}

bool dm_output_is_direct(const dm_output *o)
{
    return o && o->direct;
}

dm_status dm_output_check(dm_output *o, dm_error *err)
{
    if (!o)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0, "dm_output_check: invalid argument");
    if (!o->write_errno && ferror(o->fp))
        o->write_errno = EIO;
    if (o->write_errno)
        return dm_error_set(err, DM_E_IO, o->path, 0, "cannot write: %s",
                            strerror(o->write_errno));
    return DM_OK;
}

dm_status dm_output_write(dm_output *o, const void *buf, size_t len, dm_error *err)
{
    if (!o || (!buf && len))
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0, "dm_output_write: invalid argument");
    if (len && !o->write_errno)
        fwrite(buf, 1, len, o->fp);
    return dm_output_check(o, err);
}

/* The replaced file's mode and, where allowed, its owner and group (owner
 * first: chown may clear set-id bits); a new file gets 0666 & ~umask. When
 * the owner cannot be kept, set-id bits are dropped rather than handed to
 * the new owner. */
static dm_status set_attributes(dm_output *o, dm_error *err)
{
    mode_t mode = o->existed ? o->old.st_mode & 07777 : 0666 & ~dm_temp_umask();
    if (o->existed && (o->old.st_uid != geteuid() || o->old.st_gid != getegid()) &&
        fchown(o->fd, o->old.st_uid, o->old.st_gid) != 0) {
        mode &= ~(mode_t)(S_ISUID | S_ISGID);
        (void)!fchown(o->fd, (uid_t)-1, o->old.st_gid); /* at least the group, if ours */
    }
    if (fchmod(o->fd, mode) != 0)
        return dm_error_set(err, DM_E_IO, o->path, 0, "cannot set the file mode: %s",
                            strerror(errno));
    return DM_OK;
}

/* After the rename, make it durable: sync the directory (best effort). */
static void sync_directory(const char *target)
{
    const char *slash = strrchr(target, '/');
    char *dir = slash ? strndup(target, slash == target ? 1 : (size_t)(slash - target))
                      : strdup(".");
    int fd = dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(dir);
}

dm_status dm_output_commit(dm_output **op, dm_error *err)
{
    if (!op || !*op)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0, "dm_output_commit: invalid argument");
    dm_output *o = *op;
    *op = NULL;
    if (fflush(o->fp) != 0 && !o->write_errno)
        o->write_errno = errno ? errno : EIO;
    dm_status s = dm_output_check(o, err);
    if (s == DM_OK && !o->direct && fsync(o->fd) != 0)
        s = dm_error_set(err, DM_E_IO, o->path, 0, "cannot write: %s", strerror(errno));
    if (s == DM_OK && !o->direct)
        s = set_attributes(o, err);
    fclose(o->fp); /* flushed above: only frees the stream */
    o->fp = NULL;
    if (o->own_fd) {
        int rc = close(o->fd);
        o->fd = -1;
        if (rc != 0 && s == DM_OK && errno != EINTR)
            s = dm_error_set(err, DM_E_IO, o->path, 0, "cannot write: %s", strerror(errno));
    }
    if (s == DM_OK && !o->direct) {
        if (rename(o->tmp, o->target) != 0) {
            s = dm_error_set(err, DM_E_IO, o->path, 0, "cannot move the new file into place: %s",
                             strerror(errno));
        } else {
            dm_temp_forget(&o->tmp_slot);
            free(o->tmp);
            o->tmp = NULL; /* renamed: nothing to remove */
            sync_directory(o->target);
        }
    }
    output_free(o);
    return s;
}

void dm_output_abort(dm_output **op)
{
    if (!op || !*op)
        return;
    output_free(*op);
    *op = NULL;
}

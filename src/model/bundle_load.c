/* Loading a model bundle: the manifest is checked before anything else, the
 * featurizer is rebuilt from the manifest's settings, and the lexicons must
 * be the ones the model was trained with.
 *
 * A bundle is untrusted input (users share them): every file is read once,
 * only if it is a regular file of bounded size (a FIFO or a link to
 * /dev/zero would hang the loader), its checksum and its text are checked
 * in memory, and LIBLINEAR/libsvm parse exactly those checked bytes. */
#include "model/model_internal.h"
#include "model/params_internal.h"
#include "core/log_internal.h"
#include "features/features_internal.h"

#include <unicode/uchar.h>
#include <unicode/uversion.h>

#include <errno.h>
#include <math.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Read a whole bundle file into a NUL-terminated buffer. Opened without
 * blocking (a FIFO's open waits for a writer), then refused unless it is a
 * regular file of at most `max` bytes; the limit holds while reading too,
 * in case the file grows. Symbolic links are followed: a bundle may
 * legitimately link its files. */
static dm_status open_bundle_file(const char *path, const char *name, size_t max, int *fd_out,
                                  size_t *size, dm_error *err)
{
    *fd_out = -1;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return dm_error_set(err, DM_E_FORMAT, path, 0, errno == ENOENT
                            ? "model bundle is missing %s (%s)" : "cannot open %s: %s",
                            name, strerror(errno));
    struct stat st;
    dm_status s = DM_OK;
    if (fstat(fd, &st) != 0)
        s = dm_error_set(err, DM_E_IO, path, 0, "cannot read %s: %s", name, strerror(errno));
    else if (!S_ISREG(st.st_mode))
        s = dm_error_set(err, DM_E_FORMAT, path, 0,
                         "%s is not a regular file (%s); refused", name,
                         S_ISDIR(st.st_mode) ? "a directory" : S_ISFIFO(st.st_mode) ? "a FIFO"
                         : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device" : "a special file");
    else if ((uintmax_t)st.st_size > max)
        s = dm_error_set(err, DM_E_FORMAT, path, 0, "%s is larger than the %zu MB limit; refused",
                         name, max >> 20);
    if (s != DM_OK) {
        close(fd);
        return s;
    }
    *fd_out = fd;
    *size = (size_t)st.st_size;
    return DM_OK;
}

static dm_status read_bundle_file(const char *path, const char *name, size_t max,
                                  char **out, size_t *len, dm_error *err)
{
    *out = NULL;
    *len = 0;
    int fd;
    size_t size;
    dm_status s = open_bundle_file(path, name, max, &fd, &size, err);
    if (s != DM_OK)
        return s;
    char *buf = NULL;
    size_t n = 0, cap;
    cap = size + 1;
    buf = malloc(cap + 1);
    if (!buf) {
        s = dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
        goto done;
    }
    for (;;) {
        if (n == cap) {
            /* The file grew since fstat: keep going up to the limit. */
            size_t ncap = cap * 2 < max + 1 ? cap * 2 : max + 1;
            char *nb = ncap > cap ? realloc(buf, ncap + 1) : NULL;
            if (!nb) {
                s = ncap > cap ? dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory")
                               : dm_error_set(err, DM_E_FORMAT, path, 0,
                                              "%s is larger than the %zu MB limit; refused",
                                              name, max >> 20);
                goto done;
            }
            buf = nb;
            cap = ncap;
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            s = dm_error_set(err, DM_E_IO, path, 0, "cannot read %s: %s", name, strerror(errno));
            goto done;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    if (n > max) {
        s = dm_error_set(err, DM_E_FORMAT, path, 0, "%s is larger than the %zu MB limit; refused",
                         name, max >> 20);
        goto done;
    }
    buf[n] = '\0';
done:
    close(fd);
    if (s != DM_OK) {
        free(buf);
        return s;
    }
    *out = buf;
    *len = n;
    return DM_OK;
}

/* LIBLINEAR and libsvm load from a path: give them the validated bytes
 * through an anonymous memory file (/proc/self/fd/N), so that what they
 * parse is what was checked, whatever happens to the bundle meanwhile.
 * Without memfd or /proc, a private temporary file (mkstemp, 0600) does. */
static dm_status load_checked_bytes(const char *path, const char *text, size_t len,
                                    dm_backend backend, dm_task task, bool svr,
                                    dm_submodel **out, dm_error *err)
{
    char tmp[4096] = "", fdpath[64];
    int fd = memfd_create("demarche-model", MFD_CLOEXEC);
    if (fd >= 0) {
        snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", fd);
        if (access(fdpath, R_OK) != 0) {
            close(fd);
            fd = -1;
        }
    }
    if (fd < 0) {
        const char *dir = getenv("TMPDIR");
        snprintf(tmp, sizeof tmp, "%s/demarche-model-XXXXXX", dir && *dir ? dir : "/tmp");
        fd = mkstemp(tmp);
        if (fd < 0)
            return dm_error_set(err, DM_E_IO, tmp, 0, "cannot create a temporary file: %s",
                                strerror(errno));
        snprintf(fdpath, sizeof fdpath, "%s", "");
    }
    dm_status s = DM_OK;
    for (size_t off = 0; off < len;) {
        ssize_t w = write(fd, text + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            s = dm_error_set(err, DM_E_IO, tmp[0] ? tmp : NULL, 0,
                             "cannot stage the model for loading: %s", strerror(errno));
            break;
        }
        off += (size_t)w;
    }
    if (s == DM_OK) {
        s = dm_submodel_load(tmp[0] ? tmp : fdpath, backend, task, svr, out, err);
        if (s != DM_OK && err) /* name the bundle's file, not the staging copy */
            snprintf(err->where, sizeof err->where, "%s", path);
    }
    if (tmp[0])
        unlink(tmp);
    close(fd);
    return s;
}

dm_status dm_submodel_load_text_internal(const char *path, const char *text, size_t len,
                                         dm_backend backend, dm_task task, bool svr,
                                         int max_dim, dm_submodel **out, dm_error *err)
{
    dm_status s = dm_model_text_validate_internal(path, text, len, backend, task, svr,
                                                  max_dim, err);
    return s != DM_OK ? s : load_checked_bytes(path, text, len, backend, task, svr, out, err);
}

static bool get_int(json_t *o, const char *key, long long *v)
{
    json_t *j = json_object_get(o, key);
    if (!json_is_integer(j))
        return false;
    *v = json_integer_value(j);
    return true;
}

static dm_status read_settings(json_t *f, const char *path, dm_feature_settings *fs,
                               dm_error *err)
{
    if (!json_is_object(f))
        return dm_error_set(err, DM_E_FORMAT, path, 0,
                            "manifest: \"features\" is missing or incomplete");
    long long layout;
    if (!get_int(f, "layout_version", &layout))
        layout = 1; /* bundles before the version was recorded */
    if (layout != DM_FEATURES_LAYOUT_VERSION)
        return dm_error_set(err, DM_E_FORMAT, path, 0,
                            "manifest: the model was trained with feature layout %lld; "
                            "this demarche computes layout %d: retrain it with this "
                            "version's demarche-train", layout, DM_FEATURES_LAYOUT_VERSION);
    /* Every feature setting of the parameter table, typed and in range. */
    return dm_params_read_features_internal(f, path, fs, err);
}

/* What the manifest says the featurizer computed must be what this build
 * computes: the same number of dimensions (2^hash_bits hashed buckets plus
 * the named block) and the same ICU major version (normalisation, case
 * folding and word breaks follow ICU's Unicode data). A different ICU minor
 * version only warns: minor releases keep the Unicode version. Bundles
 * written before a key was recorded are checked on what they have. */
static dm_status check_compatibility(json_t *manifest, const dm_featurizer *fz,
                                     const char *path, const dm_logger *logger,
                                     dm_error *err)
{
    const dm_feature_settings *fs = dm_featurizer_settings(fz);
    json_t *dims[3] = {json_object_get(json_object_get(manifest, "features"), "dimensions"),
                       NULL, NULL};
    json_t *tasks = json_object_get(manifest, "tasks");
    dims[1] = json_object_get(json_object_get(tasks, "hostility"), "dimensions");
    dims[2] = json_object_get(json_object_get(tasks, "stance"), "dimensions");
    for (int i = 0; i < 3; i++) {
        if (!dims[i])
            continue;
        if (!json_is_integer(dims[i]))
            return dm_error_set(err, DM_E_FORMAT, path, 0,
                                "manifest: \"dimensions\" must be an integer");
        /* "features" and hostility: hash_bits; stance: its own bits. */
        bool stance = i == 2;
        int have = dm_featurizer_task_dimensions(fz, stance);
        int bits = stance && fs->stance_hash_bits ? fs->stance_hash_bits : fs->hash_bits;
        long long want = json_integer_value(dims[i]);
        if (want != have)
            return dm_error_set(err, DM_E_MISMATCH, path, 0,
                                "the model has %lld %sfeature dimensions (2^%d hashed + %lld "
                                "named); this demarche computes %d (2^%d + %d named): "
                                "retrain it with this version's demarche-train",
                                want, stance ? "stance " : "", bits, want - (1LL << bits),
                                have, bits, have - (1 << bits));
    }
    UVersionInfo v;
    char here[U_MAX_VERSION_STRING_LENGTH], unicode[U_MAX_VERSION_STRING_LENGTH];
    u_getVersion(v);
    u_versionToString(v, here);
    u_getUnicodeVersion(v);
    u_versionToString(v, unicode);
    json_t *icu = json_object_get(manifest, "icu_version");
    if (!icu) {
        dm_log(logger, DM_LOG_WARNING, path, 0,
               "the model does not record the ICU version it was trained with "
               "(an older bundle); this build runs ICU %s", here);
        return DM_OK;
    }
    unsigned want_major = 0, want_minor = 0, have_major = 0, have_minor = 0;
    const char *trained = json_string_value(icu);
    if (!trained || sscanf(trained, "%u.%u", &want_major, &want_minor) < 1)
        return dm_error_set(err, DM_E_FORMAT, path, 0,
                            "manifest: \"icu_version\" must be a version string like \"72.1\"");
    sscanf(here, "%u.%u", &have_major, &have_minor);
    const char *trained_unicode = json_string_value(json_object_get(manifest, "unicode_version"));
    if (want_major != have_major)
        return dm_error_set(err, DM_E_MISMATCH, path, 0,
                            "the model was trained with ICU %s (Unicode %s); this demarche "
                            "runs ICU %s (Unicode %s), whose normalisation and word breaks "
                            "may differ: retrain the model with this build",
                            trained, trained_unicode ? trained_unicode : "?", here, unicode);
    if (want_minor != have_minor)
        dm_log(logger, DM_LOG_WARNING, path, 0,
               "the model was trained with ICU %s, this build runs ICU %s (same major "
               "version, Unicode %s): scores should not change", trained, here, unicode);
    return DM_OK;
}

/* The Platt scaling of a calibrated SVC ("platt": [[label, A, B], ...]). */
static dm_status load_platt(dm_submodel *sm, json_t *platt, const char *manifest_path,
                            const char *task, dm_error *err)
{
    if (!platt)
        return DM_OK;
    size_t n = json_array_size(platt);
    if (!json_is_array(platt) || n < 2 || n > DM_PLATT_MAX || !sm->ll)
        return dm_error_set(err, DM_E_FORMAT, manifest_path, 0,
                            "manifest: bad \"platt\" of task %s", task);
    for (size_t i = 0; i < n; i++) {
        json_t *row = json_array_get(platt, i);
        json_t *l = json_array_get(row, 0), *a = json_array_get(row, 1),
               *b = json_array_get(row, 2);
        if (json_array_size(row) != 3 || !json_is_integer(l) || !json_is_number(a) ||
            !json_is_number(b) || !isfinite(json_number_value(a)) ||
            !isfinite(json_number_value(b)) || json_integer_value(l) < 0 ||
            json_integer_value(l) >= DM_PLATT_MAX ||
            (int)json_integer_value(l) != sm->ll->label[i < (size_t)sm->ll->nr_class ? i : 0])
            return dm_error_set(err, DM_E_FORMAT, manifest_path, 0,
                                "manifest: bad \"platt\" row %zu of task %s", i + 1, task);
        sm->platt_label[i] = (int)json_integer_value(l);
        sm->platt_a[i] = json_number_value(a);
        sm->platt_b[i] = json_number_value(b);
    }
    if (n != (size_t)sm->ll->nr_class)
        return dm_error_set(err, DM_E_FORMAT, manifest_path, 0,
                            "manifest: \"platt\" of task %s has %zu classes, the model %d",
                            task, n, sm->ll->nr_class);
    sm->n_platt = (int)n;
    return DM_OK;
}

/* An ordinal model (submodel.c, train_ordinal) is read as its columns say:
 * "level >= label", so the labels must be consecutive, at least three of
 * them (a two-class LIBLINEAR model has one column), each with its Platt
 * sigmoid. */
static dm_status check_ordinal(dm_submodel *sm, const char *manifest_path, dm_error *err)
{
    const struct model *m = sm->ll;
    bool ok = m && m->nr_class >= 3 && sm->n_platt == m->nr_class && m->label[0] >= 1;
    for (int i = 1; ok && i < m->nr_class; i++)
        ok = m->label[i] == m->label[i - 1] + 1;
    if (!ok)
        return dm_error_set(err, DM_E_FORMAT, manifest_path, 0,
                            "manifest: an ordinal hostility model needs at least three "
                            "consecutive levels >= 1, each with a \"platt\" row");
    sm->ordinal = true;
    return DM_OK;
}

/* Read up to n bytes at fd's position into buf; the count read (n unless
 * the file ended), or (size_t)-1 on an error (errno). */
static size_t read_upto(int fd, void *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, (char *)buf + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return (size_t)-1;
        if (r == 0)
            break;
        got += (size_t)r;
    }
    return got;
}

/* A weights file in two parts: its header and labels into *head, its
 * weights straight into *body (an array the model can keep: no copy of
 * 8 MB, no second buffer to fault in). *body is NULL when the file was read
 * whole into *head instead: its first bytes are no plausible header, or it
 * changed size while read; the full checks then name what is wrong, as for
 * any bundle file. */
static dm_status read_weights_file(const char *path, const char *name, char **head,
                                   size_t *head_len, double **body, size_t *body_len,
                                   dm_error *err)
{
    *head = NULL;
    *body = NULL;
    *head_len = *body_len = 0;
    int fd;
    size_t size;
    dm_status s = open_bundle_file(path, name, DM_BUNDLE_FILE_MAX, &fd, &size, err);
    if (s != DM_OK)
        return s;
    unsigned char first[64];
    size_t got = read_upto(fd, first, sizeof first);
    size_t split = got == (size_t)-1 ? 0 : dm_weights_head_bytes_internal(first, got, size);
    char *h = split ? malloc(split) : NULL;
    double *w = h ? dm_weights_alloc_internal(size - split) : NULL;
    bool parts = false;
    if (w) {
        /* The first read may end inside the labels or past them. */
        size_t in_head = got < split ? got : split;
        memcpy(h, first, in_head);
        size_t in_body = got - in_head;
        memcpy(w, first + in_head, in_body);
        char extra;
        parts = (in_head == split || read_upto(fd, h + in_head, split - in_head) ==
                                         split - in_head) &&
                read_upto(fd, (char *)w + in_body, size - split - in_body) ==
                    size - split - in_body &&
                read_upto(fd, &extra, 1) == 0;
    }
    close(fd);
    if (!parts) {
        free(h);
        free(w);
        return read_bundle_file(path, name, DM_BUNDLE_FILE_MAX, head, head_len, err);
    }
    *head = h;
    *head_len = split;
    *body = w;
    *body_len = size - split;
    return DM_OK;
}

/* dm_model_load_parallel: the tasks' weights files read and checksummed on
 * a thread of their own while the featurizer is built (they need only the
 * manifest), and taken by load_weights where it would read them. What that
 * thread found, an error too, is only reported when load_weights gets
 * there: the loader's checks, their order and their messages are the
 * sequential ones. */
typedef struct weights_read {
    char *path;             /* NULL: not read ahead */
    const char *file, *want; /* the manifest's (borrowed; not written meanwhile) */
    dm_status status;
    dm_error err;
    char *data;
    double *body;
    size_t len, body_len;
} weights_read;

typedef struct weights_prefetch {
    pthread_t thread;
    bool started;
    const char *manifest_path;
    weights_read task[2];   /* DM_TASK_HOSTILITY, DM_TASK_STANCE */
} weights_prefetch;

static void weights_read_one(weights_read *w, const char *manifest_path)
{
    w->status = read_weights_file(w->path, w->file, &w->data, &w->len, &w->body, &w->body_len,
                                  &w->err);
    if (w->status == DM_OK)
        w->status = dm_bundle_checksum_check_internal(w->want, w->data, w->len, w->body,
                                                      w->body_len, w->path, w->file,
                                                      manifest_path, &w->err);
}

static void *prefetch_main(void *arg)
{
    weights_prefetch *p = arg;
    for (int i = 0; i < 2; i++)
        if (p->task[i].path)
            weights_read_one(&p->task[i], p->manifest_path);
    return NULL;
}

/* Start reading the weights files that the manifest names well enough for
 * load_weights to read them (a LIBLINEAR task's "weights" without '/', and
 * its "weights_checksum"). False: nothing started (load_weights reads). */
static bool prefetch_begin(weights_prefetch *p, const char *dir, json_t *tasks,
                           const char *manifest_path)
{
    memset(p, 0, sizeof *p);
    p->manifest_path = manifest_path;
    bool any = false;
    for (int i = 0; i < 2; i++) {
        json_t *t = json_object_get(tasks, i == 0 ? "hostility" : "stance");
        const char *file = json_string_value(json_object_get(t, "weights"));
        const char *want = json_string_value(json_object_get(t, "weights_checksum"));
        if (!file || strchr(file, '/') || !want)
            continue;
        size_t n = strlen(dir) + strlen(file) + 2;
        weights_read *w = &p->task[i];
        if (!(w->path = malloc(n)))
            continue;
        snprintf(w->path, n, "%s/%s", dir, file);
        w->file = file;
        w->want = want;
        any = true;
    }
    if (any && pthread_create(&p->thread, NULL, prefetch_main, p) == 0)
        p->started = true;
    if (!p->started)
        for (int i = 0; i < 2; i++) {
            free(p->task[i].path);
            p->task[i].path = NULL;
        }
    return p->started;
}

static void prefetch_join(weights_prefetch *p)
{
    if (p && p->started) {
        pthread_join(p->thread, NULL);
        p->started = false;
    }
}

/* What was read ahead and not taken. */
static void prefetch_free(weights_prefetch *p)
{
    if (!p)
        return;
    prefetch_join(p);
    for (int i = 0; i < 2; i++) {
        free(p->task[i].path);
        free(p->task[i].data);
        free(p->task[i].body);
        p->task[i] = (weights_read){0};
    }
}

/* A LIBLINEAR task from its binary weights (weights.c), checksummed like
 * every bundle file. The LIBLINEAR text beside them, kept for other tools,
 * is not parsed (that was most of the start-up time); it must still be
 * there with the size it had at training, so that a truncated or replaced
 * text is not shipped on unnoticed. */
static dm_status load_weights(dm_model *m, const char *dir, json_t *t, dm_task task, bool svr,
                              const char *text_path, const char *text_file,
                              const char *manifest_path, weights_prefetch *ahead,
                              dm_error *err)
{
    const char *file = json_string_value(json_object_get(t, "weights"));
    const char *want = json_string_value(json_object_get(t, "weights_checksum"));
    json_t *bytes = json_object_get(t, "bytes");
    if (!file || strchr(file, '/') || !want || !json_is_integer(bytes))
        return dm_error_set(err, DM_E_FORMAT, manifest_path, 0,
                            "manifest: \"weights\", \"weights_checksum\" or \"bytes\" "
                            "missing or bad for %s", text_file);
    struct stat st;
    if (stat(text_path, &st) != 0)
        return dm_error_set(err, DM_E_FORMAT, text_path, 0, errno == ENOENT
                            ? "model bundle is missing %s (%s)" : "cannot open %s: %s",
                            text_file, strerror(errno));
    if (!S_ISREG(st.st_mode) || (json_int_t)st.st_size != json_integer_value(bytes))
        return dm_error_set(err, DM_E_FORMAT, text_path, 0,
                            "%s is damaged or was changed after training (%s, manifest %lld "
                            "bytes)", text_file, S_ISREG(st.st_mode) ? "another size"
                            : "not a regular file", (long long)json_integer_value(bytes));
    size_t n = strlen(dir) + strlen(file) + 2;
    char *path = malloc(n);
    if (!path)
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    snprintf(path, n, "%s/%s", dir, file);
    char *data = NULL;
    double *body = NULL;
    size_t len = 0, body_len = 0;
    weights_read *w = ahead ? &ahead->task[task == DM_TASK_HOSTILITY ? 0 : 1] : NULL;
    dm_status s;
    if (w && w->path && strcmp(w->path, path) == 0 && strcmp(w->want, want) == 0) {
        /* read and checked ahead: its outcome, as if read here */
        s = w->status;
        if (s != DM_OK)
            *err = w->err;
        data = w->data;
        len = w->len;
        body = w->body;
        body_len = w->body_len;
        w->data = NULL;
        w->body = NULL;
    } else if ((s = read_weights_file(path, file, &data, &len, &body, &body_len, err)) != DM_OK) {
        /* named in err */
    } else {
        s = dm_bundle_checksum_check_internal(want, data, len, body, body_len, path, file,
                                              manifest_path, err);
    }
    if (s != DM_OK) {
        /* named in err */
    } else {
        int max_dim = dm_featurizer_task_dimensions(m->own_fz, task == DM_TASK_STANCE);
        dm_submodel **to = task == DM_TASK_HOSTILITY ? &m->hostility : &m->stance;
        s = body ? dm_weights_load_split_internal(path, data, len, &body, body_len, task, svr,
                                                  max_dim, to, err)
                 : dm_weights_load_internal(path, data, len, task, svr, max_dim, to, err);
    }
    free(body);
    free(data);
    free(path);
    return s;
}

static dm_status load_task(dm_model *m, const char *dir, json_t *tasks, dm_task task,
                           const char *manifest_path, weights_prefetch *ahead, dm_error *err)
{
    const char *name = task == DM_TASK_HOSTILITY ? "hostility" : "stance";
    json_t *t = json_object_get(tasks, name);
    if (!t)
        return DM_OK;
    const char *file = json_string_value(json_object_get(t, "file"));
    /* The solver used (never "auto") and the model type, spelt as the
     * parameter table spells them. */
    int solver = dm_params_choice_value_internal(
        "solver", json_string_value(json_object_get(t, "solver")));
    int type = dm_params_choice_value_internal(
        "hostility_model", json_string_value(json_object_get(t, "type")));
    if (!file || strchr(file, '/') ||
        (solver != DM_SOLVER_LIBLINEAR && solver != DM_SOLVER_LIBSVM) || type < 0 ||
        (task == DM_TASK_STANCE && type != DM_HOSTILITY_SVC) ||
        (type == DM_HOSTILITY_ORDINAL && solver != DM_SOLVER_LIBLINEAR))
        return dm_error_set(err, DM_E_FORMAT, manifest_path, 0,
                            "manifest: bad \"tasks\".\"%s\" entry", name);
    size_t n = strlen(dir) + strlen(file) + 2;
    char *path = malloc(n);
    if (!path)
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    snprintf(path, n, "%s/%s", dir, file);
    dm_status s;
    char *text = NULL;
    size_t len = 0;
    const char *want = json_string_value(json_object_get(t, "checksum"));
    dm_backend backend = solver == DM_SOLVER_LIBLINEAR ? DM_BACKEND_LIBLINEAR
                                                       : DM_BACKEND_LIBSVM;
    bool svr = type == DM_HOSTILITY_SVR;
    json_t *weights = json_object_get(t, "weights");
    if (weights) {
        s = backend == DM_BACKEND_LIBLINEAR
                ? load_weights(m, dir, t, task, svr, path, file, manifest_path, ahead, err)
                : dm_error_set(err, DM_E_FORMAT, manifest_path, 0,
                               "manifest: \"weights\" of task %s, a libsvm model", name);
    } else if ((s = read_bundle_file(path, file, DM_BUNDLE_FILE_MAX, &text, &len, err)) != DM_OK) {
        /* named in err */
    } else if (!want) {
        s = dm_error_set(err, DM_E_FORMAT, manifest_path, 0,
                         "manifest: no checksum for %s", file);
    } else if ((s = dm_bundle_checksum_check_internal(want, text, len, NULL, 0, path, file,
                                                      manifest_path, err)) != DM_OK) {
        /* named in err */
    } else {
        s = dm_submodel_load_text_internal(
            path, text, len, backend, task, svr,
            dm_featurizer_task_dimensions(m->own_fz, task == DM_TASK_STANCE),
            task == DM_TASK_HOSTILITY ? &m->hostility : &m->stance, err);
    }
    if (s == DM_OK) {
        if (task == DM_TASK_HOSTILITY)
            m->hostility_kind = (dm_hostility_kind)type;
        s = load_platt(task == DM_TASK_HOSTILITY ? m->hostility : m->stance,
                       json_object_get(t, "platt"), manifest_path, name, err);
    }
    if (s == DM_OK && type == DM_HOSTILITY_ORDINAL)
        s = check_ordinal(m->hostility, manifest_path, err);
    free(text);
    free(path);
    return s;
}

dm_status dm_model_load(const char *dir, const char *lexicon_dir,
                        dm_model **out, dm_error *err)
{
    return dm_model_load_with_logger(dir, lexicon_dir, NULL, out, err);
}

static dm_status load_bundle(const char *dir, const char *lexicon_dir, const dm_logger *logger,
                            bool parallel, dm_model **out, dm_error *err)
{
    weights_prefetch ahead_store, *ahead = NULL; /* parallel: the weights read ahead */
    if (!dir || !lexicon_dir || !out)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_model_load: invalid argument");
    *out = NULL;
    size_t n = strlen(dir) + 32;
    char *mpath = malloc(n);
    if (!mpath)
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    snprintf(mpath, n, "%s/manifest.json", dir);
    dm_model *m = calloc(1, sizeof *m);
    dm_status s = DM_OK;
    if (!m) {
        free(mpath);
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    }
    struct stat st;
    json_error_t je;
    if (stat(dir, &st) != 0) {
        /* Say what is wrong with the path itself: a bundle that is not
         * there is the commonest mistake (a typo, a relative path). */
        int e = errno;
        if (e == ENOENT)
            s = dm_error_set(err, DM_E_IO, dir, 0, "no such model bundle directory");
        else
            s = dm_error_set(err, DM_E_IO, dir, 0, "cannot open the model bundle directory: %s",
                             strerror(e));
        goto fail;
    }
    if (!S_ISDIR(st.st_mode)) {
        s = dm_error_set(err, DM_E_IO, dir, 0,
                         "not a directory (a model bundle is a directory holding manifest.json)");
        goto fail;
    }
    char *mtext = NULL;
    size_t mlen = 0;
    s = read_bundle_file(mpath, "manifest.json", DM_BUNDLE_FILE_MAX, &mtext, &mlen, err);
    if (s != DM_OK)
        goto fail;
    m->manifest = json_loadb(mtext, mlen, JSON_REJECT_DUPLICATES, &je);
    free(mtext);
    if (!m->manifest || !json_is_object(m->manifest)) {
        s = dm_error_set(err, DM_E_FORMAT, mpath, m->manifest ? 0 : je.line,
                         "corrupt manifest: %s", m->manifest ? "not an object" : je.text);
        goto fail;
    }
    long long version;
    if (!get_int(m->manifest, "format_version", &version) || version < 1) {
        s = dm_error_set(err, DM_E_FORMAT, mpath, 0, "manifest has no valid format_version");
        goto fail;
    }
    if (version > DM_MODEL_FORMAT_VERSION) {
        s = dm_error_set(err, DM_E_VERSION, mpath, 0,
                         "model format version %lld is newer than this demarche "
                         "supports (%d); upgrade demarche", version,
                         DM_MODEL_FORMAT_VERSION);
        goto fail;
    }
    dm_feature_settings fs;
    s = read_settings(json_object_get(m->manifest, "features"), mpath, &fs, err);
    if (s != DM_OK)
        goto fail;
    const char *want = json_string_value(json_object_get(m->manifest, "lexicon_checksum"));
    json_t *tasks = json_object_get(m->manifest, "tasks");
    if (!want || !json_is_object(tasks) || json_object_size(tasks) == 0) {
        s = dm_error_set(err, DM_E_FORMAT, mpath, 0,
                         "manifest: lexicon_checksum or tasks missing");
        goto fail;
    }
    /* (the manifest is only read from here until the join) */
    if (parallel && prefetch_begin(&ahead_store, dir, tasks, mpath))
        ahead = &ahead_store;
    s = dm_featurizer_create(&fs, lexicon_dir, &m->own_fz, err);
    if (s != DM_OK)
        goto fail;
    const char *have = dm_featurizer_lexicon_checksum(m->own_fz);
    if (!have || strcmp(have, want) != 0) {
        s = dm_error_set(err, DM_E_MISMATCH, lexicon_dir, 0,
                         "lexicons differ from those the model was trained with "
                         "(checksum %s, model %s); retrain or use the matching lexicons",
                         have ? have : "(none)", want);
        goto fail;
    }
    s = check_compatibility(m->manifest, m->own_fz, mpath, logger, err);
    if (s != DM_OK)
        goto fail;
    m->fz = m->own_fz;
    prefetch_join(ahead);
    s = load_task(m, dir, tasks, DM_TASK_HOSTILITY, mpath, ahead, err);
    if (s == DM_OK)
        s = load_task(m, dir, tasks, DM_TASK_STANCE, mpath, ahead, err);
    if (s == DM_OK && !m->hostility && !m->stance)
        s = dm_error_set(err, DM_E_FORMAT, mpath, 0, "manifest names no known task");
    if (s == DM_OK)
        s = dm_model_set_text_internal(m, err);
    if (s != DM_OK)
        goto fail;
    prefetch_free(ahead);
    free(mpath);
    *out = m;
    return DM_OK;
fail:
    prefetch_free(ahead);
    free(mpath);
    dm_model_destroy(&m);
    return s;
}

dm_status dm_model_load_with_logger(const char *dir, const char *lexicon_dir,
                                    const dm_logger *logger, dm_model **out,
                                    dm_error *err)
{
    return load_bundle(dir, lexicon_dir, logger, false, out, err);
}

dm_status dm_model_load_parallel(const char *dir, const char *lexicon_dir,
                                 const dm_logger *logger, dm_model **out, dm_error *err)
{
    return load_bundle(dir, lexicon_dir, logger, true, out, err);
}

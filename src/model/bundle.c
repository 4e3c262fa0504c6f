/* Model bundles: the manifest and the atomic directory write (see model.h).
 *
 * Determinism: the manifest has no timestamps, its keys are sorted, reals
 * are printed with a fixed precision, and the model files come from
 * svm_save_model / save_model of models trained with fixed seeds. */
#include "model/model_internal.h"
#include "model/params_internal.h"
#include "core/temp_internal.h"
#include "demarche/output.h"
#include "core/output_internal.h"
#include "features/features_internal.h"

#include <unicode/uchar.h>
#include <unicode/uversion.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MANIFEST "manifest.json"
#define JSON_FLAGS (JSON_SORT_KEYS | JSON_INDENT(2) | JSON_REAL_PRECISION(12))

static const char *task_file(dm_task task)
{
    return task == DM_TASK_HOSTILITY ? "hostility.model" : "stance.model";
}

static json_t *labels_array(dm_task task)
{
    json_t *a = json_array();
    if (task == DM_TASK_HOSTILITY)
        for (int l = 0; l < DM_HOSTILITY_LEVELS; l++)
            json_array_append_new(a, json_integer(l));
    else
        for (int s = 0; s < DM_STANCE_CLASSES; s++)
            json_array_append_new(a, json_string(dm_stance_name((dm_stance)s)));
    return a;
}

static json_t *task_json(const dm_submodel *sm, const dm_model_train_params *p,
                         dm_task task, long examples)
{
    json_t *o = json_object();
    json_object_set_new(o, "file", json_string(task_file(task)));
    /* The choices as the parameter table spells them (model.h). */
    json_object_set_new(o, "solver", json_string(dm_params_choice_name_internal(
        "solver", sm->backend == DM_BACKEND_LIBLINEAR ? DM_SOLVER_LIBLINEAR : DM_SOLVER_LIBSVM)));
    json_object_set_new(o, "type", json_string(dm_params_choice_name_internal(
        "hostility_model", sm->regression ? DM_HOSTILITY_SVR
                           : sm->ordinal  ? DM_HOSTILITY_ORDINAL
                                          : DM_HOSTILITY_SVC)));
    json_object_set_new(o, "kernel", json_string(dm_params_choice_name_internal("kernel", p->kernel)));
    json_object_set_new(o, "C", json_real(sm->C));
    json_object_set_new(o, "gamma", json_real(sm->gamma));
    if (sm->regression)
        json_object_set_new(o, "svr_epsilon", json_real(p->svr_epsilon));
    if (sm->backend == DM_BACKEND_LIBLINEAR)
        json_object_set_new(o, "liblinear_type",
                            json_integer(sm->regression ? L2R_L2LOSS_SVR_DUAL : p->liblinear_solver));
    json_object_set_new(o, "tolerance", json_real(p->tolerance));
    json_object_set_new(o, "examples", json_integer(examples));
    json_object_set_new(o, "labels", labels_array(task));
    json_object_set_new(o, "dimensions", json_integer(sm->dim));
    if (sm->n_platt > 0) {
        /* [label, A, B] per class: p = 1 / (1 + exp(A f + B)), normalised. */
        json_t *platt = json_array();
        for (int i = 0; i < sm->n_platt; i++) {
            json_t *row = json_array();
            json_array_append_new(row, json_integer(sm->platt_label[i]));
            json_array_append_new(row, json_real(sm->platt_a[i]));
            json_array_append_new(row, json_real(sm->platt_b[i]));
            json_array_append_new(platt, row);
        }
        json_object_set_new(o, "platt", platt);
    }
    return o;
}

static json_t *source_json(const char *name, const char *licence, long statements,
                           long hostility, long stance)
{
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(name));
    json_object_set_new(o, "licence", json_string(licence));
    json_object_set_new(o, "statements", json_integer(statements));
    json_object_set_new(o, "hostility_labels", json_integer(hostility));
    json_object_set_new(o, "stance_labels", json_integer(stance));
    return o;
}

dm_status dm_model_set_text_internal(dm_model *m, dm_error *err)
{
    free(m->manifest_text);
    m->manifest_text = json_dumps(m->manifest, JSON_FLAGS);
    if (!m->manifest_text)
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    return DM_OK;
}

dm_status dm_model_build_manifest_internal(dm_model *m,
                                           const dm_model_train_params *p,
                                           const dm_featurizer *fz,
                                           const dm_dataset *ds, dm_error *err)
{
    const dm_feature_settings *fs = dm_featurizer_settings(fz);
    json_t *o = json_object(), *f = json_object(), *tasks = json_object();
    json_object_set_new(o, "format_version", json_integer(DM_MODEL_FORMAT_VERSION));
    json_object_set_new(o, "demarche_version", json_string(DM_VERSION_STRING));
    dm_params_write_features_internal(f, fs); /* every setting of the parameter table */
    json_object_set_new(f, "layout_version", json_integer(DM_FEATURES_LAYOUT_VERSION));
    json_object_set_new(f, "dimensions", json_integer(dm_featurizer_dimensions(fz)));
    json_object_set_new(o, "features", f);
    /* Normalisation, case folding and word breaks come from ICU: the
     * loader compares these with the ICU it runs on. */
    UVersionInfo v;
    char version[U_MAX_VERSION_STRING_LENGTH];
    u_getVersion(v);
    u_versionToString(v, version);
    json_object_set_new(o, "icu_version", json_string(version));
    u_getUnicodeVersion(v);
    u_versionToString(v, version);
    json_object_set_new(o, "unicode_version", json_string(version));
    json_object_set_new(o, "hash_seed", json_integer(fs->hash_seed));
    const char *sum = dm_featurizer_lexicon_checksum(fz);
    json_object_set_new(o, "lexicon_checksum", json_string(sum ? sum : ""));
    json_object_set_new(o, dm_param_find("seed")->key, json_integer(p->seed));
    long host = 0, stance = 0;
    json_t *sources = json_array();
    for (size_t i = 0; i < ds->n_sources; i++) {
        const dm_dataset_source *s = &ds->sources[i];
        host += s->hostility_labels;
        stance += s->stance_labels;
        json_array_append_new(sources, source_json(s->name, s->licence, s->statements,
                                                   s->hostility_labels, s->stance_labels));
    }
    json_object_set_new(o, "training_sources", sources);
    if (m->hostility) {
        json_object_set_new(tasks, "hostility", task_json(m->hostility, p, DM_TASK_HOSTILITY, host));
        json_object_set_new(json_object_get(tasks, "hostility"), "score",
                            json_string(m->hostility->regression
                                            ? "clamped regression / 4"
                                            : "expected level / 4"));
    }
    if (m->stance)
        json_object_set_new(tasks, "stance", task_json(m->stance, p, DM_TASK_STANCE, stance));
    json_object_set_new(o, "tasks", tasks);
    json_object_set_new(o, "libsvm_version", json_integer(libsvm_version));
    json_object_set_new(o, "liblinear_version", json_integer(liblinear_version));
    m->manifest = o;
    return dm_model_set_text_internal(m, err);
}

const char *dm_model_manifest_json(const dm_model *m)
{
    return m ? m->manifest_text : NULL;
}

static json_t *eval_json(const dm_eval *ev)
{
    char *text = NULL;
    if (dm_eval_to_json(ev, &text, NULL) != DM_OK)
        return NULL;
    json_t *j = json_loads(text, 0, NULL);
    free(text);
    return j;
}

/* The report as a JSON object: folds, per task its evaluation with the C
 * and gamma trained with (a cross-validation: folds > 0), and a grid
 * search's every point. */
static json_t *cv_report_json(const dm_cv_report *r)
{
    json_t *cv = json_object();
    json_object_set_new(cv, "folds", json_integer(r->folds));
    for (int t = 0; t < 2; t++) {
        bool has = t == 0 ? r->has_hostility : r->has_stance;
        if (!has)
            continue;
        json_t *e = eval_json(t == 0 ? &r->hostility : &r->stance);
        if (e && r->folds > 0 && !r->nested) { /* nested: C per outer fold, in "grid" */
            json_object_set_new(e, "C", json_real(t == 0 ? r->hostility_C : r->stance_C));
            json_object_set_new(e, "gamma",
                                json_real(t == 0 ? r->hostility_gamma : r->stance_gamma));
        }
        json_object_set_new(cv, t == 0 ? "hostility" : "stance", e);
    }
    if (r->nested)
        json_object_set_new(cv, "nested", json_true());
    if (r->n_grid > 0) {
        json_t *grid = json_array();
        for (size_t i = 0; i < r->n_grid; i++) {
            const dm_grid_point *g = &r->grid[i];
            json_t *o = json_object();
            json_object_set_new(o, "task", json_string(g->task == DM_TASK_HOSTILITY
                                                           ? "hostility" : "stance"));
            json_object_set_new(o, "C", json_real(g->C));
            json_object_set_new(o, "gamma", json_real(g->gamma));
            json_object_set_new(o, "macro_f1", json_real(g->macro_f1));
            json_object_set_new(o, "accuracy", json_real(g->accuracy));
            if (g->task == DM_TASK_HOSTILITY)
                json_object_set_new(o, "mae", json_real(g->mae));
            if (r->nested && r->folds > 0) /* each outer fold's choice, by its inner CV */
                json_object_set_new(o, "outer_fold", json_integer((json_int_t)(i % (size_t)r->folds) + 1));
            else
                json_object_set_new(o, "best", json_boolean(g->best));
            json_array_append_new(grid, o);
        }
        json_object_set_new(cv, "grid", grid);
    }
    return cv;
}

dm_status dm_cv_report_to_json(const dm_cv_report *r, char **json, dm_error *err)
{
    if (!r || !json)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_cv_report_to_json: NULL argument");
    json_t *cv = cv_report_json(r);
    *json = json_dumps(cv, JSON_SORT_KEYS | JSON_COMPACT | JSON_REAL_PRECISION(10));
    json_decref(cv);
    return *json ? DM_OK : dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
}

dm_status dm_model_set_cv_report(dm_model *m, const dm_cv_report *r,
                                 dm_error *err)
{
    if (!m || !r || !m->manifest)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_model_set_cv_report: invalid argument");
    json_object_set_new(m->manifest, "cross_validation", cv_report_json(r));
    return dm_model_set_text_internal(m, err);
}

dm_status dm_model_add_source(dm_model *m, const char *name,
                              const char *licence, long statements,
                              long hostility_labels, long stance_labels,
                              dm_error *err)
{
    if (!m || !m->manifest || !name || !licence)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_model_add_source: invalid argument");
    json_array_append_new(json_object_get(m->manifest, "training_sources"),
                          source_json(name, licence, statements, hostility_labels,
                                      stance_labels));
    return dm_model_set_text_internal(m, err);
}

/* ---- saving ---- */

/* Every file a bundle holds: the only names ever removed from a directory
 * (an old bundle being replaced, or a temporary one). */
static const char *const BUNDLE_FILES[] = {MANIFEST, "hostility.model", "stance.model",
                                           "hostility.weights", "stance.weights"};
#define N_BUNDLE_FILES (sizeof BUNDLE_FILES / sizeof BUNDLE_FILES[0])

static char *join(const char *dir, const char *file)
{
    size_t n = strlen(dir) + strlen(file) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", dir, file);
    return p;
}

static bool is_bundle_file(const char *name)
{
    for (size_t i = 0; i < N_BUNDLE_FILES; i++)
        if (strcmp(name, BUNDLE_FILES[i]) == 0)
            return true;
    return false;
}

/* Remove a bundle's own files, then the directory if that left it empty:
 * anything else in it stays, and so does the directory. */
static void remove_bundle(const char *dir)
{
    for (size_t i = 0; i < N_BUNDLE_FILES; i++) {
        char *p = join(dir, BUNDLE_FILES[i]);
        if (p)
            unlink(p);
        free(p);
    }
    rmdir(dir);
}

/* A manifest.json written by demarche: a JSON object with format_version. */
static bool has_our_manifest(const char *dir)
{
    char *p = join(dir, MANIFEST);
    json_t *j = p ? json_load_file(p, 0, NULL) : NULL;
    bool ours = json_is_object(j) && json_is_integer(json_object_get(j, "format_version")) &&
                json_is_object(json_object_get(j, "tasks"));
    json_decref(j);
    free(p);
    return ours;
}

/* What is at `target` (links followed): nothing, an empty directory or a
 * bundle with nothing else in it may be replaced; anything else is
 * refused, so that no user file is ever deleted. */
static dm_status check_target(const char *given, const char *target, bool *exists,
                              struct stat *st, dm_error *err)
{
    *exists = false;
    if (stat(target, st) != 0) {
        if (errno == ENOENT)
            return DM_OK;
        return dm_error_set(err, DM_E_IO, given, 0, "cannot write: %s", strerror(errno));
    }
    if (!S_ISDIR(st->st_mode))
        return dm_error_set(err, DM_E_IO, given, 0, "exists and is not a directory");
    *exists = true;
    DIR *d = opendir(target);
    if (!d)
        return dm_error_set(err, DM_E_IO, given, 0, "cannot read the directory: %s",
                            strerror(errno));
    char stranger[256] = "";
    size_t entries = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        entries++;
        struct stat fst;
        char *p = join(target, e->d_name);
        bool plain = p && lstat(p, &fst) == 0 && S_ISREG(fst.st_mode);
        free(p);
        if ((!is_bundle_file(e->d_name) || !plain) && !stranger[0])
            snprintf(stranger, sizeof stranger, "%s", e->d_name);
    }
    closedir(d);
    if (entries == 0)
        return DM_OK;
    if (!has_our_manifest(target))
        return dm_error_set(err, DM_E_IO, given, 0,
                            "is a directory but not a demarche model bundle (no manifest.json "
                            "of a bundle): refusing to replace it; choose a new or empty "
                            "directory");
    if (stranger[0])
        return dm_error_set(err, DM_E_IO, given, 0,
                            "is a model bundle holding other files too ('%s'): refusing to "
                            "replace it; move them away or choose another directory", stranger);
    return DM_OK;
}

/* The bundle directory as named, without trailing slashes and with
 * symbolic links followed (a link to a bundle stays a link). */
static char *bundle_target(const char *dir, dm_error *err)
{
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    char *base = strndup(dir, n);
    if (!base) {
        dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
        return NULL;
    }
    char *target = dm_output_resolve(base, err);
    free(base);
    return target;
}

dm_status dm_model_check_output(const char *dir, dm_error *err)
{
    if (!dir || !*dir)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_model_check_output: invalid argument");
    char *target = bundle_target(dir, err);
    if (!target)
        return err ? err->status : DM_E_NOMEM;
    bool exists;
    struct stat st;
    dm_status s = check_target(dir, target, &exists, &st, err);
    free(target);
    return s;
}

static dm_status write_text(const char *given, const char *path, const char *text,
                            dm_error *err)
{
    FILE *fp = fopen(path, "w");
    if (!fp)
        return dm_error_set(err, DM_E_IO, given, 0, "cannot write: %s", strerror(errno));
    bool ok = fputs(text, fp) >= 0 && fputc('\n', fp) != EOF && fflush(fp) == 0 &&
              fsync(fileno(fp)) == 0;
    int saved = errno;
    ok = (fclose(fp) == 0) && ok;
    if (!ok && !saved)
        saved = errno;
    return ok ? DM_OK : dm_error_set(err, DM_E_IO, given, 0, "cannot write: %s",
                                     strerror(saved ? saved : EIO));
}

/* The binary weights of a LIBLINEAR task beside its text (weights.c), made
 * from the text as LIBLINEAR's load_model reads it back: the loader scores
 * with exactly the numbers the text holds. Named with its checksum and size
 * in the task's manifest entry. */
static dm_status write_weights(const char *given, const char *tmp, const char *text_path,
                               dm_task task, json_t *t, dm_error *err)
{
    const char *file = task == DM_TASK_HOSTILITY ? "hostility.weights" : "stance.weights";
    struct model *ll = load_model(text_path);
    if (!ll)
        return dm_error_set(err, DM_E_INTERNAL, given, 0,
                            "LIBLINEAR cannot read back the model it wrote");
    char *path = join(tmp, file);
    errno = 0;
    dm_status s = path ? dm_weights_save_internal(ll, path, err)
                       : dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    free_and_destroy_model(&ll);
    if (s == DM_E_IO)
        s = dm_error_set(err, DM_E_IO, given, 0, "cannot write: %s",
                         strerror(errno ? errno : EIO));
    char sum[DM_BUNDLE_CHECKSUM_SIZE];
    struct stat st;
    if (s == DM_OK)
        s = dm_bundle_file_checksum_internal(path, sum, err);
    if (s == DM_OK && stat(text_path, &st) != 0)
        s = dm_error_set(err, DM_E_IO, given, 0, "cannot write: %s", strerror(errno));
    if (s == DM_OK) {
        json_object_set_new(t, "weights", json_string(file));
        json_object_set_new(t, "weights_checksum", json_string(sum));
        json_object_set_new(t, "bytes", json_integer((json_int_t)st.st_size));
    }
    free(path);
    return s;
}

/* The model files, then the manifest with their checksums, into `tmp`. */
static dm_status write_bundle(const dm_model *m, const char *given, const char *tmp,
                              dm_error *err)
{
    json_error_t je;
    json_t *manifest = json_loads(m->manifest_text, 0, &je);
    json_t *tasks = manifest ? json_object_get(manifest, "tasks") : NULL;
    dm_status s = DM_OK;
    if (!manifest)
        s = dm_error_set(err, DM_E_INTERNAL, NULL, 0, "manifest: %s", je.text);
    const dm_submodel *parts[2] = {m->hostility, m->stance};
    for (int i = 0; i < 2 && s == DM_OK; i++) {
        if (!parts[i])
            continue;
        char *path = join(tmp, task_file(i == 0 ? DM_TASK_HOSTILITY : DM_TASK_STANCE));
        errno = 0;
        s = path ? dm_submodel_save(parts[i], path, err)
                 : dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
        if (s == DM_E_IO) /* name the user's directory and why, not our temporary */
            s = dm_error_set(err, DM_E_IO, given, 0, "cannot write: %s",
                             strerror(errno ? errno : EIO));
        char sum[DM_BUNDLE_CHECKSUM_SIZE];
        if (s == DM_OK)
            s = dm_bundle_file_checksum_internal(path, sum, err);
        json_t *t = json_object_get(tasks, i == 0 ? "hostility" : "stance");
        if (s == DM_OK && t)
            json_object_set_new(t, "checksum", json_string(sum));
        if (s == DM_OK && t && parts[i]->ll)
            s = write_weights(given, tmp, path, i == 0 ? DM_TASK_HOSTILITY : DM_TASK_STANCE,
                              t, err);
        free(path);
    }
    if (s == DM_OK) {
        char *text = json_dumps(manifest, JSON_FLAGS);
        char *path = join(tmp, MANIFEST);
        s = text && path ? write_text(given, path, text, err)
                         : dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
        free(path);
        free(text);
    }
    json_decref(manifest);
    return s;
}

/* Put the complete bundle `tmp` at `target`. Nothing there: rename. An
 * empty directory or an old bundle: exchange the two atomically
 * (renameat2), then remove the old one, now at `tmp`; where the file
 * system cannot exchange, move the old one aside first. */
static dm_status move_into_place(const char *given, const char *tmp, const char *target,
                                 bool exists, dm_error *err)
{
    if (!exists)
        return rename(tmp, target) == 0
                   ? DM_OK
                   : dm_error_set(err, DM_E_IO, given, 0,
                                  "cannot move the new bundle into place: %s", strerror(errno));
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, target, RENAME_EXCHANGE) == 0) {
        remove_bundle(tmp);
        return DM_OK;
    }
    if (errno != EINVAL && errno != ENOSYS)
        return dm_error_set(err, DM_E_IO, given, 0, "cannot replace the existing bundle: %s",
                            strerror(errno));
    size_t n = strlen(target) + sizeof ".old-XXXXXX";
    char *old = malloc(n);
    if (!old)
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    snprintf(old, n, "%s.old-XXXXXX", target);
    dm_status s = DM_OK;
    /* rename(2) moves the old bundle onto the empty directory mkdtemp made. */
    if (!mkdtemp(old) || rename(target, old) != 0) {
        s = dm_error_set(err, DM_E_IO, given, 0, "cannot replace the existing bundle: %s",
                         strerror(errno));
        rmdir(old);
    } else if (rename(tmp, target) != 0) {
        s = dm_error_set(err, DM_E_IO, given, 0, "cannot move the new bundle into place: %s",
                         strerror(errno));
        rename(old, target);
    } else {
        remove_bundle(old);
    }
    free(old);
    return s;
}

dm_status dm_model_save(const dm_model *m, const char *dir, dm_error *err)
{
    if (!m || !dir || !*dir || !m->manifest_text)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_model_save: invalid argument");
    char *target = bundle_target(dir, err);
    if (!target)
        return err ? err->status : DM_E_NOMEM;
    bool exists;
    struct stat st;
    dm_status s = check_target(dir, target, &exists, &st, err);
    size_t tn = strlen(target) + sizeof ".tmp-XXXXXX";
    char *tmp = s == DM_OK ? malloc(tn) : NULL;
    if (s == DM_OK && !tmp)
        s = dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    if (s != DM_OK) {
        free(target);
        return s;
    }
    snprintf(tmp, tn, "%s.tmp-XXXXXX", target);
    /* The temporary directory and every file it may hold are recorded, so
     * that a signal handler can remove them (include/demarche/output.h). */
    int dir_slot, file_slots[N_BUNDLE_FILES];
    if (!dm_temp_mkdtemp(tmp, &dir_slot)) {
        s = dm_error_set(err, DM_E_IO, dir, 0, "cannot create a directory next to it: %s",
                         strerror(errno));
        free(tmp);
        free(target);
        return s;
    }
    for (size_t i = 0; i < N_BUNDLE_FILES; i++) {
        char *p = join(tmp, BUNDLE_FILES[i]);
        file_slots[i] = p ? dm_temp_record(p, false) : -1;
        free(p);
    }
    /* mkdtemp makes 0700; a bundle keeps the mode of the one it replaces,
     * else it is as readable as other new directories. */
    chmod(tmp, exists ? st.st_mode & 07777 : 0777 & ~dm_temp_umask());
    s = write_bundle(m, dir, tmp, err);
    if (s == DM_OK)
        s = move_into_place(dir, tmp, target, exists, err);
    if (s != DM_OK)
        remove_bundle(tmp);
    for (size_t i = 0; i < N_BUNDLE_FILES; i++)
        dm_temp_forget(&file_slots[i]);
    dm_temp_forget(&dir_slot);
    free(tmp);
    free(target);
    return s;
}

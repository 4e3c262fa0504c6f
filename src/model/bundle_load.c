/* Loading a model bundle: the manifest is checked before anything else, the
 * featurizer is rebuilt from the manifest's settings, and the lexicons must
 * be the ones the model was trained with. */
#include "model/model_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
    long long bits, seed, wmax, cmin, cmax;
    json_t *log_tf = json_object_get(f, "log_tf"), *lex = json_object_get(f, "lexicon");
    if (!json_is_object(f) || !get_int(f, "hash_bits", &bits) ||
        !get_int(f, "hash_seed", &seed) || !get_int(f, "word_ngram_max", &wmax) ||
        !get_int(f, "char_ngram_min", &cmin) || !get_int(f, "char_ngram_max", &cmax) ||
        !json_is_boolean(log_tf) || !json_is_boolean(lex))
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
    json_t *priors = json_object_get(f, "actor_priors");
    if (priors && !json_is_boolean(priors))
        return dm_error_set(err, DM_E_FORMAT, path, 0,
                            "manifest: \"actor_priors\" must be true or false");
    if (bits < 1 || bits > 28 || seed < 0 || seed > 0xffffffffLL)
        return dm_error_set(err, DM_E_FORMAT, path, 0, "manifest: bad feature settings");
    dm_feature_settings_default(fs);
    fs->hash_bits = (int)bits;
    fs->hash_seed = (uint32_t)seed;
    fs->word_ngram_max = (int)wmax;
    fs->char_ngram_min = (int)cmin;
    fs->char_ngram_max = (int)cmax;
    fs->log_tf = json_is_true(log_tf);
    fs->lexicon = json_is_true(lex);
    fs->actor_priors = json_is_true(priors);
    return DM_OK;
}

static dm_status load_task(dm_model *m, const char *dir, json_t *tasks, dm_task task,
                           const char *manifest_path, dm_error *err)
{
    const char *name = task == DM_TASK_HOSTILITY ? "hostility" : "stance";
    json_t *t = json_object_get(tasks, name);
    if (!t)
        return DM_OK;
    const char *file = json_string_value(json_object_get(t, "file"));
    const char *solver = json_string_value(json_object_get(t, "solver"));
    const char *type = json_string_value(json_object_get(t, "type"));
    if (!file || !solver || !type || strchr(file, '/') ||
        (strcmp(solver, "liblinear") != 0 && strcmp(solver, "libsvm") != 0) ||
        (strcmp(type, "svc") != 0 && strcmp(type, "svr") != 0) ||
        (task == DM_TASK_STANCE && strcmp(type, "svr") == 0))
        return dm_error_set(err, DM_E_FORMAT, manifest_path, 0,
                            "manifest: bad \"tasks\".\"%s\" entry", name);
    size_t n = strlen(dir) + strlen(file) + 2;
    char *path = malloc(n);
    if (!path)
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    snprintf(path, n, "%s/%s", dir, file);
    struct stat st;
    dm_status s;
    char sum[DM_BUNDLE_CHECKSUM_SIZE];
    if (stat(path, &st) != 0) {
        s = dm_error_set(err, DM_E_FORMAT, path, 0,
                         "model bundle is missing %s (%s)", file, strerror(errno));
    } else if (!json_is_string(json_object_get(t, "checksum"))) {
        s = dm_error_set(err, DM_E_FORMAT, manifest_path, 0,
                         "manifest: no checksum for %s", file);
    } else if ((s = dm_bundle_file_checksum_internal(path, sum, err)) == DM_OK &&
               strcmp(sum, json_string_value(json_object_get(t, "checksum"))) != 0) {
        s = dm_error_set(err, DM_E_FORMAT, path, 0,
                         "%s is damaged or was changed after training (checksum %s, manifest %s)",
                         file, sum, json_string_value(json_object_get(t, "checksum")));
    } else if (s == DM_OK) {
        bool svr = strcmp(type, "svr") == 0;
        s = dm_submodel_load(path, strcmp(solver, "liblinear") == 0 ? DM_BACKEND_LIBLINEAR
                                                                    : DM_BACKEND_LIBSVM,
                             task, svr, task == DM_TASK_HOSTILITY ? &m->hostility
                                                                  : &m->stance,
                             err);
        if (s == DM_OK && task == DM_TASK_HOSTILITY)
            m->hostility_kind = svr ? DM_HOSTILITY_SVR : DM_HOSTILITY_SVC;
    }
    free(path);
    return s;
}

dm_status dm_model_load(const char *dir, const char *lexicon_dir,
                        dm_model **out, dm_error *err)
{
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
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        s = dm_error_set(err, DM_E_IO, dir, 0, "not a model bundle directory");
        goto fail;
    }
    if (stat(mpath, &st) != 0) {
        s = dm_error_set(err, DM_E_FORMAT, mpath, 0, "model bundle is missing manifest.json");
        goto fail;
    }
    m->manifest = json_load_file(mpath, JSON_REJECT_DUPLICATES, &je);
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
    m->fz = m->own_fz;
    s = load_task(m, dir, tasks, DM_TASK_HOSTILITY, mpath, err);
    if (s == DM_OK)
        s = load_task(m, dir, tasks, DM_TASK_STANCE, mpath, err);
    if (s == DM_OK && !m->hostility && !m->stance)
        s = dm_error_set(err, DM_E_FORMAT, mpath, 0, "manifest names no known task");
    if (s == DM_OK)
        s = dm_model_set_text_internal(m, err);
    if (s != DM_OK)
        goto fail;
    free(mpath);
    *out = m;
    return DM_OK;
fail:
    free(mpath);
    dm_model_destroy(&m);
    return s;
}

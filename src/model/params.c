/* The parameter table (see model.h): every setting of training and
 * featurisation, once. Defaults, the checks, the manifest
 * writer and reader, and demarche-train's parser and --help all read it, so
 * that a range cannot disagree between them again. */
#include "model/model_internal.h"
#include "model/params_internal.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(sizeof(unsigned) == sizeof(uint32_t), "seed is stored as 32 bits");

typedef struct param_entry {
    dm_param info;
    size_t offset;          /* in dm_feature_settings when info.feature,
                             * else in dm_model_train_params */
    const int *values;      /* a choice: the field's value of each name */
} param_entry;

#define TRAIN(field) offsetof(dm_model_train_params, field)
#define FEATURE(field) offsetof(dm_feature_settings, field)

/* The choices: names, and the enumeration value each one stores. The
 * fields are enums or unsigned, all int-sized. */
_Static_assert(sizeof(dm_solver) == sizeof(int) && sizeof(dm_kernel) == sizeof(int) &&
               sizeof(dm_hostility_kind) == sizeof(int) && sizeof(unsigned) == sizeof(int),
               "choice fields are stored as int");
static const char *const TASKS[] = {"hostility", "stance", "all", NULL};
static const int TASK_VALUES[] = {DM_TASK_HOSTILITY, DM_TASK_STANCE, DM_TASK_ALL};
static const char *const SOLVERS[] = {"auto", "liblinear", "libsvm", NULL};
static const int SOLVER_VALUES[] = {DM_SOLVER_AUTO, DM_SOLVER_LIBLINEAR, DM_SOLVER_LIBSVM};
static const char *const KERNELS[] = {"linear", "rbf", NULL};
static const int KERNEL_VALUES[] = {DM_KERNEL_LINEAR, DM_KERNEL_RBF};
static const char *const HOSTILITY_MODELS[] = {"svc", "svr", "ordinal", NULL};
static const int HOSTILITY_MODEL_VALUES[] = {DM_HOSTILITY_SVC, DM_HOSTILITY_SVR,
                                             DM_HOSTILITY_ORDINAL};

static const param_entry table[] = {
    {{"tasks", "--task", "T", DM_PARAM_CHOICE, false, 2, 0, 2, false,
      "tasks to train", NULL, TASKS}, TRAIN(tasks), TASK_VALUES},
    {{"hostility_model", "--hostility-model", "M", DM_PARAM_CHOICE, false, 0, 0, 2, false,
      "hostility model: svc (classes with probabilities;\n"
      "score = expected level / 4), svr (regression;\n"
      "score = clamped / 4) or ordinal (liblinear only:\n"
      "one classifier per threshold \"level >= k\",\n"
      "probabilities as for svc)",
      NULL, HOSTILITY_MODELS}, TRAIN(hostility), HOSTILITY_MODEL_VALUES},
    {{"solver", "--solver", "S", DM_PARAM_CHOICE, false, 0, 0, 2, false,
      "solver; auto: liblinear for linear kernels,\n"
      "libsvm for rbf",
      NULL, SOLVERS}, TRAIN(solver), SOLVER_VALUES},
    {{"kernel", "-t", "K", DM_PARAM_CHOICE, false, 0, 0, 1, false,
      "kernel (0 and 2 are linear and rbf, as in\n"
      "libsvm's -t)",
      "--kernel", KERNELS}, TRAIN(kernel), KERNEL_VALUES},
    {{"C", "-c", "C", DM_PARAM_REAL, false, 16.0, 0, INFINITY, true,
      /* measured: best or near-best by 5-fold CV on our corpus, UNSCon and
       * NewsMTSC */
      "cost C", NULL, NULL}, TRAIN(C), NULL},
    {{"stance_C", "--stance-c", "C", DM_PARAM_REAL, false, 0, 0, INFINITY, false,
      "cost C of the stance model; 0: same as -c", NULL, NULL}, TRAIN(stance_C), NULL},
    {{"gamma", "-g", "GAMMA", DM_PARAM_REAL, false, 0, 0, INFINITY, false,
      "rbf gamma; 0: 1/dimensions", NULL, NULL}, TRAIN(gamma), NULL},
    {{"stance_gamma", NULL, NULL, DM_PARAM_REAL, false, 0, 0, INFINITY, false,
      "rbf gamma of the stance model; 0: same as gamma", NULL, NULL}, TRAIN(stance_gamma), NULL},
    {{"svr_epsilon", "-p", "EPSILON", DM_PARAM_REAL, false, 0.1, 0, INFINITY, false,
      "epsilon of SVR", NULL, NULL}, TRAIN(svr_epsilon), NULL},
    {{"tolerance", "-e", "TOLERANCE", DM_PARAM_REAL, false, 0, 0, INFINITY, false,
      "stopping tolerance; 0: the solver's default", NULL, NULL}, TRAIN(tolerance), NULL},
    {{"liblinear_type", "-s", "TYPE", DM_PARAM_INT, false, L2R_LR, 0, 7, false,
      "liblinear classifier type: 0 L2-regularised logistic\n"
      "regression (probabilities), 1 L2-loss SVC dual, 2 L2-loss\n"
      "SVC primal, 3 L1-loss SVC dual, 4 Crammer-Singer, 5 L1\n"
      "L2-loss SVC, 6 L1 LR, 7 LR dual; the SVC types (1-5) get\n"
      "class probabilities by Platt scaling fitted on 5-fold\n"
      "cross-validation of the training data", NULL, NULL}, TRAIN(liblinear_solver), NULL},
    {{"seed", "--seed", "N", DM_PARAM_UINT32, false, 1, 0, 4294967295.0, false,
      "seed of folds and solvers", NULL, NULL}, TRAIN(seed), NULL},
    {{"hash_bits", "--hash-bits", "N", DM_PARAM_INT, true, 18, 10, 24, false,
      "2^N hashed n-gram buckets", NULL, NULL}, FEATURE(hash_bits), NULL},
    {{"stance_hash_bits", "--stance-hash-bits", "N", DM_PARAM_INT, true, 0, 0, 24, false,
      "2^N hashed buckets for the stance features only\n"
      "(10-24; 0: the same as --hash-bits); the bundle\n"
      "records it, and a demarche that cannot honour it\n"
      "refuses the bundle", NULL, NULL}, FEATURE(stance_hash_bits), NULL},
    {{"hash_seed", NULL, NULL, DM_PARAM_UINT32, true, 0x646d3031u /* "dm01" */, 0,
      4294967295.0, false, "seed of the feature hash", NULL, NULL}, FEATURE(hash_seed), NULL},
    {{"word_ngram_max", "--ngrams", "N", DM_PARAM_INT, true, 3, 1, 3, false,
      "longest word n-gram", NULL, NULL}, FEATURE(word_ngram_max), NULL},
    {{"char_ngram_min", NULL, NULL, DM_PARAM_INT, true, 0, 0, 6, false,
      "shortest character n-gram within words; 0: none", NULL, NULL}, FEATURE(char_ngram_min), NULL},
    {{"char_ngram_max", NULL, NULL, DM_PARAM_INT, true, 0, 0, 6, false,
      "longest character n-gram within words; 0: none", NULL, NULL}, FEATURE(char_ngram_max), NULL},
    {{"log_tf", NULL, NULL, DM_PARAM_BOOL, true, 1, 0, 1, false,
      "log(1 + tf) instead of tf", NULL, NULL}, FEATURE(log_tf), NULL},
    {{"lexicon", NULL, NULL, DM_PARAM_BOOL, true, 1, 0, 1, false,
      "lexicon features", NULL, NULL}, FEATURE(lexicon), NULL},
    {{"actor_priors", "--actor-priors", NULL, DM_PARAM_BOOL, true, 0, 0, 1, false,
      "also learn weights for which actor is named (\"tgt:RUS\")\n"
      "and for speaker-target pairs (\"pair:GBR>RUS\") (off:\n"
      "scores then depend on the names in a statement, not only\n"
      "on what it says; see README \"Actor priors\")", NULL, NULL}, FEATURE(actor_priors), NULL},
};

#define N_PARAMS (sizeof table / sizeof table[0])

size_t dm_param_count(void)
{
    return N_PARAMS;
}

const dm_param *dm_param_at(size_t i)
{
    return i < N_PARAMS ? &table[i].info : NULL;
}

const dm_param *dm_param_find(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < N_PARAMS; i++)
        if (strcmp(table[i].info.key, name) == 0 ||
            (table[i].info.option && strcmp(table[i].info.option, name) == 0) ||
            (table[i].info.alias && strcmp(table[i].info.alias, name) == 0))
            return &table[i].info;
    return NULL;
}

/* Index of the choice named `name`, or -1. */
static int choice_index(const dm_param *param, const char *name)
{
    for (int i = 0; param->choices && param->choices[i]; i++)
        if (strcmp(param->choices[i], name) == 0)
            return i;
    return -1;
}

/* Index of the choice whose value is `value`, or -1. */
static int choice_of_value(const param_entry *e, double value)
{
    for (int i = 0; e->info.choices && e->info.choices[i]; i++)
        if (e->values[i] == value)
            return i;
    return -1;
}

static const param_entry *entry_of(const dm_param *param)
{
    for (size_t i = 0; i < N_PARAMS; i++)
        if (&table[i].info == param)
            return &table[i];
    return NULL;
}

static void *field_in(const param_entry *e, const dm_model_train_params *p,
                      const dm_feature_settings *fs)
{
    const void *base = e->info.feature ? (const void *)fs : (const void *)p;
    return base ? (char *)base + e->offset : NULL;
}

static double read_field(const param_entry *e, const void *f)
{
    switch (e->info.type) {
    case DM_PARAM_INT: return *(const int *)f;
    case DM_PARAM_UINT32: return *(const uint32_t *)f;
    case DM_PARAM_REAL: return *(const double *)f;
    case DM_PARAM_BOOL: return *(const bool *)f;
    case DM_PARAM_CHOICE: return *(const int *)f;
    }
    return 0;
}

static void write_field(const param_entry *e, void *f, double v)
{
    switch (e->info.type) {
    case DM_PARAM_INT: *(int *)f = (int)v; break;
    case DM_PARAM_UINT32: *(uint32_t *)f = (uint32_t)v; break;
    case DM_PARAM_REAL: *(double *)f = v; break;
    case DM_PARAM_BOOL: *(bool *)f = v != 0; break;
    case DM_PARAM_CHOICE: *(int *)f = (int)v; break;
    }
}

const char *dm_param_range(const dm_param *param, char *buf, size_t size)
{
    if (!param || !buf || size == 0)
        return "";
    if (param->type == DM_PARAM_BOOL) {
        snprintf(buf, size, "true or false");
    } else if (param->type == DM_PARAM_CHOICE) {
        /* "a, b or c" */
        size_t used = 0;
        buf[0] = '\0';
        for (int i = 0; param->choices[i] && used < size; i++)
            used += (size_t)snprintf(buf + used, size - used, "%s%s",
                                     i == 0 ? "" : param->choices[i + 1] ? ", " : " or ",
                                     param->choices[i]);
    } else if (isinf(param->max))
        snprintf(buf, size, "%s %g", param->min_exclusive ? ">" : ">=", param->min);
    else
        snprintf(buf, size, "%.0f-%.0f", param->min, param->max);
    return buf;
}

static bool in_range(const dm_param *param, double v)
{
    if (isnan(v) || isinf(v))
        return false;
    if (param->min_exclusive ? !(v > param->min) : !(v >= param->min))
        return false;
    if (v > param->max)
        return false;
    return param->type == DM_PARAM_REAL || v == floor(v);
}

/* "<name> must be <range> (got <value>)", naming `where` when given. */
static dm_status out_of_range(const dm_param *param, const char *prefix, double v,
                              const char *where, dm_error *err)
{
    char range[64];
    return dm_error_set(err, where ? DM_E_FORMAT : DM_E_INVALID_ARG, where, 0,
                        "%s%s must be %s (got %g)", prefix, param->key,
                        dm_param_range(param, range, sizeof range), v);
}

void dm_params_defaults_internal(dm_model_train_params *p, dm_feature_settings *fs)
{
    for (size_t i = 0; i < N_PARAMS; i++) {
        void *f = field_in(&table[i], p, fs);
        if (f)
            write_field(&table[i], f, table[i].info.type == DM_PARAM_CHOICE
                                          ? table[i].values[(int)table[i].info.def]
                                          : table[i].info.def);
    }
}

dm_status dm_params_check_internal(const dm_model_train_params *p,
                                   const dm_feature_settings *fs, dm_error *err)
{
    for (size_t i = 0; i < N_PARAMS; i++) {
        const void *f = field_in(&table[i], p, fs);
        if (!f)
            continue;
        double v = read_field(&table[i], f);
        if (table[i].info.type == DM_PARAM_CHOICE ? choice_of_value(&table[i], v) < 0
                                                  : !in_range(&table[i].info, v))
            return out_of_range(&table[i].info, "", v, NULL, err);
    }
    if (fs && fs->stance_hash_bits != 0 && fs->stance_hash_bits < 10)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "stance_hash_bits must be 0 (the same as hash_bits) or "
                            "10-24 (got %d)", fs->stance_hash_bits);
    if (fs && (fs->char_ngram_min == 0) != (fs->char_ngram_max == 0))
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "character n-grams %d..%d: need both 0 (none) or "
                            "1 <= min <= max <= 6", fs->char_ngram_min, fs->char_ngram_max);
    if (fs && fs->char_ngram_min > fs->char_ngram_max)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "character n-grams %d..%d: need 1 <= min <= max <= 6",
                            fs->char_ngram_min, fs->char_ngram_max);
    return DM_OK;
}

dm_status dm_param_set(dm_model_train_params *p, const dm_param *param,
                       const char *text, dm_error *err)
{
    const param_entry *e = entry_of(param);
    if (!p || !e || !text)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0, "dm_param_set: invalid argument");
    const char *name = param->option ? param->option : param->key;
    char range[64];
    dm_param_range(param, range, sizeof range);
    double v;
    if (param->type == DM_PARAM_CHOICE) {
        int i = choice_index(param, text);
        if (i < 0)
            return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0, "%s must be %s, not '%s'",
                                name, range, text);
        v = e->values[i];
    } else if (param->type == DM_PARAM_BOOL) {
        if (strcmp(text, "true") == 0 || strcmp(text, "1") == 0)
            v = 1;
        else if (strcmp(text, "false") == 0 || strcmp(text, "0") == 0)
            v = 0;
        else
            return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                                "%s must be true or false, not '%s'", name, text);
    } else {
        char *end;
        errno = 0;
        v = strtod(text, &end);
        if (errno || end == text || *end || !in_range(param, v))
            return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0, "%s needs %s %s, not '%s'",
                                name, param->type == DM_PARAM_REAL ? "a number" : "an integer",
                                range, text);
    }
    if (v > 0 && v < 10 && strcmp(param->key, "stance_hash_bits") == 0)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "%s needs 0 (the same as --hash-bits) or an integer 10-24, "
                            "not '%s'", name, text);
    write_field(e, field_in(e, p, &p->features), v);
    return DM_OK;
}

void dm_params_write_features_internal(json_t *obj, const dm_feature_settings *fs)
{
    for (size_t i = 0; i < N_PARAMS; i++) {
        const param_entry *e = &table[i];
        if (!e->info.feature)
            continue;
        double v = read_field(e, field_in(e, NULL, fs));
        /* Written only when set: bundles that hash both tasks alike keep
         * the manifest they had before the setting existed. */
        if (v == 0 && strcmp(e->info.key, "stance_hash_bits") == 0)
            continue;
        json_object_set_new(obj, e->info.key,
                            e->info.type == DM_PARAM_BOOL ? json_boolean(v != 0)
                            : e->info.type == DM_PARAM_REAL ? json_real(v)
                            : json_integer((json_int_t)v));
    }
}

dm_status dm_params_read_features_internal(json_t *obj, const char *path,
                                           dm_feature_settings *fs, dm_error *err)
{
    dm_params_defaults_internal(NULL, fs);
    for (size_t i = 0; i < N_PARAMS; i++) {
        const param_entry *e = &table[i];
        if (!e->info.feature)
            continue;
        json_t *j = json_object_get(obj, e->info.key);
        /* Bundles from before actor priors existed were trained without. */
        if (!j && strcmp(e->info.key, "actor_priors") == 0)
            continue;
        /* Absent: both tasks hash alike (see the writer). */
        if (!j && strcmp(e->info.key, "stance_hash_bits") == 0)
            continue;
        bool ok = e->info.type == DM_PARAM_BOOL ? json_is_boolean(j)
                  : e->info.type == DM_PARAM_REAL ? json_is_number(j) : json_is_integer(j);
        if (!ok)
            return dm_error_set(err, DM_E_FORMAT, path, 0,
                                j ? "manifest: \"features\".\"%s\" has the wrong type"
                                  : "manifest: \"features\" is missing or incomplete (no \"%s\")",
                                e->info.key);
        double v = e->info.type == DM_PARAM_BOOL ? json_is_true(j) : json_number_value(j);
        if (!in_range(&e->info, v))
            return out_of_range(&e->info, "manifest: features.", v, path, err);
        write_field(e, field_in(e, NULL, fs), v);
    }
    if (fs->stance_hash_bits != 0 && fs->stance_hash_bits < 10)
        return dm_error_set(err, DM_E_FORMAT, path, 0,
                            "manifest: features.stance_hash_bits must be 0 or 10-24 "
                            "(got %d)", fs->stance_hash_bits);
    return DM_OK;
}

const char *dm_params_choice_name_internal(const char *key, int value)
{
    const dm_param *param = dm_param_find(key);
    const param_entry *e = param ? entry_of(param) : NULL;
    int i = e && param->type == DM_PARAM_CHOICE ? choice_of_value(e, value) : -1;
    return i >= 0 ? param->choices[i] : NULL;
}

int dm_params_choice_value_internal(const char *key, const char *name)
{
    const dm_param *param = dm_param_find(key);
    const param_entry *e = param ? entry_of(param) : NULL;
    int i = e && name && param->type == DM_PARAM_CHOICE ? choice_index(param, name) : -1;
    return i >= 0 ? e->values[i] : -1;
}

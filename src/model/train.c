/* Training parameters, training, and the model object (see model.h). */
#include "model/model_internal.h"
#include "model/params_internal.h"
#include "features/features_internal.h"
#include "features/features_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void dm_model_train_params_default(dm_model_train_params *p)
{
    if (!p)
        return;
    memset(p, 0, sizeof *p);
    dm_params_defaults_internal(p, &p->features); /* the parameter table */
}

static dm_backend backend_of(const dm_model_train_params *p)
{
    if (p->solver == DM_SOLVER_LIBSVM)
        return DM_BACKEND_LIBSVM;
    if (p->solver == DM_SOLVER_LIBLINEAR)
        return DM_BACKEND_LIBLINEAR;
    return p->kernel == DM_KERNEL_LINEAR ? DM_BACKEND_LIBLINEAR : DM_BACKEND_LIBSVM;
}

const char *dm_model_solver_name(const dm_model_train_params *p)
{
    if (!p)
        return "unknown";
    return backend_of(p) == DM_BACKEND_LIBLINEAR ? "liblinear" : "libsvm";
}

dm_status dm_model_check_params(const dm_model_train_params *p, dm_error *err)
{
    if (!p)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0, "params is NULL");
    /* Every setting against its range or choices in the parameter table. */
    dm_status s = dm_params_check_internal(p, &p->features, err);
    if (s != DM_OK)
        return s;
    if (p->kernel == DM_KERNEL_RBF && p->solver == DM_SOLVER_LIBLINEAR)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "liblinear trains linear models only; use --solver libsvm for rbf");
    /* Crammer-Singer keeps two columns for two classes: no single
     * "level >= k" column to take from it. */
    if (p->hostility == DM_HOSTILITY_ORDINAL &&
        (backend_of(p) != DM_BACKEND_LIBLINEAR || p->liblinear_solver == MCSVM_CS))
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "--hostility-model ordinal needs liblinear (a linear kernel) "
                            "and -s other than 4");
    return DM_OK;
}

dm_submodel_params dm_task_params_internal(const dm_model_train_params *p, dm_task task)
{
    dm_submodel_params sp = {0};
    sp.backend = backend_of(p);
    sp.kernel = p->kernel;
    sp.regression = task == DM_TASK_HOSTILITY && p->hostility == DM_HOSTILITY_SVR;
    sp.C = p->C;
    sp.gamma = p->gamma;
    if (task == DM_TASK_STANCE) {
        if (p->stance_C > 0)
            sp.C = p->stance_C;
        if (p->stance_gamma > 0)
            sp.gamma = p->stance_gamma;
    }
    sp.svr_epsilon = p->svr_epsilon;
    sp.tolerance = p->tolerance;
    sp.liblinear_solver = p->liblinear_solver;
    sp.seed = p->seed;
    sp.calibrate = true;
    sp.ordinal = task == DM_TASK_HOSTILITY && p->hostility == DM_HOSTILITY_ORDINAL;
    return sp;
}

void dm_model_destroy(dm_model **m)
{
    if (!m || !*m)
        return;
    dm_submodel_destroy(&(*m)->hostility);
    dm_submodel_destroy(&(*m)->stance);
    dm_featurizer_destroy(&(*m)->own_fz);
    if ((*m)->manifest)
        json_decref((*m)->manifest);
    free((*m)->manifest_text);
    free(*m);
    *m = NULL;
}

static dm_status train_task(const dm_dataset *ds, const dm_featurizer *fz,
                            const dm_model_train_params *p, dm_task task,
                            dm_submodel **out, const dm_logger *logger,
                            dm_error *err)
{
    dm_examples ex;
    dm_status s = dm_examples_build(ds, fz, task, &ex, logger, err);
    if (s != DM_OK)
        return s;
    size_t *rows = malloc((ex.n ? ex.n : 1) * sizeof *rows);
    if (!rows) {
        dm_examples_free(&ex);
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    }
    for (size_t i = 0; i < ex.n; i++)
        rows[i] = i;
    dm_submodel_params sp = dm_task_params_internal(p, task);
    s = dm_submodel_train(&ex, rows, ex.n, &sp, out, err);
    if (s == DM_OK)
        (*out)->task = task;
    else {
        char why[DM_ERROR_MESSAGE_MAX];
        snprintf(why, sizeof why, "%s", err ? err->message : "training failed");
        dm_error_set(err, s, NULL, 0, "%s: %s",
                     task == DM_TASK_HOSTILITY ? "hostility" : "stance", why);
    }
    free(rows);
    dm_examples_free(&ex);
    return s;
}

dm_status dm_model_train(const dm_dataset *ds, const dm_featurizer *fz,
                         const dm_model_train_params *params, dm_model **out,
                         const dm_logger *logger, dm_error *err)
{
    if (!ds || !fz || !params || !out)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_model_train: invalid argument");
    dm_status s = dm_model_check_params(params, err);
    if (s != DM_OK)
        return s;
    dm_model *m = calloc(1, sizeof *m);
    if (!m)
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    m->hostility_kind = params->hostility;
    if (params->tasks & DM_TASK_HOSTILITY)
        s = train_task(ds, fz, params, DM_TASK_HOSTILITY, &m->hostility, logger, err);
    if (s == DM_OK && (params->tasks & DM_TASK_STANCE))
        s = train_task(ds, fz, params, DM_TASK_STANCE, &m->stance, logger, err);
    if (s == DM_OK)
        s = dm_model_build_manifest_internal(m, params, fz, ds, err);
    if (s != DM_OK) {
        dm_model_destroy(&m);
        return s;
    }
    m->fz = fz;
    *out = m;
    return DM_OK;
}

bool dm_model_has_task(const dm_model *m, dm_task task)
{
    if (!m)
        return false;
    if (task == DM_TASK_HOSTILITY)
        return m->hostility != NULL;
    if (task == DM_TASK_STANCE)
        return m->stance != NULL;
    return m->hostility && m->stance;
}

const dm_featurizer *dm_model_featurizer(const dm_model *m)
{
    return m ? m->fz : NULL;
}

dm_status dm_model_attach_featurizer(dm_model *m, const dm_featurizer *fz,
                                     dm_error *err)
{
    if (!m || !fz)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_model_attach_featurizer: invalid argument");
    const char *want = json_string_value(json_object_get(m->manifest, "lexicon_checksum"));
    const char *have = dm_featurizer_lexicon_checksum(fz);
    if (want && (!have || strcmp(want, have) != 0))
        return dm_error_set(err, DM_E_MISMATCH, NULL, 0,
                            "lexicon checksum %s differs from the model's %s",
                            have ? have : "(none)", want);
    /* The index spaces too: a featurizer hashing a task into another
     * number of buckets would give the weights the wrong features. */
    const dm_feature_settings *fs = dm_featurizer_settings(fz);
    json_t *f = json_object_get(m->manifest, "features");
    json_t *hb = json_object_get(f, "hash_bits"), *sb = json_object_get(f, "stance_hash_bits");
    if (json_is_integer(hb) &&
        (json_integer_value(hb) != fs->hash_bits ||
         (sb ? json_integer_value(sb) : 0) != fs->stance_hash_bits))
        return dm_error_set(err, DM_E_MISMATCH, NULL, 0,
                            "the featurizer hashes into 2^%d / 2^%d buckets "
                            "(hostility / stance), the model was trained with 2^%lld / 2^%lld",
                            fs->hash_bits,
                            fs->stance_hash_bits ? fs->stance_hash_bits : fs->hash_bits,
                            (long long)json_integer_value(hb),
                            sb ? (long long)json_integer_value(sb)
                               : (long long)json_integer_value(hb));
    m->fz = fz;
    return DM_OK;
}

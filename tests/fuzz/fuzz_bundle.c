/* libFuzzer harness: the model bundle loader on crafted model files.
 * Bytes -> a bundle directory -> dm_model_load -> (if it loads) scoring.
 *
 * The first byte chooses the task entry of the manifest: bit 0 libsvm
 * (else LIBLINEAR), bit 1 svr (hostility only), bit 2 stance. The rest is
 * the model file. With bits 3 and 4 set (one input in four: it costs
 * the featurizer's lexicon loading each time, some 50 times the rest), the
 * whole loader runs on a bundle directory: the manifest is that of $DM_FUZZ_MODEL (the small bundle
 * scripts/fuzz.sh trains) or of models/default, with 2^10 hash buckets,
 * the checksum of the lexicons being used, and one task naming the model
 * file with its checksum recomputed, so the fuzzer gets past the checksums
 * to the model text validation and the libraries behind it.
 * With bit 5 set (and neither libsvm nor the whole bundle), the rest is a
 * binary weights file (model/weights.c) given to dm_weights_load_internal,
 * what the loader calls once its checksum matched.
 * DM_FUZZ_VERBOSE=1 prints why each input is refused.
 * Otherwise the same validation and library loading run on the bytes
 * directly (dm_submodel_load_text_internal, what the loader calls after
 * the checksum). A model that loads is used to predict. */
#include "fuzz_common.h"

#include "demarche/demarche.h"
#include "demarche/model.h"
#include "model/model_internal.h"
#include "features/features_internal.h"

#include <jansson.h>
#include <sys/stat.h>

static json_t *manifest;
static bool verbose;
static char bundle[4200], model_path[4300], manifest_path[4300], lexicons[4096];

static void cleanup(void)
{
    unlink(model_path);
    unlink(manifest_path);
    rmdir(bundle);
    rmdir(fuzz_scratch_dir());
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc; (void)argv;
    char path[4096];
    json_error_t je;
    const char *small = getenv("DM_FUZZ_MODEL");
    if (small && *small)
        snprintf(path, sizeof path, "%s/manifest.json", small);
    else
        fuzz_path(path, sizeof path, "models/default/manifest.json");
    manifest = json_load_file(path, 0, &je);
    if (!manifest) {
        fprintf(stderr, "fuzz_bundle: %s: %s\n", path, je.text);
        abort();
    }
    json_object_set_new(json_object_get(manifest, "features"), "hash_bits", json_integer(10));
    fuzz_path(lexicons, sizeof lexicons, "lexicons");
    dm_featurizer *fz = NULL;
    dm_error err;
    if (dm_featurizer_create(NULL, lexicons, &fz, &err) != DM_OK) {
        fprintf(stderr, "fuzz_bundle: %s\n", err.message);
        abort();
    }
    json_object_set_new(manifest, "lexicon_checksum",
                        json_string(dm_featurizer_lexicon_checksum(fz)));
    dm_featurizer_destroy(&fz);
    verbose = getenv("DM_FUZZ_VERBOSE") != NULL;
    snprintf(bundle, sizeof bundle, "%s/bundle", fuzz_scratch_dir());
    if (mkdir(bundle, 0700) != 0) {
        perror(bundle);
        abort();
    }
    snprintf(model_path, sizeof model_path, "%s/m.model", bundle);
    snprintf(manifest_path, sizeof manifest_path, "%s/manifest.json", bundle);
    atexit(cleanup);
    return 0;
}

/* Score one statement with one target, so a model that loads is used too. */
static void score(const dm_model *model)
{
    static const char text[] = "Russia must withdraw its troops from Ukraine now.";
    dm_statement_list list;
    dm_statement_list_init(&list);
    dm_statement *st = dm_statement_list_push(&list);
    dm_error err;
    if (!st || !(st->text = strdup(text)) || !(st->speaker_actor = strdup("USA")) ||
        dm_statement_add_target(st, "RUS", "Russia", true, 0, 6, 0, 6) != DM_OK)
        abort();
    st->end = st->norm_end = sizeof text - 1;
    st->kind = DM_KIND_DIRECT;
    if (dm_model_score_statement(model, st, &err) == DM_OK) {
        if (dm_model_has_task(model, DM_TASK_HOSTILITY) &&
            (st->hostility_level < 0 || st->hostility_level > 4))
            abort();
        if (dm_model_has_task(model, DM_TASK_STANCE) &&
            (st->targets[0].stance < 0 || st->targets[0].stance > 2))
            abort();
    }
    dm_statement_list_clear(&list);
}

/* The featurizer's dimension under the harness's manifest (2^10 buckets
 * and the named block). */
static int max_dim(void)
{
    return (1 << 10) + DM_FEATURES_NAMED_COUNT;
}

static void predict_or_abort(dm_submodel *sm, int n_classes)
{
    dm_node x[] = {{1, 1.0}, {7, 0.5}, {300, -2.0}, {max_dim(), 1.0}, {-1, 0}, {-1, 0}};
    int label;
    double p[DM_HOSTILITY_LEVELS], value;
    dm_error err;
    if (dm_submodel_predict(sm, x, n_classes, &label, p, &value, &err) == DM_OK &&
        (label < 0 || label >= n_classes))
        abort();
}

static void load_weights(const uint8_t *data, size_t size, bool stance, bool svr)
{
    dm_submodel *sm = NULL;
    dm_error err;
    dm_task task = stance ? DM_TASK_STANCE : DM_TASK_HOSTILITY;
    if (dm_weights_load_internal("m.weights", data, size, task, svr, max_dim(), &sm,
                                 &err) != DM_OK) {
        if (sm || !err.message[0])
            abort(); /* a refusal must leave nothing and say why */
        if (verbose)
            fprintf(stderr, "refused: %s: %s\n", err.where, err.message);
        return;
    }
    predict_or_abort(sm, stance ? DM_STANCE_CLASSES : DM_HOSTILITY_LEVELS);
    dm_submodel_destroy(&sm);
}

static void load_text(const uint8_t *data, size_t size, bool libsvm, bool stance, bool svr)
{
    dm_submodel *sm = NULL;
    dm_error err;
    dm_task task = stance ? DM_TASK_STANCE : DM_TASK_HOSTILITY;
    int n_classes = stance ? DM_STANCE_CLASSES : DM_HOSTILITY_LEVELS;
    dm_backend backend = libsvm ? DM_BACKEND_LIBSVM : DM_BACKEND_LIBLINEAR;
    bool valid = dm_model_text_validate_internal("m.model", (const char *)data, size, backend,
                                                 task, svr, max_dim(), &err) == DM_OK;
    if (dm_submodel_load_text_internal("m.model", (const char *)data, size, backend, task,
                                       svr, max_dim(), &sm, &err) != DM_OK) {
        if (sm || !err.message[0])
            abort();
        if (valid) { /* the validator let through what the library refuses */
            fprintf(stderr, "fuzz_bundle: valid text refused: %s\n", err.message);
            abort();
        }
        if (verbose)
            fprintf(stderr, "refused: %s:%ld: %s\n", err.where, err.line, err.message);
        return;
    }
    dm_node x[] = {{1, 1.0}, {7, 0.5}, {300, -2.0}, {max_dim(), 1.0}, {-1, 0}, {-1, 0}};
    int label;
    double p[DM_HOSTILITY_LEVELS], value;
    if (dm_submodel_predict(sm, x, n_classes, &label, p, &value, &err) == DM_OK &&
        (label < 0 || label >= n_classes))
        abort();
    dm_submodel_destroy(&sm);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned mode = data[0];
    bool libsvm = mode & 1, stance = mode & 4, svr = (mode & 2) && !stance;
    if ((mode & 0x18) != 0x18) {
        if ((mode & 0x20) && !libsvm)
            load_weights(data + 1, size - 1, stance, svr);
        else
            load_text(data + 1, size - 1, libsvm, stance, svr);
        return 0;
    }
    char sum[DM_BUNDLE_CHECKSUM_SIZE];
    dm_bundle_bytes_checksum_internal(data + 1, size - 1, sum);
    json_t *task = json_pack("{s:s, s:s, s:s, s:s, s:s}", "file", "m.model",
                             "checksum", sum, "solver", libsvm ? "libsvm" : "liblinear",
                             "type", svr ? "svr" : "svc", "kernel", "linear");
    json_t *tasks = json_pack("{s:o}", stance ? "stance" : "hostility", task);
    json_object_set_new(manifest, "tasks", tasks);
    if (json_dump_file(manifest, manifest_path, JSON_SORT_KEYS) != 0)
        abort();
    fuzz_write_file(model_path, data + 1, size - 1);
    dm_model *model = NULL;
    dm_error err;
    if (dm_model_load(bundle, lexicons, &model, &err) == DM_OK) {
        score(model);
        dm_model_destroy(&model);
    } else if (model || !err.message[0]) {
        abort(); /* a refusal must leave nothing and say why */
    } else if (verbose) {
        fprintf(stderr, "refused: %s:%ld: %s\n", err.where, err.line, err.message);
    }
    return 0;
}

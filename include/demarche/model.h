/*
 * Models: training on labelled datasets (demarche/datasets.h),
 * cross-validation, the parameter table, model bundles and scoring of
 * statements.
 *
 * Two tasks are learnt from labelled statements:
 *   - hostility: level 0..4 of a statement, as a multi-class classifier with
 *     probabilities (expected level = sum of level x p, on 0..4) or a
 *     regression (expected level = the prediction clamped to 0..4);
 *   - stance toward each target: against / neutral / favor with class
 *     probabilities p (score = p(favor) - p(against), in -1..1: + is favor).
 *
 * Solvers: LIBLINEAR for linear models (default; L2-regularised logistic
 * regression gives probabilities directly, L2-loss SVR for hostility
 * regression), libsvm for kernels (RBF) and when asked for (--solver libsvm,
 * C-SVC with Platt probabilities). A linear libsvm model is folded at load
 * time into one weight vector per class pair and predicted with sparse dot
 * products; its probabilities apply the model's sigmoids and libsvm's
 * pairwise coupling, and equal svm_predict_probability's.
 *
 * A model bundle is a directory: manifest.json plus hostility.model and/or
 * stance.model in libsvm or liblinear text format. Saving is atomic.
 *
 * Ownership: see core.h.
 */
#ifndef DEMARCHE_MODEL_H
#define DEMARCHE_MODEL_H

#include "demarche/actors.h"
#include "demarche/core.h"
#include "demarche/datasets.h"
#include "demarche/eval.h"
#include "demarche/features.h"
#include "demarche/io.h"
#include "demarche/statements.h"

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

DM_PUBLIC_BEGIN

/* Format version of model bundles written by this build: 2, whose
 * manifests record CRC-32 checksums of the model files ("crc32:..."). This
 * build still reads format 1 (FNV-1a 64 checksums, "fnv1a64:..."). */
#define DM_MODEL_FORMAT_VERSION 2

#define DM_HOSTILITY_LEVELS 5
#define DM_STANCE_CLASSES 3

/* ---- Training ---------------------------------------------------------- */

typedef enum dm_task {
    DM_TASK_HOSTILITY = 1,
    DM_TASK_STANCE = 2,
    DM_TASK_ALL = 3
} dm_task;

typedef enum dm_solver {
    DM_SOLVER_AUTO = 0,     /* liblinear for linear kernels, libsvm otherwise */
    DM_SOLVER_LIBLINEAR,
    DM_SOLVER_LIBSVM
} dm_solver;

typedef enum dm_kernel {
    DM_KERNEL_LINEAR = 0,
    DM_KERNEL_RBF
} dm_kernel;

typedef enum dm_hostility_kind {
    DM_HOSTILITY_SVC = 0,   /* classifier with probabilities */
    DM_HOSTILITY_SVR,       /* epsilon-SVR regression */
    DM_HOSTILITY_ORDINAL    /* ordinal: one LIBLINEAR classifier per threshold
                             * "level >= k", each Platt-scaled; the level
                             * probabilities are differences of them */
} dm_hostility_kind;

/* Every field but `threads`: default, range or choices, and help in the
 * parameter table below (dm_param_*). */
typedef struct dm_model_train_params {
    unsigned tasks;                 /* DM_TASK_HOSTILITY, _STANCE or _ALL */
    dm_solver solver;
    dm_kernel kernel;
    dm_hostility_kind hostility;
    double C;                       /* cost */
    double gamma;                   /* RBF; 0 = 1/dimensions */
    double stance_C, stance_gamma;  /* 0 = same as C / gamma */
    double svr_epsilon;             /* epsilon of SVR */
    double tolerance;               /* stopping tolerance; 0 = the solver's */
    int liblinear_solver;           /* liblinear classifier type (0 = L2R_LR) */
    unsigned seed;                  /* seed of folds, and of the rand() state of
                                     * solvers that draw from it (core.h) */
    bool cv_by_group;               /* cross-validation folds are whole groups
                                     * (dm_labelled_statement.group): one fold
                                     * per group, or groups shuffled into k
                                     * folds when k < groups; records without a
                                     * group are training data in every fold
                                     * (default false: statements shuffled) */
    dm_feature_settings features;   /* default dm_feature_settings_default */
    int threads;                    /* cross-validation folds and grid points
                                     * run on this many threads (<= 1: the
                                     * calling thread alone). Not a setting of
                                     * the model: results are the same bytes
                                     * for every value, and it is in neither
                                     * the parameter table nor the manifest. */
} dm_model_train_params;

void dm_model_train_params_default(dm_model_train_params *p);

/* The parameter table (as CRFsuite's): every setting of
 * dm_model_train_params and dm_feature_settings, once, with its key (the
 * manifest key), demarche-train's option, default, range or choices, and
 * help. The defaults above, dm_model_check_params, dm_featurizer_create's
 * check, the manifest writer, the bundle loader and demarche-train's parser
 * and --help all read it. The choices (tasks, solver, kernel, hostility
 * model) are recorded in the manifest per task, under "tasks": which tasks
 * there are, and each one's "solver" (the solver used: never auto),
 * "kernel" and "type" (the hostility model). Entries are static: never
 * freed. */
typedef enum dm_param_type {
    DM_PARAM_INT,
    DM_PARAM_UINT32,
    DM_PARAM_REAL,
    DM_PARAM_BOOL,
    DM_PARAM_CHOICE         /* one of `choices` (an enumeration) */
} dm_param_type;

typedef struct dm_param {
    const char *key;        /* manifest key and name ("hash_bits") */
    const char *option;     /* demarche-train's option ("--hash-bits", "-c"),
                             * or NULL: library and manifest only */
    const char *metavar;    /* "N"; NULL for a flag or no option */
    dm_param_type type;
    bool feature;           /* a dm_feature_settings field, recorded under
                             * "features" in the manifest */
    double def, min, max;   /* default and range (max may be INFINITY); of a
                             * choice: the index of the default in choices,
                             * and 0 .. the number of choices - 1 */
    bool min_exclusive;     /* the range is (min, max] */
    const char *help;       /* one or more lines, '\n'-separated */
    const char *alias;      /* another spelling of the option ("--kernel"
                             * for "-t"), or NULL */
    const char *const *choices; /* DM_PARAM_CHOICE: the names allowed,
                             * NULL-terminated; else NULL */
} dm_param;

size_t dm_param_count(void);
/* Entry i < dm_param_count(), else NULL. */
const dm_param *dm_param_at(size_t i);
/* Entry by key, option or alias ("hash_bits", "--hash-bits", "-c"), or NULL. */
const dm_param *dm_param_find(const char *name);
/* The range as text ("10-24", "> 0", ">= 0", "true or false", "linear or
 * rbf") in buf. */
const char *dm_param_range(const dm_param *param, char *buf, size_t size);
/* Parse `text` in full as the entry's type ("true"/"false"/"1"/"0" for a
 * flag, one of the names of a choice), check the range and store it in `p`
 * (in p->features for a feature setting). DM_E_INVALID_ARG naming the
 * option and the range: "--hash-bits needs an integer 10-24, not '26'",
 * "--solver must be auto, liblinear or libsvm, not 'svm'". */
dm_status dm_param_set(dm_model_train_params *p, const dm_param *param,
                       const char *text, dm_error *err);

/* Check the parameters (like svm_check_parameter); DM_E_INVALID_ARG and a
 * message naming the bad value. */
dm_status dm_model_check_params(const dm_model_train_params *p, dm_error *err);
/* "liblinear" or "libsvm": the solver actually used for these params. */
const char *dm_model_solver_name(const dm_model_train_params *p);

typedef struct dm_model dm_model;

/* Train the tasks of `params` on `ds`. The featurizer is borrowed for the
 * call only (the model keeps its settings and lexicon checksum and is
 * scored through dm_model_load's own featurizer, or through `fz` with
 * dm_model_attach_featurizer). `actors` may be NULL. Progress notes go to
 * `logger` at DM_LOG_INFO. */
dm_status dm_model_train(const dm_dataset *ds, const dm_featurizer *fz,
                         const dm_model_train_params *params, dm_model **out,
                         const dm_logger *logger, dm_error *err);

/* One point of a grid search: its parameters and cross-validation figures
 * (as libsvm's grid.py prints and writes every point). */
typedef struct dm_grid_point {
    dm_task task;               /* DM_TASK_HOSTILITY or DM_TASK_STANCE */
    double C, gamma;
    double macro_f1, accuracy;
    double mae;                 /* hostility (ordinal) only, else 0 */
    bool best;                  /* the point chosen for its task */
} dm_grid_point;

typedef struct dm_cv_report {
    bool has_hostility, has_stance;
    dm_eval hostility;          /* levels 0..4, ordinal */
    dm_eval stance;             /* against / neutral / favor */
    double hostility_C, hostility_gamma, stance_C, stance_gamma;
    int folds;
    /* dm_model_grid_search: every point tried, hostility's then stance's,
     * in grid order (owned; freed by dm_cv_report_free). NULL/0 otherwise. */
    dm_grid_point *grid;
    size_t n_grid;
    /* dm_model_grid_nested: the evaluations are of the outer folds, and
     * grid holds each task's chosen point per outer fold (in fold order,
     * hostility's then stance's; macro_f1 etc. the inner CV's). */
    bool nested;
} dm_cv_report;

void dm_cv_report_free(dm_cv_report *r);
/* The report as one JSON object (*json malloc'ed, the caller frees it):
 * "folds"; "hostility" and "stance" as dm_eval_to_json with the "C" and
 * "gamma" trained with (when folds > 0); "grid": every point of a grid
 * search {"task","C","gamma","macro_f1","accuracy"[,"mae"],"best"}. The
 * manifest's "cross_validation" is this object. */
dm_status dm_cv_report_to_json(const dm_cv_report *r, char **json, dm_error *err);

/* k-fold cross-validation (statements are assigned to folds by a seeded
 * shuffle, so that all targets of a statement share a fold). With
 * params->cv_by_group the groups are (leave-one-group-out when k <= 0 or
 * k >= the number of groups; at least 2 groups), and only grouped records
 * are ever tested. */
dm_status dm_model_cross_validate(const dm_dataset *ds, const dm_featurizer *fz,
                                  const dm_model_train_params *params, int k,
                                  dm_cv_report *report, const dm_logger *logger,
                                  dm_error *err);
/* Grid search by k-fold CV of C (and gamma for RBF), per task, maximising
 * macro-F1 (hostility SVR: minimising MAE). Writes the best values into
 * params->C / gamma (hostility) and stance_C / stance_gamma, and the CV of
 * the best into *report. */
dm_status dm_model_grid_search(const dm_dataset *ds, const dm_featurizer *fz,
                               dm_model_train_params *params, int k,
                               dm_cv_report *report, const dm_logger *logger,
                               dm_error *err);

/* The grid search's figure without its optimism: nested k-fold CV (for
 * each outer fold, the grid by an inner k-fold CV of the other folds'
 * statements, the best point trained on them, the fold predicted). The
 * evaluations in *report are of the outer predictions; report->grid holds
 * each outer fold's chosen point. About k times the work of the grid
 * search. params is not changed (the parameters of a final model come from
 * dm_model_grid_search on all the data). Not with params->cv_by_group
 * (DM_E_INVALID_ARG); needs at least 2k statements. */
dm_status dm_model_grid_nested(const dm_dataset *ds, const dm_featurizer *fz,
                               const dm_model_train_params *params, int k,
                               dm_cv_report *report, const dm_logger *logger,
                               dm_error *err);

/* Record a cross-validation report in the manifest. */
dm_status dm_model_set_cv_report(dm_model *m, const dm_cv_report *r,
                                 dm_error *err);

void dm_model_destroy(dm_model **m);

/* ---- Bundles ----------------------------------------------------------- */

/* Write the bundle directory `dir` atomically: into dir.tmp-XXXXXX next to
 * it (symbolic links followed; the directory is recorded for
 * dm_output_remove_temporaries, see output.h), then renamed into place.
 * `dir` may be absent, an empty directory or an existing bundle, which is
 * replaced only by exchanging it with the complete new one; a directory
 * holding anything else is refused (DM_E_IO), so no user file is ever
 * deleted. Same data and params give byte-identical files. */
dm_status dm_model_save(const dm_model *m, const char *dir, dm_error *err);
/* The check dm_model_save makes before writing: DM_OK if `dir` may be
 * written (absent, empty, or a bundle with nothing else in it), else
 * DM_E_IO saying why. Tools call it before a long training run. */
dm_status dm_model_check_output(const char *dir, dm_error *err);
/* Load a bundle and create its featurizer from the manifest's settings and
 * the lexicons in `lexicon_dir`. Refuses a newer format (DM_E_VERSION), a
 * missing or corrupt file (DM_E_FORMAT / DM_E_IO), another feature layout
 * version (DM_E_FORMAT), and (DM_E_MISMATCH) lexicons whose checksum differs
 * from the manifest's, another number of feature dimensions than this build
 * computes for the bundle's settings, or another ICU major version than the
 * one the model was trained with. */
dm_status dm_model_load(const char *dir, const char *lexicon_dir,
                        dm_model **out, dm_error *err);
/* The same, with warnings to `logger` (may be NULL): an ICU minor version
 * other than the training one, or a bundle that does not record its ICU
 * version. */
dm_status dm_model_load_with_logger(const char *dir, const char *lexicon_dir,
                                    const dm_logger *logger, dm_model **out,
                                    dm_error *err);
/* The same, with the weights files read and checksummed on a thread of the
 * library's own (joined before it returns) while the featurizer is built:
 * the start-up of a caller that has a core to spare (demarche-score -j 2).
 * The model, the checks, their order and every message are
 * dm_model_load_with_logger's; without a thread it reads them itself. */
dm_status dm_model_load_parallel(const char *dir, const char *lexicon_dir,
                                 const dm_logger *logger, dm_model **out, dm_error *err);

/* The model's featurizer (after load or attach), or NULL. Borrowed. */
const dm_featurizer *dm_model_featurizer(const dm_model *m);
/* Use `fz` (borrowed, must outlive the model) for scoring a model just
 * trained; its checksum must equal the model's. */
dm_status dm_model_attach_featurizer(dm_model *m, const dm_featurizer *fz,
                                     dm_error *err);
bool dm_model_has_task(const dm_model *m, dm_task task);
/* The manifest as a JSON string (borrowed; valid until the model changes). */
const char *dm_model_manifest_json(const dm_model *m);

/* ---- Scoring ----------------------------------------------------------- */

/* Fill st->hostility_level / hostility_expected (if the model has hostility)
 * and every target's stance / score / p (if it has stance), and set the
 * scored flags. These dm_model_score_* functions and dm_model_explain_sum
 * featurize with the model's own featurizer, whose scratch they write: one
 * thread at a time per model. To score from several threads, share the
 * model and give each thread a dm_scorer (below). */
dm_status dm_model_score_statement(const dm_model *m, dm_statement *st,
                                   dm_error *err);
/* The same, with `previous` (may be NULL) as the sentence before it in the
 * same speech ("prev:" features; borrowed for the call). */
dm_status dm_model_score_statement_after(const dm_model *m, dm_statement *st,
                                         const char *previous, dm_error *err);
/* dm_model_score_statement on every statement of one document's list, in
 * order; a speech sentence (DM_KIND_SPEECH) that follows another of the
 * list (n one more) is scored with that sentence as its previous one (the
 * "prev:" features, as training records carry it). */
dm_status dm_model_score_list(const dm_model *m, dm_statement_list *list,
                              dm_error *err);

typedef struct dm_explain_item {
    int index;                 /* feature index */
    char *name;                /* readable name or "#<index>" (owned) */
    double value;              /* feature value */
    double weight;             /* weight toward the predicted class */
    double contribution;       /* value * weight */
} dm_explain_item;

/* The whole sum behind one prediction, for a person to read: the decision
 * value toward the predicted class is the contributions of every active
 * feature plus the bias, i.e. sum(items) + rest + bias == total (up to
 * rounding). For hostility the class is the predicted level; for stance the
 * predicted stance. Probabilities are then computed from the classes'
 * decision values (logistic regression, Platt scaling or libsvm's
 * coupling), so a larger total means a more probable class. */
typedef struct dm_explanation {
    int label;                 /* the class explained: a level 0-4 or a dm_stance */
    dm_explain_item *items;    /* the top_k features by |contribution| (owned) */
    size_t n;
    size_t n_features;         /* active features in all */
    double rest;               /* the contributions of the features not in items */
    double bias;               /* the bias term's contribution */
    double total;              /* the decision value toward label */
} dm_explanation;

/* The top_k features by |contribution| toward the predicted hostility level
 * (target_index -1) or the predicted stance toward target `target_index`,
 * with the bias, the rest and the total. Linear models only
 * (DM_E_INVALID_ARG for RBF). Release with dm_explanation_clear (which
 * zeroes *e). */
dm_status dm_model_explain_sum(const dm_model *m, const dm_statement *st, int target_index,
                               size_t top_k, dm_explanation *out, dm_error *err);
void dm_explanation_clear(dm_explanation *e);

/* ---- Scoring from several threads ----------------------------------------
 * A loaded (or trained) dm_model is read-only: weights, lexicons, manifest.
 * A dm_scorer is one thread's scoring state over it: a clone of the model's
 * featurizer (features.h: shared lexicons, its own scratch buffers). Create
 * one per thread; any number may score with one model at the same time, and
 * each gives the bytes dm_model_score_* gives. The model must outlive its
 * scorers and must not change (dm_model_set_explain, attach) while they
 * exist. A scorer created after dm_model_set_explain(m, true) explains with
 * feature names. */
typedef struct dm_scorer dm_scorer;

dm_status dm_scorer_create(const dm_model *m, dm_scorer **out, dm_error *err);
void dm_scorer_destroy(dm_scorer **sc);
/* dm_model_score_list and dm_model_explain_sum through the scorer's
 * featurizer. */
dm_status dm_scorer_score_list(dm_scorer *sc, dm_statement_list *list, dm_error *err);
dm_status dm_scorer_explain_sum(dm_scorer *sc, const dm_statement *st, int target_index,
                                size_t top_k, dm_explanation *out, dm_error *err);

/* Record the words behind hashed features in the model's own featurizer
 * (a loaded model), so that dm_model_explain_sum names them ("w:not
 * acceptable") instead of "#<index>". Costs memory and time: turn it on only
 * for --explain. A model scored through an attached featurizer: call
 * dm_featurizer_set_explain on that one (DM_E_INVALID_ARG here). */
dm_status dm_model_set_explain(dm_model *m, bool on, dm_error *err);

DM_PUBLIC_END

#ifdef __cplusplus
}
#endif
#endif

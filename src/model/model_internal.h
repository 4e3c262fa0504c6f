/* Internal interfaces of the model module. */
#ifndef DM_MODEL_INTERNAL_H
#define DM_MODEL_INTERNAL_H

#include "demarche/model.h"

#include <jansson.h>
#include <libsvm/svm.h>
#include <linear.h>
#include <stdio.h>

/* ---- sparse vectors for solvers ---- */

/* {index, value} pairs terminated by index -1: layout of svm_node and
 * feature_node alike. The type of a feature vector's entries (dm_feature),
 * so that an array of them, terminated, is a solver's x as it is
 * (predict_fvec, score.c). */
typedef dm_feature dm_node;

/* Featurised examples of one task. */
typedef struct dm_examples {
    dm_node **x;         /* each terminated by index -1, room for a bias node */
    double *y;
    size_t *record;      /* record index in the dataset (fold assignment) */
    size_t n, cap;
    int dim;             /* largest feature index */
} dm_examples;

void dm_examples_free(dm_examples *e);
/* Featurise every labelled record of `ds` for the task. */
dm_status dm_examples_build(const dm_dataset *ds, const dm_featurizer *fz,
                            dm_task task, dm_examples *out,
                            const dm_logger *logger, dm_error *err);
/* Build the feature input for a statement-like object. */
dm_status dm_node_from_fvec(const dm_fvec *f, dm_node **out, dm_error *err);
/* The same into x, which has room for f->n + 2 nodes. */
void dm_node_fill(const dm_fvec *f, dm_node *x);

/* ---- one task's model (submodel.c, folded.c) ---- */

typedef enum dm_backend {
    DM_BACKEND_LIBLINEAR = 1,
    DM_BACKEND_LIBSVM = 2
} dm_backend;

typedef struct dm_folded {
    int nr_class;
    int n_pairs;
    int dim;
    double *w;           /* n_pairs x (dim + 1) weights, index 0 unused */
    double *rho;         /* borrowed from the svm_model */
} dm_folded;

#define DM_PLATT_MAX 16

typedef struct dm_submodel {
    dm_task task;
    dm_backend backend;
    bool regression;
    struct model *ll;
    struct svm_model *svm;
    dm_folded *folded;   /* linear libsvm models, or NULL */
    double bias;         /* liblinear bias (appended node), < 0 none */
    int dim;             /* feature dimension at training */
    double C, gamma;
    /* Platt scaling of a LIBLINEAR SVC (no probabilities of its own): class
     * platt_label[i] gets p = 1 / (1 + exp(platt_a[i] * f_i + platt_b[i]))
     * from its one-vs-rest decision value f_i, then the classes are
     * normalised to sum 1. n_platt = 0: not calibrated. */
    int n_platt;
    int platt_label[DM_PLATT_MAX];
    double platt_a[DM_PLATT_MAX], platt_b[DM_PLATT_MAX];
    /* Ordinal (LIBLINEAR only): the column of class platt_label[i] = k is
     * the classifier "level >= k", labels consecutive; its Platt sigmoid is
     * P(level >= k), not normalised; see train_ordinal in submodel.c. */
    bool ordinal;
} dm_submodel;

typedef struct dm_submodel_params {
    dm_backend backend;
    bool regression;
    dm_kernel kernel;
    double C, gamma, svr_epsilon, tolerance;
    int liblinear_solver;
    unsigned seed;
    bool calibrate;      /* Platt-scale SVC decision values (see calibrate.c) */
    bool ordinal;        /* hostility as cumulative classifiers (LIBLINEAR) */
} dm_submodel_params;

/* The solver parameters of one task under the training params. */
dm_submodel_params dm_task_params_internal(const dm_model_train_params *p,
                                           dm_task task);

dm_status dm_submodel_train(const dm_examples *ex, const size_t *rows, size_t n_rows,
                            const dm_submodel_params *p, dm_submodel **out,
                            dm_error *err);
void dm_submodel_destroy(dm_submodel **sm);
/* A LIBLINEAR model's weight rows of x's features asked of the cache, so
 * that their misses overlap (a hint; nothing for other models): before
 * dm_submodel_predict of the same x. */
void dm_submodel_prefetch(const dm_submodel *sm, const dm_node *x);
/* Predict: *label (class, or rounded regression), the class probabilities
 * into p[n_classes] (one-hot when the model has none), *value (regression
 * output or expected label). `x` is terminated by index -1 and has one
 * spare slot for a bias node. */
dm_status dm_submodel_predict(const dm_submodel *sm, dm_node *x, int n_classes,
                              int *label, double *p, double *value,
                              dm_error *err);
/* One-vs-rest decision values of a LIBLINEAR classifier into dec (one per
 * class in the model's label order; a two-class model gives dec[1] =
 * -dec[0]); returns the number of classes, 0 for other models. */
int dm_submodel_decision_values(const dm_submodel *sm, dm_node *x, double *dec);
/* Fit Platt scaling of `sm` (a LIBLINEAR SVC just trained on `rows`) on
 * decision values of 5-fold cross-validation over the same rows, folds by
 * statement. Deterministic for a seed. */
dm_status dm_submodel_calibrate(dm_submodel *sm, const dm_examples *ex, const size_t *rows,
                                size_t n_rows, const dm_submodel_params *p, dm_error *err);
/* Probabilities p[n_classes] from decision values with the Platt fit. */
void dm_platt_probabilities(const dm_submodel *sm, const double *dec, double *p,
                            int n_classes);
/* Weight of feature `index` toward class `label`, for explanations. */
/* The bias term's share of the decision value toward `label` (LIBLINEAR:
 * bias node value x its weight; folded libsvm: the -rho of the pairs that
 * vote for the label). False for kernel models. */
bool dm_submodel_bias_contribution(const dm_submodel *sm, int label, double *out);
bool dm_submodel_weight(const dm_submodel *sm, int index, int label,
                        double *weight);
dm_status dm_submodel_save(const dm_submodel *sm, const char *path, dm_error *err);
dm_status dm_submodel_load(const char *path, dm_backend backend, dm_task task,
                           bool regression, dm_submodel **out, dm_error *err);

dm_status dm_folded_create(const struct svm_model *m, int dim, dm_folded **out,
                           dm_error *err);
void dm_folded_destroy(dm_folded **f);
/* Decision values (one per pair, libsvm order) by sparse dot products. */
void dm_folded_decision_values(const dm_folded *f, const dm_node *x,
                               double *dec_values);
/* libsvm's probability estimate from pairwise decision values, as
 * svm_predict_probability; returns the label of the most probable class. */
int dm_folded_probability(const struct svm_model *m, const double *dec_values,
                          double *prob_estimates);
void dm_multiclass_probability(int k, double **r, double *p);

/* Silence libsvm/liblinear (the library never prints). */
void dm_solvers_quiet(void);

/* ---- the model ---- */

struct dm_model {
    dm_submodel *hostility;
    dm_submodel *stance;
    dm_hostility_kind hostility_kind;
    dm_featurizer *own_fz;      /* created by load */
    const dm_featurizer *fz;    /* used for scoring */
    json_t *manifest;
    char *manifest_text;
};

dm_status dm_model_build_manifest_internal(dm_model *m,
                                           const dm_model_train_params *p,
                                           const dm_featurizer *fz,
                                           const dm_dataset *ds, dm_error *err);

/* Re-serialise m->manifest into m->manifest_text. */
dm_status dm_model_set_text_internal(dm_model *m, dm_error *err);
/* A bundle file's checksum, named by its algorithm (bundle_checksum.c):
 * "crc32:<8 hex digits>" (written since format 2) or "fnv1a64:<16 hex
 * digits>" (format 1, still read); NUL included: at most 8 + 16 + 1 bytes. */
#define DM_BUNDLE_CHECKSUM_SIZE 25
/* "crc32:..." of a file's bytes. */
dm_status dm_bundle_file_checksum_internal(const char *path,
                                           char out[DM_BUNDLE_CHECKSUM_SIZE],
                                           dm_error *err);
/* The same checksum of bytes in memory. */
void dm_bundle_bytes_checksum_internal(const void *data, size_t len,
                                       char out[DM_BUNDLE_CHECKSUM_SIZE]);
/* The checksum of a_len bytes then b_len bytes in the algorithm `want`
 * names by its prefix; false (out empty) when it names none this build
 * knows. */
bool dm_bundle_parts_checksum_as_internal(const char *want, const void *a, size_t a_len,
                                          const void *b, size_t b_len,
                                          char out[DM_BUNDLE_CHECKSUM_SIZE]);
/* Check a file read in two parts against the manifest's checksum `want`:
 * DM_OK, or DM_E_FORMAT naming the manifest (an unknown algorithm) or the
 * file at `path` (a checksum that differs). */
dm_status dm_bundle_checksum_check_internal(const char *want, const void *a, size_t a_len,
                                            const void *b, size_t b_len, const char *path,
                                            const char *file, const char *manifest_path,
                                            dm_error *err);

/* ---- untrusted model files (bundle_load.c, model_validate.c) ---- */

/* Largest model or manifest file the loader reads. */
#define DM_BUNDLE_FILE_MAX ((size_t)512 << 20)
/* Check a LIBLINEAR 2.30 or libsvm 3.24 model text strictly, before the
 * library parses it: the layout their save functions write, counts that
 * agree with the lines, finite numbers, labels of the task, feature
 * indices in [1, max_dim] (increasing). DM_E_FORMAT naming path:line. */
dm_status dm_model_text_validate_internal(const char *path, const char *text, size_t len,
                                          dm_backend backend, dm_task task,
                                          bool regression, int max_dim, dm_error *err);
/* The binary weights of a LIBLINEAR task (weights.c: layout and why).
 * Save writes `ll`'s weights to path; load checks `len` bytes of such a
 * file (already checksummed) strictly, as the text validator does, and
 * makes a submodel of them (path names the file in messages only). */
#define DM_WEIGHTS_VERSION 1
dm_status dm_weights_save_internal(const struct model *ll, const char *path, dm_error *err);
dm_status dm_weights_load_internal(const char *path, const void *data, size_t len,
                                   dm_task task, bool regression, int max_dim,
                                   dm_submodel **out, dm_error *err);
/* The same checks on a file read in two parts, so that its weights need no
 * copy: `head` holds its first head_len bytes (header and labels: the
 * length dm_weights_head_bytes_internal gives), *body the rest, read from
 * the file into an array from dm_weights_alloc_internal. On success the
 * submodel owns that array and *body is set NULL; otherwise the caller
 * still frees it. */
#define DM_WEIGHTS_MAX_LABELS 64
dm_status dm_weights_load_split_internal(const char *path, const void *head, size_t head_len,
                                         double **body, size_t body_len, dm_task task,
                                         bool regression, int max_dim, dm_submodel **out,
                                         dm_error *err);
/* The length of a weights file's header and labels, from its first n bytes
 * (at least the 40 of the header) and its size; 0 when those bytes are no
 * plausible header (the caller then reads the file whole and lets the full
 * checks say what is wrong). */
size_t dm_weights_head_bytes_internal(const void *first, size_t n, size_t file_size);
/* An array for `bytes` of weights that free() releases (in huge pages
 * where the system gives them on request); NULL when out of memory. */
double *dm_weights_alloc_internal(size_t bytes);
/* Whether all n weights are finite (the check every weights file gets);
 * `wide` false keeps to the code every x86-64 runs (for the tests: true
 * takes 32-byte vectors where the CPU has them). */
bool dm_weights_all_finite_internal(const double *w, size_t n, bool wide);
/* Validate a model text as above, then load exactly those bytes (path names
 * the file in messages only). */
dm_status dm_submodel_load_text_internal(const char *path, const char *text, size_t len,
                                         dm_backend backend, dm_task task, bool svr,
                                         int max_dim, dm_submodel **out, dm_error *err);

#include "model_calls_internal.h" /* beside this file */

#endif

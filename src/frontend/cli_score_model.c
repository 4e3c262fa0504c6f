/* demarche-score's glue to the model layer: load a bundle, score the
 * statements of a document, explain a score. */
#include "cli_score_output.h"
#include "cli_explain.h"
#include "cli_heap.h"
#include "cli_train_report.h"
#include "demarche/model.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define EXPLAIN_TOP 8

struct dm_score_model {
    dm_model *model;
    void *heap_filler;      /* dm_cli_heap_huge's on the loading thread */
};

/* parallel: the weights read on a thread of their own (dm_model_load_parallel) */
static dm_status load_model(const char *dir, const char *lexicon_dir, bool explain,
                            bool parallel, const dm_logger *logger, dm_score_model **out,
                            dm_error *err)
{
    *out = NULL;
    dm_score_model *m = calloc(1, sizeof *m);
    if (!m)
        return dm_error_set(err, DM_E_NOMEM, dir, 0, "out of memory");
    dm_status s = parallel ? dm_model_load_parallel(dir, lexicon_dir, logger, &m->model, err)
                           : dm_model_load_with_logger(dir, lexicon_dir, logger, &m->model, err);
    /* Readable names of hashed features cost time: only for --explain. */
    if (s == DM_OK && explain)
        s = dm_model_set_explain(m->model, true, err);
    if (s != DM_OK) {
        dm_model_destroy(&m->model);
        free(m);
        return s;
    }
    *out = m;
    return DM_OK;
}

dm_status dm_score_model_load(const char *dir, const char *lexicon_dir, bool explain,
                              const dm_logger *logger, dm_score_model **out,
                              dm_error *err)
{
    return load_model(dir, lexicon_dir, explain, false, logger, out, err);
}

void dm_score_model_destroy(dm_score_model **m)
{
    if (!m || !*m)
        return;
    dm_model_destroy(&(*m)->model);
    free((*m)->heap_filler);
    free(*m);
    *m = NULL;
}

typedef struct load_message {
    dm_log_level level;
    char *where, *message;
    long line;
} load_message;

struct dm_score_model_loading {
    pthread_t thread;
    const char *dir, *lexicon_dir;
    bool explain;
    dm_status status;
    dm_error err;
    dm_score_model *model;
    load_message *msgs;     /* what the load logged, replayed by _end */
    size_t n_msgs, cap_msgs;
    bool lost;              /* a message could not be kept (out of memory) */
};

/* The loading thread's logger: keep the message for _end. */
static void keep_message(void *user, dm_log_level level, const char *where, long line,
                         const char *message)
{
    dm_score_model_loading *l = user;
    if (l->n_msgs == l->cap_msgs) {
        size_t cap = l->cap_msgs ? l->cap_msgs * 2 : 4;
        load_message *v = realloc(l->msgs, cap * sizeof *v);
        if (!v) {
            l->lost = true;
            return;
        }
        l->msgs = v;
        l->cap_msgs = cap;
    }
    load_message *m = &l->msgs[l->n_msgs];
    *m = (load_message){level, where ? strdup(where) : NULL, strdup(message ? message : ""),
                        line};
    if (!m->message || (where && !m->where)) {
        free(m->where);
        free(m->message);
        l->lost = true;
        return;
    }
    l->n_msgs++;
}

static void *load_main(void *arg)
{
    dm_score_model_loading *l = arg;
    dm_logger logger = {.fn = keep_message, .user = l};
    /* This thread's heap (an arena of its own) in 2 MB pages: the model
     * is most of the start-up's page faults. */
    void *filler = dm_cli_heap_huge(NULL);
    l->status = load_model(l->dir, l->lexicon_dir, l->explain, true, &logger, &l->model,
                           &l->err);
    if (l->model)
        l->model->heap_filler = filler;
    else
        free(filler);
    return NULL;
}

dm_score_model_loading *dm_score_model_load_begin(const char *dir, const char *lexicon_dir,
                                                  bool explain)
{
    dm_score_model_loading *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    l->dir = dir;
    l->lexicon_dir = lexicon_dir;
    l->explain = explain;
    if (pthread_create(&l->thread, NULL, load_main, l) != 0) {
        free(l);
        return NULL;
    }
    return l;
}

dm_status dm_score_model_load_end(dm_score_model_loading *l, bool keep,
                                  const dm_logger *logger, dm_score_model **out,
                                  dm_error *err)
{
    *out = NULL;
    pthread_join(l->thread, NULL);
    dm_status s = l->status;
    for (size_t i = 0; i < l->n_msgs; i++) {
        load_message *m = &l->msgs[i];
        if (keep && logger && logger->fn)
            logger->fn(logger->user, m->level, m->where ? m->where : "", m->line, m->message);
        free(m->where);
        free(m->message);
    }
    if (keep && l->lost && logger && logger->fn)
        logger->fn(logger->user, DM_LOG_WARNING, "", 0,
                   "out of memory: a message of the model load was lost");
    free(l->msgs);
    if (keep && s != DM_OK && err)
        *err = l->err;
    if (keep && s == DM_OK)
        *out = l->model;
    else
        dm_score_model_destroy(&l->model);
    free(l);
    return keep ? s : DM_OK;
}

const char *dm_score_model_manifest(dm_score_model *m)
{
    return dm_model_manifest_json(m->model);
}

dm_status dm_score_model_score(dm_score_model *m, dm_statement_list *list, dm_error *err)
{
    return dm_model_score_list(m->model, list, err);
}

dm_status dm_score_worker_create(const dm_score_model *m, dm_scorer **out, dm_error *err)
{
    return dm_scorer_create(m->model, out, err);
}

/* One prediction's sum, a line per feature: how much it pushes toward the
 * predicted class (or away), why in words, then the rest, the bias and the
 * total, so that the lines add up to the decision value behind the score. */
static void explain_one(dm_scorer *sc, const dm_statement *st, int target,
                        const char *klass, FILE *fp)
{
    dm_explanation ex;
    dm_error err;
    if (dm_scorer_explain_sum(sc, st, target, EXPLAIN_TOP, &ex, &err) != DM_OK) {
        fprintf(fp, "    (no explanation: %s)\n", err.message);
        return;
    }
    fprintf(fp, "    the decision value toward %s is the sum of:\n", klass);
    for (size_t i = 0; i < ex.n; i++) {
        const dm_explain_item *it = &ex.items[i];
        char why[320];
        dm_cli_describe_feature(it->name, why, sizeof why);
        fprintf(fp, "    %+8.3f %s %s because of %s   [%s = %.3f x weight %+.3f]\n",
                it->contribution, it->contribution >= 0 ? "toward" : "away from", klass, why,
                it->name, it->value, it->weight);
    }
    if (ex.n_features > ex.n)
        fprintf(fp, "    %+8.3f from the %zu other feature%s\n", ex.rest, ex.n_features - ex.n,
                dm_cli_s((long long)(ex.n_features - ex.n)));
    fprintf(fp, "    %+8.3f the bias (where every statement starts)\n", ex.bias);
    fprintf(fp, "    = %+6.3f toward %s: the decision value (each class has one; the\n"
                "             probabilities follow from them, a higher one is more probable)\n",
            ex.total, klass);
    dm_explanation_clear(&ex);
}

void dm_score_explain(dm_scorer *sc, const dm_statement *st, dm_score_printer *p,
                      FILE *err_fp)
{
    /* With JSON Lines on stdout the explanation goes to stderr, so the
     * output stays one JSON object per line. */
    FILE *fp = p->table ? p->fp : err_fp;
    char klass[64];
    if (st->scored) {
        fprintf(fp, "  statement %d: hostility level %d, expected level %.2f (0-4)\n", st->n,
                st->hostility_level, st->hostility_expected);
        snprintf(klass, sizeof klass, "level %d", st->hostility_level);
        explain_one(sc, st, -1, klass, fp);
    }
    for (size_t i = 0; i < st->n_targets; i++) {
        const dm_target *t = &st->targets[i];
        if (!t->scored)
            continue;
        fprintf(fp, "  statement %d: stance toward %s \"%s\", favor_minus_against %+.2f "
                    "(p against %.2f, neutral %.2f, favor %.2f)\n",
                st->n, t->actor, dm_stance_name(t->stance), t->score, t->p[DM_STANCE_AGAINST],
                t->p[DM_STANCE_NEUTRAL], t->p[DM_STANCE_FAVOR]);
        snprintf(klass, sizeof klass, "\"%s\"", dm_stance_name(t->stance));
        explain_one(sc, st, (int)i, klass, fp);
    }
}

/* Score one labelled statement as given and add its predictions to the
 * report: hostility against its level, stance against each labelled target. */
static dm_status eval_one(const dm_model *model, const dm_labelled_statement *ls,
                          dm_cv_report *report, dm_error *err)
{
    dm_statement_list list;
    dm_statement_list_init(&list);
    dm_statement *st = dm_statement_list_push(&list);
    if (!st)
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    dm_status s = DM_OK;
    st->n = 1;
    st->kind = DM_KIND_GIVEN;
    st->text = strndup(ls->text, ls->len);
    st->speaker_actor = ls->speaker_actor ? strdup(ls->speaker_actor) : NULL;
    st->norm_start = st->start = 0;
    st->norm_end = st->end = ls->len;
    if (!st->text || (ls->speaker_actor && !st->speaker_actor))
        s = dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; s == DM_OK && i < ls->n_targets; i++) {
        const dm_labelled_target *t = &ls->targets[i];
        char *mention = t->has_span ? strndup(ls->text + t->start, t->end - t->start) : NULL;
        s = dm_statement_add_target(st, t->actor, mention, t->has_span, t->start, t->end,
                                    t->start, t->end);
        free(mention);
    }
    if (s == DM_OK)
        s = dm_model_score_statement_after(model, st, ls->previous, err);
    if (s == DM_OK && report->has_hostility && ls->hostility >= 0 && st->scored)
        s = dm_eval_add(&report->hostility, ls->hostility, st->hostility_level,
                        st->hostility_expected, err);
    int gold[64], pred[64];
    size_t n_group = 0;
    for (size_t i = 0; s == DM_OK && report->has_stance && i < ls->n_targets; i++)
        if (ls->targets[i].stance >= 0 && st->targets[i].scored) {
            s = dm_eval_add(&report->stance, ls->targets[i].stance, (int)st->targets[i].stance,
                            st->targets[i].score, err);
            if (s == DM_OK)
                s = dm_eval_add_confidence(&report->stance, st->targets[i].p[st->targets[i].stance],
                                           ls->targets[i].stance == (int)st->targets[i].stance, err);
            if (n_group < sizeof gold / sizeof gold[0]) {
                gold[n_group] = ls->targets[i].stance;
                pred[n_group++] = (int)st->targets[i].stance;
            }
        }
    if (s == DM_OK)
        s = dm_eval_add_group(&report->stance, gold, pred, n_group, err);
    dm_statement_list_clear(&list);
    return s;
}

int dm_score_eval(dm_score_model *m, const dm_actors *actors, const dm_score_options *opt,
                  dm_cli_log *log)
{
    static const char *const levels[] = {"0", "1", "2", "3", "4"};
    static const char *const stances[] = {"against", "neutral", "favor"};
    dm_logger logger = {.fn = dm_cli_log_fn, .user = log};
    dm_dataset *ds = NULL;
    dm_error err;
    dm_status s = dm_dataset_create(&ds, &err);
    if (s == DM_OK) {
        /* Bad records are reported one by one (file:line) and counted; the
         * report is on the good ones (exit 1). */
        ds->keep_good = true;
        ds->lenient = opt->lenient;
        if (opt->eval_format && strcmp(opt->eval_format, "unscon") == 0)
            s = dm_dataset_read_unscon(ds, opt->eval_path, actors, &logger, &err);
        else if (opt->eval_format && strcmp(opt->eval_format, "newsmtsc") == 0)
            s = dm_dataset_read_newsmtsc(ds, opt->eval_path, actors, &logger, &err);
        else
            s = dm_dataset_read_jsonl(ds, opt->eval_path, opt->offsets, actors, NULL, &logger, &err);
    }
    bool bad = s == DM_E_PARSE && ds && ds->n_bad > 0;
    if (s != DM_OK && !bad) {
        dm_cli_report(log, &err);
        dm_dataset_destroy(&ds);
        return DM_EXIT_DATA;
    }
    dm_cv_report report;
    memset(&report, 0, sizeof report);
    report.has_hostility = dm_model_has_task(m->model, DM_TASK_HOSTILITY);
    report.has_stance = dm_model_has_task(m->model, DM_TASK_STANCE);
    if ((report.has_hostility &&
         dm_eval_init(&report.hostility, 5, levels, true, &err) != DM_OK) ||
        (report.has_stance && dm_eval_init(&report.stance, 3, stances, false, &err) != DM_OK)) {
        dm_cli_report(log, &err);
        dm_dataset_destroy(&ds);
        return DM_EXIT_FAILURE;
    }
    int rc = bad ? DM_EXIT_DATA : DM_EXIT_OK;
    for (size_t i = 0; i < ds->n; i++)
        if (eval_one(m->model, &ds->v[i], &report, &err) != DM_OK) {
            dm_cli_report(log, &err);
            rc = DM_EXIT_DATA;
        }
    if (report.has_hostility)
        dm_eval_finish(&report.hostility, &err);
    if (report.has_stance)
        dm_eval_finish(&report.stance, &err);
    report.has_hostility = report.has_hostility && report.hostility.n > 0;
    report.has_stance = report.has_stance && report.stance.n > 0;
    dm_cli_output out;
    if (!report.has_hostility && !report.has_stance) {
        /* An empty or wrong file evaluates nothing: that is no success, and
         * an empty report would replace what -o had. */
        fprintf(stderr, "%s: nothing to evaluate: no statement labelled for the model's "
                        "tasks; no report written\n", opt->eval_path);
        rc = rc == DM_EXIT_OK ? DM_EXIT_DATA : rc;
    } else if (!dm_cli_output_open(&out, opt->output, "demarche-score")) {
        rc = DM_EXIT_FAILURE;
    } else {
        if (opt->eval_json)
            dm_train_report_json(out.fp, &report, 0, NULL);
        else
            dm_train_report_text(out.fp, &report, 0, DM_TRAIN_CV_STATEMENTS);
        if (!dm_cli_output_commit(&out, "demarche-score"))
            rc = DM_EXIT_FAILURE;
    }
    if (!opt->quiet)
        fprintf(stderr, "demarche-score: evaluated %zu labelled statements (%ld hostility, %ld stance "
                        "labels) from %s; %ld bad record%s left out (reported above)\n", ds->n,
                report.hostility.n, report.stance.n, opt->eval_path, ds->n_bad,
                dm_cli_s((long long)ds->n_bad));
    dm_cv_report_free(&report);
    dm_dataset_destroy(&ds);
    return rc;
}

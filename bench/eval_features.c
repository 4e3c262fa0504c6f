/* How much each feature family is worth, measured with a plain liblinear
 * logistic regression (C = 1, bias 1) on the shared data sets:
 *
 *   hostility  UNSCon sentences, negative evaluation (direct or indirect)
 *              vs none, leave-one-meeting-out over the 4 meetings: F1 of
 *              the negative-evaluation class, accuracy.
 *   stance     NewsMTSC train.jsonl, 3 classes, 80/20 split by a hash of
 *              the sentence id: accuracy and macro-F1.
 *   corpus-h   the project's train/corpus JSONL files, hostility 0..4, and
 *   corpus-s   its target stances (3 classes), 5-fold CV by a hash of the
 *              statement id: accuracy, macro-F1 (F1[last]: level 4 / favor).
 *
 * Each row is one dm_feature_settings variant (and, for stance, the
 * hostility features alone, to show what the target features add).
 * Usage: eval_features [shared_dir]   (default $DM_SHARED_DIR or ../shared)
 * Environment: EVAL_C sets liblinear's C (default 1). */
#include "demarche/features.h"
#include "demarche/text.h"

#include <jansson.h>
#include <linear.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct example {
    dm_text *text;
    char *speaker;           /* actor label or NULL */
    dm_feature_target target;
    char *target_actor;
    int label;
    int fold;                /* hostility: meeting 0..3; stance: 0 train 1 test */
} example;

typedef struct examples {
    example *v;
    size_t n, cap;
} examples;

static example *push(examples *e)
{
    if (e->n == e->cap) {
        e->cap = e->cap ? e->cap * 2 : 1024;
        e->v = realloc(e->v, e->cap * sizeof *e->v);
    }
    memset(&e->v[e->n], 0, sizeof e->v[0]);
    return &e->v[e->n++];
}

/* One CSV field (RFC 4180 quoting) from *p; returns a malloc'ed string. */
static char *csv_field(const char **p)
{
    const char *s = *p;
    size_t cap = 256, n = 0;
    char *out = malloc(cap);
    bool quoted = *s == '"';
    if (quoted)
        s++;
    for (; *s; s++) {
        if (quoted && *s == '"' && s[1] == '"') {
            s++;
        } else if (quoted && *s == '"') {
            quoted = false;
            continue;
        } else if (!quoted && (*s == ',' || *s == '\n' || *s == '\r')) {
            break;
        }
        if (n + 2 > cap)
            out = realloc(out, cap *= 2);
        out[n++] = *s;
    }
    out[n] = '\0';
    if (*s == ',')
        s++;
    *p = s;
    return out;
}

static void load_unscon(const char *path, examples *e)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    char *line = NULL;
    size_t cap = 0;
    const char *meetings[] = {"SPV.7138", "SPV.7154", "SPV.7165", "SPV.7658"};
    bool header = true;
    while (getline(&line, &cap, f) > 0) {
        if (header) {
            header = false;
            continue;
        }
        const char *p = line;
        char *cols[15] = {0};
        for (int i = 0; i < 15; i++)
            cols[i] = csv_field(&p);
        example *x = push(e);
        dm_text_create(cols[1], strlen(cols[1]), &x->text, NULL);
        x->label = strcmp(cols[4], "_") != 0;
        for (int m = 0; m < 4; m++)
            if (strstr(cols[0], meetings[m]))
                x->fold = m;
        /* speaker country: the part of file_id after "_spchNNN_" */
        const char *sp = strstr(cols[0], "_spch");
        x->speaker = strdup(sp && strlen(sp) > 9 ? sp + 9 : "?");
        char *dot = strchr(x->speaker, '.');
        if (dot)
            *dot = '\0';
        for (int i = 0; i < 15; i++)
            free(cols[i]);
    }
    free(line);
    fclose(f);
}

static void load_newsmtsc(const char *path, examples *e)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        json_t *root = json_loads(line, 0, NULL);
        const char *s = json_string_value(json_object_get(root, "sentence_normalized"));
        const char *gid = json_string_value(json_object_get(root, "primary_gid"));
        json_t *targets = json_object_get(root, "targets");
        for (size_t i = 0; s && gid && i < json_array_size(targets); i++) {
            json_t *t = json_array_get(targets, i);
            const char *m = json_string_value(json_object_get(t, "mention"));
            double pol = json_number_value(json_object_get(t, "polarity"));
            example *x = push(e);
            dm_text_create(s, strlen(s), &x->text, NULL);
            x->label = pol < 3 ? 0 : pol < 5 ? 1 : 2;
            x->fold = dm_hash32(gid, strlen(gid), 7) % 5 == 0;
            x->target_actor = strdup(m ? m : "?");
            const char *norm = dm_text_norm(x->text);
            const char *at = m ? strstr(norm, m) : NULL;
            x->target.actor = x->target_actor;
            if (at) {
                x->target.has_span = true;
                x->target.start = (size_t)(at - norm);
                x->target.end = x->target.start + strlen(m);
            }
        }
        json_decref(root);
    }
    free(line);
    fclose(f);
}

/* liblinear wants the bias as an explicit last node, at train and predict. */
static int stance_label(const char *s)
{
    return !s ? -1 : strcmp(s, "against") == 0 ? 0 : strcmp(s, "neutral") == 0 ? 1
         : strcmp(s, "favor") == 0 ? 2 : -1;
}

/* The project's corpus: one statement a line (id, speaker_actor, text,
 * hostility, targets[{actor, mention, stance}]). */
static void load_corpus(const char *dir, examples *host, examples *stance)
{
    static const char *const files[] = {
        "a-communique", "a-ga", "a-ministry", "a-unsc",
        "b-briefing", "b-news", "b-press", "b-social"};
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        char path[8400];
        snprintf(path, sizeof path, "%s/%s.jsonl", dir, files[f]);
        json_error_t jerr;
        FILE *in = fopen(path, "r");
        if (!in)
            continue;
        char *line = NULL;
        size_t cap = 0;
        while (getline(&line, &cap, in) > 0) {
            json_t *root = json_loads(line, 0, &jerr);
            const char *id = json_string_value(json_object_get(root, "id"));
            const char *text = json_string_value(json_object_get(root, "text"));
            const char *spk = json_string_value(json_object_get(root, "speaker_actor"));
            json_t *hv = json_object_get(root, "hostility");
            if (!id || !text) {
                json_decref(root);
                continue;
            }
            int fold = (int)(dm_hash32(id, strlen(id), 11) % 5);
            if (json_is_integer(hv)) {
                example *x = push(host);
                dm_text_create(text, strlen(text), &x->text, NULL);
                x->label = (int)json_integer_value(hv);
                x->fold = fold;
                x->speaker = spk ? strdup(spk) : NULL;
            }
            json_t *targets = json_object_get(root, "targets");
            for (size_t i = 0; i < json_array_size(targets); i++) {
                json_t *t = json_array_get(targets, i);
                int label = stance_label(json_string_value(json_object_get(t, "stance")));
                const char *actor = json_string_value(json_object_get(t, "actor"));
                const char *m = json_string_value(json_object_get(t, "mention"));
                if (label < 0 || !actor)
                    continue;
                example *x = push(stance);
                dm_text_create(text, strlen(text), &x->text, NULL);
                x->label = label;
                x->fold = fold;
                x->speaker = spk ? strdup(spk) : NULL;
                x->target_actor = strdup(actor);
                x->target.actor = x->target_actor;
                const char *norm = dm_text_norm(x->text);
                const char *at = m ? strstr(norm, m) : NULL;
                if (at) {
                    x->target.has_span = true;
                    x->target.start = (size_t)(at - norm);
                    x->target.end = x->target.start + strlen(m);
                }
            }
            json_decref(root);
        }
        free(line);
        fclose(in);
    }
}

static struct feature_node *to_nodes(const dm_fvec *v, int bias_index)
{
    struct feature_node *x = malloc((v->n + 2) * sizeof *x);
    for (size_t i = 0; i < v->n; i++) {
        x[i].index = v->v[i].index;
        x[i].value = v->v[i].value;
    }
    x[v->n].index = bias_index;
    x[v->n].value = 1;
    x[v->n + 1].index = -1;
    return x;
}

static void quiet(const char *s)
{
    (void)s;
}

/* Featurise every example; stance_features false: hostility features. */
static struct feature_node **featurise(dm_featurizer *fz, const examples *e,
                                       bool stance)
{
    struct feature_node **xs = malloc(e->n * sizeof *xs);
    dm_fvec v;
    dm_fvec_init(&v);
    for (size_t i = 0; i < e->n; i++) {
        const example *x = &e->v[i];
        dm_feature_input in = {.text = dm_text_norm(x->text),
                               .len = dm_text_norm_len(x->text),
                               .speaker_actor = x->speaker};
        if (stance) {
            in.mentions = &x->target;
            in.n_mentions = x->target.has_span;
            dm_features_stance(fz, &in, &x->target, &v, NULL);
        } else {
            dm_features_hostility(fz, &in, &v, NULL);
        }
        xs[i] = to_nodes(&v, dm_featurizer_dimensions(fz) + 1);
    }
    dm_fvec_free(&v);
    return xs;
}

/* Train on examples with fold != test_fold, predict the others. */
static void run_fold(const examples *e, struct feature_node **xs, int dim,
                     int test_fold, int *pred)
{
    struct problem prob = {.n = dim + 1, .bias = 1};
    prob.x = malloc(e->n * sizeof *prob.x);
    prob.y = malloc(e->n * sizeof *prob.y);
    for (size_t i = 0; i < e->n; i++)
        if (e->v[i].fold != test_fold) {
            prob.x[prob.l] = xs[i];
            prob.y[prob.l++] = e->v[i].label;
        }
    const char *c = getenv("EVAL_C");
    struct parameter param = {.solver_type = L2R_LR, .eps = 0.01,
                              .C = c ? atof(c) : 1};
    struct model *m = train(&prob, &param);
    for (size_t i = 0; i < e->n; i++)
        if (e->v[i].fold == test_fold)
            pred[i] = (int)predict(m, xs[i]);
    free_and_destroy_model(&m);
    free(prob.x);
    free(prob.y);
}

static void report(const char *task, const char *variant, const examples *e,
                   const int *pred, int classes, bool test_only)
{
    int tp[5] = {0}, fp[5] = {0}, fn[5] = {0}, right = 0, total = 0;
    for (size_t i = 0; i < e->n; i++) {
        if (test_only && e->v[i].fold != 1)
            continue;
        int y = e->v[i].label, p = pred[i];
        total++;
        right += y == p;
        if (y == p)
            tp[y]++;
        else {
            fp[p]++;
            fn[y]++;
        }
    }
    double f1[5], macro = 0;
    for (int c = 0; c < classes; c++) {
        double prec = tp[c] + fp[c] ? (double)tp[c] / (tp[c] + fp[c]) : 0;
        double rec = tp[c] + fn[c] ? (double)tp[c] / (tp[c] + fn[c]) : 0;
        f1[c] = prec + rec > 0 ? 2 * prec * rec / (prec + rec) : 0;
        macro += f1[c] / classes;
    }
    printf("%-9s %-28s n=%-5d acc %.3f  macro-F1 %.3f  F1[last] %.3f\n", task,
           variant, total, (double)right / total, macro, f1[classes - 1]);
}

typedef struct variant {
    const char *name;
    int ngram_max, char_min, char_max;
    bool lexicon;
} variant;

int main(int argc, char **argv)
{
    const char *shared = argc > 1 ? argv[1] : getenv("DM_SHARED_DIR");
    const char *src = getenv("DM_SOURCE_DIR");
    char path[8192], lexdir[4096];
    snprintf(lexdir, sizeof lexdir, "%s/lexicons", src ? src : ".");
    if (!shared)
        shared = "../shared";
    examples host = {0}, stance = {0}, chost = {0}, cstance = {0};
    snprintf(path, sizeof path, "%s/train/corpus", src ? src : ".");
    load_corpus(path, &chost, &cstance);
    snprintf(path, sizeof path, "%s/data/unscon/sentences.csv", shared);
    load_unscon(path, &host);
    snprintf(path, sizeof path, "%s/data/newsmtsc/train.jsonl", shared);
    load_newsmtsc(path, &stance);
    if (host.n == 0 || stance.n == 0) {
        fprintf(stderr, "eval_features: shared data not found under %s (skipped)\n",
                shared);
        return 77;
    }
    set_print_string_function(quiet);
    const variant variants[] = {
        {"default (1-3, lexicon)", 3, 0, 0, true},
        {"no lexicon", 3, 0, 0, false},
        {"unigrams + lexicon", 1, 0, 0, true},
        {"1-2 + lexicon", 2, 0, 0, true},
        {"1-3 + chars 2-4 + lexicon", 3, 2, 4, true},
    };
    size_t most = host.n;
    most = stance.n > most ? stance.n : most;
    most = chost.n > most ? chost.n : most;
    most = cstance.n > most ? cstance.n : most;
    int *pred = calloc(most, sizeof *pred);
    for (size_t k = 0; k < sizeof variants / sizeof variants[0]; k++) {
        const variant *va = &variants[k];
        dm_feature_settings s;
        dm_feature_settings_default(&s);
        s.word_ngram_max = va->ngram_max;
        s.char_ngram_min = va->char_min;
        s.char_ngram_max = va->char_max;
        s.lexicon = va->lexicon;
        dm_featurizer *fz = NULL;
        dm_error err;
        if (dm_featurizer_create(&s, lexdir, &fz, &err) != DM_OK) {
            fprintf(stderr, "eval_features: %s\n", err.message);
            return 1;
        }
        int dim = dm_featurizer_dimensions(fz);
        struct feature_node **xs = featurise(fz, &host, false);
        for (int fold = 0; fold < 4; fold++)
            run_fold(&host, xs, dim, fold, pred);
        report("hostility", va->name, &host, pred, 2, false);
        for (size_t i = 0; i < host.n; i++)
            free(xs[i]);
        free(xs);
        for (int mode = 1; mode >= (k == 0 ? 0 : 1); mode--) {
            xs = featurise(fz, &stance, mode == 1);
            run_fold(&stance, xs, dim, 1, pred);
            report("stance", mode ? va->name : "hostility features only",
                   &stance, pred, 3, true);
            for (size_t i = 0; i < stance.n; i++)
                free(xs[i]);
            free(xs);
        }
        for (int task = 0; task < 2 && chost.n > 0; task++) {
            examples *e = task ? &cstance : &chost;
            xs = featurise(fz, e, task == 1);
            for (int fold = 0; fold < 5; fold++)
                run_fold(e, xs, dim, fold, pred);
            report(task ? "corpus-s" : "corpus-h", va->name, e, pred,
                   task ? 3 : 5, false);
            for (size_t i = 0; i < e->n; i++)
                free(xs[i]);
            free(xs);
        }
        dm_featurizer_destroy(&fz);
    }
    free(pred);
    return 0;
}

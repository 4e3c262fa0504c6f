/* The learned-speaker study (see polnear_rank.h and bench/POLNEAR.md, round
 * 13). It reads the extractor's own analysis of the document (sentences,
 * paragraphs, quotes, the names it found, its pronoun antecedents) through
 * the internal headers, so the candidates are what the extractor could
 * choose from, named as it would name them. */
#include "polnear_rank.h"

#include "statements/rank_internal.h"

#include <linear.h>

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Scopes, nearest first (dm_rank_scope): a candidate counts in the oracle
 * of its scope and of every wider one. */
enum { N_SCOPES = 5 };
static const char *const SCOPE_NAMES[N_SCOPES] = {"sentence", "+1_back", "+3_back",
                                                  "+earlier", "+rules"};

typedef struct row { int f[DM_RANK_MAXF]; int nf; bool label; } row;

typedef struct qrec {
    size_t article;
    int cls;                /* error class, -1: the rules are right */
    int qk;                 /* DM_RQ_* */
    bool rules_ok;
    size_t r0, nr;          /* its candidates' rows */
    long rules_row;         /* the rules' candidate's row, -1: none */
    /* a carried quote: the candidates of the statement it was carried from
     * (dm_rank_carried_from), judged for this quote; src_nr 0: none */
    int src_qk;
    size_t src_r0, src_nr;
    long src_rules_row;
} qrec;

struct pr_study {
    const char *const *class_names;
    int n_classes;
    /* the article */
    dm_doc doc;
    bool open;
    const dm_statement_list *l;
    size_t article;
    /* oracle: [class + 1 (0: right)][scope] quotes with a right candidate */
    size_t (*hits)[N_SCOPES];
    size_t *quotes, *n_cands;
    /* for the ranker */
    row *rows;
    size_t n_rows, cap_rows;
    qrec *q;
    size_t n_q, cap_q;
};

pr_study *pr_create(const char *const *class_names, int n_classes)
{
    pr_study *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->class_names = class_names;
    s->n_classes = n_classes;
    s->hits = calloc((size_t)n_classes + 1, sizeof *s->hits);
    s->quotes = calloc((size_t)n_classes + 1, sizeof *s->quotes);
    s->n_cands = calloc((size_t)n_classes + 1, sizeof *s->n_cands);
    if (!s->hits || !s->quotes || !s->n_cands) pr_destroy(&s);
    return s;
}

void pr_destroy(pr_study **sp)
{
    if (!sp || !*sp) return;
    pr_study *s = *sp;
    if (s->open) dm_doc_close(&s->doc);
    free(s->hits);
    free(s->quotes);
    free(s->n_cands);
    free(s->rows);
    free(s->q);
    free(s);
    *sp = NULL;
}

bool pr_article_begin(pr_study *s, const dm_extractor *ex, const dm_document *doc,
                      const dm_statement_list *l)
{
    dm_error err;
    if (s->open) pr_article_end(s);
    if (dm_doc_open(&s->doc, ex, doc, NULL, &err) != DM_OK) {
        dm_doc_close(&s->doc);
        return false;
    }
    s->open = true;
    s->l = l;
    return true;
}

void pr_article_end(pr_study *s)
{
    if (!s->open) return;
    dm_doc_close(&s->doc);
    s->open = false;
    s->article++;
}

/* Room for n more rows. */
static bool reserve_rows(pr_study *s, size_t n)
{
    if (s->n_rows + n <= s->cap_rows) return true;
    size_t cap = s->cap_rows ? 2 * s->cap_rows : 8192;
    while (cap < s->n_rows + n) cap *= 2;
    row *v = realloc(s->rows, cap * sizeof *v);
    if (!v) return false;
    s->rows = v, s->cap_rows = cap;
    return true;
}

/* PR_DROP: the masked base features out of a row. */
static void drop_masked(row *r)
{
    const char *drop = getenv("PR_DROP");
    if (!drop || !*drop) return;
    int m = 0;
    for (int j = 0; j < r->nf; j++) {
        int b = (r->f[j] - 1) % DM_RF_N;
        char key[16];
        snprintf(key, sizeof key, ",%d,", b);
        if (!strstr(drop, key)) r->f[m++] = r->f[j];
    }
    r->nf = m;
}

/* For a carried quote q (statement stmt): the rows of the statement it was
 * carried from, labelled by whether they name q's gold source. */
static void carried_source(pr_study *s, qrec *q, size_t stmt, pr_judge_fn judge, void *ctx)
{
    size_t j = dm_rank_carried_from(s->l->v, stmt);
    dm_rank_cands cs = {0};
    if (j == (size_t)-1 || dm_rank_candidates(&s->doc, s->l->v, s->l->n, j, &cs) != DM_OK ||
        !reserve_rows(s, cs.n)) {
        dm_rank_cands_free(&cs);
        return;
    }
    q->src_qk = cs.kind;
    q->src_r0 = s->n_rows;
    q->src_nr = cs.n;
    for (size_t i = 0; i < cs.n; i++) {
        if (cs.v[i].rules) q->src_rules_row = (long)s->n_rows;
        row *r = &s->rows[s->n_rows++];
        r->nf = dm_rank_features(&cs.v[i], &cs, r->f);
        drop_masked(r);
        r->label = judge(ctx, cs.v[i].sp.name) == 1;
    }
    dm_rank_cands_free(&cs);
}

void pr_quote(pr_study *s, size_t stmt, int cls, pr_judge_fn judge, void *ctx)
{
    if (!s->open || stmt >= s->l->n) return;
    dm_rank_cands cs = {0};
    bool ok = dm_rank_candidates(&s->doc, s->l->v, s->l->n, stmt, &cs) == DM_OK;
    size_t ci = (size_t)(cls + 1);
    if (ok && s->n_q == s->cap_q) {
        size_t cap = s->cap_q ? 2 * s->cap_q : 1024;
        qrec *v = realloc(s->q, cap * sizeof *v);
        if (v) s->q = v, s->cap_q = cap;
        else ok = false;
    }
    if (ok && !reserve_rows(s, cs.n)) ok = false;
    if (ok) {
        bool hit[N_SCOPES] = {false};
        qrec *q = &s->q[s->n_q++];
        *q = (qrec){s->article, cls, cs.kind, cls < 0, s->n_rows, cs.n, -1, 0, 0, 0, -1};
        for (size_t i = 0; i < cs.n; i++) {
            if (cs.v[i].rules) q->rules_row = (long)s->n_rows;
            row *r = &s->rows[s->n_rows++];
            r->nf = dm_rank_features(&cs.v[i], &cs, r->f);
            drop_masked(r);
            r->label = judge(ctx, cs.v[i].sp.name) == 1;
            if (!r->label) continue;
            for (int k = dm_rank_scope(&cs.v[i]); k < N_SCOPES; k++) hit[k] = true;
        }
        s->quotes[ci]++;
        s->n_cands[ci] += cs.n;
        for (int k = 0; k < N_SCOPES; k++) s->hits[ci][k] += hit[k];
        if (cs.kind == DM_RQ_CARRIED) carried_source(s, q, stmt, judge, ctx);
    }
    dm_rank_cands_free(&cs);
}

/* ---- the ranker ------------------------------------------------------- */

static void print_nothing(const char *s) { (void)s; }

static bool in_group(const qrec *q, bool with_pronoun)
{
    return q->qk <= DM_RQ_PREVIOUS || (with_pronoun && q->qk == DM_RQ_PRONOUN);
}

/* The weights (w[k - 1] for feature k, oriented so that higher means more
 * likely right) of a logistic regression over the candidates of the group's
 * quotes outside fold `skip` (-1: all). False when there is nothing to
 * learn from or out of memory. */
static bool fit_kinds(const pr_study *s, unsigned kinds, unsigned skip, double C, double *w);

static bool fit(const pr_study *s, bool with_pronoun, int skip, double C, double *w)
{
    unsigned kinds = 1u << DM_RQ_NONE | 1u << DM_RQ_CARRIED | 1u << DM_RQ_SUBJECT |
                     1u << DM_RQ_PREVIOUS | (with_pronoun ? 1u << DM_RQ_PRONOUN : 0);
    return fit_kinds(s, kinds, skip < 0 ? 0 : 1u << skip, C, w);
}

/* The same for the quotes of the kinds in mask `kinds` (bit DM_RQ_*)
 * outside the folds of mask `skip`. */
static bool fit_kinds(const pr_study *s, unsigned kinds, unsigned skip, double C, double *w)
{
    bool ok = false;
    set_print_string_function(print_nothing);
    struct feature_node *nodes = malloc((s->n_rows + 1) * (DM_RANK_MAXF + 1) * sizeof *nodes);
    struct feature_node **x = malloc((s->n_rows + 1) * sizeof *x);
    double *y = malloc((s->n_rows + 1) * sizeof *y);
    if (!nodes || !x || !y) goto out;
    int l = 0;
    struct feature_node *nd = nodes;
    for (size_t i = 0; i < s->n_q; i++) {
        const qrec *q = &s->q[i];
        if (!(kinds >> q->qk & 1) || (skip >> (q->article % PR_FOLDS) & 1)) continue;
        for (size_t k = q->r0; k < q->r0 + q->nr; k++) {
            const row *r = &s->rows[k];
            x[l] = nd;
            for (int j = 0; j < r->nf; j++) *nd++ = (struct feature_node){r->f[j], 1.0};
            *nd++ = (struct feature_node){-1, 0.0};
            y[l++] = r->label ? 1.0 : -1.0;
        }
    }
    struct problem prob = {.l = l, .n = DM_RANK_NFEAT, .y = y, .x = x, .bias = -1};
    struct parameter par = {.solver_type = L2R_LR, .eps = 0.01, .C = C};
    if (l == 0 || check_parameter(&prob, &par)) goto out;
    struct model *m = train(&prob, &par);
    if (!m) goto out;
    /* LIBLINEAR's decision value is for its first label */
    double sign = m->nr_class == 2 && m->label[0] < 0 ? -1.0 : 1.0;
    for (int k = 0; k < DM_RANK_NFEAT; k++) w[k] = k < m->nr_feature ? sign * m->w[k] : 0.0;
    ok = m->nr_class == 2;
    free_and_destroy_model(&m);
out:
    free(nodes);
    free(x);
    free(y);
    return ok;
}

/* Five folds by article (article index mod 5, in the evaluator's sorted
 * order). Returns the ranker's right choices in the group; *rules_right
 * gets the rules' ones, *group its quotes. fold_* (PR_FOLDS each) get the
 * same per fold. The choice is scored as the extractor scores it
 * (dm_rank_score: the first of equal best). */
/* right choices by the quote's kind (DM_RQ_*): quotes, rules, ranker */
static size_t kind_n[DM_RQ_N], kind_rules[DM_RQ_N], kind_rank[DM_RQ_N];
/* the same by fold: ranker minus rules */
static long kind_fold_gain[DM_RQ_N][PR_FOLDS];
/* two fixed choices for comparison, where the ranker chooses: the latest
 * earlier speaker; the nearest name before the quote (fewest sentences
 * back, then fewest words) */
static size_t base_prev, base_near;

static bool has(const row *r, int feature)
{
    for (int j = 0; j < r->nf; j++)
        if (r->f[j] == 1 + feature) return true;
    return false;
}

static int nearness(const row *r)
{
    static const int BACK[] = {DM_RF_BACK0, DM_RF_BACK1, DM_RF_BACK2, DM_RF_BACK3};
    static const int U[] = {DM_RF_U5, DM_RF_U10, DM_RF_U20, DM_RF_U40, DM_RF_UFAR};
    int b = 4, u = 5;
    for (int k = 0; k < 4; k++) if (has(r, BACK[k])) b = k;
    for (int k = 0; k < 5; k++) if (has(r, U[k])) u = k;
    return u == 5 ? 1000 : b * 10 + u; /* named before the quote only */
}

/* Where the ranker chooses, by mode: 0 the quotes with no speaker (what
 * dm_rank_apply does), 1 the four guessed attributions, 2 those and
 * pronoun. Modes 0 and 1 train on the guessed quotes, 2 on its own group. */
static bool applies(const qrec *q, int mode)
{
    return mode == 0 ? q->qk == DM_RQ_NONE : in_group(q, mode == 2);
}

static size_t cross_validate(const pr_study *s, int mode, double C, size_t *rules_right,
                             size_t *group, size_t *fold_n, size_t *fold_rules, size_t *fold_rank)
{
    memset(kind_n, 0, sizeof kind_n);
    memset(kind_rules, 0, sizeof kind_rules);
    memset(kind_rank, 0, sizeof kind_rank);
    memset(kind_fold_gain, 0, sizeof kind_fold_gain);
    base_prev = base_near = 0;
    size_t right = 0;
    *rules_right = *group = 0;
    double w[DM_RANK_NFEAT];
    dm_ranker rk = {.w = w, .n = DM_RANK_NFEAT};
    for (int f = 0; f < PR_FOLDS; f++) {
        fold_n[f] = fold_rules[f] = fold_rank[f] = 0;
        if (!fit(s, mode == 2, f, C, w)) continue;
        for (size_t i = 0; i < s->n_q; i++) {
            const qrec *q = &s->q[i];
            if (!applies(q, mode) || (int)(q->article % PR_FOLDS) != f) continue;
            double best = 0;
            bool pick_ok = false, any = false;
            for (size_t k = q->r0; k < q->r0 + q->nr; k++) {
                const row *r = &s->rows[k];
                double dec = dm_rank_score(&rk, r->f, r->nf);
                if (!any || dec > best) best = dec, pick_ok = r->label, any = true;
            }
            bool prev_ok = q->rules_ok, near_ok = q->rules_ok;
            int near = 1000;
            for (size_t k = q->r0; k < q->r0 + q->nr && q->qk == DM_RQ_NONE; k++) {
                const row *r = &s->rows[k];
                if (has(r, DM_RF_PREV1)) prev_ok = r->label;
                if (nearness(r) < near) near = nearness(r), near_ok = r->label;
            }
            base_prev += prev_ok;
            base_near += near_ok;
            fold_n[f]++;
            fold_rules[f] += q->rules_ok;
            fold_rank[f] += any ? pick_ok : q->rules_ok;
            kind_n[q->qk]++;
            kind_rules[q->qk] += q->rules_ok;
            kind_rank[q->qk] += any ? pick_ok : q->rules_ok;
            kind_fold_gain[q->qk][f] += (long)(any ? pick_ok : q->rules_ok) - (long)q->rules_ok;
        }
        *group += fold_n[f];
        *rules_right += fold_rules[f];
        right += fold_rank[f];
    }
    return right;
}

/* ---- margins: replacing the rules' own choice ------------------------- */

/* The margins tried, in score units (a sum of logistic weights): the ranker's
 * best must beat the rules' candidate by more than this to replace it. */
static const double MARGINS[] = {0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0};
enum { N_MARGINS = sizeof MARGINS / sizeof MARGINS[0] };

/* Whether the choice for q is right when the ranker replaces the rules' choice
 * only beyond margin m (HUGE_VAL: never; quotes with no speaker: always). */
static bool choice_ok(const pr_study *s, const qrec *q, const dm_ranker *rk, double m)
{
    if (q->qk != DM_RQ_NONE && m == HUGE_VAL) return q->rules_ok;
    double best = 0, rules = 0;
    bool pick_ok = false, any = false;
    for (size_t k = q->r0; k < q->r0 + q->nr; k++) {
        const row *r = &s->rows[k];
        double dec = dm_rank_score(rk, r->f, r->nf);
        if ((long)k == q->rules_row) rules = dec;
        if (!any || dec > best) best = dec, pick_ok = r->label, any = true;
    }
    if (!any) return q->rules_ok;
    if (q->rules_row < 0) return pick_ok;
    return best - rules > m ? pick_ok : q->rules_ok;
}

/* For a carried quote the ranker does not choose for itself: right when it
 * follows the statement it was carried from, whose speaker the ranker
 * replaces beyond margin[its kind] (as dm_rank_apply does, round 15), else
 * the rules' choice. PR_NO_FOLLOW set: never follows (before round 15). */
static bool follow_ok(const pr_study *s, const qrec *q, const dm_ranker *rk,
                      const double margin[DM_RQ_N])
{
    if (!q->src_nr || q->src_rules_row < 0 || margin[q->src_qk] == HUGE_VAL ||
        getenv("PR_NO_FOLLOW"))
        return q->rules_ok;
    double best = 0, rules = 0;
    bool pick_ok = false, pick_rules = false, any = false;
    for (size_t k = q->src_r0; k < q->src_r0 + q->src_nr; k++) {
        const row *r = &s->rows[k];
        double dec = dm_rank_score(rk, r->f, r->nf);
        if ((long)k == q->src_rules_row) rules = dec;
        if (!any || dec > best)
            best = dec, pick_ok = r->label, pick_rules = (long)k == q->src_rules_row, any = true;
    }
    return best - rules > margin[q->src_qk] && !pick_rules ? pick_ok : q->rules_ok;
}

/* Per kind of mask `replace`, the margin (of MARGINS, HUGE_VAL: off) that
 * gains most over the rules in a CV over the folds outside `outer` (each
 * inner fold's quotes chosen by weights fitted on the rest): the largest of
 * the best among those that gain in total and lose in no fold (PR_ANY_FOLD
 * set: in total only), off when none does. Quotes with no speaker get
 * -HUGE_VAL (always chosen). */
static bool choose_margins(const pr_study *s, unsigned train, unsigned replace, unsigned outer,
                           double C, double margin[DM_RQ_N], long gain_out[DM_RQ_N])
{
    long gain[DM_RQ_N][N_MARGINS] = {{0}};
    bool loses[DM_RQ_N][N_MARGINS] = {{false}};
    bool any_fold = getenv("PR_ANY_FOLD") != NULL;
    double w[DM_RANK_NFEAT];
    dm_ranker rk = {.w = w, .n = DM_RANK_NFEAT};
    for (int g = 0; g < PR_FOLDS; g++) {
        if (outer >> g & 1) continue;
        if (!fit_kinds(s, train, outer | 1u << g, C, w)) return false;
        long fg[DM_RQ_N][N_MARGINS] = {{0}};
        for (size_t i = 0; i < s->n_q; i++) {
            const qrec *q = &s->q[i];
            if ((int)(q->article % PR_FOLDS) != g || q->rules_row < 0) continue;
            for (int t = 0; t < N_MARGINS; t++)
                fg[q->qk][t] += (long)choice_ok(s, q, &rk, MARGINS[t]) - (long)q->rules_ok;
        }
        for (int k = 0; k < DM_RQ_N; k++)
            for (int t = 0; t < N_MARGINS; t++) {
                gain[k][t] += fg[k][t];
                loses[k][t] |= fg[k][t] < 0 && !any_fold;
            }
    }
    for (int k = 0; k < DM_RQ_N; k++) {
        margin[k] = HUGE_VAL;
        gain_out[k] = 0;
        for (int t = 0; t < N_MARGINS && (replace >> k & 1); t++)
            if (gain[k][t] > 0 && !loses[k][t] && gain[k][t] >= gain_out[k])
                margin[k] = MARGINS[t], gain_out[k] = gain[k][t];
    }
    margin[DM_RQ_NONE] = -HUGE_VAL;
    margin[DM_RQ_OTHER] = HUGE_VAL; /* a cue the rules read: never replaced */
    return true;
}


/* The kinds the ranker is trained on (bits DM_RQ_*): PR_TRAIN=",k,..." for
 * a study, else every kind the rules guess or resolve through a pronoun. */
static unsigned train_kinds(void)
{
    const char *e = getenv("PR_TRAIN");
    if (!e || !*e)
        return 1u << DM_RQ_NONE | 1u << DM_RQ_CARRIED | 1u << DM_RQ_SUBJECT |
               1u << DM_RQ_PREVIOUS | 1u << DM_RQ_PRONOUN;
    unsigned m = 0;
    for (int k = 0; k < DM_RQ_N; k++) {
        char key[16];
        snprintf(key, sizeof key, ",%d,", k);
        if (strstr(e, key)) m |= 1u << k;
    }
    return m;
}

/* Nested CV: in each outer fold, margins chosen by an inner CV over the other
 * four, weights fitted on those four, choices made in the fold. */
static void report_margins(const pr_study *s, FILE *fp, double C, unsigned replace)
{
    unsigned train = train_kinds();
    long gain[DM_RQ_N][PR_FOLDS] = {{0}}, follow[PR_FOLDS] = {0};
    size_t n[DM_RQ_N] = {0}, rules[DM_RQ_N] = {0};
    double mf[PR_FOLDS][DM_RQ_N];
    double w[DM_RANK_NFEAT];
    dm_ranker rk = {.w = w, .n = DM_RANK_NFEAT};
    size_t judged = s->n_q, rules_all = 0;
    long total = 0;
    for (size_t i = 0; i < s->n_q; i++) rules_all += s->q[i].rules_ok;
    for (int f = 0; f < PR_FOLDS; f++) {
        long ig[DM_RQ_N];
        if (!choose_margins(s, train, replace, 1u << f, C, mf[f], ig) ||
            !fit_kinds(s, train, 1u << f, C, w))
            return;
        for (size_t i = 0; i < s->n_q; i++) {
            const qrec *q = &s->q[i];
            if ((int)(q->article % PR_FOLDS) != f) continue;
            long d = (long)choice_ok(s, q, &rk, mf[f][q->qk]) - (long)q->rules_ok;
            if (q->qk == DM_RQ_CARRIED && mf[f][q->qk] == HUGE_VAL) {
                d = (long)follow_ok(s, q, &rk, mf[f]) - (long)q->rules_ok;
                follow[f] += d;
            }
            gain[q->qk][f] += d;
            total += d;
            n[q->qk]++;
            rules[q->qk] += q->rules_ok;
        }
    }
    fprintf(fp, "\nranker with margins, nested %d-fold CV by article (C = %g; trained on kinds "
                "mask 0x%x, may replace kinds mask 0x%x%s): per outer fold, the margin for each "
                "kind chosen by an inner CV on the other folds (off: the rules' choice kept)\n",
                PR_FOLDS, C, train, replace, replace == DM_RANK_REPLACE ? ", as shipped" : "");
    fprintf(fp, "%-18s %7s %9s %9s  %-28s %s\n", "kind", "quotes", "rules", "ranker",
                "gain by fold", "margin by fold");
    for (int k = 0; k < DM_RQ_N; k++) {
        if (!n[k]) continue;
        long g = 0;
        for (int f = 0; f < PR_FOLDS; f++) g += gain[k][f];
        fprintf(fp, "%-18s %7zu %9zu %9ld  ", dm_rq_kind_name(k), n[k], rules[k], (long)rules[k] + g);
        for (int f = 0; f < PR_FOLDS; f++) fprintf(fp, " %+ld", gain[k][f]);
        fprintf(fp, "   ");
        for (int f = 0; f < PR_FOLDS; f++) {
            if (mf[f][k] == HUGE_VAL) fprintf(fp, " off");
            else if (mf[f][k] == -HUGE_VAL) fprintf(fp, " all");
            else fprintf(fp, " %g", mf[f][k]);
        }
        fprintf(fp, "\n");
    }
    if (!getenv("PR_NO_FOLLOW")) {
        fprintf(fp, "carried quotes following a replaced speaker (in carried above), gain "
                    "by fold:");
        for (int f = 0; f < PR_FOLDS; f++) fprintf(fp, " %+ld", follow[f]);
        fprintf(fp, "\n");
    }
    long fold_total[PR_FOLDS] = {0};
    for (int f = 0; f < PR_FOLDS; f++)
        for (int k = 0; k < DM_RQ_N; k++) fold_total[f] += gain[k][f];
    fprintf(fp, "overall: %zu -> %ld of %zu (%.4f -> %.4f); gain by fold:", rules_all,
            (long)rules_all + total, judged, (double)rules_all / (double)(judged ? judged : 1),
            (double)((long)rules_all + total) / (double)(judged ? judged : 1));
    for (int f = 0; f < PR_FOLDS; f++) fprintf(fp, " %+ld", fold_total[f]);
    fprintf(fp, "\n");
}

bool pr_train(pr_study *s, const char *path, const char *provenance)
{
    double w[DM_RANK_NFEAT], margin[DM_RQ_N];
    long gain[DM_RQ_N];
    unsigned train = train_kinds();
    if (!choose_margins(s, train, DM_RANK_REPLACE, 0, 1.0, margin, gain) ||
        !fit_kinds(s, train, 0, 1.0, w))
        return false;
    margin[DM_RQ_NONE] = HUGE_VAL; /* always: no line */
    char *text = dm_ranker_format(w, DM_RANK_NFEAT, margin, provenance);
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *fp = text ? fopen(tmp, "w") : NULL;
    bool ok = fp && fputs(text, fp) >= 0;
    if (fp) ok = fclose(fp) == 0 && ok;
    ok = ok && rename(tmp, path) == 0;
    if (!ok) remove(tmp);
    free(text);
    return ok;
}

static double pct(size_t a, size_t b) { return b ? 100.0 * (double)a / (double)b : 0.0; }

void pr_report(pr_study *s, FILE *fp, bool cv)
{
    fprintf(fp, "\ncandidate oracle: %% of judged quotes with a candidate naming the gold source\n");
    fprintf(fp, "(scopes widen left to right; back = sentences before the quote's)\n");
    fprintf(fp, "%-16s %7s", "rules_class", "quotes");
    for (int k = 0; k < N_SCOPES; k++) fprintf(fp, " %9s", SCOPE_NAMES[k]);
    fprintf(fp, " %8s\n", "mean_n");
    size_t tq = 0, wq = 0, gq = 0, th[N_SCOPES] = {0}, wh[N_SCOPES] = {0}, gh[N_SCOPES] = {0};
    size_t tc = 0, wc = 0, gc = 0;
    for (int c = -1; c < s->n_classes; c++) {
        size_t ci = (size_t)(c + 1), n = s->quotes[ci];
        fprintf(fp, "%-16s %7zu", c < 0 ? "right" : s->class_names[c], n);
        for (int k = 0; k < N_SCOPES; k++) fprintf(fp, " %9.1f", pct(s->hits[ci][k], n));
        fprintf(fp, " %8.1f\n", n ? (double)s->n_cands[ci] / (double)n : 0.0);
        tq += n;
        tc += s->n_cands[ci];
        for (int k = 0; k < N_SCOPES; k++) th[k] += s->hits[ci][k];
        if (c >= 0) {
            wq += n;
            wc += s->n_cands[ci];
            for (int k = 0; k < N_SCOPES; k++) wh[k] += s->hits[ci][k];
        }
    }
    /* the guessed group, right and wrong: counted from the quote records */
    for (size_t i = 0; i < s->n_q; i++) {
        const qrec *q = &s->q[i];
        if (!in_group(q, false)) continue;
        gq++;
        gc += q->nr;
        bool any = false;
        for (size_t k = q->r0; k < q->r0 + q->nr && !any; k++) any = s->rows[k].label;
        gh[N_SCOPES - 1] += any;
    }
    const char *lab[2] = {"all_wrong", "all_judged"};
    size_t *qs[2] = {&wq, &tq}, *cs[2] = {&wc, &tc}, *hs[2] = {wh, th};
    for (int j = 0; j < 2; j++) {
        fprintf(fp, "%-16s %7zu", lab[j], *qs[j]);
        for (int k = 0; k < N_SCOPES; k++) fprintf(fp, " %9.1f", pct(hs[j][k], *qs[j]));
        fprintf(fp, " %8.1f\n", *qs[j] ? (double)*cs[j] / (double)*qs[j] : 0.0);
    }
    fprintf(fp, "%-16s %7zu %9s %9s %9s %9s %9.1f %8.1f\n", "guessed_all", gq, "", "", "", "",
            pct(gh[N_SCOPES - 1], gq), gq ? (double)gc / (double)gq : 0.0);
    if (!cv) return;
    size_t judged = 0, rules_all = 0;
    for (size_t i = 0; i < s->n_q; i++) judged++, rules_all += s->q[i].rules_ok;
    static const double CS[] = {0.1, 1.0, 10.0};
    static const char *const MODES[3] = {
        ("trained on none, carried, subject, previous_sentence; chooses where the rules found "
         "no speaker (none; as shipped)"),
        "trained on and choosing in none, carried, subject, previous_sentence",
        "trained on and choosing in none, carried, subject, previous_sentence, pronoun"};
    for (int wp = 0; wp < 3; wp++) {
        fprintf(fp, "\nranker, %d-fold CV by article (LIBLINEAR L2R_LR), %s\n", PR_FOLDS,
                MODES[wp]);
        fprintf(fp, "%-6s %6s %7s %9s %9s %9s %9s\n", "C", "fold", "group", "rules", "ranker",
                "overall_r", "overall_k");
        for (size_t ci = 0; ci < sizeof CS / sizeof CS[0]; ci++) {
            size_t fn[PR_FOLDS], fr[PR_FOLDS], fk[PR_FOLDS], rr, g;
            size_t rk = cross_validate(s, wp, CS[ci], &rr, &g, fn, fr, fk);
            for (int f = 0; f < PR_FOLDS; f++)
                fprintf(fp, "%-6g %6d %7zu %9zu %9zu\n", CS[ci], f, fn[f], fr[f], fk[f]);
            size_t ranked_all = rules_all - rr + rk;
            fprintf(fp, "%-6g %6s %7zu %9zu %9zu %9.4f %9.4f  (%zu -> %zu of %zu, %+.2f points)\n",
                    CS[ci], "all", g, rr, rk, (double)rules_all / (double)(judged ? judged : 1),
                    (double)ranked_all / (double)(judged ? judged : 1), rules_all, ranked_all, judged,
                    pct(ranked_all, judged) - pct(rules_all, judged));
            if (wp == 0)
                fprintf(fp, "%-6g fixed choices instead: latest earlier speaker %zu, nearest name "
                            "before the quote %zu (of %zu)\n", CS[ci], base_prev, base_near, g);
            static const char *const KN[DM_RQ_N] = {"none", "carried", "subject",
                                                    "previous_sentence", "pronoun", "other"};
            for (int k = 0; k < DM_RQ_N; k++)
                if (kind_n[k]) {
                    fprintf(fp, "%-6g %-18s %7zu %9zu %9zu  by fold:", CS[ci], KN[k], kind_n[k],
                            kind_rules[k], kind_rank[k]);
                    for (int f = 0; f < PR_FOLDS; f++) fprintf(fp, " %+ld", kind_fold_gain[k][f]);
                    fprintf(fp, "\n");
                }
        }
    }
    const char *pc = getenv("PR_C"); /* a study of C for the margins tables */
    double mc = pc && *pc ? atof(pc) : 1.0;
    report_margins(s, fp, mc, 1u << DM_RQ_CARRIED | 1u << DM_RQ_SUBJECT | 1u << DM_RQ_PREVIOUS |
                                  1u << DM_RQ_PRONOUN);
    report_margins(s, fp, mc, DM_RANK_REPLACE);
}

/* The learned-speaker study (see polnear_rank.h and bench/POLNEAR.md, round
 * 13). It reads the extractor's own analysis of the document (sentences,
 * paragraphs, quotes, the names it found, its pronoun antecedents) through
 * the internal headers, so the candidates are what the extractor could
 * choose from, named as it would name them. */
#include "polnear_rank.h"

#include "statements/rank_internal.h"

#include <linear.h>

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
    if (ok && s->n_rows + cs.n > s->cap_rows) {
        size_t cap = s->cap_rows ? 2 * s->cap_rows : 8192;
        while (cap < s->n_rows + cs.n) cap *= 2;
        row *v = realloc(s->rows, cap * sizeof *v);
        if (v) s->rows = v, s->cap_rows = cap;
        else ok = false;
    }
    if (ok) {
        bool hit[N_SCOPES] = {false};
        qrec *q = &s->q[s->n_q++];
        *q = (qrec){s->article, cls, cs.kind, cls < 0, s->n_rows, cs.n};
        for (size_t i = 0; i < cs.n; i++) {
            row *r = &s->rows[s->n_rows++];
            r->nf = dm_rank_features(&cs.v[i], &cs, r->f);
            const char *drop = getenv("PR_DROP");
            if (drop && *drop) {
                int m = 0;
                for (int j = 0; j < r->nf; j++) {
                    int b = (r->f[j] - 1) % DM_RF_N;
                    char key[16];
                    snprintf(key, sizeof key, ",%d,", b);
                    if (!strstr(drop, key)) r->f[m++] = r->f[j];
                }
                r->nf = m;
            }
            r->label = judge(ctx, cs.v[i].sp.name) == 1;
            if (!r->label) continue;
            for (int k = dm_rank_scope(&cs.v[i]); k < N_SCOPES; k++) hit[k] = true;
        }
        s->quotes[ci]++;
        s->n_cands[ci] += cs.n;
        for (int k = 0; k < N_SCOPES; k++) s->hits[ci][k] += hit[k];
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
static bool fit(const pr_study *s, bool with_pronoun, int skip, double C, double *w)
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
        if (!in_group(q, with_pronoun) || (int)(q->article % PR_FOLDS) == skip) continue;
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
    dm_ranker rk = {w, DM_RANK_NFEAT};
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

bool pr_train(pr_study *s, const char *path, const char *provenance)
{
    double w[DM_RANK_NFEAT];
    if (!fit(s, false, -1, 1.0, w)) return false;
    char *text = dm_ranker_format(w, DM_RANK_NFEAT, provenance);
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
}

/* The learned-speaker study (see polnear_rank.h and bench/POLNEAR.md, round
 * 13). It reads the extractor's own analysis of the document (sentences,
 * paragraphs, quotes, the names it found, its pronoun antecedents) through
 * the internal headers, so the candidates are what the extractor could
 * choose from, named as it would name them. */
#include "polnear_rank.h"

#include "statements/extract_internal.h"

#include <linear.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- candidates ------------------------------------------------------ */

/* Scopes, nearest first: a candidate counts in the oracle of its scope and
 * of every wider one. */
enum { SC_SENT, SC_BACK1, SC_BACK3, SC_EARLIER, SC_RULES, N_SCOPES };
static const char *const SCOPE_NAMES[N_SCOPES] = {"sentence", "+1_back", "+3_back",
                                                  "+earlier", "+rules"};

typedef struct cand {
    char *name;
    bool rules, mention, pronoun;
    int sent_back;          /* nearest mention's sentences back; -1: none */
    int pron_back;          /* nearest he/she resolved to it; -1: none */
    bool before;            /* a mention before the quote */
    size_t unit_dist;       /* word units from the nearest mention before */
    int earlier_rank;       /* 1: the last statement's speaker, 2...; 0: none */
    bool earlier_cue;       /* that statement's speaker came from a cue */
    bool opens, owner, not_name, cue_after, same_para;
    char gender;
    int count;
    int words;
} cand;

typedef struct cands { cand *v; size_t n, cap; } cands;

/* Quote kinds (the rules' attribution), for conjunctions and groups. */
enum { QK_NONE, QK_CARRIED, QK_SUBJECT, QK_PREVIOUS, QK_PRONOUN, QK_OTHER, N_QK };

static int quote_kind(dm_attribution_kind a)
{
    switch (a) {
    case DM_ATTR_NONE: return QK_NONE;
    case DM_ATTR_CARRIED: return QK_CARRIED;
    case DM_ATTR_SUBJECT: return QK_SUBJECT;
    case DM_ATTR_PREVIOUS: return QK_PREVIOUS;
    case DM_ATTR_PRONOUN: return QK_PRONOUN;
    default: return QK_OTHER;
    }
}

/* ---- features -------------------------------------------------------- */

enum {
    F_RULES, F_MENTION, F_PRONOUN, F_EARLIER,
    F_BACK0, F_BACK1, F_BACK2, F_BACK3, F_NOBACK,
    F_AFTER_ONLY,
    F_U5, F_U10, F_U20, F_U40, F_UFAR,
    F_PREV1, F_PREV2, F_PREV3,
    F_EARLIER_CUE,
    F_OPENS, F_OWNER, F_NOT_NAME, F_PERSON, F_CUE_AFTER,
    F_AGREE, F_CLASH, F_OTHER_PARA,
    F_COUNT1, F_COUNT2, F_COUNT4,
    F_WORDS1, F_WORDS2, F_WORDS3,
    F_PRON_BACK0, F_PRON_BACK1,
    F_ONLY_RULES,
    NB
};
enum { MAXF = 2 * 24 };

typedef struct row { int f[MAXF]; int nf; bool label; } row;

typedef struct qrec {
    size_t article;
    int cls;                /* error class, -1: the rules are right */
    int qk;
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

static cand *add(cands *cs, const char *name)
{
    for (size_t i = 0; i < cs->n; i++)
        if (strcmp(cs->v[i].name, name) == 0) return &cs->v[i];
    if (cs->n == cs->cap) {
        size_t cap = cs->cap ? 2 * cs->cap : 16;
        cand *v = realloc(cs->v, cap * sizeof *v);
        if (!v) return NULL;
        cs->v = v;
        cs->cap = cap;
    }
    cand *c = &cs->v[cs->n];
    memset(c, 0, sizeof *c);
    if (!(c->name = strdup(name))) return NULL;
    c->sent_back = c->pron_back = -1;
    c->unit_dist = SIZE_MAX;
    c->words = 1;
    for (const char *p = name; *p; p++) c->words += *p == ' ';
    cs->n++;
    return c;
}

/* The speaker dm_extract would name for a mention ("Ruiz" after "Dan
 * Ruiz": "Dan Ruiz"), with a memory of its own; NULL if none. */
static char *mention_name(const dm_doc *d, const dm_attribution *m)
{
    dm_speaker_memory mem = {0};
    dm_speaker sp = {0};
    dm_attr_ctx ac = d->ac;
    ac.pos = m->speaker.start;
    char *name = NULL;
    if (dm_speaker_resolve(&ac, m, &mem, NULL, &sp) == DM_OK && sp.name) name = strdup(sp.name);
    dm_speaker_clear(&sp);
    dm_speaker_memory_clear(&mem);
    return name;
}

static size_t words_between(const dm_doc *d, size_t a, size_t b)
{
    size_t n = 0;
    for (size_t k = dm_units_at(&d->units, a); k < d->units.n && d->units.v[k].start < b; k++)
        n += d->units.v[k].word;
    return n;
}

/* 'm' / 'f' for a he/she unit, else 0. */
static char pronoun_gender(const dm_doc *d, const dm_unit *u)
{
    if (!u->word || u->end - u->start > 3) return 0;
    return dm_unit_is(d->s, u, "he") ? 'm' : dm_unit_is(d->s, u, "she") ? 'f' : 0;
}

static bool collect(pr_study *s, size_t stmt, cands *cs, int *qk, char *qgender)
{
    const dm_doc *d = &s->doc;
    const dm_statement *st = &s->l->v[stmt];
    *qk = quote_kind(st->attribution);
    *qgender = 0;
    size_t qi = dm_quotes_containing(&d->quotes, st->norm_start);
    size_t qopen = qi != (size_t)-1 ? d->quotes.v[qi].open : st->norm_start;
    if (!d->n_sents) return true;
    size_t si = dm_span_index(d->sents, d->n_sents, qopen);
    size_t pi = d->n_paras ? dm_span_index(d->paras, d->n_paras, qopen) : 0;
    size_t lo = si >= PR_BACK ? si - PR_BACK : 0;
    if (st->speaker) {
        cand *c = add(cs, st->speaker);
        if (!c) return false;
        c->rules = true;
    }
    /* the he/she of the quote's sentence, outside quotes */
    for (size_t k = dm_units_at(&d->units, d->sents[si].start);
         k < d->units.n && d->units.v[k].start < d->sents[si].end && !*qgender; k++)
        if (dm_quotes_containing(&d->quotes, d->units.v[k].start) == (size_t)-1)
            *qgender = pronoun_gender(d, &d->units.v[k]);
    /* the names of the sentence and of the PR_BACK before it */
    const dm_persons *ps = &d->persons;
    for (size_t i = 0; i < ps->n_mentions; i++) {
        size_t ms = ps->mention_sentence[i];
        if (ms < lo || ms > si) continue;
        const dm_attribution *m = &ps->mentions[i];
        char *name = mention_name(d, m);
        if (!name) continue;
        cand *c = add(cs, name);
        free(name);
        if (!c) return false;
        c->mention = true;
        int back = (int)(si - ms);
        if (c->sent_back < 0 || back < c->sent_back) c->sent_back = back;
        if (m->speaker.end <= qopen) {
            c->before = true;
            size_t u = words_between(d, m->speaker.end, qopen);
            if (u < c->unit_dist) c->unit_dist = u;
        }
        c->opens |= words_between(d, d->sents[ms].start, m->phrase.start) <= 4;
        c->owner |= m->owner;
        c->not_name |= dm_persons_not_a_name(&d->ac, m->speaker);
        if (!c->gender) c->gender = dm_persons_gender(&d->ac, ps, m, qopen);
        size_t k = dm_units_at(&d->units, m->phrase.end);
        size_t e = k + 4 < d->units.n ? d->units.v[k + 4].start : d->len;
        dm_span cue;
        c->cue_after |= dm_attribute_verb(&d->ac, m->phrase.end, e, &cue);
        c->same_para |= d->n_paras && dm_span_index(d->paras, d->n_paras, m->speaker.start) == pi;
        c->count++;
    }
    /* the antecedents the extractor gives the he/she of those sentences */
    for (size_t k = dm_units_at(&d->units, d->sents[lo].start);
         k < d->units.n && d->units.v[k].start < d->sents[si].end; k++) {
        const dm_unit *u = &d->units.v[k];
        char g = pronoun_gender(d, u);
        if (!g || dm_quotes_containing(&d->quotes, u->start) != (size_t)-1) continue;
        const dm_attribution *m = dm_persons_pronoun(&d->ac, ps, u->start, g, NULL);
        if (!m) continue;
        char *name = mention_name(d, m);
        if (!name) continue;
        cand *c = add(cs, name);
        free(name);
        if (!c) return false;
        c->pronoun = true;
        int back = (int)(si - dm_span_index(d->sents, d->n_sents, u->start));
        if (c->pron_back < 0 || back < c->pron_back) c->pron_back = back;
        if (!c->gender) c->gender = g;
    }
    /* the speakers of the statements before it, latest first */
    int rank = 0;
    const char *seen[5];
    for (size_t j = stmt; j-- > 0 && rank < 5;) {
        const dm_statement *e = &s->l->v[j];
        if (!e->speaker) continue;
        bool dup = false;
        for (int r = 0; r < rank && !dup; r++) dup = strcmp(seen[r], e->speaker) == 0;
        if (dup) continue;
        seen[rank++] = e->speaker;
        cand *c = add(cs, e->speaker);
        if (!c) return false;
        if (!c->earlier_rank) {
            c->earlier_rank = rank;
            c->earlier_cue = e->attribution == DM_ATTR_CUE ||
                             e->attribution == DM_ATTR_ACCORDING_TO ||
                             e->attribution == DM_ATTR_PRONOUN ||
                             e->attribution == DM_ATTR_DESCRIPTION;
        }
        if (!c->gender) c->gender = dm_persons_name_gender(&d->ac, e->speaker);
    }
    return true;
}

static int scope_of(const cand *c)
{
    int back = c->sent_back;
    if (c->pron_back >= 0 && (back < 0 || c->pron_back < back)) back = c->pron_back;
    if (back == 0) return SC_SENT;
    if (back == 1) return SC_BACK1;
    if (back > 1) return SC_BACK3;
    if (c->earlier_rank) return SC_EARLIER;
    return SC_RULES;
}

static void features(const cand *c, int qk, char qgender, row *r)
{
    int b[24], n = 0;
    if (c->rules) b[n++] = F_RULES;
    if (c->mention) b[n++] = F_MENTION;
    if (c->pronoun) b[n++] = F_PRONOUN;
    if (c->earlier_rank) b[n++] = F_EARLIER;
    b[n++] = c->sent_back < 0 ? F_NOBACK : c->sent_back == 0 ? F_BACK0 : c->sent_back == 1 ? F_BACK1
             : c->sent_back == 2 ? F_BACK2 : F_BACK3;
    if (c->mention && !c->before) b[n++] = F_AFTER_ONLY;
    if (c->before)
        b[n++] = c->unit_dist < 5 ? F_U5 : c->unit_dist < 10 ? F_U10 : c->unit_dist < 20 ? F_U20
                 : c->unit_dist < 40 ? F_U40 : F_UFAR;
    if (c->earlier_rank) b[n++] = c->earlier_rank == 1 ? F_PREV1 : c->earlier_rank == 2 ? F_PREV2 : F_PREV3;
    if (c->earlier_cue) b[n++] = F_EARLIER_CUE;
    if (c->opens) b[n++] = F_OPENS;
    if (c->owner) b[n++] = F_OWNER;
    if (c->not_name) b[n++] = F_NOT_NAME;
    if (c->gender) b[n++] = F_PERSON;
    if (c->cue_after) b[n++] = F_CUE_AFTER;
    if (qgender && c->gender) b[n++] = qgender == c->gender ? F_AGREE : F_CLASH;
    if (c->mention && !c->same_para) b[n++] = F_OTHER_PARA;
    int cnt = c->count + (c->earlier_rank != 0);
    if (cnt) b[n++] = cnt == 1 ? F_COUNT1 : cnt <= 3 ? F_COUNT2 : F_COUNT4;
    b[n++] = c->words == 1 ? F_WORDS1 : c->words == 2 ? F_WORDS2 : F_WORDS3;
    if (c->pron_back == 0) b[n++] = F_PRON_BACK0;
    else if (c->pron_back > 0) b[n++] = F_PRON_BACK1;
    if (c->rules && !c->mention && !c->pronoun && !c->earlier_rank) b[n++] = F_ONLY_RULES;
    /* each feature alone and with the kind of quote (LIBLINEAR: 1-based,
     * ascending) */
    r->nf = 0;
    for (int i = 0; i < n; i++) r->f[r->nf++] = 1 + b[i];
    for (int i = 0; i < n; i++) r->f[r->nf++] = 1 + NB * (1 + qk) + b[i];
}

void pr_quote(pr_study *s, size_t stmt, int cls, pr_judge_fn judge, void *ctx)
{
    if (!s->open || stmt >= s->l->n) return;
    cands cs = {0};
    int qk;
    char qg;
    bool ok = collect(s, stmt, &cs, &qk, &qg);
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
        *q = (qrec){s->article, cls, qk, cls < 0, s->n_rows, cs.n};
        for (size_t i = 0; i < cs.n; i++) {
            row *r = &s->rows[s->n_rows++];
            features(&cs.v[i], qk, qg, r);
            r->label = judge(ctx, cs.v[i].name) == 1;
            if (!r->label) continue;
            int sc = scope_of(&cs.v[i]);
            for (int k = sc; k < N_SCOPES; k++) hit[k] = true;
        }
        s->quotes[ci]++;
        s->n_cands[ci] += cs.n;
        for (int k = 0; k < N_SCOPES; k++) s->hits[ci][k] += hit[k];
    }
    for (size_t i = 0; i < cs.n; i++) free(cs.v[i].name);
    free(cs.v);
}

/* ---- the ranker ------------------------------------------------------- */

static void print_nothing(const char *s) { (void)s; }

static bool in_group(const qrec *q, bool with_pronoun)
{
    return q->qk <= QK_PREVIOUS || (with_pronoun && q->qk == QK_PRONOUN);
}

/* Five folds by article (article index mod 5, in the evaluator's sorted
 * order). Returns the ranker's right choices in the group; *rules_right
 * gets the rules' ones, *group its quotes. fold_* (PR_FOLDS each) get the
 * same per fold. */
static size_t cross_validate(const pr_study *s, bool with_pronoun, double C, size_t *rules_right,
                             size_t *group, size_t *fold_n, size_t *fold_rules, size_t *fold_rank)
{
    size_t right = 0;
    *rules_right = *group = 0;
    set_print_string_function(print_nothing);
    struct feature_node *nodes = malloc(s->n_rows * (MAXF + 1) * sizeof *nodes);
    struct feature_node **x = malloc(s->n_rows * sizeof *x);
    double *y = malloc(s->n_rows * sizeof *y);
    if (!nodes || !x || !y) goto out;
    for (int f = 0; f < PR_FOLDS; f++) {
        fold_n[f] = fold_rules[f] = fold_rank[f] = 0;
        int l = 0;
        struct feature_node *nd = nodes;
        for (size_t i = 0; i < s->n_q; i++) {
            const qrec *q = &s->q[i];
            if (!in_group(q, with_pronoun) || (int)(q->article % PR_FOLDS) == f) continue;
            for (size_t k = q->r0; k < q->r0 + q->nr; k++) {
                const row *r = &s->rows[k];
                x[l] = nd;
                for (int j = 0; j < r->nf; j++) *nd++ = (struct feature_node){r->f[j], 1.0};
                *nd++ = (struct feature_node){-1, 0.0};
                y[l++] = r->label ? 1.0 : -1.0;
            }
        }
        struct problem prob = {.l = l, .n = NB * (1 + N_QK) + 1, .y = y, .x = x, .bias = -1};
        struct parameter par = {.solver_type = L2R_LR, .eps = 0.01, .C = C};
        if (l == 0 || check_parameter(&prob, &par)) continue;
        struct model *m = train(&prob, &par);
        if (!m) continue;
        double sign = m->label[0] > 0 ? 1.0 : -1.0;
        struct feature_node xv[MAXF + 1];
        for (size_t i = 0; i < s->n_q; i++) {
            const qrec *q = &s->q[i];
            if (!in_group(q, with_pronoun) || (int)(q->article % PR_FOLDS) != f) continue;
            double best = 0;
            bool pick_ok = false, any = false;
            for (size_t k = q->r0; k < q->r0 + q->nr; k++) {
                const row *r = &s->rows[k];
                for (int j = 0; j < r->nf; j++) xv[j] = (struct feature_node){r->f[j], 1.0};
                xv[r->nf] = (struct feature_node){-1, 0.0};
                double dec;
                predict_values(m, xv, &dec);
                dec *= sign;
                if (!any || dec > best) best = dec, pick_ok = r->label, any = true;
            }
            fold_n[f]++;
            fold_rules[f] += q->rules_ok;
            fold_rank[f] += pick_ok;
        }
        free_and_destroy_model(&m);
        *group += fold_n[f];
        *rules_right += fold_rules[f];
        right += fold_rank[f];
    }
out:
    free(nodes);
    free(x);
    free(y);
    return right;
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
    for (int wp = 0; wp < 2; wp++) {
        fprintf(fp, "\nranker, %d-fold CV by article (LIBLINEAR L2R_LR), group: none, carried, "
                    "subject, previous_sentence%s\n",
                PR_FOLDS, wp ? ", pronoun" : "");
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
        }
    }
}

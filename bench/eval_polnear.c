/*
 * eval_polnear: quote extraction and speaker accuracy on PolNeAR.
 *
 *   eval_polnear [--json] [--verbose] [--errors] SPLIT_DIR [LEXICON_DIR]
 *
 * SPLIT_DIR is ../shared/data/polnear/train or .../dev: the articles are in
 * text/, their brat standoff gold in attributions/<article>_<annotator>.ann.
 * The matching rules are written down in bench/POLNEAR.md; in short:
 *   - one annotator per article: the .ann file whose name sorts first;
 *   - gold quotes: the double-quoted segments (and ‘single-quoted’ ones) of
 *     the text that lie mostly inside a gold Content span; their speaker is
 *     the Source of the innermost such attribution;
 *   - predictions: direct and partial statements of dm_extract; a
 *     prediction matches the gold quote it overlaps most (one to one);
 *   - speaker: the predicted speaker must name the gold source's entity
 *     (see polnear_match.c); pronoun and description sources are resolved
 *     to the nearest preceding named gold source of a compatible gender.
 * Prints a table (or one JSON object with --json); --errors prints every
 * missed, spurious and wrong-speaker quote with its context (for tuning:
 * run it on train, never copy what it prints into the repository).
 *
 * Exit status: 0 when the evaluation ran, 2 on a bad command line, 3 when
 * the lexicons or the split cannot be read.
 */
#include "demarche/actors.h"
#include "demarche/core.h"
#include "demarche/statements.h"
#include "polnear.h"
#include "polnear_rank.h"

#include <jansson.h>
#include <unicode/uchar.h>
#include <unicode/ucasemap.h>
#include <unicode/utf8.h>

#include <ctype.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { EXIT_USAGE = 2, EXIT_CANNOT_RUN = 3 };

static bool opt_json, opt_verbose, opt_errors, opt_rank_cv;
static const char *opt_rank_train, *opt_ranker;
static pr_study *study; /* --candidates, --rank-cv: bench/polnear_rank.h */

/* ---- one article ------------------------------------------------------ */

/* The matching function, for the candidate study (polnear_rank.h). */
typedef struct judge_ctx { const doc_ctx *d; const gold_attr *g; } judge_ctx;
static int judge(void *ctx, const char *pred)
{
    const judge_ctx *j = ctx;
    return pn_speaker_correct(j->d, j->g, pred);
}

typedef struct pair { size_t pred, gold, ov; } pair;

static int by_overlap(const void *x, const void *y)
{
    const pair *a = x, *b = y;
    if (a->ov != b->ov) return a->ov > b->ov ? -1 : 1;
    if (a->gold != b->gold) return a->gold < b->gold ? -1 : 1;
    return a->pred < b->pred ? -1 : a->pred > b->pred;
}

static void eval_article(const dm_extractor *ex, const char *name, const char *date,
                         const char *text, size_t len, gold_attr *ga, size_t ng, totals *t,
                         json_t *jdocs)
{
    size_t n_gold;
    gold_quote *gq = pn_gold_quotes(text, len, ga, ng, &n_gold);
    dm_document doc = {.id = name, .date = date, .text = text, .text_len = len};
    dm_statement_list l;
    dm_statement_list_init(&l);
    dm_error err;
    if (dm_extract(ex, &doc, &l, NULL, &err) != DM_OK) {
        fprintf(stderr, "eval_polnear: %s: extraction failed: %s\n", name, err.message);
        free(gq);
        return;
    }
    if (study && !pr_article_begin(study, ex, &doc, &l))
        fprintf(stderr, "eval_polnear: %s: no candidates (analysis failed)\n", name);
    size_t np = 0;
    size_t *pidx = malloc((l.n + 1) * sizeof *pidx);
    for (size_t i = 0; i < l.n; i++)
        if (l.v[i].kind == DM_KIND_DIRECT || l.v[i].kind == DM_KIND_PARTIAL) pidx[np++] = i;
    pair *pairs = NULL;
    size_t npairs = 0, cap = 0;
    for (size_t i = 0; i < np; i++) {
        span ps = {l.v[pidx[i]].start, l.v[pidx[i]].end};
        for (size_t k = 0; k < n_gold; k++) {
            size_t ov = pn_overlap(ps, gq[k].q);
            if (!ov) continue;
            if (npairs == cap) {
                cap = cap ? cap * 2 : 64;
                pairs = realloc(pairs, cap * sizeof *pairs);
            }
            pairs[npairs++] = (pair){i, k, ov};
        }
    }
    if (npairs) qsort(pairs, npairs, sizeof *pairs, by_overlap);
    bool *pm = calloc(np + 1, 1);
    size_t *gold_pred = malloc((n_gold + 1) * sizeof *gold_pred);
    for (size_t k = 0; k < n_gold; k++) gold_pred[k] = (size_t)-1;
    for (size_t i = 0; i < npairs; i++) {
        if (pm[pairs[i].pred] || gq[pairs[i].gold].matched) continue;
        pm[pairs[i].pred] = true;
        gq[pairs[i].gold].matched = true;
        gold_pred[pairs[i].gold] = pairs[i].pred;
    }
    doc_ctx d = {text, len, ga, ng};
    size_t first_para_end = 0;
    while (first_para_end < len && text[first_para_end] != '\n') first_para_end++;
    size_t doc_matched = 0, doc_correct = 0, doc_judged = 0;
    for (size_t k = 0; k < n_gold; k++) {
        if (!gq[k].matched) {
            if (opt_errors) {
                printf("MISSED %s\n", name);
                pn_print_ctx(text, len, gq[k].q);
            }
            continue;
        }
        doc_matched++;
        const gold_attr *g = &ga[gq[k].attr];
        const dm_statement *st = &l.v[pidx[gold_pred[k]]];
        if (!g->source_text) { t->no_source++; continue; }
        int ok = pn_speaker_correct(&d, g, st->speaker);
        words w;
        pn_split_words(g->source_text, &w);
        if (pn_is_pronoun(&w)) {
            t->gold_pronoun++;
            t->gold_pronoun_correct += ok == 1;
        }
        if (ok < 0) { t->speaker_unresolved++; continue; }
        doc_judged++;
        judge_ctx jc = {&d, g};
        if (ok) {
            doc_correct++;
            if (study) pr_quote(study, pidx[gold_pred[k]], -1, judge, &jc);
            continue;
        }
        int cls = !st->speaker ? WRONG_NONE
                  : gq[k].q.a < first_para_end || st->attribution == DM_ATTR_HEADLINE ? WRONG_HEADLINE
                  : st->attribution == DM_ATTR_CARRIED ? WRONG_CARRIED
                  : st->attribution == DM_ATTR_SUBJECT || st->attribution == DM_ATTR_PREVIOUS
                      ? WRONG_INFERRED
                  : st->attribution == DM_ATTR_RANKED ? WRONG_RANKED
                  : pn_is_pronoun(&w) ? WRONG_PRONOUN
                  : pn_is_anonymous(g->source_text) ? WRONG_ANON
                  : pn_is_description(&w) ? WRONG_DESCRIPTION : WRONG_NAME;
        t->wrong[cls]++;
        if (study) pr_quote(study, pidx[gold_pred[k]], cls, judge, &jc);
        if (opt_errors) {
            printf("WRONG-%s %s gold=\"%s\" pred=\"%s\" cue=\"%s\" attribution=%s\n",
                   WRONG_NAMES[cls], name, g->source_text, st->speaker ? st->speaker : "",
                   st->cue ? st->cue : "", dm_attribution_name(st->attribution));
            pn_print_ctx(text, len, gq[k].q);
        }
    }
    for (size_t i = 0; i < np && opt_errors; i++) {
        if (pm[i]) continue;
        const dm_statement *st = &l.v[pidx[i]];
        printf("SPURIOUS %s pred=\"%s\"\n", name, st->speaker ? st->speaker : "");
        pn_print_ctx(text, len, (span){st->start, st->end});
    }
    t->articles++;
    t->predicted += np;
    t->gold += n_gold;
    t->matched += doc_matched;
    t->speaker_judged += doc_judged;
    t->speaker_correct += doc_correct;
    if (opt_verbose && !opt_json)
        printf("%-60s gold %3zu pred %3zu matched %3zu speaker %3zu/%zu\n", name, n_gold, np,
               doc_matched, doc_correct, doc_judged);
    if (jdocs && opt_verbose)
        json_array_append_new(jdocs, json_pack("{s:s,s:I,s:I,s:I,s:I,s:I}", "article", name,
                                               "gold", (json_int_t)n_gold, "predicted", (json_int_t)np,
                                               "matched", (json_int_t)doc_matched,
                                               "speaker_correct", (json_int_t)doc_correct,
                                               "speaker_judged", (json_int_t)doc_judged));
    free(pm);
    free(gold_pred);
    free(pairs);
    free(pidx);
    free(gq);
    if (study) pr_article_end(study);
    dm_statement_list_clear(&l);
}

static void usage(FILE *fp)
{
    fputs("usage: eval_polnear [--json] [--verbose] [--errors] [--ranker FILE]\n"
          "                    [--candidates] [--rank-cv] [--rank-train FILE] SPLIT_DIR [LEXICON_DIR]\n"
          "  SPLIT_DIR: a PolNeAR split (text/*.txt, attributions/*.ann)\n"
          "  --json     one JSON object instead of the table\n"
          "  --verbose  per-article figures\n"
          "  --errors   print every missed, spurious and wrong-speaker quote\n"
          "  --candidates  after the table, the oracle of candidate speakers per error\n"
          "             class (bench/POLNEAR.md, round 13)\n"
          "  --rank-cv  --candidates and a 5-fold CV (by article) of a LIBLINEAR ranker\n"
          "             over the candidates of the quotes the rules only guess\n"
          "  --rank-train FILE  train that ranker on the whole split, write its weights\n"
          "             (scripts/train-speaker-ranker.sh)\n"
          "  --ranker FILE  extract with the speaker ranker of FILE (models/speaker_ranker.tsv;\n"
          "             not with the study options, whose candidates are the rules')\n",
          fp);
}

static bool load_lexicons(const char *dir, dm_actors **actors, dm_cues **cues)
{
    char path[8192];
    dm_error err;
    snprintf(path, sizeof path, "%s/actors.tsv", dir);
    if (dm_actors_create(actors, &err) != DM_OK || dm_actors_load_tsv(*actors, path, &err) != DM_OK) {
        fprintf(stderr, "eval_polnear: %s: %s\n", path, err.message);
        return false;
    }
    snprintf(path, sizeof path, "%s/cues.tsv", dir);
    if (dm_cues_load(path, cues, &err) != DM_OK) {
        fprintf(stderr, "eval_polnear: %s: %s\n", path, err.message);
        return false;
    }
    return true;
}

int main(int argc, char **argv)
{
    const char *pos[2] = {NULL, NULL};
    int npos = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) opt_json = true;
        else if (strcmp(argv[i], "--verbose") == 0 || strcmp(argv[i], "-v") == 0) opt_verbose = true;
        else if (strcmp(argv[i], "--errors") == 0) opt_errors = true;
        else if ((strcmp(argv[i], "--ranker") == 0 || strcmp(argv[i], "--rank-train") == 0) &&
                 i + 1 < argc) {
            if (argv[i][6] == '-') opt_rank_train = argv[i + 1];
            else opt_ranker = argv[i + 1];
            i++;
            if (opt_rank_train && !study && !(study = pr_create(WRONG_NAMES, N_WRONG))) {
                fputs("eval_polnear: out of memory\n", stderr);
                return EXIT_CANNOT_RUN;
            }
        }
        else if (strcmp(argv[i], "--candidates") == 0 || strcmp(argv[i], "--rank-cv") == 0) {
            opt_rank_cv |= strcmp(argv[i], "--rank-cv") == 0;
            if (!study && !(study = pr_create(WRONG_NAMES, N_WRONG))) {
                fputs("eval_polnear: out of memory\n", stderr);
                return EXIT_CANNOT_RUN;
            }
        }
        else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) { usage(stdout); return 0; }
        else if (argv[i][0] == '-' && argv[i][1]) { usage(stderr); return EXIT_USAGE; }
        else if (npos < 2) pos[npos++] = argv[i];
        else { usage(stderr); return EXIT_USAGE; }
    }
    if (npos < 1) { usage(stderr); return EXIT_USAGE; }
    char lexdir[2048];
    const char *src = getenv("DM_SOURCE_DIR");
    if (pos[1]) snprintf(lexdir, sizeof lexdir, "%s", pos[1]);
    else if (src && *src) snprintf(lexdir, sizeof lexdir, "%s/lexicons", src);
    else snprintf(lexdir, sizeof lexdir, "lexicons");

    dm_actors *actors = NULL;
    dm_cues *cues = NULL;
    dm_extractor *ex = NULL;
    dm_ranker *ranker = NULL;
    int rc = EXIT_CANNOT_RUN;
    char tdir[4096], adir[4096];
    snprintf(tdir, sizeof tdir, "%s/text", pos[0]);
    snprintf(adir, sizeof adir, "%s/attributions", pos[0]);
    size_t nt = 0, na = 0;
    char **texts = pn_list_dir(tdir, ".txt", &nt);
    char **anns = pn_list_dir(adir, ".ann", &na);
    dm_error err;
    totals t = {0};
    meta md = {0};
    json_t *jdocs = opt_json && opt_verbose ? json_array() : NULL;
    if (!texts || !anns || !nt) {
        fprintf(stderr, "eval_polnear: cannot read %s or %s\n", tdir, adir);
        goto done;
    }
    if (!load_lexicons(lexdir, &actors, &cues)) goto done;
    pn_load_genders(lexdir);
    pn_load_meta(pos[0], &md);
    if (dm_extractor_create(actors, cues, &ex, &err) != DM_OK) goto done;
    if (opt_ranker && study) {
        fputs("eval_polnear: --ranker goes with none of --candidates, --rank-cv, --rank-train\n",
              stderr);
        rc = EXIT_USAGE;
        goto done;
    }
    if (opt_ranker) {
        if (dm_ranker_load(opt_ranker, &ranker, &err) != DM_OK) {
            fprintf(stderr, "eval_polnear: %s:%ld: %s\n", err.where, err.line, err.message);
            goto done;
        }
        dm_extractor_set_ranker(ex, ranker);
    }
    for (size_t i = 0; i < nt; i++) {
        size_t stem = strlen(texts[i]) - 4;
        /* the first annotator's file (names sort: <article>_<annotator>.ann) */
        const char *ann = NULL;
        for (size_t k = 0; k < na && !ann; k++)
            if (strncmp(anns[k], texts[i], stem) == 0 && anns[k][stem] == '_' &&
                !strchr(anns[k] + stem + 1, '_'))
                ann = anns[k];
        if (!ann) continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", tdir, texts[i]);
        size_t len;
        char *text = pn_read_file(path, &len);
        if (!text) { fprintf(stderr, "eval_polnear: cannot read %s\n", path); continue; }
        cp_map m;
        if (!pn_cp_map_make(text, len, &m)) { free(text); continue; }
        snprintf(path, sizeof path, "%s/%s", adir, ann);
        size_t ng;
        gold_attr *ga = pn_read_ann(path, text, &m, &ng);
        char id[512];
        snprintf(id, sizeof id, "%.*s", (int)stem, texts[i]);
        eval_article(ex, id, pn_meta_date(&md, id), text, len, ga, ng, &t, jdocs);
        for (size_t k = 0; k < ng; k++) free(ga[k].source_text);
        free(ga);
        free(m.byte);
        free(text);
    }
    pn_report(&t, jdocs, opt_json);
    if (study && (opt_rank_cv || !opt_rank_train)) pr_report(study, stdout, opt_rank_cv);
    rc = 0;
    if (opt_rank_train) {
        char prov[8192];
        snprintf(prov, sizeof prov,
                 "source\tPolNeAR %s (%zu articles, %zu judged quotes; the first annotator's "
                 "file of each)\n"
                 "licence\tPolNeAR: research use; cite Newell, Margolin & Ruths, LREC 2018\n"
                 "trainer\teval_polnear --rank-train (LIBLINEAR L2R_LR, C=1, eps=0.01, no bias; "
                 "attributions none, carried, subject, previous_sentence, pronoun; margins for "
                 "pronoun, previous_sentence by 5-fold CV by article, losing in no fold)\n",
                 pos[0], t.articles, t.speaker_judged);
        if (!pr_train(study, opt_rank_train, prov)) {
            fprintf(stderr, "eval_polnear: %s: cannot train or write the ranker\n", opt_rank_train);
            rc = EXIT_CANNOT_RUN;
        }
    }
done:
    json_decref(jdocs);
    pr_destroy(&study);
    pn_free_genders();
    pn_free_raw_quotes();
    for (size_t i = 0; i < md.n; i++) { free(md.name[i]); free(md.date[i]); }
    free(md.name);
    free(md.date);
    pn_free_list(texts, nt);
    pn_free_list(anns, na);
    dm_extractor_destroy(&ex);
    dm_ranker_destroy(&ranker);
    dm_cues_destroy(&cues);
    dm_actors_destroy(&actors);
    return rc;
}

/*
 * polnear_rank: the learned-speaker study of bench/POLNEAR.md (round 13),
 * run by `eval_polnear --candidates` (oracle) and `--rank-cv` (ranker).
 *
 * For every matched and judged gold quote, the speakers the extractor can
 * see are listed: the rules' own choice, the names (persons, organisations)
 * of the quote's sentence and of up to PR_BACK sentences before it, the
 * antecedents the extractor gives the he/she of those sentences, and the
 * speakers of the statements before it. Each candidate is judged by the
 * evaluator's own matching function (a callback: nothing of the matching is
 * re-implemented here), which gives the oracle: how often some candidate
 * names the gold source. --rank-cv then trains a LIBLINEAR logistic
 * regression over the candidates of the quotes whose speaker the rules
 * only guess (attribution none, carried, subject, previous_sentence), five
 * folds grouped by article, and reports speaker accuracy of the rules
 * against the rules with the ranker's choice: where the rules found no
 * speaker (as dm_rank_apply ships it), in all four kinds, and with pronoun
 * quotes too. Candidates and features are the library's own
 * (src/statements/rank_internal.h); --rank-train writes the weights.
 * The last two tables (round 14) are a nested CV of a ranker that may also
 * replace the rules' own speaker beyond a margin per kind (chosen by an
 * inner CV): every guessed kind and pronoun allowed, then the kinds the
 * extractor lets it replace (DM_RANK_REPLACE, as shipped).
 * For ablations, PR_DROP=",B,C," (base feature numbers, DM_RF_* of
 * rank_internal.h) masks those features in the study's rows (round 13b);
 * PR_TRAIN=",K,..." (DM_RQ_* kinds) sets the kinds trained on (default
 * none, carried, subject, previous_sentence, pronoun; --rank-train too),
 * PR_C the C of the margins tables, PR_ANY_FOLD=1 lets a margin lose in a
 * fold (round 14d), PR_NO_FOLLOW=1 keeps a carried quote's speaker when
 * the ranker replaces the one it was carried from (before round 15).
 * They change nothing of the extraction.
 *
 * Nothing here prints until pr_report; the tool owns the output.
 */
#ifndef DM_BENCH_POLNEAR_RANK_H
#define DM_BENCH_POLNEAR_RANK_H

#include "demarche/statements.h"

#include <stdbool.h>
#include <stdio.h>

enum { PR_BACK = 3, PR_FOLDS = 5 };

typedef struct pr_study pr_study;

/* 1 when pred names the gold source of the quote being judged. */
typedef int (*pr_judge_fn)(void *ctx, const char *pred);

/* class_names: the evaluator's error classes (n_classes of them). NULL when
 * out of memory. */
pr_study *pr_create(const char *const *class_names, int n_classes);
void pr_destroy(pr_study **s);

/* Start an article: `l` is what dm_extract gave for `doc` (borrowed until
 * pr_article_end). False when the document cannot be analysed. */
bool pr_article_begin(pr_study *s, const dm_extractor *ex, const dm_document *doc,
                      const dm_statement_list *l);
/* One matched gold quote with a judged source: l->v[stmt] is its
 * prediction; cls is its error class, -1 when the rules are right. */
void pr_quote(pr_study *s, size_t stmt, int cls, pr_judge_fn judge, void *ctx);
void pr_article_end(pr_study *s);

/* Train the ranker on every quote of the study whose attribution the rules
 * guess or resolve through a pronoun (C = 1), choose the margins of the
 * DM_RANK_REPLACE kinds by a 5-fold CV by article, and write its weight
 * file to `path` (through path.tmp), with the "key\tvalue\n" lines of
 * `provenance`. False on failure. */
bool pr_train(pr_study *s, const char *path, const char *provenance);

/* The oracle table; with cv, the five-fold figures too. */
void pr_report(pr_study *s, FILE *fp, bool cv);

#endif

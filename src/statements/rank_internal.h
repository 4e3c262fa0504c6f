/* The learned speaker choice (bench/POLNEAR.md, round 13): where the rules
 * find no speaker for a quote (attribution none), a linear ranker (dm_ranker,
 * models/speaker_ranker.tsv), trained on the quotes whose speaker the rules
 * only guess (none, carried, subject, previous_sentence), chooses among the
 * speakers the extractor can see around it. The same
 * candidates and features serve the extraction (dm_rank_apply) and the
 * study that trained the weights (bench/polnear_rank.c), so the two cannot
 * drift apart. Internal to src/statements (and that bench tool). */
#ifndef DM_STATEMENTS_RANK_INTERNAL_H
#define DM_STATEMENTS_RANK_INTERNAL_H

#include "statements/extract_internal.h"

#include <stdbool.h>
#include <stddef.h>

/* Sentences before the quote's whose names are candidates. */
enum { DM_RANK_BACK = 3, DM_RANK_EARLIER = 5 };

/* The rules' attribution of a quote, as the features see it. */
enum { DM_RQ_NONE, DM_RQ_CARRIED, DM_RQ_SUBJECT, DM_RQ_PREVIOUS, DM_RQ_PRONOUN, DM_RQ_OTHER,
       DM_RQ_N };
/* Their names in a weight file's "margin" lines (dm_rq_kind_name). */
const char *dm_rq_kind_name(int kind);
/* The kinds whose own speaker the ranker may replace (beyond a margin,
 * chosen by CV on train: scripts/train-speaker-ranker.sh), bits 1 << DM_RQ_*:
 * those where a nested CV by article gained in every fold (bench/POLNEAR.md,
 * round 14). Quotes with no speaker (DM_RQ_NONE) are always chosen for. */
#define DM_RANK_REPLACE (1u << DM_RQ_PREVIOUS | 1u << DM_RQ_PRONOUN)

/* Base features (binary); each goes in alone and conjoined with the
 * quote's DM_RQ_* kind. Changing this list changes DM_RANK_LAYOUT. */
enum {
    DM_RF_RULES, DM_RF_MENTION, DM_RF_PRONOUN, DM_RF_EARLIER,
    DM_RF_BACK0, DM_RF_BACK1, DM_RF_BACK2, DM_RF_BACK3, DM_RF_NOBACK,
    DM_RF_AFTER_ONLY,
    DM_RF_U5, DM_RF_U10, DM_RF_U20, DM_RF_U40, DM_RF_UFAR,
    DM_RF_PREV1, DM_RF_PREV2, DM_RF_PREV3,
    DM_RF_EARLIER_CUE,
    DM_RF_OPENS, DM_RF_OWNER, DM_RF_NOT_NAME, DM_RF_PERSON, DM_RF_CUE_AFTER,
    DM_RF_AGREE, DM_RF_CLASH, DM_RF_OTHER_PARA,
    DM_RF_COUNT1, DM_RF_COUNT2, DM_RF_COUNT4,
    DM_RF_WORDS1, DM_RF_WORDS2, DM_RF_WORDS3,
    DM_RF_PRON_BACK0, DM_RF_PRON_BACK1,
    DM_RF_ONLY_RULES,
    /* round 13b: paragraphs, the article, the quote's own shape */
    DM_RF_PREV_SAME_PARA, DM_RF_PARA0, DM_RF_PARA1, DM_RF_PARA2,
    DM_RF_ART1, DM_RF_ART2, DM_RF_ART5,
    DM_RF_RULES_QOPEN, DM_RF_RULES_QWHOLE, DM_RF_RULES_QPRON, DM_RF_RULES_FAR,
    DM_RF_QOPEN_BACK0,
    /* round 15: the description (a noun phrase, no name) that opens the
     * quote's sentence before the quote */
    DM_RF_SUBJ_NP,
    /* the nearest name before the quote of the gender of the quote's
     * he/she; the nearest name before it of any kind */
    DM_RF_NEAREST_AGREE, DM_RF_NEAREST,
    DM_RF_N
};
/* Feature indices are 1 .. DM_RANK_NFEAT (LIBLINEAR's convention). */
#define DM_RANK_NFEAT (DM_RF_N * (1 + DM_RQ_N))
/* The feature layout a weight file is for (its "features" line). */
#define DM_RANK_LAYOUT 3
/* At most this many features are set for one candidate. */
enum { DM_RANK_MAXF = 80 };

typedef struct dm_rank_cand {
    dm_speaker sp;          /* as dm_extract would name it (owned) */
    bool rules, mention, pronoun;
    int sent_back;          /* nearest mention's sentences back; -1: none */
    int pron_back;          /* nearest he/she resolved to it; -1: none */
    bool before;            /* named before the quote */
    size_t unit_dist;       /* word units from the nearest mention before */
    int earlier_rank;       /* 1: the latest earlier speaker, ...; 0: none */
    bool earlier_cue;       /* that statement's speaker came from a cue */
    bool opens, owner, not_name, cue_after, same_para;
    char gender;
    int count;              /* mentions in the window */
    int words;              /* words of the name */
    bool prev_same_para;    /* speaker of the statement just before, in
                               the quote's paragraph */
    int para_back;          /* paragraphs back of its nearest mention or
                               earlier statement; -1: none */
    int art_count;          /* mentions in the whole article */
    bool nearest_agree, nearest;
    bool subj_np;           /* the description opening the quote's sentence
                               ("The ad claims "Q""; a candidate only so) */
} dm_rank_cand;

typedef struct dm_rank_cands {
    dm_rank_cand *v;
    size_t n, cap;
    int kind;               /* DM_RQ_* of the quote */
    char gender;            /* 'm'/'f': a he/she of the quote's sentence */
    bool q_opens_para;      /* the quote opens its paragraph */
    bool q_whole_para;      /* ... and ends it */
    bool q_pron;            /* a he/she/they inside the quote */
} dm_rank_cands;

/* Is `a` an attribution the ranker may replace (the rules' guesses)? */
bool dm_rank_guessed(dm_attribution_kind a);

/* The candidates of statement v[i] of document d (v: its statements in
 * document order, with the rules' speakers): the rules' choice, the names
 * of its sentence and the DM_RANK_BACK before it, the antecedents of their
 * he/she, the speakers of up to DM_RANK_EARLIER statements before it.
 * Duplicates (same name) are merged. `out` is cleared first. */
dm_status dm_rank_candidates(const dm_doc *d, const dm_statement *v, size_t n, size_t i,
                             dm_rank_cands *out);
void dm_rank_cands_free(dm_rank_cands *c);

/* The features of a candidate: ascending indices 1..DM_RANK_NFEAT into f
 * (DM_RANK_MAXF at most); returns how many. */
int dm_rank_features(const dm_rank_cand *c, const dm_rank_cands *all, int *f);

/* The sentence scope of a candidate, for the study: 0 the quote's sentence,
 * 1 one back, 2 up to DM_RANK_BACK back, 3 an earlier speaker only, 4 the
 * rules' choice only. */
int dm_rank_scope(const dm_rank_cand *c);

/* The statement a carried statement v[i] took its speaker from, as the
 * rules carry it (extract.c's last_attr): the latest direct or partial one
 * before it that has a speaker and was not carried itself, when that
 * speaker is v[i]'s; (size_t)-1 when v[i] is not carried or none is. When
 * the ranker replaces that statement's speaker, v[i] follows (dm_rank_apply;
 * bench/POLNEAR.md, round 15). */
size_t dm_rank_carried_from(const dm_statement *v, size_t i);

/* The loaded weights (see dm_ranker_load in statements.h). */
struct dm_ranker {
    double *w;              /* w[k - 1] for feature k; higher: more likely right */
    size_t n;               /* DM_RANK_NFEAT */
    /* by DM_RQ_* kind: the ranker's best replaces the rules' speaker only
     * when it scores more than this above it; HUGE_VAL: never (kinds with
     * no "margin" line); -HUGE_VAL for DM_RQ_NONE (no speaker: always) */
    double margin[DM_RQ_N];
};

/* Score of a candidate: the sum of its features' weights. */
double dm_rank_score(const dm_ranker *r, const int *f, int nf);

/* Give the quotes of d->tmp (in document order) that the rules left without
 * a speaker the ranker's choice, and those of a kind with a margin (its
 * DM_RANK_REPLACE kinds) the ranker's choice when it beats the rules' by
 * more than the margin (attribution "ranked"). The choices are made first,
 * all from the rules' speakers; then a carried quote whose source's speaker
 * was replaced takes the replacement (attribution stays "carried"). */
dm_status dm_rank_apply(dm_doc *d);

/* The text of a weight file (malloc'ed, NULL when out of memory) for w[0..n),
 * a "margin" line for each kind k with a finite margin[k] (margin: DM_RQ_N
 * values, or NULL: none), the given "key\tvalue\n" lines of provenance
 * (source, licence...), its checksum line last. */
char *dm_ranker_format(const double *w, size_t n, const double *margin, const char *provenance);

#endif

/* dm_features_hostility and dm_features_stance: the single code path that
 * training and scoring share. Order of work (tokens are overwritten by the
 * context, so everything about the statement text comes first):
 *   statement tokens -> n-grams, lexicon, punctuation, reported speech
 *   -> target features (stance) -> cue -> context -> previous sentence
 *   -> for the public vectors: merge (merge.c) and sort by index. */
#include "features/features_internal.h"
#include "text/text_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Aggregate the current hits into the named lexicon block. */
static dm_status lexicon_block(dm_featurizer *fz, dm_fvec *out, int negators,
                               int intensified, int downtoned)
{
    double host[HOSTILE_CATEGORY_COUNT] = {0}, hostneg[HOSTILE_CATEGORY_COUNT] = {0};
    double cord[CORDIAL_CATEGORY_COUNT] = {0}, cordneg[CORDIAL_CATEGORY_COUNT] = {0};
    double hedge[HEDGE_CATEGORY_COUNT] = {0};
    double sum[4] = {0}, count[4] = {0}; /* host, cord, neg host, neg cord */
    int n_hedges = 0;
    for (size_t i = 0; i < fz->sc.nhits; i++) {
        const dm_hit *h = &fz->sc.hits[i];
        if (h->blame == BLAME_CRIME_BARE || h->blame == BLAME_PROCEDURE_BARE)
            continue; /* blames nobody: only the blame:* features see it */
        if (h->flags == LEX_HEDGE) {
            hedge[h->hedge_cat] += 1;
            n_hedges++;
            continue;
        }
        bool hostile = h->flags == LEX_HOSTILE;
        int slot = (hostile ? 0 : 1) + (h->negated ? 2 : 0);
        sum[slot] += h->weight;
        count[slot] += 1;
        if (hostile)
            (h->negated ? hostneg : host)[h->hostile_cat] += h->weight;
        else
            (h->negated ? cordneg : cord)[h->cordial_cat] += h->weight;
    }
    dm_status st = DM_OK;
    for (int c = 0; c < HOSTILE_CATEGORY_COUNT && st == DM_OK; c++) {
        st = dm_fz_named(fz, out, NF_HOST + c, dm_fz_log1p(host[c]));
        if (st == DM_OK)
            st = dm_fz_named(fz, out, NF_HOSTNEG + c, dm_fz_log1p(hostneg[c]));
    }
    for (int c = 0; c < CORDIAL_CATEGORY_COUNT && st == DM_OK; c++) {
        st = dm_fz_named(fz, out, NF_CORD + c, dm_fz_log1p(cord[c]));
        if (st == DM_OK)
            st = dm_fz_named(fz, out, NF_CORDNEG + c, dm_fz_log1p(cordneg[c]));
    }
    for (int c = 0; c < HEDGE_CATEGORY_COUNT && st == DM_OK; c++)
        st = dm_fz_named(fz, out, NF_HEDGE + c, dm_fz_log1p(hedge[c]));
    static const int SUMS[4] = {NF_HOSTILE_SUM, NF_CORDIAL_SUM,
                                NF_NEG_HOSTILE_SUM, NF_NEG_CORDIAL_SUM};
    static const int COUNTS[4] = {NF_HOSTILE_COUNT, NF_CORDIAL_COUNT,
                                  NF_NEG_HOSTILE_COUNT, NF_NEG_CORDIAL_COUNT};
    for (int k = 0; k < 4 && st == DM_OK; k++) {
        st = dm_fz_named(fz, out, SUMS[k], dm_fz_log1p(sum[k]));
        if (st == DM_OK)
            st = dm_fz_named(fz, out, COUNTS[k], dm_fz_log1p(count[k]));
    }
    if (st == DM_OK)
        st = dm_fz_named(fz, out, NF_HEDGE_COUNT, dm_fz_log1p(n_hedges));
    if (st == DM_OK)
        st = dm_fz_named(fz, out, NF_INTENSIFIED, dm_fz_log1p(intensified));
    if (st == DM_OK)
        st = dm_fz_named(fz, out, NF_DOWNTONED, dm_fz_log1p(downtoned));
    if (st == DM_OK)
        st = dm_fz_named(fz, out, NF_NEGATORS, dm_fz_log1p(negators));
    return st;
}

static dm_status text_features(dm_featurizer *fz, const dm_feature_input *in,
                               dm_fvec *out)
{
    const dm_feature_settings *s = &fz->settings;
    dm_scratch *sc = &fz->sc;
    bool chars = s->char_ngram_min > 0;
    double scale = chars ? sqrt(0.5) : 1.0;
    /* Tasks hashing into spaces of different sizes: the n-grams are hashed
     * into the larger and kept for the memo (text_memo.c), then folded into
     * this task's (the same indices: both masks are 2^k - 1). */
    uint32_t cur = fz->mask;
    uint32_t big = fz->task_mask[0] > fz->task_mask[1] ? fz->task_mask[0] : fz->task_mask[1];
    /* explain names the buckets of this task: no folding then */
    bool fold = fz->task_mask[0] != fz->task_mask[1] && !fz->explain;
    sc->memo.valid = false;
    sc->memo.folded_valid = false;
    sc->memo.folds = fold;
    sc->memo.nraw = sc->memo.nraw_w = 0;
    dm_status st = dm_fz_mask_actors(fz, in);
    if (st == DM_OK) {
        fz->mask = fold ? big : cur;
        st = dm_fz_word_ngrams(fz, sc->ttoks, sc->nttoks, "w:",
                               s->word_ngram_max, false);
        fz->mask = cur;
    }
    if (st == DM_OK && fold)
        st = dm_fz_memo_keep_raw(fz);
    sc->memo.nraw_w = sc->memo.nraw;
    sc->memo.fam_at[0] = sc->memo.fam_at[1] = out->n;
    sc->memo.fam_n[0] = sc->memo.fam_n[1] = 0;
    if (st == DM_OK)
        st = dm_fz_family_flush(fz, out, scale);
    sc->memo.fam_n[0] = out->n - sc->memo.fam_at[0];
    if (st == DM_OK && chars) {
        fz->mask = fold ? big : cur;
        st = dm_fz_char_ngrams(fz);
        fz->mask = cur;
        if (st == DM_OK && fold)
            st = dm_fz_memo_keep_raw(fz);
        sc->memo.fam_at[1] = out->n;
        if (st == DM_OK)
            st = dm_fz_family_flush(fz, out, scale);
        sc->memo.fam_n[1] = out->n - sc->memo.fam_at[1];
    }
    /* Over the masked view: a name is one word however long it is. */
    int questions = 0, exclamations = 0, words = 0;
    for (size_t i = 0; i < sc->nttoks; i++) {
        questions += sc->ttoks[i].len == 1 && sc->ttoks[i].s[0] == '?';
        exclamations += sc->ttoks[i].len == 1 && sc->ttoks[i].s[0] == '!';
        words += sc->ttoks[i].kind != DM_TOKEN_PUNCT;
    }
    if (st == DM_OK)
        st = dm_fz_named(fz, out, NF_QUESTION, dm_fz_log1p(questions));
    if (st == DM_OK)
        st = dm_fz_named(fz, out, NF_EXCLAMATION, dm_fz_log1p(exclamations));
    if (st == DM_OK)
        st = dm_fz_named(fz, out, NF_LENGTH, dm_fz_log1p(words) / 5.0);
    if (st == DM_OK)
        st = dm_fz_named(fz, out, NF_REPORTED_SPEECH,
                         dm_fz_log1p(dm_fz_reported_speech(fz)));
    if (st == DM_OK)
        st = dm_fz_clauses(fz);
    if (st == DM_OK && s->lexicon) {
        int negators, intensified, downtoned;
        st = dm_fz_match_lexicon(fz, &negators, &intensified, &downtoned);
        if (st == DM_OK)
            st = dm_fz_find_implicit(fz);
        if (st == DM_OK) {
            dm_fz_blame(fz);
            st = lexicon_block(fz, out, negators, intensified, downtoned);
        }
        if (st == DM_OK)
            st = dm_fz_sentiment(fz, out);
        if (st == DM_OK)
            st = dm_fz_implicit(fz, out);
    } else {
        sc->nhits = 0;
        if (dm_fz_grow((void **)&sc->valence, &sc->capvalence, sc->ntoks + 1,
                       sizeof *sc->valence) != DM_OK)
            return DM_E_NOMEM;
        memset(sc->valence, 0, (sc->ntoks + 1) * sizeof *sc->valence);
    }
    return st;
}

/* One hashed indicator of value 1: "<prefix><a><sep><b>". */
dm_status dm_fz_indicator(dm_featurizer *fz, dm_fvec *out, const char *prefix,
                           const char *a, const char *sep, const char *b)
{
    size_t need = strlen(prefix) + strlen(a) + strlen(sep) + strlen(b) + 1;
    if (dm_fz_grow((void **)&fz->sc.buf, &fz->sc.capbuf, need, 1) != DM_OK)
        return DM_E_NOMEM;
    const char *parts[4] = {prefix, a, sep, b};
    size_t len = 0;
    for (int k = 0; k < 4; k++) {
        size_t l = strlen(parts[k]);
        memcpy(fz->sc.buf + len, parts[k], l);
        len += l;
    }
    dm_status st = dm_fz_add_hashed(fz, fz->sc.buf, len, 1.0);
    return st == DM_OK ? dm_fz_family_flush(fz, out, 1.0) : st;
}

static dm_status cue_features(dm_featurizer *fz, const dm_feature_input *in,
                              dm_fvec *out, dm_error *err)
{
    /* No feature for "no cue": training sets often have no cues, and a
     * constant feature there would shift scores wherever a cue exists. */
    if (!in->cue || !in->cue[0])
        return DM_OK;
    /* Cues are nearly always ASCII, where full case folding is tolower:
     * skip ICU and the allocation then. */
    size_t len = strlen(in->cue);
    char *folded = NULL;
    bool ascii = len < sizeof fz->cue_buf;
    for (size_t i = 0; ascii && i < len; i++)
        ascii = (unsigned char)in->cue[i] < 0x80;
    dm_status st = DM_OK;
    if (ascii) {
        for (size_t i = 0; i <= len; i++)
            fz->cue_buf[i] = in->cue[i] >= 'A' && in->cue[i] <= 'Z'
                                 ? (char)(in->cue[i] + 32) : in->cue[i];
        folded = fz->cue_buf;
    } else if ((st = dm_casefold(in->cue, len, &folded, err)) != DM_OK) {
        return st;
    }
    st = dm_fz_indicator(fz, out, "cue:", folded, "", "");
    int category = NF_CUE_OTHER;
    for (char *save = NULL, *w = strtok_r(folded, " ", &save); w;
         w = strtok_r(NULL, " ", &save)) {
        category = dm_fz_cue_category(w);
        if (category != NF_CUE_OTHER)
            break;
    }
    if (folded != fz->cue_buf)
        free(folded);
    return st == DM_OK ? dm_fz_named(fz, out, category, 1.0) : st;
}

static dm_status context_features(dm_featurizer *fz, const dm_feature_input *in,
                                  dm_fvec *out, dm_error *err)
{
    if (!in->context || !in->context[0])
        return DM_OK;
    dm_status st = dm_fz_tokens(fz, in->context, strlen(in->context), err);
    if (st != DM_OK)
        return st;
    st = dm_fz_named(fz, out, NF_CTX_PRESENT, 1.0);
    if (st == DM_OK)
        st = dm_fz_word_ngrams(fz, fz->sc.toks, fz->sc.ntoks, "ctx:", 2, false);
    if (st == DM_OK)
        st = dm_fz_family_flush(fz, out, 0.5);
    if (st == DM_OK)
        st = dm_fz_named(fz, out, NF_CTX_REPORTED,
                         dm_fz_log1p(dm_fz_reported_speech(fz)));
    if (st != DM_OK || !fz->settings.lexicon)
        return st;
    int negators, intensified, downtoned;
    st = dm_fz_match_lexicon(fz, &negators, &intensified, &downtoned);
    double host = 0, cord = 0;
    for (size_t i = 0; st == DM_OK && i < fz->sc.nhits; i++) {
        const dm_hit *h = &fz->sc.hits[i];
        if (h->negated)
            continue;
        host += h->flags == LEX_HOSTILE ? h->weight : 0;
        cord += h->flags == LEX_CORDIAL ? h->weight : 0;
    }
    if (st == DM_OK)
        st = dm_fz_named(fz, out, NF_CTX_HOSTILE_SUM, dm_fz_log1p(host));
    if (st == DM_OK)
        st = dm_fz_named(fz, out, NF_CTX_CORDIAL_SUM, dm_fz_log1p(cord));
    return st;
}

static dm_status featurize(const dm_featurizer *cfz, const dm_feature_input *in,
                           const dm_feature_target *target, dm_fvec *out,
                           bool merged, dm_error *err)
{
    if (!cfz || !in || !in->text || !out)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_features: NULL argument");
    if (target && !target->actor)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_features_stance: target without actor");
    if (target && target->has_span &&
        (target->start > target->end || target->end > in->len))
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_features_stance: target span %zu..%zu outside "
                            "the text (%zu bytes)", target->start, target->end,
                            in->len);
    /* Scratch buffers and the explain map are the only state written; see
     * "Threads" in features.h. The object itself was allocated non-const. */
    dm_featurizer *fz = (dm_featurizer *)cfz;
    out->n = 0;
    fz->sc.nfam = 0;
    /* The task's own index space (stance_hash_bits); the text memo moves
     * what it saved into it (text_memo.c). */
    fz->mask = fz->task_mask[target ? 1 : 0];
    fz->named_base = fz->task_named_base[target ? 1 : 0];
    /* A stance call after the hostility call (or another target's) on the
     * same input: its text features are those of that call (text_memo.c). */
    bool memo = dm_fz_memo_lookup(fz, in);
    dm_status st = dm_fz_cached_tokens(fz, in->text, in->len, err);
    if (st == DM_OK && !(memo && dm_fz_memo_restore(fz, out) == DM_OK)) {
        out->n = 0;
        fz->sc.text_serial++;
        st = text_features(fz, in, out);
        if (st == DM_OK)
            dm_fz_memo_save(fz, in, out);
    }
    if (st == DM_OK && target)
        st = dm_fz_target_features(fz, in, target, out);
    if (st == DM_OK)
        st = cue_features(fz, in, out, err);
    if (st == DM_OK)
        st = context_features(fz, in, out, err);
    if (st == DM_OK)
        st = dm_fz_previous(fz, in, out, err);
    if (st == DM_OK && merged)
        st = dm_fvec_merge(out, &fz->sc.table, &fz->sc.captable);
    if (st != DM_OK) {
        out->n = 0;
        if (st == DM_E_NOMEM)
            return dm_error_set(err, st, NULL, 0, "out of memory");
        return st;
    }
    if (merged)
        dm_fvec_sort_unique(out);
    return DM_OK;
}

dm_status dm_features_hostility(const dm_featurizer *fz,
                                const dm_feature_input *in, dm_fvec *out,
                                dm_error *err)
{
    return featurize(fz, in, NULL, out, true, err);
}

dm_status dm_features_stance(const dm_featurizer *fz, const dm_feature_input *in,
                             const dm_feature_target *target, dm_fvec *out,
                             dm_error *err)
{
    if (!target)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_features_stance: NULL target");
    return featurize(fz, in, target, out, true, err);
}

dm_status dm_fz_features_for_dot(const dm_featurizer *fz, const dm_feature_input *in,
                                  const dm_feature_target *target, dm_fvec *out,
                                  dm_error *err)
{
    return featurize(fz, in, target, out, false, err);
}

/* Topic targets get weights of their own.
 *
 * A target that the statement does not name (no span) and whose label is
 * not an actor code of <lexicons>/actors.tsv is a *topic* (a debate motion,
 * a policy: "ARMS-TREATY", "legalisation of abortion"): word polarity flips
 * between topics ("pro-life" is against legal abortion), so its features
 * are the statement's words conjoined with the topic, "tc:<TOPIC>|<word>",
 * and a bias "tgt:<TOPIC>", next to the shared ones. Actors (countries,
 * persons, organisations) never get them: a score must not depend on which
 * actor is meant (README, "Actor priors").
 *
 * The set of actor codes is part of what a model was trained with, so it is
 * folded into the lexicon checksum (features.h). */
#include "features/features_internal.h"
#include "core/file_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void dm_fz_free_actor_codes(dm_featurizer *fz)
{
    for (size_t i = 0; i < fz->n_actor_codes; i++)
        free(fz->actor_codes[i]);
    free(fz->actor_codes);
    fz->actor_codes = NULL;
    fz->n_actor_codes = 0;
}

/* Codes of actors.tsv (first column, header and '#' lines skipped), sorted
 * and unique. A lexicon directory without actors.tsv has none: then no
 * target is a topic (the conservative choice). */
dm_status dm_fz_load_actor_codes(dm_featurizer *fz, const char *dir, dm_error *err)
{
    char path[4096];
    int n = snprintf(path, sizeof path, "%s/actors.tsv", dir);
    if (n < 0 || (size_t)n >= sizeof path)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "lexicon directory name too long (%zu bytes)", strlen(dir));
    FILE *probe = fopen(path, "rb");
    if (!probe)
        return DM_OK;
    fclose(probe);
    char *data = NULL;
    size_t len = 0;
    dm_status st = dm_file_read_all(path, &data, &len, err);
    if (st != DM_OK)
        return st;
    size_t cap = 0;
    for (char *line = data; line && *line && st == DM_OK;) {
        char *next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        size_t code_len = strcspn(line, "\t\r");
        if (code_len > 0 && line[0] != '#' && strncmp(line, "code\t", 5) != 0) {
            if (fz->n_actor_codes == cap) {
                cap = cap ? cap * 2 : 256;
                char **c = realloc(fz->actor_codes, cap * sizeof *c);
                if (!c) {
                    st = dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
                    break;
                }
                fz->actor_codes = c;
            }
            fz->actor_codes[fz->n_actor_codes] = strndup(line, code_len);
            if (!fz->actor_codes[fz->n_actor_codes])
                st = dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
            else
                fz->n_actor_codes++;
        }
        line = next;
    }
    free(data);
    if (st != DM_OK) {
        dm_fz_free_actor_codes(fz);
        return st;
    }
    qsort(fz->actor_codes, fz->n_actor_codes, sizeof *fz->actor_codes, cmp_str);
    size_t w = 0;
    for (size_t r = 0; r < fz->n_actor_codes; r++) {
        if (w > 0 && strcmp(fz->actor_codes[w - 1], fz->actor_codes[r]) == 0) {
            free(fz->actor_codes[r]);
            continue;
        }
        fz->actor_codes[w++] = fz->actor_codes[r];
    }
    fz->n_actor_codes = w;
    /* checksum := FNV-1a 64 of (lexicon checksum, NUL, "actor codes", NUL,
     * each code and a NUL), when there are codes. */
    uint64_t h = dm_fnv1a64(DM_FNV1A64_BASIS, fz->lex.checksum, strlen(fz->lex.checksum) + 1);
    h = dm_fnv1a64(h, "actor codes", sizeof "actor codes");
    for (size_t i = 0; i < fz->n_actor_codes; i++)
        h = dm_fnv1a64(h, fz->actor_codes[i], strlen(fz->actor_codes[i]) + 1);
    if (fz->n_actor_codes > 0)
        snprintf(fz->lex.checksum, sizeof fz->lex.checksum, "%016llx", (unsigned long long)h);
    return DM_OK;
}

bool dm_fz_is_topic(const dm_featurizer *fz, const dm_feature_target *target)
{
    if (target->has_span || !target->actor || fz->n_actor_codes == 0)
        return false;
    const char *key = target->actor;
    return !bsearch(&key, fz->actor_codes, fz->n_actor_codes, sizeof *fz->actor_codes,
                    cmp_str);
}

dm_status dm_fz_topic_features(dm_featurizer *fz, const char *topic, dm_fvec *out)
{
    const dm_scratch *sc = &fz->sc;
    size_t tl = strlen(topic);
    dm_status st = dm_fz_indicator(fz, out, "tgt:", topic, "", "");
    for (size_t i = 0; i < sc->nttoks && st == DM_OK; i++) {
        const dm_ftok *t = &sc->ttoks[i];
        if (t->skip || t->boundary)
            continue;
        if (dm_fz_grow((void **)&fz->sc.buf, &fz->sc.capbuf, tl + t->len + 8, 1) != DM_OK)
            return DM_E_NOMEM;
        char *b = fz->sc.buf;
        memcpy(b, "tc:", 3);
        memcpy(b + 3, topic, tl);
        b[3 + tl] = '|';
        memcpy(b + 4 + tl, t->s, t->len);
        st = dm_fz_add_hashed(fz, b, 4 + tl + t->len, 1.0);
    }
    if (st == DM_OK)
        st = dm_fz_family_flush(fz, out, 1.0);
    return st;
}

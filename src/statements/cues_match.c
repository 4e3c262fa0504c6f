/* Matching words against the cue lexicon (see cues_internal.h); loading is
 * cues.c. */
#include "statements/cues_data_internal.h"
#include "core/fnv_internal.h"

#include <stdlib.h>
#include <string.h>

/* The key of a folded word (dm_unit_key; 0 for a longer or non-ASCII
 * one, which is then compared as a string). */
static uint64_t folded_key(const char *folded)
{
    return dm_unit_key(folded, strlen(folded));
}

static size_t slot_hash(dm_cue_type type, uint64_t key, const char *folded)
{
    uint64_t h = key ? key : dm_fnv1a64(DM_FNV1A64_BASIS, folded, strlen(folded));
    h = (h ^ (uint64_t)type) * UINT64_C(0x9E3779B97F4A7C15);
    return (size_t)(h >> 32);
}

dm_status dm_cues_build_index(dm_cues *c)
{
    size_t runs = 0;
    for (size_t i = 0; i < c->n; i++) {
        cue_entry *e = &c->v[i];
        for (size_t k = 0; k < e->n_words; k++)
            e->keys[k] = folded_key(e->words[k]);
        runs += i == 0 || e->type != c->v[i - 1].type ||
                strcmp(e->words[0], c->v[i - 1].words[0]) != 0;
    }
    size_t size = 16;
    while (size < 2 * runs + 1)
        size *= 2;
    c->slots = calloc(size, sizeof *c->slots);
    if (!c->slots)
        return DM_E_NOMEM;
    c->slot_mask = size - 1;
    for (size_t i = 0; i < c->n; i++) {
        const cue_entry *e = &c->v[i];
        if (i > 0 && e->type == c->v[i - 1].type &&
            strcmp(e->words[0], c->v[i - 1].words[0]) == 0) {
            continue; /* counted with its run's first entry */
        }
        size_t run = 1;
        while (i + run < c->n && c->v[i + run].type == e->type &&
               strcmp(c->v[i + run].words[0], e->words[0]) == 0)
            run++;
        size_t h = slot_hash(e->type, e->keys[0], e->keys[0] ? NULL : e->words[0]);
        while (c->slots[h & c->slot_mask].word)
            h++;
        c->slots[h & c->slot_mask] = (cue_slot){.word = e->words[0], .key = e->keys[0],
                                                .first = (uint32_t)i, .count = (uint32_t)run,
                                                .type = e->type};
    }
    return DM_OK;
}

char dm_cues_name_gender_folded(const dm_cues *cues, const char *folded)
{
    if (!cues || !folded)
        return 0;
    size_t lo = 0, hi = cues->n_names;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(dm_cues_entry_name(cues, &cues->names[mid]), folded) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < cues->n_names &&
                   strcmp(dm_cues_entry_name(cues, &cues->names[lo]), folded) == 0
               ? dm_cues_entry_gender(&cues->names[lo]) : 0;
}

char dm_cues_name_gender(const dm_cues *cues, const char *s, const dm_unit *u)
{
    char first[64];
    if (!cues || !u || !u->word || !dm_unit_fold(s, u, first, sizeof first))
        return 0;
    return dm_cues_name_gender_folded(cues, first);
}

size_t dm_cues_match(const dm_cues *cues, dm_cue_type type, const char *s,
                     const dm_unit *u, size_t n)
{
    if (!cues || n == 0 || !u[0].word)
        return 0;
    unsigned char c0 = (unsigned char)s[u[0].start];
    unsigned char c1 = u[0].end - u[0].start > 1 ? (unsigned char)s[u[0].start + 1] : 0;
    if (type != DM_CUE_MALE && type != DM_CUE_FEMALE && c0 < 0x80 && c1 < 0x80) {
        unsigned k = dm_unit_pair(c0, c1);
        if (!(cues->pairs[type][k / 32] & (1u << (k % 32))))
            return 0;
    }
    char first[64];
    uint64_t key = u[0].key;
    if (!key || type == DM_CUE_MALE || type == DM_CUE_FEMALE) {
        if (!dm_unit_fold(s, &u[0], first, sizeof first))
            return 0;
        if (type == DM_CUE_MALE || type == DM_CUE_FEMALE) {
            char g = dm_cues_name_gender_folded(cues, first);
            return g == (type == DM_CUE_MALE ? 'm' : 'f');
        }
        key = folded_key(first);
    }
    /* the slot of (type, first word); a unit with a key has that of its
     * folded word, and equal keys are equal words */
    const cue_slot *slot = NULL;
    for (size_t h = slot_hash(type, key, key ? NULL : first);; h++) {
        const cue_slot *sl = &cues->slots[h & cues->slot_mask];
        if (!sl->word)
            return 0;
        if (sl->type == type && sl->key == key && (key || strcmp(sl->word, first) == 0)) {
            slot = sl;
            break;
        }
    }
    for (size_t i = slot->first; i < slot->first + slot->count; i++) {
        const cue_entry *e = &cues->v[i];
        if (e->n_words > n)
            continue;
        size_t k = 1;
        while (k < e->n_words && u[k].word &&
               (u[k].key ? u[k].key == e->keys[k] : dm_unit_is(s, &u[k], e->words[k])))
            k++;
        if (k == e->n_words)
            return k;
    }
    return 0;
}

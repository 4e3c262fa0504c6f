/* Statement lists and targets: allocation and release (see statements.h). */
#include "demarche/statements.h"
#include "statements/attribution_internal.h"
#include "statements/targets_internal.h"

#include <stdlib.h>
#include <string.h>

const char *dm_statement_kind_name(dm_statement_kind kind)
{
    switch (kind) {
    case DM_KIND_DIRECT: return "direct";
    case DM_KIND_PARTIAL: return "partial";
    case DM_KIND_SPEECH: return "speech";
    case DM_KIND_GIVEN: return "given";
    }
    return "unknown";
}

static const char *const ATTRIBUTION_NAMES[] = {
    "none", "cue", "according_to", "headline", "stripped_verb", "pronoun",
    "description", "subject", "previous_sentence", "carried", "given", "ranked"};

const char *dm_attribution_name(dm_attribution_kind kind)
{
    size_t n = sizeof ATTRIBUTION_NAMES / sizeof *ATTRIBUTION_NAMES;
    return (size_t)kind < n ? ATTRIBUTION_NAMES[kind] : "unknown";
}

bool dm_attribution_parse(const char *name, dm_attribution_kind *kind)
{
    size_t n = sizeof ATTRIBUTION_NAMES / sizeof *ATTRIBUTION_NAMES;
    for (size_t i = 0; name && kind && i < n; i++)
        if (strcmp(name, ATTRIBUTION_NAMES[i]) == 0) {
            *kind = (dm_attribution_kind)i;
            return true;
        }
    return false;
}

const char *dm_stance_name(dm_stance stance)
{
    switch (stance) {
    case DM_STANCE_AGAINST: return "against";
    case DM_STANCE_NEUTRAL: return "neutral";
    case DM_STANCE_FAVOR: return "favor";
    }
    return "unknown";
}

void dm_statement_list_init(dm_statement_list *list)
{
    if (!list)
        return;
    list->v = NULL;
    list->n = 0;
    list->cap = 0;
}

void dm_statement_clear(dm_statement *st)
{
    if (!st)
        return;
    free(st->speaker);
    free(st->speaker_role);
    free(st->speaker_actor);
    free(st->cue);
    free(st->text);
    free(st->context);
    for (size_t i = 0; i < st->n_targets; i++) {
        free(st->targets[i].actor);
        free(st->targets[i].mention);
    }
    free(st->targets);
    memset(st, 0, sizeof *st);
}

void dm_statement_list_clear(dm_statement_list *list)
{
    if (!list)
        return;
    for (size_t i = 0; i < list->n; i++)
        dm_statement_clear(&list->v[i]);
    free(list->v);
    dm_statement_list_init(list);
}

dm_statement *dm_statement_list_push(dm_statement_list *list)
{
    if (!list)
        return NULL;
    if (list->n == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 16;
        dm_statement *v = realloc(list->v, cap * sizeof *v);
        if (!v)
            return NULL;
        list->v = v;
        list->cap = cap;
    }
    dm_statement *st = &list->v[list->n++];
    memset(st, 0, sizeof *st);
    return st;
}

/* Pop the last statement (used to undo a push when filling it failed). */
void dm_statement_list_pop_internal(dm_statement_list *list)
{
    if (list && list->n > 0)
        dm_statement_clear(&list->v[--list->n]);
}

dm_status dm_statement_reserve_targets_internal(dm_statement *st, size_t more)
{
    if (!st)
        return DM_E_INVALID_ARG;
    if (!more)
        return DM_OK;
    dm_target *v = realloc(st->targets, (st->n_targets + more) * sizeof *v);
    if (!v)
        return DM_E_NOMEM;
    st->targets = v;
    return DM_OK;
}

dm_status dm_statement_put_target_internal(dm_statement *st, const char *actor,
                                          const char *mention, size_t mention_len,
                                          bool has_span, size_t start, size_t end,
                                          size_t norm_start, size_t norm_end)
{
    if (!st || !actor)
        return DM_E_INVALID_ARG;
    dm_target *t = &st->targets[st->n_targets];
    memset(t, 0, sizeof *t);
    t->actor = strdup(actor);
    t->mention = mention ? strndup(mention, mention_len) : NULL;
    if (!t->actor || (mention && !t->mention)) {
        free(t->actor);
        free(t->mention);
        return DM_E_NOMEM;
    }
    t->has_span = has_span;
    t->start = start;
    t->end = end;
    t->norm_start = norm_start;
    t->norm_end = norm_end;
    t->stance = DM_STANCE_NEUTRAL;
    st->n_targets++;
    return DM_OK;
}

dm_status dm_statement_add_target_n_internal(dm_statement *st, const char *actor,
                                            const char *mention, size_t mention_len,
                                            bool has_span, size_t start, size_t end,
                                            size_t norm_start, size_t norm_end)
{
    if (!st || !actor)
        return DM_E_INVALID_ARG;
    dm_status s = dm_statement_reserve_targets_internal(st, 1);
    return s != DM_OK ? s
                      : dm_statement_put_target_internal(st, actor, mention, mention_len,
                                                         has_span, start, end, norm_start,
                                                         norm_end);
}

dm_status dm_statement_add_target(dm_statement *st, const char *actor,
                                  const char *mention, bool has_span,
                                  size_t start, size_t end, size_t norm_start,
                                  size_t norm_end)
{
    return dm_statement_add_target_n_internal(st, actor, mention,
                                              mention ? strlen(mention) : 0, has_span,
                                              start, end, norm_start, norm_end);
}

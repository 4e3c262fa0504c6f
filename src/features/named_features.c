/* Readable names of the fixed named block (see features_internal.h). The
 * order of enum dm_named_feature is part of the model format: append, never
 * reorder, and bump DM_FEATURES_LAYOUT_VERSION when it changes. */
#include "features/features_internal.h"

#include <stdio.h>

static const char *const FIXED_NAMES[NF_COUNT - NF_HOSTILE_SUM] = {
    "lex:hostile_sum", "lex:hostile_count", "lex:cordial_sum",
    "lex:cordial_count", "lex:neg_hostile_sum", "lex:neg_hostile_count",
    "lex:neg_cordial_sum", "lex:neg_cordial_count", "lex:hedge_count",
    "lex:intensified", "lex:downtoned", "lex:negators",
    "punct:question", "punct:exclamation",
    "cue:neutral", "cue:hostile", "cue:cordial", "cue:other",
    "speech:reported", "len:tokens",
    "ctx:present", "ctx:hostile_sum", "ctx:cordial_sum", "ctx:reported",
    "sent:pos", "sent:neg",
    "impl:action", "impl:insufficiency", "impl:denial", "impl:insinuation",
    "impl:agent", "impl:topic", "impl:procedure", "impl:commemoration",
    "impl:action_actor", "impl:cue_actor", "blame:actor", "blame:none",
    "blame:topic_only", "prev:hostile_sum", "prev:implicit", "prev:same_actor",
    "target:implicit", "target:self", "target:mentions", "target:other_actors",
    "target:subject_hostile", "target:object_hostile", "target:praise_near",
    "target:hostile_near", "target:hostile_far", "target:cordial_near",
    "target:cordial_far", "target:neg_hostile_clause",
    "target:neg_cordial_clause", "target:hostile_other_clause",
    "target:cordial_other_clause",
    "target:sent_pos_near", "target:sent_neg_near", "target:sent_pos_clause",
    "target:sent_neg_clause", "target:sent_pos_other", "target:sent_neg_other",
    "target:subject_neg", "target:object_neg", "target:subject_pos",
    "target:object_pos",
    "target:role_pp", "target:role_initial", "target:first_actor",
    "target:sent_pos_x_initial", "target:sent_neg_x_initial",
    "target:sent_pos_x_pp", "target:sent_neg_x_pp",
    "target:sent_pos_x_first", "target:sent_neg_x_first",
    "blame:crime_charged", "blame:crime_condemned", "blame:crime_bare",
    "blame:crime_memory", "blame:procedure_bare", "threat:conditional",
    "threat:force",
};

void dm_named_feature_name(int nf, char *buf, size_t size)
{
    if (nf < NF_HOSTNEG)
        snprintf(buf, size, "host:%s", dm_hostile_category_names[nf - NF_HOST]);
    else if (nf < NF_CORD)
        snprintf(buf, size, "hostneg:%s",
                 dm_hostile_category_names[nf - NF_HOSTNEG]);
    else if (nf < NF_CORDNEG)
        snprintf(buf, size, "cord:%s", dm_cordial_category_names[nf - NF_CORD]);
    else if (nf < NF_HEDGE)
        snprintf(buf, size, "cordneg:%s",
                 dm_cordial_category_names[nf - NF_CORDNEG]);
    else if (nf < NF_HOSTILE_SUM)
        snprintf(buf, size, "hedge:%s", dm_hedge_category_names[nf - NF_HEDGE]);
    else if (nf < NF_COUNT)
        snprintf(buf, size, "%s", FIXED_NAMES[nf - NF_HOSTILE_SUM]);
    else
        snprintf(buf, size, "?");
}

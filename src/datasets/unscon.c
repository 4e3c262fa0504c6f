/* Reader of UNSCon sentences.csv (Zaczynska, Bourgonje & Stede 2024,
 * CC BY-SA 4.0), mapped to our labels as train/CODEBOOK.md section 6.1
 * says. The `country` column is not the speaker (it disagrees with file_id
 * on many rows); the speaker comes from file_id. */
#include "datasets/datasets_internal.h"
#include "core/log_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define UNSCON_LICENCE \
    "CC BY-SA 4.0; a model trained on it is derived from UNSCon and shared under CC BY-SA 4.0"

typedef struct country {
    const char *name;    /* lower case, '_' for spaces */
    const char *code;
} country;

static const country COUNTRIES[] = {
    {"angola", "AGO"}, {"argentina", "ARG"}, {"armenia", "ARM"},
    {"australia", "AUS"}, {"azerbaijan", "AZE"}, {"belarus", "BLR"},
    {"belgium", "BEL"}, {"brazil", "BRA"}, {"canada", "CAN"}, {"chad", "TCD"},
    {"chile", "CHL"}, {"china", "CHN"}, {"egypt", "EGY"}, {"estonia", "EST"},
    {"european_union", "EU"}, {"france", "FRA"}, {"georgia", "GEO"},
    {"germany", "DEU"}, {"indonesia", "IDN"}, {"iran_(islamic_republic_of)", "IRN"},
    {"italy", "ITA"}, {"japan", "JPN"}, {"jordan", "JOR"},
    {"kazakhstan", "KAZ"}, {"latvia", "LVA"}, {"lithuania", "LTU"},
    {"luxembourg", "LUX"}, {"malaysia", "MYS"}, {"namibia", "NAM"},
    {"nato", "NATO"}, {"netherlands", "NLD"}, {"new_zealand", "NZL"},
    {"nigeria", "NGA"}, {"osce", "OSCE"}, {"poland", "POL"},
    {"republic_of_korea", "KOR"}, {"republic_of_moldova", "MDA"},
    {"russian_federation", "RUS"}, {"rwanda", "RWA"}, {"senegal", "SEN"},
    {"spain", "ESP"}, {"syrian_arab_republic", "SYR"}, {"turkey", "TUR"},
    {"ukraine", "UKR"}, {"united_kingdom", "GBR"},
    {"united_kingdom_of_great_britain_and_northern_ireland", "GBR"},
    {"united_nations", "UN"}, {"united_states_of_america", "USA"},
    {"venezuela", "VEN"}, {"venezuela_(bolivarian_republic_of)", "VEN"},
};

/* Longest table name that is a case-insensitive prefix of `name`, followed
 * by the end or a non-letter/upper-case suffix ("United_States_Of_AmericaA2",
 * "Russian_Federation2"). */
static const char *country_prefix(const char *name, size_t len)
{
    const char *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < sizeof COUNTRIES / sizeof *COUNTRIES; i++) {
        size_t n = strlen(COUNTRIES[i].name);
        if (n > len || n <= best_len || strncasecmp(name, COUNTRIES[i].name, n) != 0)
            continue;
        if (n < len && islower((unsigned char)name[n]))
            continue;
        best = COUNTRIES[i].code;
        best_len = n;
    }
    return best;
}

const char *dm_unscon_country_code(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < sizeof COUNTRIES / sizeof *COUNTRIES; i++)
        if (strcasecmp(name, COUNTRIES[i].name) == 0)
            return COUNTRIES[i].code;
    return NULL;
}

/* UNSC_2014_SPV.7165_spch004_United_Kingdom_..._02(_GD).txt -> GBR */
static const char *speaker_of(const char *file_id)
{
    const char *p = strstr(file_id, "_spch");
    if (!p)
        return NULL;
    p += 5;
    while (isdigit((unsigned char)*p))
        p++;
    if (*p != '_')
        return NULL;
    p++;
    return country_prefix(p, strlen(p));
}

/* The sentences are tokenised ("Russia 's activities ,"): glue punctuation
 * back so the text reads like the statements we score. */
static char *detokenise(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(n + 1), *o = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == ' ') {
            size_t j = i;
            while (j < n && s[j] == ' ')
                j++;
            const char *next = s + j;
            bool glue = j < n && (strchr(",.;:!?)%", *next) ||
                                  strncmp(next, "'s", 2) == 0 ||
                                  strncmp(next, "n't", 3) == 0);
            bool after_open = o > out && o[-1] == '(';
            if (!glue && !after_open && o > out && j < n)
                *o++ = ' ';
            i = j - 1;
            continue;
        }
        *o++ = s[i];
    }
    *o = '\0';
    return out;
}

/* Every actor of the dictionary in the text, as a target without stance
 * label unless a target already covers it: the mentions the featurizer
 * sees, as at scoring time (not only the labelled target, which would tell
 * the label). */
static dm_status add_mentions(dm_labelled_statement *rec, const dm_actors *actors,
                              dm_error *err)
{
    dm_actor_match *m = NULL;
    size_t n = 0;
    if (!actors || dm_actors_find(actors, rec->text, rec->len, rec->date, &m, &n, NULL) != DM_OK)
        return DM_OK;
    dm_status s = DM_OK;
    for (size_t i = 0; i < n && s == DM_OK; i++) {
        bool covered = false;
        for (size_t t = 0; t < rec->n_targets && !covered; t++)
            covered = rec->targets[t].has_span && rec->targets[t].start < m[i].end &&
                      m[i].start < rec->targets[t].end;
        if (!covered)
            s = dm_dataset_add_target_internal(rec, m[i].code, true, m[i].start,
                                               m[i].end, -1, err);
    }
    free(m);
    return s;
}

/* The meeting of a file_id: everything before "_spch". */
static char *meeting_of(const char *file_id)
{
    const char *p = strstr(file_id, "_spch");
    return strndup(file_id, p ? (size_t)(p - file_id) : strlen(file_id));
}

static int column(char **header, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(header[i], name) == 0)
            return (int)i;
    return -1;
}

static bool has_value(const char *v)
{
    return v && *v && strcmp(v, "_") != 0 && strcmp(v, "-NONE-") != 0;
}

dm_status dm_dataset_read_unscon(dm_dataset *ds, const char *path,
                                 const dm_actors *actors,
                                 const dm_logger *logger, dm_error *err)
{
    if (!ds || !path)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_dataset_read_unscon: invalid argument");
    dm_csv_reader *r = NULL;
    dm_status s = dm_csv_reader_create(path, &r, err);
    if (s != DM_OK)
        return s;
    char **header = NULL, **f = NULL;
    size_t nh = 0, nf = 0;
    long line = 0;
    s = dm_csv_read_record(r, &header, &nh, &line, err);
    if (s == DM_END_OF_INPUT)
        s = DM_OK; /* an empty file: no columns, refused below */
    int c_file = -1, c_text = -1, c_a0 = -1, c_a4 = -1, c_b1 = -1, c_b3 = -1;
    if (s == DM_OK) {
        c_file = column(header, nh, "file_id");
        c_text = column(header, nh, "sentence_text");
        c_a0 = column(header, nh, "A0");
        c_a4 = column(header, nh, "A4");
        c_b1 = column(header, nh, "B1");
        c_b3 = column(header, nh, "B3");
        if (c_file < 0 || c_text < 0 || c_a0 < 0 || c_a4 < 0 || c_b1 < 0 || c_b3 < 0)
            s = dm_error_set(err, DM_E_PARSE, path, 1,
                             "not an UNSCon sentences.csv: needs columns file_id, "
                             "sentence_text, A0, A4, B1, B3");
    }
    size_t keep = ds->n;
    int src = -1;
    if (s == DM_OK) {
        /* The manifest must say that the bundle is a derived work (share-alike). */
        src = dm_dataset_add_source_internal(ds, "UNSCon", UNSCON_LICENCE, err);
        if (src < 0)
            s = DM_E_NOMEM;
    }
    dm_bad_records b = {.logger = logger, .path = path};
    /* The previous row's speech and text, for dm_labelled_statement.previous. */
    char *prev_file = NULL, *prev_text = NULL;
    while (s == DM_OK) {
        s = dm_csv_read_record(r, &f, &nf, &line, err);
        if (s == DM_END_OF_INPUT) {
            s = DM_OK;
            break;
        }
        if (s != DM_OK)
            break;
        if (nf == 1 && f[0][0] == '\0')
            continue;
        if (nf != nh) {
            dm_bad_record(&b, line, "%zu fields, the header has %zu", nf, nh);
            continue;
        }
        const char *a0 = f[c_a0], *b1 = f[c_b1];
        int hostility = 1, against = 0;
        const char *target = NULL;
        if (strcmp(a0, "Direct_NegEval") == 0) {
            hostility = 3;
            against = 1;
            target = f[c_a4];
        } else if (strcmp(a0, "Indirect_NegEval") == 0) {
            hostility = 2;
            against = 1;
            target = f[c_a4];
        } else if (strcmp(a0, "_") != 0) {
            dm_bad_record(&b, line, "unknown A0 value \"%s\"", a0);
            continue;
        } else if (strcmp(b1, "Challenge") == 0 || strcmp(b1, "Correction") == 0) {
            hostility = 2;
            against = 1;
            target = f[c_b3];
        } else if (strcmp(b1, "_") != 0) {
            dm_bad_record(&b, line, "unknown B1 value \"%s\"", b1);
            continue;
        }
        char *text = detokenise(f[c_text]);
        dm_labelled_statement *rec = text ? dm_dataset_push_internal(ds, err) : NULL;
        if (!rec) {
            free(text);
            s = dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
            break;
        }
        rec->source = src;
        rec->hostility = hostility;
        rec->group = meeting_of(f[c_file]);
        if (prev_file && strcmp(prev_file, f[c_file]) == 0)
            rec->previous = strdup(prev_text);
        free(prev_file);
        free(prev_text);
        prev_file = strdup(f[c_file]);
        prev_text = strdup(text);
        if (!rec->group || !prev_file || !prev_text) {
            free(text);
            s = dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
            break;
        }
        const char *speaker = speaker_of(f[c_file]);
        const char *year = strstr(f[c_file], "UNSC_");
        if (speaker)
            rec->speaker_actor = strdup(speaker);
        if (year && isdigit((unsigned char)year[5]))
            rec->date = strndup(year + 5, 4);
        dm_text *t = NULL;
        s = dm_dataset_set_text_internal(rec, text, strlen(text), &t, err);
        free(text);
        dm_text_destroy(&t);
        if (s != DM_OK)
            break;
        if (against && has_value(target)) {
            const char *code = dm_unscon_country_code(target);
            if (code) {
                s = dm_dataset_add_target_internal(rec, code, false, 0, 0,
                                                   DM_STANCE_AGAINST, err);
                if (s != DM_OK)
                    break;
                dm_dataset_locate_actor_internal(rec, &rec->targets[0], actors);
            } else {
                dm_log(logger, DM_LOG_WARNING, path, line,
                       "unknown target id \"%s\": stance dropped", target);
            }
        }
        s = add_mentions(rec, actors, err);
    }
    free(prev_file);
    free(prev_text);
    dm_csv_fields_free(header, nh);
    dm_csv_fields_free(f, nf);
    dm_csv_reader_destroy(&r);
    return dm_dataset_finish_read_internal(ds, keep, src, &b, s, err);
}

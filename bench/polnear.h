/*
 * polnear: what the PolNeAR evaluator's files share (bench/eval_polnear.c,
 * the tool; polnear_gold.c, the gold quotes read from brat standoff;
 * polnear_names.c, names, words and given-name genders; polnear_match.c,
 * the rule that judges a predicted speaker; polnear_report.c, the table).
 * The evaluator is split so that the matching rule, the part bench/POLNEAR.md
 * argues about, can be read on its own. Internal to the bench tool.
 */
#ifndef DM_BENCH_POLNEAR_H
#define DM_BENCH_POLNEAR_H

#include <jansson.h>
#include <unicode/umachine.h>

#include <stdbool.h>
#include <stddef.h>

enum { MAX_PIECES = 4 };

typedef struct span { size_t a, b; } span;

typedef struct gold_attr {
    span content[MAX_PIECES];
    size_t n_content, content_len;
    span source[MAX_PIECES];
    size_t n_source;
    char *source_text;       /* pieces joined by a space; NULL: no source */
} gold_attr;

typedef struct gold_quote {
    span q;                  /* the quoted words, bytes */
    size_t attr;             /* index of its attribution */
    bool matched;
} gold_quote;

/* Error classes of a wrong speaker (see POLNEAR.md). */
enum { WRONG_NONE, WRONG_HEADLINE, WRONG_CARRIED, WRONG_INFERRED, WRONG_RANKED, WRONG_PRONOUN,
       WRONG_ANON, WRONG_DESCRIPTION, WRONG_NAME, N_WRONG };
extern const char *const WRONG_NAMES[N_WRONG]; /* polnear_report.c */

typedef struct totals {
    size_t articles, predicted, gold, matched;
    size_t speaker_judged, speaker_correct, speaker_unresolved, no_source;
    size_t wrong[N_WRONG];
    size_t gold_pronoun, gold_pronoun_correct;
} totals;

/* Code point offset -> byte offset (brat counts code points). */
typedef struct cp_map { size_t *byte; size_t n; } cp_map;

enum { MAX_WORDS = 24, WORD_MAX = 48 };

typedef struct words {
    char w[MAX_WORDS][WORD_MAX]; /* lower case, possessive dropped */
    bool cap[MAX_WORDS];
    bool poss[MAX_WORDS];    /* had 's: "Media Research Center's Bozell" */
    size_t n;
} words;

typedef struct doc_ctx {
    const char *text;
    size_t len;
    const gold_attr *ga;
    size_t ng;
} doc_ctx;

/* publication_date of every article of metadata.tsv (next to the split):
 * the extractor dates the dictionary's people by it, as a user would. */
typedef struct meta { char **name, **date; size_t n; } meta;

/* polnear_gold.c: files, brat standoff, the gold quotes of an article and
 * the dates of metadata.tsv. */
char *pn_read_file(const char *path, size_t *len);
char **pn_list_dir(const char *dir, const char *suffix, size_t *n);
void pn_free_list(char **v, size_t n);
bool pn_cp_map_make(const char *s, size_t len, cp_map *m);
gold_attr *pn_read_ann(const char *path, const char *text, const cp_map *m,
                       size_t *n_out);
size_t pn_overlap(span x, span y);
gold_quote *pn_gold_quotes(const char *s, size_t len, const gold_attr *ga,
                           size_t ng, size_t *n_out);
bool pn_in_raw_quote(size_t pos);   /* inside a quoted segment of the last article read */
void pn_free_raw_quotes(void);
void pn_load_meta(const char *split, meta *m);
const char *pn_meta_date(const meta *m, const char *name);

/* polnear_names.c: UTF-8 letters, words and names, given-name genders. */
UChar32 pn_char_at(const char *s, size_t len, size_t i, size_t *next);
UChar32 pn_char_before(const char *s, size_t i);
void pn_lower_utf8(const char *s, size_t n, char *out, size_t cap);
size_t pn_letters_back(const char *s, size_t i);
bool pn_capital_starts_at(const char *s, size_t len, size_t i);
bool pn_word_at(const char *s, size_t len, size_t i, const char *lower);
extern const char *const TITLES[], *const STARTERS[], *const PRONOUNS[];
bool pn_in_list(const char *w, const char *const *list);
void pn_split_words(const char *s, words *out);
size_t pn_name_words(const words *w, words *name);
bool pn_is_description(const words *w);
bool pn_is_pronoun(const words *w);
bool pn_is_anonymous(const char *src);
void pn_load_genders(const char *lexdir);
char pn_given_gender(const char *given);
char pn_gender_of(const words *w);
void pn_free_genders(void);

/* polnear_match.c: 1 correct, 0 wrong, -1 gold cannot be resolved (not
 * judged). */
int pn_speaker_correct(const doc_ctx *d, const gold_attr *g, const char *pred);

/* polnear_report.c */
void pn_print_ctx(const char *s, size_t len, span q);
void pn_report(const totals *t, json_t *jdocs, bool opt_json);

#endif

/*
 * polnear_report: what the PolNeAR evaluation prints: the error classes'
 * names, a quote in its context (--errors) and the table of totals (or one
 * JSON object with --json). Apart from the tool so that the output format
 * is found in one place.
 */
#include "polnear.h"

#include <stdio.h>
#include <stdlib.h>

const char *const WRONG_NAMES[N_WRONG] = {
    "none", "headline", "carried", "inferred", "ranked", "pronoun", "anonymous", "description",
    "name"};

void pn_print_ctx(const char *s, size_t len, span q)
{
    size_t a = q.a > 120 ? q.a - 120 : 0, b = q.b + 120 < len ? q.b + 120 : len;
    while (a > 0 && (s[a] & 0xC0) == 0x80) a--;
    while (b < len && (s[b] & 0xC0) == 0x80) b++;
    printf("    ...");
    for (size_t i = a; i < b; i++) {
        if (i == q.a) printf("[[");
        putchar(s[i] == '\n' ? '|' : s[i]);
        if (i + 1 == q.b) printf("]]");
    }
    printf("...\n");
}

/* ---- report ----------------------------------------------------------- */

static double ratio(size_t a, size_t b) { return b ? (double)a / (double)b : 0.0; }

void pn_report(const totals *t, json_t *jdocs, bool opt_json)
{
    double p = ratio(t->matched, t->predicted), r = ratio(t->matched, t->gold);
    double f = p + r > 0 ? 2 * p * r / (p + r) : 0;
    double sa = ratio(t->speaker_correct, t->speaker_judged);
    size_t missed = t->gold - t->matched, spurious = t->predicted - t->matched;
    if (opt_json) {
        json_t *o = json_pack("{s:I,s:I,s:I,s:I,s:f,s:f,s:f,s:I,s:I,s:f,s:I,s:I,s:I,s:I,s:I}",
                              "articles", (json_int_t)t->articles, "gold_quotes", (json_int_t)t->gold,
                              "predicted", (json_int_t)t->predicted, "matched", (json_int_t)t->matched,
                              "precision", p, "recall", r, "f1", f,
                              "speaker_judged", (json_int_t)t->speaker_judged,
                              "speaker_correct", (json_int_t)t->speaker_correct, "speaker_accuracy", sa,
                              "speaker_unresolved", (json_int_t)t->speaker_unresolved,
                              "no_source", (json_int_t)t->no_source,
                              "missed", (json_int_t)missed, "spurious", (json_int_t)spurious,
                              "gold_pronoun", (json_int_t)t->gold_pronoun);
        json_t *w = json_object();
        for (int i = 0; i < N_WRONG; i++)
            json_object_set_new(w, WRONG_NAMES[i], json_integer((json_int_t)t->wrong[i]));
        json_object_set_new(o, "wrong_speaker", w);
        if (jdocs) json_object_set(o, "documents", jdocs);
        char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
        puts(s);
        free(s);
        json_decref(o);
        return;
    }
    printf("%-22s %8s %8s %8s\n", "metric", "count", "of", "rate");
    printf("%-22s %8zu\n", "articles", t->articles);
    printf("%-22s %8zu %8zu %8.3f\n", "quote_precision", t->matched, t->predicted, p);
    printf("%-22s %8zu %8zu %8.3f\n", "quote_recall", t->matched, t->gold, r);
    printf("%-22s %8s %8s %8.3f\n", "quote_f1", "", "", f);
    printf("%-22s %8zu %8zu %8.3f\n", "speaker_accuracy", t->speaker_correct, t->speaker_judged, sa);
    printf("%-22s %8zu %8zu %8.3f\n", "pronoun_sources", t->gold_pronoun_correct, t->gold_pronoun,
           ratio(t->gold_pronoun_correct, t->gold_pronoun));
    printf("%-22s %8zu\n", "speaker_unresolved", t->speaker_unresolved);
    printf("%-22s %8zu\n", "gold_without_source", t->no_source);
    printf("%-22s %8zu\n", "missed_quote", missed);
    printf("%-22s %8zu\n", "spurious_quote", spurious);
    for (int i = 0; i < N_WRONG; i++) {
        char label[40];
        snprintf(label, sizeof label, "wrong_speaker:%s", WRONG_NAMES[i]);
        printf("%-22s %8zu\n", label, t->wrong[i]);
    }
}

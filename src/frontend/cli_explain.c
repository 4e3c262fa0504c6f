/* Feature names in words, for --explain (see cli_explain.h). The names are
 * the featurizer's (src/features/); an unknown family is shown as is. */
#include "cli_explain.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Placeholders of the n-grams in words: <A> an actor's name, <T> the
 * target, <O> another actor. */
static void words_of(const char *s, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    while (*s && used + 1 < size) {
        const char *rep = NULL;
        size_t skip = 0;
        if (strncmp(s, "<A>", 3) == 0)
            rep = "[an actor]", skip = 3;
        else if (strncmp(s, "<T>", 3) == 0)
            rep = "[the target]", skip = 3;
        else if (strncmp(s, "<O>", 3) == 0)
            rep = "[another actor]", skip = 3;
        if (rep) {
            int n = snprintf(buf + used, size - used, "%s", rep);
            if (n < 0 || (size_t)n >= size - used)
                break;
            used += (size_t)n;
            s += skip;
        } else {
            buf[used++] = *s == '_' ? ' ' : *s;
            s++;
        }
    }
    buf[used < size ? used : size - 1] = '\0';
}

static bool prefix(const char *name, const char *p, const char **rest)
{
    size_t n = strlen(p);
    if (strncmp(name, p, n) != 0)
        return false;
    *rest = name + n;
    return true;
}

void dm_cli_describe_feature(const char *name, char *buf, size_t size)
{
    char w[256];
    const char *r;
    if (!name || !*name) {
        snprintf(buf, size, "an unnamed feature");
    } else if (name[0] == '#') {
        snprintf(buf, size, "hashed feature %s", name);
    } else if (prefix(name, "w:", &r)) {
        words_of(r, w, sizeof w);
        if (strcmp(r, "<A>") == 0)
            snprintf(buf, size, "an actor's name");
        else
            snprintf(buf, size, "the %s \"%s\"", strchr(r, ' ') ? "words" : "word", w);
    } else if (prefix(name, "c:", &r)) {
        words_of(r, w, sizeof w);
        snprintf(buf, size, "the letters \"%s\"", w);
    } else if (strcmp(name, "t:<T>") == 0) {
        snprintf(buf, size, "the target's name");
    } else if (prefix(name, "t:L:", &r) || prefix(name, "t:R:", &r)) {
        words_of(r, w, sizeof w);
        snprintf(buf, size, "the word \"%s\" %s of the target", w,
                 name[2] == 'L' ? "left" : "right");
    } else if (prefix(name, "s:", &r) && (r[0] == 'L' || r[0] == 'R') && r[1] && r[2] == ':') {
        words_of(r + 3, w, sizeof w);
        snprintf(buf, size, "the word \"%s\" %s of the target, %s", w,
                 r[0] == 'L' ? "left" : "right",
                 r[1] == 'C' ? "in its clause" : "in another clause");
    } else if (prefix(name, "m:", &r)) {
        words_of(r, w, sizeof w);
        snprintf(buf, size, "the target's own word \"%s\"", w);
    } else if (prefix(name, "tgt:", &r) || prefix(name, "tc:", &r)) {
        words_of(r, w, sizeof w);
        snprintf(buf, size, "the target %s", w);
    } else if (prefix(name, "lex:", &r)) {
        const char *us = strrchr(r, '_');
        char raw[64], kind[128];
        snprintf(raw, sizeof raw, "%.*s", us ? (int)(us - r) : (int)strlen(r), r);
        words_of(strncmp(raw, "neg_", 4) == 0 ? raw + 4 : raw, kind, sizeof kind);
        if (strncmp(raw, "neg_", 4) == 0) {
            char neg[96];
            snprintf(neg, sizeof neg, "negated %.80s", kind);
            snprintf(kind, sizeof kind, "%s", neg);
        }
        if (us && strcmp(us, "_sum") == 0)
            snprintf(buf, size, "the %s words (their weighted sum)", kind);
        else if (us && strcmp(us, "_count") == 0)
            snprintf(buf, size, "the number of %s words", kind);
        else {
            words_of(r, w, sizeof w);
            snprintf(buf, size, "lexicon words: %s", w);
        }
    } else if (prefix(name, "host:", &r)) {
        words_of(r, w, sizeof w);
        snprintf(buf, size, "hostile words of the kind \"%s\"", w);
    } else if (prefix(name, "cordneg:", &r) || prefix(name, "hostneg:", &r)) {
        words_of(r, w, sizeof w);
        snprintf(buf, size, "negated %s words of the kind \"%s\"",
                 name[0] == 'c' ? "cordial" : "hostile", w);
    } else if (prefix(name, "cord:", &r)) {
        words_of(r, w, sizeof w);
        snprintf(buf, size, "cordial words of the kind \"%s\"", w);
    } else if (strcmp(name, "sent:pos") == 0 || strcmp(name, "sent:neg") == 0) {
        snprintf(buf, size, "the %s words (general sentiment)",
                 name[5] == 'p' ? "positive" : "negative");
    } else if (prefix(name, "target:", &r)) {
        words_of(r, w, sizeof w);
        snprintf(buf, size, "the target's context (%s)", w);
    } else if (prefix(name, "impl:", &r)) {
        words_of(r, w, sizeof w);
        snprintf(buf, size, "implicit criticism: %s", w);
    } else if (prefix(name, "blame:", &r)) {
        words_of(r, w, sizeof w);
        snprintf(buf, size, "blame: %s", w);
    } else if (prefix(name, "prev:", &r)) {
        words_of(r, w, sizeof w);
        snprintf(buf, size, "the sentence before: %s", w);
    } else if (strcmp(name, "punct:question") == 0) {
        snprintf(buf, size, "a question mark");
    } else if (strcmp(name, "speech:reported") == 0) {
        snprintf(buf, size, "reported speech");
    } else {
        words_of(name, w, sizeof w);
        snprintf(buf, size, "the feature %s", w);
    }
}

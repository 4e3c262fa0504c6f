/* Tests of sentence segmentation: abbreviations, paragraphs, the
 * abbreviation file, and real corpora from ../shared when present. */
#include "text_test_helpers.h"
#include "text/text_internal.h"

#include <jansson.h>
#include <zlib.h>

static void test_sentences_with_abbreviations(void **state)
{
    check_sentences("U.S. officials met U.N. Security Council members on "
                    "Monday. Gen. Smith agreed. Sen. Jones said so.",
                    (const char *const[]){
                        "U.S. officials met U.N. Security Council members on "
                        "Monday.", "Gen. Smith agreed.", "Sen. Jones said so.",
                        NULL});
    check_sentences("Mr. Smith met Dr. Jones at 5 p.m. on Jan. 5. John F. "
                    "Kennedy spoke.",
                    (const char *const[]){
                        "Mr. Smith met Dr. Jones at 5 p.m. on Jan. 5.",
                        "John F. Kennedy spoke.", NULL});
    check_sentences("He lives in the U.S. He said no. It was in the U.K. "
                    "The end.",
                    (const char *const[]){"He lives in the U.S.", "He said no.",
                                          "It was in the U.K.", "The end.",
                                          NULL});
    check_sentences("L. I. Brezhnev spoke (A/PV.12, para. 87). It was so.",
                    (const char *const[]){
                        "L. I. Brezhnev spoke (A/PV.12, para. 87).",
                        "It was so.", NULL});
    check_sentences("2. However, we object. 3. We agree.",
                    (const char *const[]){"2. However, we object.",
                                          "3. We agree.", NULL});
    check_sentences("He said then-U.N. Ambassador Rice erred.",
                    (const char *const[]){
                        "He said then-U.N. Ambassador Rice erred.", NULL});
    /* ICU breaks after '?' and '!' even before lowercase: undone. */
    check_sentences("\"Is this acceptable?\" the minister asked. \"No!\" he "
                    "said.",
                    (const char *const[]){
                        "\"Is this acceptable?\" the minister asked.",
                        "\"No!\" he said.", NULL});
    check_sentences("He said: \"We will not go.\" Then he left.",
                    (const char *const[]){"He said: \"We will not go.\"",
                                          "Then he left.", NULL});
    /* A stray closing mark stays with its sentence. */
    check_sentences("Britain's envoy called it \"a grave provocation.\" '",
                    (const char *const[]){
                        "Britain's envoy called it \"a grave provocation.\" '",
                        NULL});
}

static void test_sentences_never_cross_paragraphs(void **state)
{
    check_sentences("He flew to the U.S.\nOfficials met him\nMr.\nSmith "
                    "agreed",
                    (const char *const[]){"He flew to the U.S.",
                                          "Officials met him", "Mr.",
                                          "Smith agreed", NULL});
    dm_text *t = make_str(EXAMPLE);
    dm_span *s = NULL;
    size_t n = 0;
    assert_int_equal(dm_text_sentences(t, &s, &n, NULL), DM_OK);
    assert_int_equal(n, 2);
    assert_int_equal(s[0].start, 0);
    assert_int_equal(s[1].end, dm_text_norm_len(t));
    assert_int_equal(dm_text_norm(t)[s[0].end - 1], '.');
    free(s);
    dm_text_destroy(&t);
}

static void test_load_abbreviations(void **state)
{
    char path[] = "/tmp/dm_test_abbrevXXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs("\xEF\xBB\xBF# test list\r\nZyx.\tprefix\r\n\nQrs.\tterminal\t# ends\n",
          f);
    fclose(f);
    dm_abbreviations *abbr = NULL;
    dm_error err;
    assert_int_equal(dm_abbreviations_create(&abbr, &err), DM_OK);
    check_sentences_with(abbr, "Call Zyx. Brown now.",
                         (const char *const[]){"Call Zyx.", "Brown now.", NULL});
    assert_int_equal(dm_abbreviations_load(abbr, path, &err), DM_OK);
    check_sentences_with(abbr, "Call Zyx. Brown now.",
                         (const char *const[]){"Call Zyx. Brown now.", NULL});
    check_sentences_with(abbr, "At Qrs. Brown met. At Qrs. He left.",
                         (const char *const[]){"At Qrs. Brown met.", "At Qrs.",
                                               "He left.", NULL});
    /* Built-ins remain, and the built-in set itself did not change. */
    check_sentences_with(abbr, "Gen. Smith agreed.",
                         (const char *const[]){"Gen. Smith agreed.", NULL});
    check_sentences("Call Zyx. Brown now.",
                    (const char *const[]){"Call Zyx.", "Brown now.", NULL});

    /* A malformed file changes nothing: "Okk." before the bad line is not
     * added (all or nothing). */
    f = fopen(path, "w");
    fputs("Okk.\nBad.\tsometimes\n", f);
    fclose(f);
    assert_int_equal(dm_abbreviations_load(abbr, path, &err), DM_E_FORMAT);
    assert_int_equal(err.line, 2);
    check_sentences_with(abbr, "Call Okk. Brown now.",
                         (const char *const[]){"Call Okk.", "Brown now.", NULL});
    check_sentences_with(abbr, "Call Zyx. Brown now.",
                         (const char *const[]){"Call Zyx. Brown now.", NULL});
    f = fopen(path, "w");
    fputs("Okk.\nNo dot\n", f);
    fclose(f);
    assert_int_equal(dm_abbreviations_load(abbr, path, &err), DM_E_FORMAT);
    check_sentences_with(abbr, "Call Okk. Brown now.",
                         (const char *const[]){"Call Okk.", "Brown now.", NULL});
    remove(path);
    assert_int_equal(dm_abbreviations_load(abbr, path, &err), DM_E_IO);

    const char *src = getenv("DM_SOURCE_DIR");
    char repo_list[1024];
    snprintf(repo_list, sizeof repo_list, "%s/lexicons/abbreviations.tsv",
             src ? src : DM_SOURCE_DIR);
    assert_int_equal(dm_abbreviations_load(abbr, repo_list, &err), DM_OK);
    check_sentences_with(abbr, "Call Zyx. Brown now.",
                         (const char *const[]){"Call Zyx. Brown now.", NULL});
    dm_abbreviations_destroy(&abbr);
    assert_null(abbr);
    dm_abbreviations_destroy(&abbr);   /* already NULL: no-op */
    dm_abbreviations_destroy(NULL);
}

/* Checks on one real text: sentences are ordered, non-empty, trimmed and
 * within paragraphs; words map back to original bytes that normalise to the
 * same word. Returns the number of sentences; counts in *unfinished those
 * that do not end with . ? ! or a closing mark. */
static size_t check_real_text(const char *s, size_t len, unsigned options,
                              size_t *unfinished)
{
    dm_text *t = NULL;
    assert_int_equal(dm_text_create_with(s, len, options, &t, NULL), DM_OK);
    const char *norm = dm_text_norm(t);
    dm_span *sent = NULL;
    size_t n = 0;
    assert_int_equal(dm_text_sentences(t, &sent, &n, NULL), DM_OK);
    size_t prev_end = 0;
    for (size_t i = 0; i < n; i++) {
        assert_true(sent[i].start >= prev_end);
        assert_true(sent[i].start < sent[i].end);
        assert_true(sent[i].end <= dm_text_norm_len(t));
        assert_null(memchr(norm + sent[i].start, '\n',
                           sent[i].end - sent[i].start));
        assert_true(norm[sent[i].start] != ' ' && norm[sent[i].end - 1] != ' ');
        prev_end = sent[i].end;
        if (!strchr(".?!\"')]:;", norm[sent[i].end - 1]))
            (*unfinished)++;
        dm_tokens tk;
        assert_int_equal(dm_tokenize(norm + sent[i].start,
                                     sent[i].end - sent[i].start, &tk, NULL),
                         DM_OK);
        for (size_t k = 0; k < tk.n; k += 7) {   /* a sample of the words */
            if (tk.v[k].kind != DM_TOKEN_WORD)
                continue;
            size_t a = sent[i].start + tk.v[k].start;
            size_t b = sent[i].start + tk.v[k].end;
            char *orig = original_of(t, a, b);
            dm_text *again = make_str(orig);
            assert_int_equal(dm_text_norm_len(again), b - a);
            assert_memory_equal(dm_text_norm(again), norm + a, b - a);
            dm_text_destroy(&again);
            free(orig);
        }
        dm_tokens_free(&tk);
    }
    free(sent);
    dm_text_destroy(&t);
    return n;
}

static void test_shared_corpora(void **state)
{
    const char *shared = getenv("DM_SHARED_DIR");
    char path[1024];
    snprintf(path, sizeof path, "%s/data/newsmtsc/train.jsonl",
             shared ? shared : "../shared");
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("skip: %s not found (needs ../shared)\n", path);
        skip();
    }
    /* NewsMTSC holds one sentence a line: nearly all must stay one sentence
     * (abbreviations such as "U.S." and "Sen." must not split them). */
    char *line = NULL;
    size_t cap = 0, total = 0, single = 0;
    while (total < 2000 && getline(&line, &cap, f) != -1) {
        json_t *obj = json_loads(line, 0, NULL);
        const char *sentence = json_string_value(json_object_get(obj,
                                                 "sentence_normalized"));
        if (sentence) {
            total++;
            size_t unfinished = 0;
            single += check_real_text(sentence, strlen(sentence), 0,
                                      &unfinished) == 1;
        }
        json_decref(obj);
    }
    fclose(f);
    printf("newsmtsc: %zu of %zu sentences kept whole\n", single, total);
    assert_true(total >= 1000);
    assert_true(single * 100 >= total * 95);

    snprintf(path, sizeof path, "%s/data/ungdc/speeches.jsonl.gz",
             shared ? shared : "../shared");
    gzFile gz = gzopen(path, "rb");
    if (!gz) {
        free(line);
        printf("skip: %s not found\n", path);
        skip();
    }
    /* Whole speeches: messy line breaks and long texts. */
    size_t used = 0, speeches = 0, lines = 0, n_sentences = 0, unfinished = 0;
    if (cap < 1 << 20) {
        line = realloc(line, 1 << 20);
        cap = 1 << 20;
    }
    while (speeches < 30 && gzgets(gz, line + used, (int)(cap - used))) {
        used += strlen(line + used);
        if (used + 1 == cap && line[used - 1] != '\n') {
            line = realloc(line, cap * 2);
            cap *= 2;
            continue;
        }
        used = 0;
        if (lines++ % 40 != 0)   /* a sample spread over the years */
            continue;
        json_t *obj = json_loads(line, 0, NULL);
        const char *text = json_string_value(json_object_get(obj, "text"));
        if (text) {
            speeches++;
            /* The speeches are hard-wrapped transcripts. */
            size_t n = check_real_text(text, strlen(text),
                                       DM_TEXT_JOIN_WRAPPED_LINES,
                                       &unfinished);
            n_sentences += n;
            assert_true(n > 10);
            assert_true(strlen(text) / n < 600);   /* sentences, not pages */
        }
        json_decref(obj);
    }
    gzclose(gz);
    free(line);
    assert_int_equal(speeches, 30);
    printf("ungdc: %zu sentences, %zu not ending a sentence\n", n_sentences,
           unfinished);
    assert_true(unfinished * 100 < n_sentences * 3);
}

static int teardown_group(void **state)
{
    dm_text_thread_cleanup();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sentences_with_abbreviations),
        cmocka_unit_test(test_sentences_never_cross_paragraphs),
        cmocka_unit_test(test_load_abbreviations),
        cmocka_unit_test(test_shared_corpora),
    };
    return cmocka_run_group_tests(tests, NULL, teardown_group);
}

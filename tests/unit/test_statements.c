/* Statements: attribution patterns, kinds, offsets, targets, speech mode,
 * given statements, the cue lexicon and invalid arguments. */
#include "statements_fixture.h"
#include "statements/cues_internal.h"
#include "statements/cues_data_internal.h"
#include "statements/phrase_internal.h"
#include "statements/targets_internal.h"

/* One quote, checked field by field; `slice` is original[start:end]. */
static void check_one(const char *t, const char *text, const char *speaker,
                      const char *role, const char *actor, const char *cue,
                      dm_statement_kind kind, const char *slice)
{
    dm_statement_list l;
    fx_extract(t, &l);
    const dm_statement *s = fx_find(&l, text);
    fx_assert_str(s->speaker, speaker);
    fx_assert_str(s->speaker_role, role);
    fx_assert_str(s->speaker_actor, actor);
    fx_assert_str(s->cue, cue);
    assert_int_equal(s->kind, kind);
    fx_assert_slice(t, s, slice);
    assert_int_equal(s->n, (int)(s - l.v) + 1);
    dm_statement_list_clear(&l);
}

static void test_quote_name_said(void **state)
{
    (void)state;
    check_one("\"We will not accept this,\" Helena Marsh said.", "We will not accept this",
              "Helena Marsh", NULL, NULL, "said", DM_KIND_DIRECT, "We will not accept this");
}

static void test_quote_said_name(void **state)
{
    (void)state;
    check_one("\"The sanctions will fail,\" said Sergei Lavrov.", "The sanctions will fail",
              "Sergei Lavrov", "foreign minister", "RUS", "said", DM_KIND_DIRECT,
              "The sanctions will fail"); /* role from the dictionary */
}

static void test_quote_name_role_told(void **state)
{
    (void)state;
    check_one("\"This is a dangerous escalation,\" Helena Marsh, Britain's ambassador "
              "to the UN, told reporters in New York.",
              "This is a dangerous escalation", "Helena Marsh",
              "Britain's ambassador to the UN", "GBR", "told", DM_KIND_DIRECT,
              "This is a dangerous escalation");
}

static void test_name_said_colon(void **state)
{
    (void)state;
    check_one("Lavrov said: \"The West has chosen war.\"", "The West has chosen war.",
              "Sergei Lavrov", "foreign minister", "RUS", "said", DM_KIND_DIRECT, "The West has chosen war.");
}

static void test_name_said_that_partial(void **state)
{
    (void)state;
    const char *t = "The Iranian foreign minister said that Washington was "
                    "\"playing with fire\" in the Gulf.";
    dm_statement_list l;
    fx_extract(t, &l);
    const dm_statement *s = fx_find(&l, "playing with fire");
    fx_assert_str(s->speaker, "The Iranian foreign minister");
    fx_assert_str(s->speaker_actor, "IRN");
    fx_assert_str(s->cue, "said");
    assert_int_equal(s->kind, DM_KIND_PARTIAL);
    fx_assert_str(s->context, t);
    fx_assert_slice(t, s, "playing with fire");
    /* a fragment: the reporting clause's actors count, not the speaker's */
    assert_true(fx_has_target(s, "USA"));
    assert_false(fx_has_target(s, "IRN"));
    dm_statement_list_clear(&l);
}

static void test_according_to(void **state)
{
    (void)state;
    check_one("The deal is \"dead in the water,\" according to a senior US official.",
              "dead in the water", "a senior US official", NULL, "USA", "according to",
              DM_KIND_PARTIAL, "dead in the water");
    check_one("According to Lavrov, \"nothing has changed.\"", "nothing has changed.",
              "Sergei Lavrov", "foreign minister", "RUS", "According to", DM_KIND_PARTIAL,
              "nothing has changed.");
}

static void test_pronoun_resolution(void **state)
{
    (void)state;
    const char *t = "Foreign Minister Sergei Lavrov spoke first. \"We are ready,\" Lavrov said.\n"
                    "\"But not at any price,\" he said.\n"
                    "\"We reject these claims,\" the Iranian foreign ministry said in a statement.\n"
                    "\"They are baseless,\" they said.";
    dm_statement_list l;
    fx_extract(t, &l);
    assert_int_equal(l.n, 4);
    /* the surname takes the full name and title it was introduced with */
    const dm_statement *s = fx_find(&l, "We are ready");
    fx_assert_str(s->speaker, "Sergei Lavrov");
    fx_assert_str(s->speaker_role, "Foreign Minister");
    s = fx_find(&l, "But not at any price");
    fx_assert_str(s->speaker, "Sergei Lavrov");
    fx_assert_str(s->speaker_actor, "RUS");
    fx_assert_str(s->cue, "said");
    s = fx_find(&l, "We reject these claims");
    fx_assert_str(s->speaker, "the Iranian foreign ministry");
    fx_assert_str(s->speaker_actor, "IRN");
    fx_assert_str(s->cue, "said in a statement");
    s = fx_find(&l, "They are baseless");
    fx_assert_str(s->speaker, "the Iranian foreign ministry");
    fx_assert_str(s->speaker_actor, "IRN");
    dm_statement_list_clear(&l);
}

static void test_pronoun_from_reported_speech(void **state)
{
    (void)state;
    const char *t = "Russia said it would respond. \"The West is lying,\" they said.";
    dm_statement_list l;
    fx_extract(t, &l);
    assert_int_equal(l.n, 1);
    fx_assert_str(l.v[0].speaker, "Russia");
    fx_assert_str(l.v[0].speaker_actor, "RUS");
    fx_assert_str(l.v[0].cue, "said");
    dm_statement_list_clear(&l);
}

static void test_unattributed_paragraph_continues_speaker(void **state)
{
    (void)state;
    const char *t = "\"We will respond,\" said Helena Marsh.\n"
                    "\"And we will not wait.\"\n"
                    "Talks resumed later.\n"
                    "\"Nobody wins a war.\"";
    dm_statement_list l;
    fx_extract(t, &l);
    assert_int_equal(l.n, 3);
    const dm_statement *s = fx_find(&l, "And we will not wait.");
    fx_assert_str(s->speaker, "Helena Marsh");
    assert_null(s->cue);
    /* a paragraph without quotes in between ends the run */
    assert_null(fx_find(&l, "Nobody wins a war.")->speaker);
    dm_statement_list_clear(&l);
}

static void test_statement_signed_by(void **state)
{
    (void)state;
    check_one("A masked man read a statement signed by the Popular Resistance Front: "
              "\"We will not stop.\"", "We will not stop.",
              "the Popular Resistance Front", NULL, NULL, "signed by",
              DM_KIND_DIRECT, "We will not stop.");
}

static void test_called_partial_targets_object(void **state)
{
    (void)state;
    const char *t = "A ministry spokesman called the French and German statements \"provocative.\"";
    dm_statement_list l;
    fx_extract(t, &l);
    const dm_statement *s = fx_find(&l, "provocative.");
    fx_assert_str(s->speaker, "A ministry spokesman");
    fx_assert_str(s->cue, "called");
    assert_int_equal(s->kind, DM_KIND_PARTIAL);
    assert_true(fx_has_target(s, "FRA"));
    assert_true(fx_has_target(s, "DEU"));
    assert_int_equal(s->n_targets, 2);
    dm_statement_list_clear(&l);
}

static void test_organisation_speakers(void **state)
{
    (void)state;
    check_one("\"Moscow must withdraw,\" a spokesman for the State Department said.",
              "Moscow must withdraw", "a spokesman for the State Department", NULL,
              "USA", "said", DM_KIND_DIRECT, "Moscow must withdraw");
    check_one("\"The claims are lies,\" the Kremlin said.", "The claims are lies",
              "the Kremlin", NULL, "RUS", "said", DM_KIND_DIRECT, "The claims are lies");
    check_one("\"Our door remains open,\" NATO said on Tuesday.", "Our door remains open",
              "NATO", NULL, "NATO", "said", DM_KIND_DIRECT, "Our door remains open");
}

static void test_titles(void **state)
{
    (void)state;
    check_one("Foreign Minister Sergei Lavrov said: \"Kyiv is not serious.\"",
              "Kyiv is not serious.", "Sergei Lavrov", "Foreign Minister", "RUS",
              "said", DM_KIND_DIRECT, "Kyiv is not serious.");
    check_one("Russian President Vladimir Putin told the forum: \"We are not afraid.\"",
              "We are not afraid.", "Vladimir Putin", "Russian President", "RUS",
              "told", DM_KIND_DIRECT, "We are not afraid.");
    check_one("\"Sanctions work,\" said John F. Kennedy Jr of the committee.",
              "Sanctions work", "John F. Kennedy Jr", NULL, NULL, "said",
              DM_KIND_DIRECT, "Sanctions work");
}

static void test_name_particles(void **state)
{
    (void)state;
    const char *t = "\"We stand firm,\" said Faisal bin Farhan. "
                    "\"Never,\" Bashar al-Assad told the paper. "
                    "\"Yes,\" Ursula von der Leyen said.";
    dm_statement_list l;
    fx_extract(t, &l);
    assert_int_equal(l.n, 3);
    fx_assert_str(l.v[0].speaker, "Faisal bin Farhan");
    fx_assert_str(l.v[1].speaker, "Bashar al-Assad");
    fx_assert_str(l.v[1].cue, "told");
    fx_assert_str(l.v[2].speaker, "Ursula von der Leyen");
    dm_statement_list_clear(&l);
}

static void test_anonymous_speaker(void **state)
{
    (void)state;
    check_one("\"The strikes will continue,\" a senior US official said.",
              "The strikes will continue", "a senior US official", NULL, "USA",
              "said", DM_KIND_DIRECT, "The strikes will continue");
    check_one("\"It is over,\" a senior official said.", "It is over",
              "a senior official", NULL, NULL, "said", DM_KIND_DIRECT, "It is over");
}

static void test_role_phrase_then_name(void **state)
{
    (void)state;
    check_one("\"Every member has a choice,\" Ukraine's ambassador, Olena Kovalenko, told the council.",
              "Every member has a choice", "Olena Kovalenko", "Ukraine's ambassador",
              "UKR", "told", DM_KIND_DIRECT, "Every member has a choice");
    check_one("\"The practice will damage its image,\" foreign ministry spokeswoman Maria Olsen "
              "told a briefing in Oslo.", "The practice will damage its image", "Maria Olsen",
              "foreign ministry spokeswoman", NULL, "told", DM_KIND_DIRECT,
              "The practice will damage its image");
    check_one("\"No option is off the table,\" Nigeria's president, Ade Bello, who chairs "
              "the bloc, told the summit.", "No option is off the table", "Ade Bello",
              "Nigeria's president", "NGA", "told", DM_KIND_DIRECT, "No option is off the table");
    /* a title chain starts the name; "Sheikh" inside a name is no title */
    check_one("\"We go,\" said President Hassan Sheikh Mohamud.", "We go",
              "Hassan Sheikh Mohamud", "President", NULL, "said", DM_KIND_DIRECT, "We go");
}

static void test_names_across_the_document(void **state)
{
    (void)state;
    const char *t = "China's ambassador Zhang Tao urged restraint. \"The door is open,\" Zhang said.\n"
                    "Spokeswoman Anna Berg went further, and Zhang left. "
                    "\"Who benefits?\" she wrote on Telegram.\n"
                    "Officials met Zhang Tao later. Press secretary Tom Hale said the talks failed. "
                    "\"We tried.\"\n"
                    "A US official said Washington was not told. \"We had no role,\" the official said.";
    dm_statement_list l;
    fx_extract(t, &l);
    assert_int_equal(l.n, 4);
    const dm_statement *s = fx_find(&l, "The door is open");
    fx_assert_str(s->speaker, "Zhang Tao");
    fx_assert_str(s->speaker_role, "China's ambassador");
    fx_assert_str(s->speaker_actor, "CHN");
    /* she: the first person named in the latest sentence naming one */
    s = fx_find(&l, "Who benefits?");
    fx_assert_str(s->speaker, "Anna Berg");
    fx_assert_str(s->cue, "wrote on Telegram");
    /* a quote after a sentence of reported speech in its paragraph */
    fx_assert_str(fx_find(&l, "We tried.")->speaker, "Tom Hale");
    /* "the official" is the "A US official" of the sentence before */
    s = fx_find(&l, "We had no role");
    fx_assert_str(s->speaker, "A US official");
    fx_assert_str(s->speaker_actor, "USA");
    dm_statement_list_clear(&l);
}

static void test_subject_and_groups(void **state)
{
    (void)state;
    const char *t = "Israel's ambassador, Dan Adler, did not address the strike but accused "
                    "Iran of \"spreading terror.\"\n"
                    "A diplomat read a statement signed by France, Germany and Britain: "
                    "\"Iran must stop.\"\n"
                    "According to state television, Foreign Minister Ali Karimi told his "
                    "counterpart that Europe had \"failed.\"";
    dm_statement_list l;
    fx_extract(t, &l);
    assert_int_equal(l.n, 3);
    const dm_statement *s = fx_find(&l, "spreading terror.");
    fx_assert_str(s->speaker, "Dan Adler");
    fx_assert_str(s->speaker_actor, "ISR");
    fx_assert_str(s->cue, "accused");
    assert_true(fx_has_target(s, "IRN"));
    s = fx_find(&l, "Iran must stop.");
    fx_assert_str(s->speaker, "France, Germany and Britain");
    assert_null(s->speaker_actor);
    fx_assert_str(s->cue, "signed by");
    s = fx_find(&l, "failed.");
    fx_assert_str(s->speaker, "Ali Karimi");
    fx_assert_str(s->cue, "told");
    dm_statement_list_clear(&l);
}

static void test_mangled_example(void **state)
{
    (void)state;
    const char *t = "   \xe2\x80\x9dWe will not accept this,\xe2\x80\x9d the   minister said.   "
                    "Britain\xe2\x80\x99\xe2\x80\x99s envoy called it \xe2\x80\x9d" "a   grave "
                    "provocation.\xe2\x80\x9d ";
    dm_statement_list l;
    fx_extract(t, &l);
    assert_int_equal(l.n, 2);
    const dm_statement *a = &l.v[0], *b = &l.v[1];
    assert_string_equal(a->text, "We will not accept this");
    fx_assert_slice(t, a, "We will not accept this");
    fx_assert_str(a->speaker, "the minister");
    fx_assert_str(a->cue, "said");
    assert_int_equal(a->kind, DM_KIND_DIRECT);
    assert_string_equal(b->text, "a grave provocation.");
    fx_assert_slice(t, b, "a   grave provocation.");
    fx_assert_str(b->speaker, "Britain's envoy");
    fx_assert_str(b->speaker_actor, "GBR");
    fx_assert_str(b->cue, "called");
    assert_int_equal(b->kind, DM_KIND_PARTIAL);
    assert_non_null(b->context);
    assert_non_null(strstr(b->context, "called it"));
    assert_int_equal(a->n, 1);
    assert_int_equal(b->n, 2);
    dm_statement_list_clear(&l);
}

static void test_targets_in_brackets(void **state)
{
    (void)state;
    const char *t = "\"[Russia] must withdraw and France must help,\" Helena Marsh said.";
    dm_statement_list l;
    fx_extract(t, &l);
    const dm_statement *s = fx_find(&l, "[Russia] must withdraw and France must help");
    assert_int_equal(s->n_targets, 2);
    assert_string_equal(s->targets[0].actor, "RUS");
    fx_assert_str(s->targets[0].mention, "Russia");
    assert_true(s->targets[0].has_span);
    assert_memory_equal(t + s->targets[0].start, "Russia", 6);
    assert_int_equal(s->targets[0].end - s->targets[0].start, 6);
    assert_string_equal(s->targets[1].actor, "FRA");
    dm_statement_list_clear(&l);
}

static void test_targets_one_per_actor(void **state)
{
    (void)state;
    const char *t = "\"Russia lies and Russia knows it, Moscow too,\" Marsh said.";
    dm_statement_list l;
    fx_extract(t, &l);
    const dm_statement *s = &l.v[0];
    assert_int_equal(s->n_targets, 1);
    assert_string_equal(s->targets[0].actor, "RUS");
    assert_int_equal(s->targets[0].start, 1); /* the first mention */
    dm_statement_list_clear(&l);
}

static void test_speech_mode(void **state)
{
    (void)state;
    const char *t = "Russia has violated the Charter. As Helena Marsh said last week, "
                    "\"no state may redraw borders by force.\"\n"
                    "We call it \"peace\" and mean it. France agrees with us.";
    dm_document doc = {.id = "sp", .speaker = "Mr. Ortiz", .speaker_actor = "ESP",
                       .text = t, .text_len = strlen(t)};
    dm_statement_list l;
    dm_statement_list_init(&l);
    dm_error err;
    assert_int_equal(dm_extract(fx_ex, &doc, &l, NULL, &err), DM_OK);
    assert_int_equal(l.n, 4);
    assert_int_equal(l.v[0].kind, DM_KIND_SPEECH);
    assert_string_equal(l.v[0].text, "Russia has violated the Charter.");
    fx_assert_str(l.v[0].speaker, "Mr. Ortiz");
    fx_assert_str(l.v[0].speaker_actor, "ESP");
    assert_true(fx_has_target(&l.v[0], "RUS"));
    const dm_statement *q = &l.v[1];
    assert_string_equal(q->text, "no state may redraw borders by force.");
    fx_assert_str(q->speaker, "Helena Marsh");
    assert_int_equal(q->kind, DM_KIND_DIRECT);
    /* the unattributed "peace" stays in the speaker's sentence */
    assert_string_equal(l.v[2].text, "We call it \"peace\" and mean it.");
    assert_int_equal(l.v[2].kind, DM_KIND_SPEECH);
    assert_string_equal(l.v[3].text, "France agrees with us.");
    for (size_t i = 0; i < l.n; i++)
        assert_int_equal(l.v[i].n, (int)i + 1);
    dm_statement_list_clear(&l);
}

static void test_given(void **state)
{
    (void)state;
    const char *t = "  Iran and  the United States must talk; Iran must stop.  ";
    dm_document doc = {.text = t, .text_len = strlen(t), .speaker_actor = "FRA"};
    dm_statement_list l;
    dm_statement_list_init(&l);
    dm_error err;
    assert_int_equal(dm_extract_given(fx_ex, &doc, &l, NULL, &err), DM_OK);
    assert_int_equal(l.n, 1);
    const dm_statement *s = &l.v[0];
    assert_int_equal(s->kind, DM_KIND_GIVEN);
    assert_string_equal(s->text, "Iran and the United States must talk; Iran must stop.");
    fx_assert_slice(t, s, "Iran and  the United States must talk; Iran must stop.");
    fx_assert_str(s->speaker_actor, "FRA");
    assert_int_equal(s->n_targets, 2);
    assert_string_equal(s->targets[0].actor, "IRN");
    assert_string_equal(s->targets[1].actor, "USA");
    assert_int_equal(s->n, 1);
    dm_statement_list_clear(&l);
    doc.text = "";
    doc.text_len = 0;
    assert_int_equal(dm_extract_given(fx_ex, &doc, &l, NULL, &err), DM_OK);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.v[0].text, "");
    dm_statement_list_clear(&l);
}

/* Compare two statements field by field (strings by value). */
static void assert_same_statement(const dm_statement *a, const dm_statement *b)
{
    assert_int_equal(a->n, b->n);
    fx_assert_str(a->speaker, b->speaker);
    fx_assert_str(a->speaker_role, b->speaker_role);
    fx_assert_str(a->speaker_actor, b->speaker_actor);
    fx_assert_str(a->cue, b->cue);
    fx_assert_str(a->text, b->text);
    fx_assert_str(a->context, b->context);
    assert_int_equal(a->kind, b->kind);
    assert_int_equal(a->attribution, b->attribution);
    assert_int_equal(a->start, b->start);
    assert_int_equal(a->end, b->end);
    assert_int_equal(a->norm_start, b->norm_start);
    assert_int_equal(a->norm_end, b->norm_end);
    assert_int_equal(a->n_targets, b->n_targets);
    for (size_t i = 0; i < a->n_targets; i++) {
        fx_assert_str(a->targets[i].actor, b->targets[i].actor);
        fx_assert_str(a->targets[i].mention, b->targets[i].mention);
        assert_int_equal(a->targets[i].start, b->targets[i].start);
        assert_int_equal(a->targets[i].end, b->targets[i].end);
        assert_int_equal(a->targets[i].norm_start, b->targets[i].norm_start);
        assert_int_equal(a->targets[i].norm_end, b->targets[i].norm_end);
        assert_int_equal(a->targets[i].has_span, b->targets[i].has_span);
    }
}

/* A list emptied after each document but kept with its array, as
 * demarche-score's workers keep theirs: the next document's statements are
 * made in that array (lent to the extraction and given back, no new one),
 * and nothing of the document before is left in it: the same statements
 * as extracted into a new list, for a long statement then a short one, a
 * statement naming many actors (more than the target accumulator keeps
 * inline, some twice) then one naming none, an article with quotes then
 * a speech. */
static void test_reused_list(void **state)
{
    (void)state;
    static const struct {
        const char *text, *speaker;
        bool given;
    } DOCS[] = {
        {"Iran, Iraq, Syria, Egypt, Jordan, Israel, Lebanon, Turkey, Greece, Italy, "
         "France and Spain met; Iran and Spain spoke first, then Egypt.", NULL, true},
        {"No one.", NULL, true},
        {"\"We will not accept this,\" Sergei Lavrov said of Germany. \"Never,\" he "
         "added. \"France too,\" Marsh told reporters.", NULL, false},
        {"Short.", NULL, true},
        {"Germany must act. We thank Brazil and India.\n\nPeace is near.", "Mr. Smith",
         false},
        {"", NULL, true},
        {"Iran must stop.", NULL, true},
    };
    dm_statement_list kept;
    dm_statement_list_init(&kept);
    dm_error err;
    for (int round = 0; round < 2; round++) {
        for (size_t k = 0; k < sizeof DOCS / sizeof *DOCS; k++) {
            dm_document doc = {.id = "d", .date = "2024-03-01", .text = DOCS[k].text,
                               .text_len = strlen(DOCS[k].text),
                               .speaker = DOCS[k].speaker};
            dm_statement_list fresh;
            dm_statement_list_init(&fresh);
            const dm_statement *array = kept.v;
            dm_status (*extract)(const dm_extractor *, const dm_document *,
                                 dm_statement_list *, const dm_logger *, dm_error *) =
                DOCS[k].given ? dm_extract_given : dm_extract;
            assert_int_equal(extract(fx_ex, &doc, &fresh, NULL, &err), DM_OK);
            assert_int_equal(extract(fx_ex, &doc, &kept, NULL, &err), DM_OK);
            if (array && fresh.n <= 16)
                assert_ptr_equal(kept.v, array); /* its own array, given back */
            assert_int_equal(kept.n, fresh.n);
            for (size_t i = 0; i < fresh.n; i++)
                assert_same_statement(&kept.v[i], &fresh.v[i]);
            if (k == 0) { /* twelve actors named, three twice: each once, in order */
                assert_int_equal(kept.v[0].n_targets, 12);
                assert_string_equal(kept.v[0].targets[0].actor, "IRN");
                assert_string_equal(kept.v[0].targets[11].actor, "ESP");
            }
            if (k == 1) {
                assert_int_equal(kept.v[0].n_targets, 0);
                assert_null(kept.v[0].targets);
            }
            if (k == 2 || k == 4)
                assert_true(kept.n >= 2);
            dm_statement_list_clear(&fresh);
            for (size_t i = 0; i < kept.n; i++)
                dm_statement_clear(&kept.v[i]);
            kept.n = 0;
        }
    }
    /* a list that holds statements gets the next document's after them */
    dm_document one = {.text = "Iran must stop.", .text_len = 15};
    assert_int_equal(dm_extract_given(fx_ex, &one, &kept, NULL, &err), DM_OK);
    assert_int_equal(dm_extract_given(fx_ex, &one, &kept, NULL, &err), DM_OK);
    assert_int_equal(kept.n, 2);
    assert_int_equal(kept.v[1].n, 1);
    assert_string_equal(kept.v[1].targets[0].actor, "IRN");
    dm_statement_list_clear(&kept);
}

static void test_invalid_utf8_warns(void **state)
{
    (void)state;
    const char t[] = "\"We \xff\xfe refuse,\" Marsh said.";
    dm_statement_list l;
    fx_extract(t, &l);
    assert_int_equal(l.n, 1);
    assert_non_null(strstr(fx_warnings, "doc1: 2 invalid UTF-8 sequences replaced"));
    fx_assert_str(l.v[0].speaker, "Marsh");
    dm_statement_list_clear(&l);
}

static void test_huge_input(void **state)
{
    (void)state;
    const char *unit = "\"We will not retreat,\" the minister said. Talks went on \"for "
                       "hours and hours\n";
    size_t n = strlen(unit), reps = 20000;
    char *t = malloc(n * reps + 1);
    assert_non_null(t);
    for (size_t i = 0; i < reps; i++)
        memcpy(t + i * n, unit, n);
    t[n * reps] = '\0';
    dm_statement_list l;
    fx_extract(t, &l);
    assert_int_equal(l.n, 2 * reps);
    assert_int_equal(fx_n_warnings, (int)reps); /* each fragment left open */
    dm_statement_list_clear(&l);
    free(t);
}

static void test_cues_lexicon(void **state)
{
    (void)state;
    dm_cues *c = NULL;
    dm_error err;
    assert_int_equal(dm_cues_load("/nonexistent/cues.tsv", &c, &err), DM_E_IO);
    assert_null(c);
    char path[] = "/tmp/dm_test_cues_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs("verb\twarn\n# comment\n\nnoun\tthing\n", f);
    fclose(f);
    assert_int_equal(dm_cues_load(path, &c, &err), DM_E_FORMAT);
    assert_int_equal(err.line, 4);
    f = fopen(path, "w");
    fputs("verb\tdecry\nverb\tsay\tsays,said\n", f);
    fclose(f);
    assert_int_equal(dm_cues_load(path, &c, &err), DM_OK);
    dm_extractor *ex = NULL;
    assert_int_equal(dm_extractor_create(fx_actors, c, &ex, &err), DM_OK);
    /* generated forms: decries/decried/decrying */
    const char *t = "\"It is a disgrace,\" Marsh decried.";
    dm_document doc = {.text = t, .text_len = strlen(t)};
    dm_statement_list l;
    dm_statement_list_init(&l);
    assert_int_equal(dm_extract(ex, &doc, &l, NULL, &err), DM_OK);
    assert_int_equal(l.n, 1);
    fx_assert_str(l.v[0].cue, "decried");
    fx_assert_str(l.v[0].speaker, "Marsh");
    dm_statement_list_clear(&l);
    dm_extractor_destroy(&ex);
    assert_null(ex);
    dm_cues_destroy(&c);
    assert_null(c);
    unlink(path);
}

/* "include<TAB>FILE" reads a file of the same directory (the given-name
 * list); the hand-made entries before it win; errors name the line. */
/* dm_unit_in against the plain definition (fold, then compare with every
 * listed word): each word of the big lists, their capitalised and
 * upper-case forms, prefixes and extensions of them, non-ASCII words, and a
 * list too long to chain (scanned). */
static bool unit_in_reference(const char *s, const dm_unit *u, const char *const *words)
{
    char buf[64];
    if (!u->word || u->end - u->start > 24 || !dm_unit_fold(s, u, buf, sizeof buf))
        return false;
    for (size_t i = 0; words[i]; i++)
        if (strcmp(buf, words[i]) == 0)
            return true;
    return false;
}

static char long_words[300][8];
static const char *long_list[301];

/* dm_units_at (a guess from the offset, then doubling steps, then halving)
 * against a walk from the first unit: every offset of texts whose units are
 * spread evenly, bunched at either end, or few. */
static void test_units_at_every_offset(void **state)
{
    (void)state;
    static char text[6000];
    const char *shapes[] = {"a", "Mr. U.S. al-Assad's \"quote\", (x) -- y; ", "abcdefghijklmnopqrstuvwxyz ",
                            "! ? . , ; : "};
    for (int t = 0; t < 12; t++) {
        size_t len = 0;
        uint32_t x = 777u + (uint32_t)t;
        while (len < sizeof text - 64) {
            x = x * 1103515245u + 12345u;
            /* bunched: long words in one half, punctuation in the other */
            const char *piece = t % 3 == 0 ? shapes[(x >> 16) % 4]
                              : (len < sizeof text / 2) == (t % 3 == 1) ? shapes[2] : shapes[3];
            size_t n = strlen(piece);
            memcpy(text + len, piece, n);
            len += n;
            if (t >= 9 && len > 40 * (size_t)(t - 8))
                break; /* few units */
        }
        dm_units u;
        assert_int_equal(dm_units_scan(text, len, &u), DM_OK);
        for (size_t off = 0; off <= len + 2; off++) {
            size_t want = 0;
            while (want < u.n && u.v[want].start < off)
                want++;
            if (dm_units_at(&u, off) != want)
                fail_msg("dm_units_at(%zu) = %zu, not %zu (%zu units)", off,
                         dm_units_at(&u, off), want, u.n);
        }
        dm_units_free(&u);
    }
    dm_units none = {0};
    assert_int_equal(dm_units_at(&none, 0), 0);
    assert_int_equal(dm_units_at(&none, 5), 0);
}

static void test_unit_in_lists(void **state)
{
    (void)state;
    for (int i = 0; i < 300; i++) {
        snprintf(long_words[i], sizeof long_words[i], "w%d", i);
        long_list[i] = long_words[i];
    }
    const char *const *lists[] = {DM_FUNCTION_WORDS, DM_NP_STOPS, DM_DETERMINERS,
                                  DM_PRONOUNS, DM_PARTICLES, long_list};
    char *text = malloc(64 * 1024);
    assert_non_null(text);
    size_t len = 0;
    for (size_t l = 0; l < sizeof lists / sizeof *lists; l++)
        for (size_t i = 0; lists[l][i]; i++) {
            const char *w = lists[l][i];
            /* the word, capitalised, upper case, one letter short, one more */
            len += (size_t)sprintf(text + len, "%s %c%s ", w,
                                   w[0] >= 'a' && w[0] <= 'z' ? w[0] - 32 : w[0], w + 1);
            for (const char *c = w; *c; c++)
                text[len++] = *c >= 'a' && *c <= 'z' ? (char)(*c - 32) : *c;
            len += (size_t)sprintf(text + len, " %.*s %ss ", (int)(strlen(w) > 1 ? strlen(w) - 1 : 1), w, w);
        }
    len += (size_t)sprintf(text + len, "\xc3\x9c" "ber \xc3\xa9t\xc3\xa9 the\xc3\xa9 I i W12 w299 w300 "
                                       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 's O'Neill al-Assad");
    dm_units u;
    assert_int_equal(dm_units_scan(text, len, &u), DM_OK);
    assert_true(u.n > 1000);
    size_t hits = 0;
    for (size_t l = 0; l < sizeof lists / sizeof *lists; l++)
        for (size_t i = 0; i < u.n; i++) {
            bool want = unit_in_reference(text, &u.v[i], lists[l]);
            assert_int_equal(dm_unit_in(text, &u.v[i], lists[l]), want);
            hits += want;
        }
    assert_true(hits > 500);
    dm_units_free(&u);
    free(text);
}

static void test_cues_include(void **state)
{
    (void)state;
    dm_cues *c = NULL;
    dm_error err;
    char dir[] = "/tmp/dm_test_cues_dir_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char main_path[256], names_path[256];
    snprintf(main_path, sizeof main_path, "%s/cues.tsv", dir);
    snprintf(names_path, sizeof names_path, "%s/names.tsv", dir);
    FILE *f = fopen(names_path, "w");
    fputs("# names\nfemale\tzelphira\nmale\tquorin\nfemale\tquorin\n", f);
    fclose(f);
    f = fopen(main_path, "w");
    fputs("verb\tsay\tsays,said\nmale\tzelphira\ninclude\tnames.tsv\n", f);
    fclose(f);
    assert_int_equal(dm_cues_load(main_path, &c, &err), DM_OK);
    const char *t = "Zelphira Okon Quorin";
    dm_units u;
    assert_int_equal(dm_units_scan(t, strlen(t), &u), DM_OK);
    assert_int_equal(dm_cues_name_gender(c, t, &u.v[0]), 'm'); /* hand entry wins */
    assert_int_equal(dm_cues_name_gender(c, t, &u.v[1]), 0);
    assert_int_equal(dm_cues_name_gender(c, t, &u.v[2]), 'm'); /* first listed */
    assert_int_equal(dm_cues_name_gender(NULL, t, &u.v[0]), 0);
    assert_int_equal(dm_cues_count(c, DM_CUE_MALE), 2);
    assert_int_equal(dm_cues_count(c, DM_CUE_FEMALE), 0);
    dm_units_free(&u);
    dm_cues_destroy(&c);
    /* a missing file, a path, a nested include, a name of two words */
    const char *bad[] = {"verb\tsay\ninclude\tnothing.tsv\n",
                         "verb\tsay\ninclude\t../names.tsv\n",
                         "verb\tsay\ninclude\tcues.tsv\n",
                         "verb\tsay\nmale\tjo ann\n"};
    const dm_status want[] = {DM_E_IO, DM_E_FORMAT, DM_E_FORMAT, DM_E_FORMAT};
    for (size_t i = 0; i < 4; i++) {
        f = fopen(main_path, "w");
        fputs(bad[i], f);
        fclose(f);
        assert_int_equal(dm_cues_load(main_path, &c, &err), want[i]);
        assert_null(c);
    }
    /* Blanks and CRs around the fields, a last line without its newline:
     * the fields are trimmed (a third field of a name is ignored); an
     * empty second field is an error naming its line. */
    f = fopen(main_path, "w");
    fputs("verb\tsay\r\n  male \t  zelphira \t x\r\n\n\t# c\r\n"
          "\tfemale\tQUORIN\t\r\nfemale\t\xc3\x89lodie", f);
    fclose(f);
    assert_int_equal(dm_cues_load(main_path, &c, &err), DM_OK);
    assert_int_equal(dm_cues_name_gender_folded(c, "zelphira"), 'm');
    assert_int_equal(dm_cues_name_gender_folded(c, "quorin"), 'f');
    assert_int_equal(dm_cues_name_gender_folded(c, "\xc3\xa9lodie"), 'f'); /* ICU-folded */
    assert_int_equal(dm_cues_count(c, DM_CUE_FEMALE), 2);
    dm_cues_destroy(&c);
    /* Plain name lines (read without parse_line) beside the others: the
     * same names; a last line without its newline; an empty name is the
     * error of its line. */
    f = fopen(main_path, "w");
    fputs("verb\tsay\nfemale\tanna\nmale\tjo\r\nmale\tkai\tx\nmalex\tbo\n"
          "female\tAnnA\nmale\tbo", f);
    fclose(f);
    assert_int_equal(dm_cues_load(main_path, &c, &err), DM_E_FORMAT);
    assert_int_equal(err.line, 5);                  /* "malex": no such type */
    assert_non_null(strstr(err.message, "unknown cue type"));
    f = fopen(main_path, "w");
    fputs("verb\tsay\nfemale\tanna\nmale\tjo\r\nmale\tkai\tx\n"
          "female\tAnnA\nmale\tbo", f);
    fclose(f);
    assert_int_equal(dm_cues_load(main_path, &c, &err), DM_OK);
    assert_int_equal(dm_cues_name_gender_folded(c, "anna"), 'f');
    assert_int_equal(dm_cues_name_gender_folded(c, "jo"), 'm');
    assert_int_equal(dm_cues_name_gender_folded(c, "kai"), 'm');
    assert_int_equal(dm_cues_name_gender_folded(c, "bo"), 'm');
    assert_int_equal(dm_cues_count(c, DM_CUE_MALE), 3);
    assert_int_equal(dm_cues_count(c, DM_CUE_FEMALE), 1); /* anna twice */
    dm_cues_destroy(&c);
    f = fopen(main_path, "w");
    fputs("verb\tsay\nmale\tjo\nfemale\t\n", f);
    fclose(f);
    assert_int_equal(dm_cues_load(main_path, &c, &err), DM_E_FORMAT);
    assert_int_equal(err.line, 3);
    f = fopen(main_path, "w");
    fputs("verb\tsay\r\n\nmale\t \tzelphira\n", f);
    fclose(f);
    assert_int_equal(dm_cues_load(main_path, &c, &err), DM_E_FORMAT);
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.message, "expected TYPE<TAB>PHRASE"));
    /* The files are mapped and never written: a line longer than the
     * loader's line buffer, a line cut at a NUL byte (the rest of it
     * ignored, as when lines were cut in place), an empty included file,
     * and names of the main file before and after an include, merged with
     * the included list in name order (the first loaded wins a tie). */
    char long_line[400] = "female\tZ";
    memset(long_line + 8, 'q', 300);
    long_line[308] = '\0';
    f = fopen(names_path, "w");
    fclose(f);
    f = fopen(main_path, "w");
    fputs("verb\tsay\n", f);
    fputs(long_line, f);
    static const char rest[] = "\nmale\tKarel\nmale\tbo\0x y\tz\nfemale\tzuzana\n"
                               "include\tnames.tsv\nfemale\tAlois\nmale\tadam\n";
    fwrite(rest, 1, sizeof rest - 1, f);
    fclose(f);
    assert_int_equal(dm_cues_load(main_path, &c, &err), DM_OK);
    assert_int_equal(dm_cues_name_gender_folded(c, "karel"), 'm');
    assert_int_equal(dm_cues_name_gender_folded(c, "bo"), 'm');
    assert_int_equal(dm_cues_name_gender_folded(c, "alois"), 'f');
    assert_int_equal(dm_cues_name_gender_folded(c, "zqqq"), 0);
    assert_int_equal(dm_cues_name_gender_folded(c, long_line + 7), 0); /* not folded */
    long_line[7] = 'z';
    assert_int_equal(dm_cues_name_gender_folded(c, long_line + 7), 'f');
    assert_int_equal(dm_cues_count(c, DM_CUE_MALE), 3);
    assert_int_equal(dm_cues_count(c, DM_CUE_FEMALE), 3);
    dm_cues_destroy(&c);
    f = fopen(names_path, "w");
    fputs("female\tadam\nmale\talois\nfemale\tbo\nmale\tcyril\nfemale\tzuzana\n", f);
    fclose(f);
    assert_int_equal(dm_cues_load(main_path, &c, &err), DM_OK);
    const char *const want_names[] = {"adam", "alois", "bo", "cyril", "karel", "zuzana"};
    const char want_gender[] = {'f', 'm', 'm', 'm', 'm', 'f'};
    for (size_t i = 0; i < 6; i++)
        assert_int_equal(dm_cues_name_gender_folded(c, want_names[i]), want_gender[i]);
    assert_int_equal(dm_cues_count(c, DM_CUE_MALE), 4);    /* alois, bo, cyril, karel */
    assert_int_equal(dm_cues_count(c, DM_CUE_FEMALE), 3);  /* the long one, adam, zuzana */
    dm_cues_destroy(&c);
    unlink(main_path);
    unlink(names_path);
    rmdir(dir);
}

/* The names of the main file merged into a long sorted included list: each
 * put in place by a binary search of the list (before its first name,
 * between two, on a name the list has, after its last), the whole array
 * in (name, load order) order, and the hand-made entry first on a tie. */
static void test_cues_names_merged(void **state)
{
    (void)state;
    char dir[] = "/tmp/dm_test_cues_merge_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char main_path[256], names_path[256];
    snprintf(main_path, sizeof main_path, "%s/cues.tsv", dir);
    snprintf(names_path, sizeof names_path, "%s/names.tsv", dir);
    FILE *f = fopen(names_path, "w");
    assert_non_null(f);
    for (int i = 0; i < 26 * 26; i++)  /* "bab", "bac", ... in order, all male */
        fprintf(f, "male\tb%c%c\n", 'a' + i / 26, 'a' + i % 26);
    fclose(f);
    f = fopen(main_path, "w");
    assert_non_null(f);
    fputs("verb\tsay\nfemale\tzora\nfemale\tbmm\nfemale\taaron\nfemale\tbmma\n"
          "female\tbaa\nfemale\tbzz\nmale\tbzzz\nfemale\tbqq\ninclude\tnames.tsv\n", f);
    fclose(f);
    dm_cues *c = NULL;
    dm_error err;
    assert_int_equal(dm_cues_load(main_path, &c, &err), DM_OK);
    assert_int_equal(c->n_names, 8 + 26 * 26);
    for (size_t i = 1; i < c->n_names; i++) {
        int d = strcmp(dm_cues_entry_name(c, &c->names[i - 1]),
                       dm_cues_entry_name(c, &c->names[i]));
        assert_true(d < 0 || (d == 0 && c->names[i - 1].order < c->names[i].order));
    }
    assert_string_equal(dm_cues_entry_name(c, &c->names[0]), "aaron");
    assert_string_equal(dm_cues_entry_name(c, &c->names[c->n_names - 1]), "zora");
    assert_int_equal(dm_cues_name_gender_folded(c, "aaron"), 'f');
    assert_int_equal(dm_cues_name_gender_folded(c, "bmm"), 'f');   /* hand-made wins */
    assert_int_equal(dm_cues_name_gender_folded(c, "bqq"), 'f');
    assert_int_equal(dm_cues_name_gender_folded(c, "bzz"), 'f');
    assert_int_equal(dm_cues_name_gender_folded(c, "bmma"), 'f');
    assert_int_equal(dm_cues_name_gender_folded(c, "bzzz"), 'm');
    assert_int_equal(dm_cues_name_gender_folded(c, "bmn"), 'm');
    assert_int_equal(dm_cues_name_gender_folded(c, "bab"), 'm');
    assert_int_equal(dm_cues_name_gender_folded(c, "zora"), 'f');
    assert_int_equal(dm_cues_name_gender_folded(c, "baa"), 'f');
    assert_int_equal(dm_cues_name_gender_folded(c, "bma"), 'm');
    assert_int_equal(dm_cues_count(c, DM_CUE_FEMALE), 7);
    assert_int_equal(dm_cues_count(c, DM_CUE_MALE), 26 * 26 - 4 + 1);
    dm_cues_destroy(&c);
    unlink(main_path);
    unlink(names_path);
    rmdir(dir);
}

/* Plain name lines are read 16 bytes at a time: names of 1 to 40 letters
 * (across and on the 16-byte steps), lines that are not plain (a capital,
 * a non-ASCII letter, an apostrophe, a hyphen, a blank, a tab after the
 * name), and a last line without its newline near the end of the file. */
static void test_cues_plain_name_lengths(void **state)
{
    (void)state;
    char dir[] = "/tmp/dm_test_cues_plain_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char main_path[256];
    snprintf(main_path, sizeof main_path, "%s/cues.tsv", dir);
    FILE *f = fopen(main_path, "w");
    assert_non_null(f);
    fputs("verb\tsay\n", f);
    char name[64];
    for (int n = 1; n <= 40; n++) {
        for (int i = 0; i < n; i++)
            name[i] = (char)('a' + (n * 7 + i * 3) % 26);
        name[n] = '\0';
        fprintf(f, "%s\t%s\n", n % 2 ? "male" : "female", name);
    }
    fputs("female\tzzzzzzzzzzzzzzzzzzzOdile\nmale\tyyyyyyyyyyyyyyyyyy\xc3\x89mile\n"
          "male\txxxxxxxxxxxxxxxxxxxx'neil\nfemale\twwwwwwwwwwwwwwwwwwww-ann\n"
          "male\tvvvvvvvvvvvvvvvvvvvvv \nfemale\tuuuuuuuuuuuuuuuuuuuuu\tx\n"
          "male\tzz{\nfemale\tzz`\nmale\tttttttttttttttttttttttttt", f);
    fclose(f);
    dm_cues *c = NULL;
    dm_error err;
    assert_int_equal(dm_cues_load(main_path, &c, &err), DM_OK);
    for (int n = 1; n <= 40; n++) {
        for (int i = 0; i < n; i++)
            name[i] = (char)('a' + (n * 7 + i * 3) % 26);
        name[n] = '\0';
        assert_int_equal(dm_cues_name_gender_folded(c, name), n % 2 ? 'm' : 'f');
        name[n - 1] = '\0';
        if (n > 1 && dm_cues_name_gender_folded(c, name))
            assert_true(strlen(name) < 40); /* a shorter listed name, not a cut one */
    }
    assert_int_equal(dm_cues_name_gender_folded(c, "zzzzzzzzzzzzzzzzzzzodile"), 'f');
    assert_int_equal(dm_cues_name_gender_folded(c, "yyyyyyyyyyyyyyyyyy\xc3\xa9mile"), 'm');
    assert_int_equal(dm_cues_name_gender_folded(c, "xxxxxxxxxxxxxxxxxxxx'neil"), 'm');
    assert_int_equal(dm_cues_name_gender_folded(c, "wwwwwwwwwwwwwwwwwwww-ann"), 'f');
    assert_int_equal(dm_cues_name_gender_folded(c, "vvvvvvvvvvvvvvvvvvvvv"), 'm');
    assert_int_equal(dm_cues_name_gender_folded(c, "uuuuuuuuuuuuuuuuuuuuu"), 'f');
    assert_int_equal(dm_cues_name_gender_folded(c, "zz{"), 'm');
    assert_int_equal(dm_cues_name_gender_folded(c, "zz`"), 'f');
    assert_int_equal(dm_cues_name_gender_folded(c, "zz"), 0);
    assert_int_equal(dm_cues_name_gender_folded(c, "ttttttttttttttttttttttttt"), 'm');
    assert_int_equal(dm_cues_count(c, DM_CUE_MALE) + dm_cues_count(c, DM_CUE_FEMALE), 49);
    dm_cues_destroy(&c);
    unlink(main_path);
    rmdir(dir);
}

static void test_invalid_args(void **state)
{
    (void)state;
    dm_error err;
    dm_statement_list l;
    dm_statement_list_init(&l);
    dm_document doc = {.text = "x", .text_len = 1};
    dm_extractor *ex = NULL;
    dm_cues *c = NULL;
    assert_int_equal(dm_extract(NULL, &doc, &l, NULL, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_extract(fx_ex, NULL, &l, NULL, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_extract(fx_ex, &doc, NULL, NULL, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_extract_given(NULL, &doc, &l, NULL, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_extract_given(fx_ex, NULL, &l, NULL, NULL), DM_E_INVALID_ARG);
    dm_document bad = {.text = NULL, .text_len = 3};
    assert_int_equal(dm_extract(fx_ex, &bad, &l, NULL, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_extractor_create(NULL, fx_cues, &ex, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_extractor_create(fx_actors, NULL, &ex, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_extractor_create(fx_actors, fx_cues, NULL, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_cues_load(NULL, &c, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_cues_load("x", NULL, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_statement_add_target(NULL, "RUS", NULL, false, 0, 0, 0, 0),
                     DM_E_INVALID_ARG);
    assert_null(dm_statement_list_push(NULL));
    dm_extractor_destroy(NULL);
    dm_extractor_destroy(&ex);
    dm_cues_destroy(NULL);
    dm_cues_destroy(&c);
    dm_statement_list_clear(NULL);
    assert_string_equal(dm_statement_kind_name(DM_KIND_PARTIAL), "partial");
    assert_string_equal(dm_stance_name(DM_STANCE_FAVOR), "favor");
    assert_int_equal(l.n, 0);
}

static void test_list_targets(void **state)
{
    (void)state;
    dm_statement_list l;
    dm_statement_list_init(&l);
    dm_statement *s = dm_statement_list_push(&l);
    assert_non_null(s);
    assert_int_equal(dm_statement_add_target(s, "UKR", NULL, false, 0, 0, 0, 0), DM_OK);
    assert_int_equal(dm_statement_add_target(s, "RUS", "Russia", true, 4, 10, 3, 9), DM_OK);
    assert_int_equal(s->n_targets, 2);
    assert_null(s->targets[0].mention);
    assert_string_equal(s->targets[1].mention, "Russia");
    assert_false(s->targets[1].scored);
    /* the mention by its length (targets.c: straight from the text) */
    assert_int_equal(dm_statement_add_target_n_internal(NULL, "RUS", "Russia", 6, true, 0, 6, 0, 6),
                     DM_E_INVALID_ARG);
    assert_int_equal(dm_statement_add_target_n_internal(s, NULL, "Russia", 6, true, 0, 6, 0, 6),
                     DM_E_INVALID_ARG);
    assert_int_equal(s->n_targets, 2);
    const char *text = "Russia and Ukraine";
    assert_int_equal(dm_statement_add_target_n_internal(s, "UKR", text + 11, 7, true, 11, 18, 11, 18),
                     DM_OK);
    assert_int_equal(dm_statement_add_target_n_internal(s, "RUS", text, 6, true, 0, 6, 0, 6), DM_OK);
    assert_int_equal(dm_statement_add_target_n_internal(s, "X", NULL, 5, false, 0, 0, 0, 0), DM_OK);
    assert_int_equal(dm_statement_add_target_n_internal(s, "Y", "ab\0cd", 5, true, 0, 5, 0, 5), DM_OK);
    assert_int_equal(s->n_targets, 6);
    assert_string_equal(s->targets[2].mention, "Ukraine");
    assert_string_equal(s->targets[2].actor, "UKR");
    assert_int_equal(s->targets[2].norm_start, 11);
    assert_int_equal(s->targets[2].end, 18);
    assert_true(s->targets[2].has_span);
    assert_string_equal(s->targets[3].mention, "Russia");
    assert_null(s->targets[4].mention);
    assert_false(s->targets[4].has_span);
    assert_string_equal(s->targets[5].mention, "ab"); /* as strdup of the copy was */
    dm_statement_list_clear(&l);
    assert_int_equal(l.n, 0);
    assert_null(l.v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quote_name_said),
        cmocka_unit_test(test_quote_said_name),
        cmocka_unit_test(test_quote_name_role_told),
        cmocka_unit_test(test_name_said_colon),
        cmocka_unit_test(test_name_said_that_partial),
        cmocka_unit_test(test_according_to),
        cmocka_unit_test(test_pronoun_resolution),
        cmocka_unit_test(test_pronoun_from_reported_speech),
        cmocka_unit_test(test_unattributed_paragraph_continues_speaker),
        cmocka_unit_test(test_statement_signed_by),
        cmocka_unit_test(test_called_partial_targets_object),
        cmocka_unit_test(test_organisation_speakers),
        cmocka_unit_test(test_titles),
        cmocka_unit_test(test_name_particles),
        cmocka_unit_test(test_anonymous_speaker),
        cmocka_unit_test(test_role_phrase_then_name),
        cmocka_unit_test(test_names_across_the_document),
        cmocka_unit_test(test_subject_and_groups),
        cmocka_unit_test(test_mangled_example),
        cmocka_unit_test(test_targets_in_brackets),
        cmocka_unit_test(test_targets_one_per_actor),
        cmocka_unit_test(test_speech_mode),
        cmocka_unit_test(test_given),
        cmocka_unit_test(test_reused_list),
        cmocka_unit_test(test_invalid_utf8_warns),
        cmocka_unit_test(test_huge_input),
        cmocka_unit_test(test_cues_lexicon),
        cmocka_unit_test(test_cues_include),
        cmocka_unit_test(test_cues_names_merged),
        cmocka_unit_test(test_cues_plain_name_lengths),
        cmocka_unit_test(test_unit_in_lists),
        cmocka_unit_test(test_units_at_every_offset),
        cmocka_unit_test(test_invalid_args),
        cmocka_unit_test(test_list_targets),
    };
    return cmocka_run_group_tests(tests, fx_setup, fx_teardown);
}

/* Speaker strings and actors (see speakers_internal.h).
 *
 * The speaker's actor comes from, in order: the dictionary entry of the name
 * (or of its last word, the surname), the country/organisation in the role
 * ("Britain's ambassador to the UN" -> GBR), the first actor word in the
 * phrase ("the Iranian foreign ministry" -> IRN, "Russian President" -> RUS),
 * the organisation itself ("the Kremlin" -> RUS, "NATO" -> NATO). */
#include "statements/speakers_internal.h"
#include "statements/persons_internal.h"
#include "actors/actors_internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

char *dm_span_dup(const char *s, dm_span span)
{
    size_t n = span.end > span.start ? span.end - span.start : 0;
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    memcpy(out, s + span.start, n);
    out[n] = '\0';
    return out;
}

void dm_speaker_clear(dm_speaker *sp)
{
    if (!sp)
        return;
    free(sp->name);
    free(sp->role);
    free(sp->actor);
    memset(sp, 0, sizeof *sp);
}

static dm_status dup_opt(char **dst, const char *src)
{
    *dst = NULL;
    if (!src)
        return DM_OK;
    *dst = strdup(src);
    return *dst ? DM_OK : DM_E_NOMEM;
}

dm_status dm_speaker_copy(dm_speaker *dst, const dm_speaker *src)
{
    dm_speaker tmp = {.person = src->person, .gender = src->gender};
    if (dup_opt(&tmp.name, src->name) != DM_OK ||
        dup_opt(&tmp.role, src->role) != DM_OK ||
        dup_opt(&tmp.actor, src->actor) != DM_OK) {
        dm_speaker_clear(&tmp);
        return DM_E_NOMEM;
    }
    dm_speaker_clear(dst);
    *dst = tmp;
    return DM_OK;
}

void dm_speaker_memory_clear(dm_speaker_memory *mem)
{
    dm_speaker_clear(&mem->person);
    dm_speaker_clear(&mem->org);
}

static bool lookup(const dm_attr_ctx *c, const char *s, size_t len,
                   dm_actor_match *m)
{
    return c->actors && len > 0 &&
           dm_actors_lookup(c->actors, s, len, c->date, m);
}

static bool first_actor_in(const dm_attr_ctx *c, const char *s, size_t len,
                           dm_actor_match *m)
{
    if (!c->actors || len == 0)
        return false;
    dm_actor_match *v = NULL;
    size_t n = 0;
    bool found = false;
    if (dm_actors_find(c->actors, s, len, c->date, &v, &n, NULL) == DM_OK) {
        for (size_t i = 0; i < n && !found; i++) {
            if (v[i].kind != DM_ACTOR_PERSON) {
                *m = v[i];
                found = true;
            }
        }
    }
    free(v);
    return found;
}

/* Last word of a span (the surname, the head noun). */
static dm_span last_word(const dm_attr_ctx *c, dm_span sp)
{
    size_t a = dm_units_at(c->units, sp.start), b = dm_units_at(c->units, sp.end);
    for (size_t i = b; i-- > a;)
        if (c->units->v[i].word)
            return (dm_span){c->units->v[i].start, c->units->v[i].end};
    return sp;
}

static bool is_org_kind(dm_actor_kind k)
{
    return k != DM_ACTOR_PERSON && k != DM_ACTOR_ADJECTIVE;
}

static dm_status set_actor(dm_speaker *out, const char *code)
{
    free(out->actor);
    out->actor = code ? strdup(code) : NULL;
    return (!code || out->actor) ? DM_OK : DM_E_NOMEM;
}

/* Does the name `sp` start with a given name that the dictionary's name
 * `known` lacks ("Eric Trump" for "Donald Trump")? One-word names never do. */
static bool other_given_name(const dm_attr_ctx *c, dm_span sp, const char *known)
{
    size_t a = dm_units_at(c->units, sp.start), b = dm_units_at(c->units, sp.end);
    size_t words = 0;
    for (size_t i = a; i < b; i++)
        words += c->units->v[i].word;
    if (words < 2 || !c->units->v[a].word)
        return false;
    const dm_unit *u = &c->units->v[a];
    size_t n = u->end - u->start;
    for (const char *k = known; *k;) {
        if (strncmp(k, c->s + u->start, n) == 0 && (k[n] == ' ' || k[n] == '\0'))
            return false;
        const char *sp2 = strchr(k, ' ');
        if (!sp2)
            break;
        k = sp2 + 1;
    }
    return true;
}

static dm_status resolve_named(const dm_attr_ctx *c, const dm_attribution *a,
                               dm_speaker_memory *mem, dm_speaker *out)
{
    const char *s = c->s;
    dm_span sp = a->speaker, role = a->role, phrase = a->phrase;
    /* "Lavrov said" after "Foreign Minister Sergei Lavrov" */
    dm_actor_match m;
    bool known_actor = lookup(c, s + sp.start, sp.end - sp.start, &m) &&
                       m.kind != DM_ACTOR_PERSON; /* "France" is no surname */
    const dm_attribution *full =
        a->form == DM_SPEAKER_NAME && !a->group && !known_actor && c->persons
            ? dm_persons_expand(c, c->persons, a->speaker, c->pos) : NULL;
    /* a full name the text gives only later is a guess, kept when an
     * honorific has checked its gender ("Mrs. Clinton"): "Clinton said" is
     * not the "Bill Clinton" of five paragraphs on */
    if (full && full->speaker.start > c->pos && !dm_persons_honorific(c, a->speaker))
        full = NULL;
    if (full) {
        sp = full->speaker;
        if (role.end <= role.start) {
            role = full->role;
            phrase = full->phrase;
        }
    }
    out->name = dm_span_dup(s, sp);
    out->role = role.end > role.start ? dm_span_dup(s, role) : NULL;
    if (!out->name || (role.end > role.start && !out->role))
        return DM_E_NOMEM;
    const char *code = NULL;
    bool org = false, known_person = false;
    size_t len = sp.end - sp.start;
    /* "the Kremlin" may be listed with or without its article */
    size_t skip_the = (len > 4 && strncasecmp(s + sp.start, "the ", 4) == 0) ? 4 : 0;
    bool found = lookup(c, s + sp.start, len, &m) ||
                 (skip_the && lookup(c, s + sp.start + 4, len - 4, &m));
    if (found && a->form == DM_SPEAKER_NAME && m.kind == DM_ACTOR_PERSON && m.name &&
        other_given_name(c, sp, m.name))
        found = false; /* "Eric Trump" is not Donald Trump */
    if (found) {
        code = m.code;
        org = is_org_kind(m.kind);
        known_person = m.kind == DM_ACTOR_PERSON;
        if (known_person && !out->role && m.role)
            out->role = strdup(m.role);
        /* "Biden said", "President Putin said": one person, one name, so
         * that statements chart by speaker under the dictionary's name
         * (unless the document introduced its own "Jeb Bush"). */
        if (known_person && a->form == DM_SPEAKER_NAME && !full && m.name &&
            strcmp(m.name, out->name) != 0) {
            char *canonical = strdup(m.name);
            if (!canonical)
                return DM_E_NOMEM;
            free(out->name);
            out->name = canonical;
        }
    } else {
        dm_span lw = last_word(c, sp);
        size_t lwn = lw.end - lw.start;
        /* the surname of a known person: "Lavrov" of "Sergei Lavrov", not
         * the "Wen" of "Wen Jiabao" in "Li Wen" */
        if (a->form == DM_SPEAKER_NAME && lw.start > sp.start &&
            lookup(c, s + lw.start, lwn, &m) && m.kind == DM_ACTOR_PERSON &&
            m.name && strlen(m.name) >= lwn &&
            memcmp(m.name + strlen(m.name) - lwn, s + lw.start, lwn) == 0) {
            code = m.code;
            known_person = true;
        }
    }
    if (!code && out->role &&
        c->actors && dm_actors_role_actor(c->actors, out->role, strlen(out->role),
                                          c->date, &m))
        code = m.code;
    if (!code && a->form == DM_SPEAKER_NP && c->actors &&
        dm_actors_role_actor(c->actors, s + sp.start, len, c->date, &m))
        code = m.code;
    if (!code && first_actor_in(c, s + phrase.start, phrase.end - phrase.start, &m))
        code = m.code;
    dm_span head = last_word(c, sp);
    bool org_noun = dm_cues_match(c->cues, DM_CUE_ORG, s,
                                  &c->units->v[dm_units_at(c->units, head.start)], 1);
    if (a->form == DM_SPEAKER_NP)
        org = org || org_noun;
    if (!code && a->form == DM_SPEAKER_NP && org_noun && skip_the &&
        mem->org.actor)
        code = mem->org.actor; /* "the ministry": the organisation last heard from */
    if (a->group)
        code = NULL;           /* "France, Germany and Britain" */
    if (set_actor(out, code) != DM_OK)
        return DM_E_NOMEM;
    if (a->group)
        return DM_OK;
    out->person = known_person || (a->form == DM_SPEAKER_NAME && !org);
    if (out->person && a->form == DM_SPEAKER_NAME)
        out->gender = dm_persons_gender(c, NULL, full ? full : a, c->pos); /* expanded already */
    if (out->person && a->form == DM_SPEAKER_NAME) {
        mem->person_pos = c->pos;
        return dm_speaker_copy(&mem->person, out);
    }
    if (org)
        return dm_speaker_copy(&mem->org, out);
    return DM_OK;
}

dm_status dm_speaker_resolve(const dm_attr_ctx *c, const dm_attribution *a,
                             dm_speaker_memory *mem, const dm_speaker *self,
                             dm_speaker *out)
{
    if (!c || !a || !mem || !out)
        return DM_E_INVALID_ARG;
    dm_speaker_clear(out);
    if (a->form == DM_SPEAKER_NONE)
        return DM_OK;
    if (a->form != DM_SPEAKER_PRONOUN) {
        dm_status st = resolve_named(c, a, mem, out);
        if (st != DM_OK)
            dm_speaker_clear(out);
        return st;
    }
    char p[8];
    const dm_unit *u = &c->units->v[dm_units_at(c->units, a->speaker.start)];
    if (!dm_unit_fold(c->s, u, p, sizeof p))
        return DM_OK;
    const dm_speaker *src = NULL;
    if (strcmp(p, "he") == 0 || strcmp(p, "she") == 0) {
        /* the last person of that gender named, if named after the last
         * person speaker (or that speaker is of the other gender) */
        char gender = p[0] == 'h' ? 'm' : 'f';
        /* antecedents come before the pronoun, not only before the quote:
         * "He warns that Ruiz would "..."" is not Ruiz */
        size_t at = a->speaker.start < c->pos ? a->speaker.start : c->pos;
        char found;
        const dm_attribution *m = c->persons ? dm_persons_pronoun(c, c->persons, at, gender,
                                                                  &found)
                                             : NULL;
        bool other = mem->person.gender && mem->person.gender != gender;
        /* a speaker remembered without a gender ("the Obama administration"
         * gave "Barack Obama") gives way to an earlier person known to be of
         * the pronoun's gender when its given name is of the other one (a
         * given name alone is weak evidence: "Aung San Suu Kyi") */
        bool named_other = !mem->person.gender && found == gender &&
                           dm_persons_name_gender(c, mem->person.name) ==
                               (gender == 'm' ? 'f' : 'm');
        if (m && (!mem->person.name || m->speaker.start > mem->person_pos || other ||
                  named_other)) {
            dm_attr_ctx at = *c;
            at.pos = m->speaker.start;
            dm_status st = resolve_named(&at, m, mem, out);
            if (st != DM_OK)
                dm_speaker_clear(out);
            return st;
        }
        if (other)
            return DM_OK; /* nobody of that gender: left to the caller */
        src = &mem->person;
    }
    else if (strcmp(p, "they") == 0 || strcmp(p, "it") == 0)
        src = &mem->org;
    else if (self)
        src = self;
    if (src && (src->name || src->actor))
        return dm_speaker_copy(out, src);
    return DM_OK;
}

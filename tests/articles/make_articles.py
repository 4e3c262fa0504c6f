#!/usr/bin/env python3
"""Generate the golden test articles and their gold quotes.

The articles live in articles_src.py as marked-up text: every quote's content
is written as {{content|speaker|actor|kind}} (kind d = direct, p = partial;
actor "-" = none; a fifth field "m" marks a quote that continues in the next
paragraph) and {{+content}} marks the continuation paragraph of the last
multi-paragraph quote. The markup is removed; what remains is the raw
article, mangled on purpose like scraped news corpora.

Outputs (in this directory):
  NN-name.txt     raw bytes of each article (may hold invalid UTF-8)
  articles.jsonl  {"id","date","title","source","text"} per article; JSON
                  cannot carry invalid UTF-8, so an invalid byte becomes U+FFFD
                  there (the evaluator prefers the .txt file when present)
  gold.jsonl      one record per quote, see README.md

Run: python3 tests/articles/make_articles.py
"""
import json
import os
import re
import sys

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from articles_src import ARTICLES  # noqa: E402

MARK = re.compile(r"\{\{(.*?)\}\}", re.S)


def raw_bytes(text):
    # '\udcXX' surrogates stand for single invalid bytes 0xXX.
    return text.encode("utf-8", "surrogateescape")


def render(article):
    """Strip the markup; return (plain text, list of quote dicts with offsets)."""
    src = article["text"].strip("\n")
    out = []
    quotes = []
    pos = 0
    last_multi = None
    for m in MARK.finditer(src):
        out.append(src[pos:m.start()])
        body = m.group(1)
        prefix = "".join(out)
        if body.startswith("+"):
            content = body[1:]
            if last_multi is None:
                raise SystemExit("%s: continuation without multi quote" % article["id"])
            last_multi.setdefault("continuation", []).append(
                (content, len(raw_bytes(prefix))))
        else:
            fields = body.split("|")
            if len(fields) not in (4, 5):
                raise SystemExit("%s: bad markup {{%s}}" % (article["id"], body))
            content, speaker, actor, kind = fields[:4]
            if kind not in ("d", "p"):
                raise SystemExit("%s: bad kind in {{%s}}" % (article["id"], body))
            q = {
                "quote": content,
                "speaker": speaker,
                "speaker_actor": None if actor == "-" else actor,
                "kind": "direct" if kind == "d" else "partial",
                "offset": len(raw_bytes(prefix)),
                "offset_chars": len(prefix),
            }
            if len(fields) == 5:
                if fields[4] != "m":
                    raise SystemExit("%s: bad flag in {{%s}}" % (article["id"], body))
                q["multi"] = True
                last_multi = q
            quotes.append(q)
        out.append(content)
        pos = m.end()
    out.append(src[pos:])
    return "".join(out), quotes


def occurrence(haystack, needle, offset):
    """1-based index of the occurrence of needle that starts at offset."""
    k = 0
    i = haystack.find(needle)
    while i != -1:
        k += 1
        if i == offset:
            return k, haystack.count(needle)
        i = haystack.find(needle, i + 1)
    raise SystemExit("quote not found at its offset: %r" % needle)


# Organisations and states speaking as such (other speakers starting with
# "the " are organisations too; "a"/"an" speakers are anonymous).
ORGANISATION_SPEAKERS = {
    "China", "France", "Germany", "IGAD", "CARICOM", "Itamaraty",
    "Inter-Services Public Relations", "France, Germany and Britain",
    "Mali and Burkina Faso", "Niger\u2019s military rulers"}

MARKS = "\"'\u201c\u201d\u201e\u00ab\u00bb\u2018\u2019\u2033\u00a0 "
ANAPHOR = re.compile(r"^\W*\s*(he|she|the official|the diplomat) "
                     r"(said|told|added|wrote)\b")


def speaker_type(speaker):
    if re.match(r"(a|an) ", speaker):
        return "anonymous"
    if speaker.startswith("the ") or speaker in ORGANISATION_SPEAKERS:
        return "organisation"
    return "person"


CUE = re.compile(r"\b(said|says|told|added|wrote|warned)\b")


def pattern(q, text, earlier):
    """The attribution pattern of a quote, from the words around it in its
    paragraph (derived by rule, then checked by hand: see README.md).
    `earlier` holds the character offsets of the document's earlier quotes."""
    start = q["offset_chars"]
    end = start + len(q["quote"])
    para_start = text.rfind("\n", 0, start) + 1
    para_end = text.find("\n", end)
    before = text[para_start:start]
    after = text[end:len(text) if para_end < 0 else para_end]
    tail = after.lstrip(",.;" + MARKS)
    if q.get("multi"):
        return "multi-paragraph"
    if "signed by" in before:
        return "signed-by"
    if "according to" in after[:40] or "According to " + q["speaker"] in before:
        return "according-to"
    if ANAPHOR.match(tail):
        return "anaphor-cue"
    if tail.startswith("said "):
        return "quote-cue-name"
    if q["kind"] == "partial":
        return "called" if "called" in before[-60:] else "reported-partial"
    if before.rstrip(MARKS).endswith(":"):
        return "name-cue-colon"
    if tail and CUE.search(tail.split(". ")[0]):
        return "quote-name-cue"
    if not before.strip(MARKS):
        return "follow-on-paragraph"
    if any(para_start <= e < start for e in earlier):
        return "same-paragraph-after"
    return "after-sentence"


def main():
    gold_lines = []
    json_lines = []
    n_quotes = 0
    for art in ARTICLES:
        text, quotes = render(art)
        data = raw_bytes(text)
        with open(os.path.join(HERE, art["id"] + ".txt"), "wb") as f:
            f.write(data + b"\n")
        json_text = data.decode("utf-8", "replace")
        json_lines.append(json.dumps({
            "id": art["id"], "date": art["date"], "title": art["title"],
            "source": art["source"], "text": json_text}, ensure_ascii=False))
        for q in quotes:
            needle = raw_bytes(q["quote"])
            k, total = occurrence(data, needle, q["offset"])
            rec = {"doc": art["id"], "quote": q["quote"],
                   "speaker": q["speaker"],
                   "speaker_actor": q["speaker_actor"], "kind": q["kind"],
                   "pattern": pattern(q, text, [o["offset_chars"] for o in quotes
                                                if o["offset_chars"] < q["offset_chars"]]),
                   "speaker_type": speaker_type(q["speaker"])}
            if total > 1:
                rec["occurrence"] = k
            if q.get("multi"):
                rec["multi"] = True
                rec["continuation"] = [c for c, _ in q.get("continuation", [])]
            gold_lines.append(json.dumps(rec, ensure_ascii=False))
            n_quotes += 1
    with open(os.path.join(HERE, "articles.jsonl"), "w", encoding="utf-8") as f:
        f.write("\n".join(json_lines) + "\n")
    with open(os.path.join(HERE, "gold.jsonl"), "w", encoding="utf-8") as f:
        f.write("\n".join(gold_lines) + "\n")
    print("%d articles, %d gold quotes" % (len(ARTICLES), n_quotes))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Draw the sentence sample of the real UN General Debate corpus (train/ungdc/).

Usage:
  demarche-score -q SPEECHES.jsonl > scored.jsonl      # speeches without USA and RUS
  sample_ungdc.py SPEECHES.jsonl scored.jsonl N > sample.jsonl

SPEECHES.jsonl holds {"id","speaker_actor","year","text"} per speech (the
shared UNGDC file less the USA and the USSR/Russia, which are kept out of the
corpus for validating the tone-over-time charts). scored.jsonl is the current
model's output on it: one "speech" statement per sentence with byte offsets.

The sample is stratified so that no country or decade dominates: the same
number of sentences per country, split evenly over the decades the country
spoke in; within a (country, decade) cell, sentences are drawn without
replacement with weights by the current model's predicted hostility level, so
that the rarer high levels are oversampled (weights below). The draw is
seeded: the same inputs give the same sample.
"""
import hashlib
import json
import random
import sys
from collections import defaultdict

LEVEL_WEIGHT = {0: 1.5, 1: 0.5, 2: 2.0, 3: 1.5, 4: 3.0}
MIN_BYTES, MAX_BYTES, MIN_WORDS = 40, 600, 6


def main():
    speeches_path, scored_path, total = sys.argv[1], sys.argv[2], int(sys.argv[3])
    speeches = {}
    for line in open(speeches_path, encoding="utf-8"):
        r = json.loads(line)
        speeches[r["id"]] = r
    rows = defaultdict(list)  # doc -> statements in order
    for line in open(scored_path, encoding="utf-8"):
        s = json.loads(line)
        if s.get("kind") == "speech":
            rows[s["doc"]].append(s)
    cells = defaultdict(list)  # (country, decade) -> candidates
    for doc, stmts in rows.items():
        sp = speeches[doc]
        raw = sp["text"].encode("utf-8")
        prev = None
        for idx, s in enumerate(stmts):
            text = raw[s["start"]:s["end"]].decode("utf-8", "replace")
            cand = {"speech": doc, "sentence": idx, "start": s["start"], "end": s["end"],
                    "speaker_actor": sp["speaker_actor"], "year": sp["year"], "text": text,
                    "prev": prev, "level": s["hostility"]["level"],
                    "found": [{"actor": t["actor"], "mention": t.get("mention")}
                              for t in s.get("targets", [])]}
            prev = text
            if MIN_BYTES <= len(text.encode("utf-8")) <= MAX_BYTES and len(text.split()) >= MIN_WORDS:
                cells[(sp["speaker_actor"], sp["year"] // 10 * 10)].append(cand)
    countries = sorted({c for c, _ in cells})
    per_country = total // len(countries)
    rng = random.Random(20261202)
    sample = []
    for c in countries:
        decades = sorted(d for cc, d in cells if cc == c)
        quota = [per_country // len(decades) + (1 if i < per_country % len(decades) else 0)
                 for i in range(len(decades))]
        for d, q in zip(decades, quota):
            cands = cells[(c, d)]
            keyed = sorted(cands, key=lambda x: -rng.random() ** (1.0 / LEVEL_WEIGHT[x["level"]]))
            sample.extend(keyed[:q])
    sample.sort(key=lambda x: (x["speech"], x["sentence"]))
    for x in sample:
        x["id"] = "u-%s-%d" % (x["speech"], x["sentence"])
        del x["level"]
        print(json.dumps(x, ensure_ascii=False))


if __name__ == "__main__":
    main()

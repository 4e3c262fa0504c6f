#!/usr/bin/env python3
"""Rebuild the labelled UN General Debate corpus (train/ungdc/) from its inputs.

Usage:
  build_ungdc_corpus.py [--speeches PATH] [--out-dir DIR] [--check]

Inputs, all in the repository except the speech texts:
  train/ungdc/labels/sample-sources.jsonl  id, speech, sentence, byte offsets,
                                           speaker and year of each sampled sentence
                                           (drawn by train/tools/sample_ungdc.py)
  train/ungdc/labels/pass1.jsonl           first-pass labels of every sentence
  train/ungdc/labels/pass2.jsonl           second pass of the 500-sentence subsample
  train/ungdc/reconciliation.tsv           final labels where the two passes disagree
  train/ungdc/consistency-changes.tsv      changes by codebook section 9, applied after
  train/ungdc/drops.tsv                    sentences left out, with the reason
  --speeches (default ../shared/data/ungdc/speeches.jsonl.gz next to the repository):
                                           the CC0 speech texts; each record's "text" is
                                           the speech's UTF-8 bytes [start:end]

Outputs in --out-dir (default train/ungdc): ungdc-labelled.jsonl (every kept
sentence), train.jsonl and test.jsonl (test = FNV-1a 32 of the speech id mod 5
== 0, codebook section 7: split by speech, never by sentence). With --check,
nothing is written: the rebuilt files are compared with those in --out-dir and
the exit status is 1 when any differs.

Final label of a sentence = pass 1, replaced by the reconciliation's final label
for the double-labelled sentences whose passes disagree, then every consistency
change whose recorded old value matches (a mismatch is an error: the change
list and the labels have drifted apart). Output is deterministic.
"""
import argparse
import csv
import gzip
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
UNGDC = os.path.join(REPO, "train", "ungdc")
csv.field_size_limit(1 << 24)


def fnv1a32(s):
    h = 2166136261
    for b in s.encode("utf-8"):
        h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    return h


def is_test(speech_id):
    return fnv1a32(speech_id) % 5 == 0


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    yield n, json.loads(line)
                except json.JSONDecodeError as e:
                    sys.exit(f"{path}:{n}: {e}")


def read_tsv(path):
    """Rows of a TSV with '#' comment lines and one header line, as dicts."""
    with open(path, encoding="utf-8", newline="") as f:
        lines = [(n, l) for n, l in enumerate(f, 1) if not l.startswith("#")]
    header = lines[0][1].rstrip("\n").split("\t")
    for n, line in lines[1:]:
        fields = line.rstrip("\n").split("\t")
        if len(fields) != len(header):
            sys.exit(f"{path}:{n}: {len(fields)} fields, expected {len(header)}")
        yield n, dict(zip(header, fields))


def clean_targets(targets):
    return [{k: t[k] for k in ("actor", "mention", "stance") if k in t} for t in targets]


def final_labels():
    labels = {}
    for n, r in read_jsonl(os.path.join(UNGDC, "labels", "pass1.jsonl")):
        labels[r["id"]] = {"hostility": r["hostility"], "targets": clean_targets(r["targets"])}
    path = os.path.join(UNGDC, "reconciliation.tsv")
    for n, row in read_tsv(path):
        if row["id"] not in labels:
            sys.exit(f"{path}:{n}: unknown id {row['id']}")
        final = json.loads(row["final"])
        labels[row["id"]] = {"hostility": final["hostility"], "targets": clean_targets(final["targets"])}
    path = os.path.join(UNGDC, "consistency-changes.tsv")
    for n, row in read_tsv(path):
        rec = labels.get(row["id"])
        if rec is None:
            sys.exit(f"{path}:{n}: unknown id {row['id']}")
        field = row["field"]
        if field == "hostility":
            if rec["hostility"] != int(row["old"]):
                sys.exit(f"{path}:{n}: {row['id']} hostility is {rec['hostility']}, change expects {row['old']}")
            rec["hostility"] = int(row["new"])
            continue
        if not field.startswith("target:"):
            sys.exit(f"{path}:{n}: unknown field {field}")
        actor = field[len("target:"):]
        old = None if row["old"] == "-" else json.loads(row["old"])
        new = None if row["new"] == "-" else json.loads(row["new"])
        current = [t for t in rec["targets"] if t["actor"] == actor]
        if (current[0] if current else None) != old:
            sys.exit(f"{path}:{n}: {row['id']} target {actor} is {current}, change expects {old}")
        if old is None:
            rec["targets"].append(new)
        else:
            k = rec["targets"].index(old)
            if new is None:
                del rec["targets"][k]
            else:
                rec["targets"][k] = new
    return labels


def load_speeches(path, wanted):
    texts = {}
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r["id"] in wanted:
                texts[r["id"]] = r
    missing = sorted(wanted - set(texts))
    if missing:
        sys.exit(f"{path}: {len(missing)} speeches missing, e.g. {missing[0]}")
    return texts


def build(speeches_path):
    sources = [r for _, r in read_jsonl(os.path.join(UNGDC, "labels", "sample-sources.jsonl"))]
    drops = {row["id"]: row["reason"] for _, row in read_tsv(os.path.join(UNGDC, "drops.tsv"))}
    labels = final_labels()
    if set(labels) != {s["id"] for s in sources}:
        sys.exit("pass1.jsonl and sample-sources.jsonl do not hold the same ids")
    speeches = load_speeches(speeches_path, {s["speech"] for s in sources})
    records, errors = [], 0
    for s in sorted(sources, key=lambda s: (s["speech"], s["sentence"])):
        if s["id"] in drops:
            continue
        sp = speeches[s["speech"]]
        if sp["speaker_actor"] != s["speaker_actor"] or sp["year"] != s["year"]:
            sys.exit(f"{s['id']}: speaker/year {s['speaker_actor']}/{s['year']} differ from the speech's")
        text = sp["text"].encode("utf-8")[s["start"]:s["end"]].decode("utf-8")
        lab = labels[s["id"]]
        for t in lab["targets"]:
            if "mention" in t and t["mention"] not in text:
                print(f"{s['id']}: mention {t['mention']!r} not in text", file=sys.stderr)
                errors += 1
        rec = {"id": s["id"], "register": "ga", "speaker_actor": s["speaker_actor"],
               "date": str(s["year"]), "text": text}
        # The sentence before it in the same speech (none for a speech's first
        # sentence): demarche-train's "previous" key, for the features that read
        # a speech as a sequence (train/CODEBOOK.md section 9).
        prev = s.get("previous")
        if prev:
            if not (0 <= prev["start"] < prev["end"] <= s["start"]):
                sys.exit(f"{s['id']}: previous sentence offsets {prev} are not before the sentence")
            rec["previous"] = sp["text"].encode("utf-8")[prev["start"]:prev["end"]].decode("utf-8")
        rec.update({"hostility": lab["hostility"], "targets": lab["targets"],
                    "source": {"speech": s["speech"], "sentence": s["sentence"],
                               "start": s["start"], "end": s["end"]}})
        if prev:
            rec["source"]["previous"] = {"start": prev["start"], "end": prev["end"]}
        records.append(rec)
    if errors:
        sys.exit(f"{errors} errors")
    return records


def serialise(records):
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--speeches", default=os.path.normpath(
        os.path.join(REPO, "..", "shared", "data", "ungdc", "speeches.jsonl.gz")))
    ap.add_argument("--out-dir", default=UNGDC)
    ap.add_argument("--check", action="store_true",
                    help="compare with the files in --out-dir instead of writing them")
    a = ap.parse_args()
    records = build(a.speeches)
    outputs = {
        "ungdc-labelled.jsonl": serialise(records),
        "train.jsonl": serialise([r for r in records if not is_test(r["source"]["speech"])]),
        "test.jsonl": serialise([r for r in records if is_test(r["source"]["speech"])]),
    }
    differ = 0
    for name, data in outputs.items():
        path = os.path.join(a.out_dir, name)
        if a.check:
            try:
                with open(path, "rb") as f:
                    same = f.read() == data
            except OSError:
                same = False
            if not same:
                print(f"{path}: differs from the rebuild", file=sys.stderr)
                differ += 1
            continue
        tmp = path + ".tmp"
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    n_test = outputs["test.jsonl"].count(b"\n")
    print(f"{len(records)} sentences ({len(records) - n_test} train, {n_test} test)"
          + (f"; {differ} files differ" if a.check else ""), file=sys.stderr)
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Inter-annotator agreement of the double-labelled UN General Debate sample.

Usage:
  agreement.py [--pass1 FILE] [--pass2 FILE] [--include-same] [--json]

FILEs default to train/ungdc/labels/pass1.jsonl and pass2.jsonl (next to this
script's train/ directory). Each line: {"id","labeller","hostility","targets"}.
Every id of pass 2 must be in pass 1. Ids whose two passes were written by the
same labeller are left out (they are not independent) unless --include-same.

Reports, on the ids labelled twice:
  * hostility: quadratic-weighted kappa, exact and within-one agreement, the
    5x5 confusion matrix (rows pass 1, columns pass 2);
  * stance: Cohen's kappa and exact agreement over the (id, actor) targets that
    both passes gave, the 3x3 confusion matrix, and the counts of targets that
    only one pass gave;
  * 95% bootstrap intervals (2,000 resamples of sentences, fixed seed, so the
    output is the same on every run).

The output is deterministic: same inputs, same bytes.
"""
import argparse
import json
import os
import random
import sys

LEVELS = [0, 1, 2, 3, 4]
STANCES = ["against", "neutral", "favor"]
HERE = os.path.dirname(os.path.abspath(__file__))
LABELS = os.path.join(HERE, "..", "ungdc", "labels")


def read_jsonl(path):
    rows = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                r = json.loads(line)
            except json.JSONDecodeError as e:
                sys.exit(f"{path}:{n}: {e}")
            if r.get("id") in rows:
                sys.exit(f"{path}:{n}: duplicate id {r.get('id')}")
            rows[r["id"]] = r
    return rows


def confusion(pairs, classes):
    index = {c: i for i, c in enumerate(classes)}
    m = [[0] * len(classes) for _ in classes]
    for a, b in pairs:
        m[index[a]][index[b]] += 1
    return m


def kappa(m, weights):
    """Cohen's kappa of confusion matrix m with disagreement weights w[i][j]."""
    k = len(m)
    n = sum(map(sum, m))
    if n == 0:
        return float("nan")
    rows = [sum(m[i]) for i in range(k)]
    cols = [sum(m[i][j] for i in range(k)) for j in range(k)]
    observed = sum(weights[i][j] * m[i][j] for i in range(k) for j in range(k)) / n
    expected = sum(weights[i][j] * rows[i] * cols[j] for i in range(k) for j in range(k)) / (n * n)
    return 1.0 - observed / expected if expected else float("nan")


def quadratic(k):
    return [[(i - j) ** 2 / (k - 1) ** 2 for j in range(k)] for i in range(k)]


def nominal(k):
    return [[0 if i == j else 1 for j in range(k)] for i in range(k)]


def stance_pairs(p1, p2):
    """(stance1, stance2) for actors both passes gave; counts of one-pass-only targets."""
    both, only1, only2 = [], 0, 0
    t1 = {t["actor"]: t["stance"] for t in p1["targets"]}
    t2 = {t["actor"]: t["stance"] for t in p2["targets"]}
    for actor in sorted(set(t1) | set(t2)):
        if actor in t1 and actor in t2:
            both.append((t1[actor], t2[actor]))
        elif actor in t1:
            only1 += 1
        else:
            only2 += 1
    return both, only1, only2


def measure(ids, pass1, pass2):
    host = [(pass1[i]["hostility"], pass2[i]["hostility"]) for i in ids]
    st, only1, only2 = [], 0, 0
    for i in ids:
        b, o1, o2 = stance_pairs(pass1[i], pass2[i])
        st.extend(b)
        only1 += o1
        only2 += o2
    hm = confusion(host, LEVELS)
    sm = confusion(st, STANCES)
    return {
        "sentences": len(ids),
        "hostility_qwk": kappa(hm, quadratic(5)),
        "hostility_exact": sum(a == b for a, b in host) / len(host) if host else float("nan"),
        "hostility_within1": sum(abs(a - b) <= 1 for a, b in host) / len(host) if host else float("nan"),
        "hostility_confusion": hm,
        "stance_targets_both": len(st),
        "stance_kappa": kappa(sm, nominal(3)),
        "stance_exact": sum(a == b for a, b in st) / len(st) if st else float("nan"),
        "stance_confusion": sm,
        "targets_only_pass1": only1,
        "targets_only_pass2": only2,
    }


def bootstrap(ids, pass1, pass2, keys, rounds=2000, seed=20261202):
    rng = random.Random(seed)
    values = {k: [] for k in keys}
    for _ in range(rounds):
        sample = [ids[rng.randrange(len(ids))] for _ in ids]
        m = measure(sample, pass1, pass2)
        for k in keys:
            values[k].append(m[k])
    out = {}
    for k, v in values.items():
        v.sort()
        out[k] = (v[int(0.025 * rounds)], v[int(0.975 * rounds) - 1])
    return out


def table(m, classes, title):
    w = max([len("total")] + [len(str(c)) for c in classes]) + 2
    lines = [title, " " * w + "".join(f"{str(c):>{w}}" for c in classes) + f"{'total':>{w}}"]
    for c, row in zip(classes, m):
        lines.append(f"{str(c):>{w}}" + "".join(f"{x:>{w}}" for x in row) + f"{sum(row):>{w}}")
    lines.append(f"{'total':>{w}}" + "".join(f"{sum(r[j] for r in m):>{w}}" for j in range(len(classes)))
                 + f"{sum(map(sum, m)):>{w}}")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pass1", default=os.path.join(LABELS, "pass1.jsonl"))
    ap.add_argument("--pass2", default=os.path.join(LABELS, "pass2.jsonl"))
    ap.add_argument("--include-same", action="store_true",
                    help="keep ids whose two passes are by the same labeller")
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    a = ap.parse_args()
    pass1, pass2 = read_jsonl(a.pass1), read_jsonl(a.pass2)
    missing = sorted(set(pass2) - set(pass1))
    if missing:
        sys.exit(f"{a.pass2}: {len(missing)} ids not in {a.pass1}, e.g. {missing[0]}")
    same = sorted(i for i in pass2 if pass1[i].get("labeller") == pass2[i].get("labeller"))
    ids = sorted(i for i in pass2 if a.include_same or i not in set(same))
    m = measure(ids, pass1, pass2)
    m["double_labelled"] = len(pass2)
    m["excluded_same_labeller"] = 0 if a.include_same else len(same)
    ci = bootstrap(ids, pass1, pass2, ["hostility_qwk", "hostility_exact", "stance_kappa"])
    m["ci95"] = {k: list(v) for k, v in ci.items()}
    if a.json:
        print(json.dumps(m, sort_keys=True))
        return
    print(f"double-labelled sentences: {m['double_labelled']}; excluded (same labeller both passes): "
          f"{m['excluded_same_labeller']}; compared: {m['sentences']}")
    print(f"hostility: quadratic-weighted kappa {m['hostility_qwk']:.3f} "
          f"(95% CI {ci['hostility_qwk'][0]:.3f}-{ci['hostility_qwk'][1]:.3f}), "
          f"exact agreement {m['hostility_exact']:.3f} "
          f"(95% CI {ci['hostility_exact'][0]:.3f}-{ci['hostility_exact'][1]:.3f}), "
          f"within one level {m['hostility_within1']:.3f}")
    print(table(m["hostility_confusion"], LEVELS, "hostility confusion (rows pass 1, columns pass 2):"))
    print(f"stance: Cohen's kappa {m['stance_kappa']:.3f} "
          f"(95% CI {ci['stance_kappa'][0]:.3f}-{ci['stance_kappa'][1]:.3f}), "
          f"exact agreement {m['stance_exact']:.3f} over {m['stance_targets_both']} targets in both passes; "
          f"targets only in pass 1: {m['targets_only_pass1']}, only in pass 2: {m['targets_only_pass2']}")
    print(table(m["stance_confusion"], STANCES, "stance confusion (rows pass 1, columns pass 2):"))


if __name__ == "__main__":
    main()

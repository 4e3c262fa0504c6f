#!/usr/bin/env python3
"""demarche-score's speed table: ratio to the yardstick, sentences/s, MB/s, peak memory, and
scaling with -j when demarche-score has it.

usage (from the project root, after scripts/build.sh):
  python3 bench/speed.py [--runs K] [--sentences N] [--bin DIR] [--model DIR]

Needs ../shared (or $DM_SHARED_DIR): bench/yardstick.c and bench/make_sentences.py build the
yardstick and the input as ../shared/bench/ratio.py does (N UN General Debate sentences, newest
first), data/ungdc/speeches.jsonl.gz gives the speech documents. Without it, says so and exits 0.

Rows:
  statements   `demarche-score -q --statements` on the N sentences, one a JSON line
               (ratio.py's input and command: the issue's figure)
  speeches     `demarche-score -q` on whole UN speeches (JSON Lines documents, extraction in
               speech mode) of about the same number of text bytes; its ratio is per byte,
               against the yardstick run over the same speech texts
  sentence docs  `demarche-score -q` on the N sentences themselves grouped back into their
               speeches (consecutive sentences of one id prefix before ':', joined by a space:
               the same text bytes as the statements row, as documents); per byte, against
               the yardstick over the sentences' .txt (the issue's "speech documents of the
               same size")
The yardstick (`yardstick hash`) does the least any n-gram scorer must: ICU lower-casing, word
breaking and hashing of every unigram and bigram. Machines are shared and noisy, so each
command is timed alternately with the yardstick (A B A B ...), K pairs; the table shows medians.
Peak memory is the command's maximum resident set (wait4; it cannot show less than this
script's own ~10 MB). Nothing here is a test: no thresholds.
"""
import argparse, os, statistics, subprocess, sys, tempfile, time

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
ap.add_argument("--runs", type=int, default=3)
ap.add_argument("--sentences", type=int, default=50000)
ap.add_argument("--bin", default=os.path.join(root, "build", "bin"))
ap.add_argument("--model", default=None, help="model bundle (default: demarche-score's)")
a = ap.parse_args()

shared = os.environ.get("DM_SHARED_DIR", os.path.join(root, "..", "shared"))
need = [os.path.join(shared, p) for p in
        ("bench/yardstick.c", "bench/make_sentences.py", "data/ungdc/speeches.jsonl.gz")]
missing = [p for p in need if not os.path.exists(p)]
if missing:
    print(f"speed: skipped: {missing[0]} is absent (it comes with ../shared)")
    sys.exit(0)
score = os.path.join(a.bin, "demarche-score")
if not os.access(score, os.X_OK):
    sys.exit(f"speed: {score} not built (bash scripts/build.sh build)")

cache = os.path.join(os.environ.get("TMPDIR", "/tmp"), "demarche-bench")
os.makedirs(cache, exist_ok=True)
yard = os.path.join(cache, "yardstick")
src = os.path.join(shared, "bench", "yardstick.c")
if not os.path.exists(yard) or os.path.getmtime(yard) < os.path.getmtime(src):
    subprocess.run(["gcc", "-O2", "-o", yard, src, "-licuuc"], check=True)
base = os.path.join(cache, f"sentences-{a.sentences}")
if not os.path.exists(base + ".jsonl"):
    subprocess.run([sys.executable, os.path.join(shared, "bench", "make_sentences.py"),
                    str(a.sentences), base], check=True, stdout=subprocess.DEVNULL)

# Speeches of about the sentences' bytes: whole documents, newest first, the yardstick reads
# the same texts (one paragraph a line).
# Written by a child process: this one stays small, since a child's peak memory as wait4
# reports it starts from the size of the process that forked it.
speech_base = os.path.join(cache, f"speeches-{a.sentences}")
MAKE_SPEECHES = """
import gzip, json, os, sys
src, base, target = sys.argv[1], sys.argv[2], int(sys.argv[3])
docs = [json.loads(l) for l in gzip.open(src, "rt", encoding="utf-8")]
docs.sort(key=lambda d: (-d["year"], d["id"]))
size = 0
with open(base + ".jsonl", "w", encoding="utf-8") as j, open(base + ".txt", "w", encoding="utf-8") as t:
    for d in docs:
        if size >= target:
            break
        text = "\\n".join(p for p in d["text"].splitlines() if p.strip())
        j.write(json.dumps({"id": d["id"], "date": str(d["year"]),
                            "speaker_actor": d["speaker_actor"], "text": text}) + "\\n")
        t.write(text + "\\n")
        size += len(text.encode()) + 1
"""
if not os.path.exists(speech_base + ".jsonl"):
    subprocess.run([sys.executable, "-c", MAKE_SPEECHES, need[2], speech_base,
                    str(os.path.getsize(base + ".txt"))], check=True)

# The N sentences as documents: each run of sentences of one speech (id "<speech>:<n>") joined
# by a space. Written by a child process too.
docs_jsonl = os.path.join(cache, f"sentence-docs-{a.sentences}.jsonl")
MAKE_DOCS = """
import json, os, sys
src, dst = sys.argv[1], sys.argv[2]
docs = []
for line in open(src, encoding="utf-8"):
    r = json.loads(line)
    key = r["id"].split(":")[0]
    if docs and docs[-1]["id"] == key:
        docs[-1]["text"] += " " + r["text"]
    else:
        docs.append({"id": key, "date": r["date"], "speaker_actor": r["speaker_actor"],
                     "text": r["text"]})
with open(dst + ".tmp", "w", encoding="utf-8") as f:
    for d in docs:
        f.write(json.dumps(d, ensure_ascii=False) + "\\n")
os.replace(dst + ".tmp", dst)
"""
if not os.path.exists(docs_jsonl) or os.path.getmtime(docs_jsonl) < os.path.getmtime(base + ".jsonl"):
    subprocess.run([sys.executable, "-c", MAKE_DOCS, base + ".jsonl", docs_jsonl], check=True)


def run(cmd):
    """Wall seconds, peak RSS in MB, output lines."""
    # The output goes to a file and is counted after the clock stops: a
    # reader in this process would take CPU from the threads being timed
    # (with -j 2 on two cores it cost a third of the speed-up).
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as errf:
        t = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=errf)
        _, status, usage = os.wait4(p.pid, 0)
        dt = time.perf_counter() - t
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: out.read(1 << 20), b""))
        errf.seek(0)
        err = errf.read()
    if p.returncode != 0:
        sys.exit(f"speed: failed ({p.returncode}): {' '.join(cmd)}\n{err.decode(errors='replace')[-600:]}")
    return dt, usage.ru_maxrss / 1024.0, lines


def paired(cmd, txt):
    """Median times of cmd and of the yardstick over txt, K alternated pairs."""
    ycmd = [yard, "hash", txt]
    run(cmd), run(ycmd)  # warm the page cache and the binaries
    tc, ty, peak, lines = [], [], 0.0, 0
    for _ in range(a.runs):
        dt, rss, lines = run(cmd)
        tc.append(dt)
        peak = max(peak, rss)
        ty.append(run(ycmd)[0])
    return statistics.median(tc), statistics.median(ty), peak, lines


model = ["--model", a.model] if a.model else []
help_text = subprocess.run([score, "--help"], capture_output=True, text=True).stdout
threads = "--threads" in help_text
j1 = ["-j", "1"] if threads else []
rows = []
for name, jsonl, txt, extra, records in (
        ("statements", base + ".jsonl", base + ".txt", ["--statements"], a.sentences),
        ("speeches", speech_base + ".jsonl", speech_base + ".txt", [], None),
        ("sentence docs", docs_jsonl, base + ".txt", [], None)):
    cmd = [score, "-q"] + j1 + model + extra + [jsonl]
    tc, ty, peak, lines = paired(cmd, txt)
    mb = os.path.getsize(txt) / 1e6
    rows.append((name, tc / ty, lines / tc, mb / tc, peak, tc, ty, mb, lines))

print(f"demarche-score speed ({a.runs} paired runs, medians; {os.cpu_count()} CPUs; "
      f"{'-j 1' if threads else 'one thread'})")
print(f"{'input':<13} {'MB':>6} {'statements':>10} {'time s':>7} {'yardstick s':>11} "
      f"{'ratio':>6} {'statements/s':>12} {'MB/s':>6} {'peak MB':>8}")
for name, ratio, sps, mbs, peak, tc, ty, mb, lines in rows:
    print(f"{name:<13} {mb:>6.2f} {lines:>10,} {tc:>7.3f} {ty:>11.3f} {ratio:>6.2f} "
          f"{sps:>12,.0f} {mbs:>6.2f} {peak:>8.1f}")
if threads:
    n = os.cpu_count() or 1
    print(f"\n-j scaling, statements input ({a.runs} runs each, medians)")
    print(f"{'-j':>3} {'time s':>7} {'statements/s':>12} {'speed-up':>8} {'peak MB':>8}")
    t1 = None
    for j in sorted({1, 2, n}):
        cmd = [score, "-q", "-j", str(j)] + model + ["--statements", base + ".jsonl"]
        run(cmd)
        times, peak = [], 0.0
        for _ in range(a.runs):
            dt, rss, lines = run(cmd)
            times.append(dt)
            peak = max(peak, rss)
        t = statistics.median(times)
        t1 = t1 or t
        print(f"{j:>3} {t:>7.3f} {lines / t:>12,.0f} {t1 / t:>8.2f} {peak:>8.1f}")
else:
    print("\n-j scaling: demarche-score has no --threads option in this build")

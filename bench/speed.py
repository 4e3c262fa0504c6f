#!/usr/bin/env python3
"""demarche-score's speed table: ratio to the yardstick, sentences/s, MB/s, peak memory, and
scaling with -j when demarche-score has it.

usage (from the project root, after scripts/build.sh):
  python3 bench/speed.py [--runs K] [--sentences N] [--bin DIR] [--model DIR] [--no-pin]

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
Each pair runs on one CPU, every CPU in turn (a virtual machine's CPUs can differ in speed, and
an unpinned pair may time the command on one and the yardstick on the other); a row per CPU.
The -j scaling compares -j N with -j 1 on the fastest CPU alone, and with the "ideal": the
CPUs' one-thread speeds added up.
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
ap.add_argument("--no-pin", dest="pin", action="store_false",
                help="let the system place each run (as ratio.py does), not one CPU a pair")
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


def run(cmd, cpu=None):
    """Wall seconds, peak RSS in MB, output lines; on CPU `cpu` alone when given."""
    # The output goes to a file and is counted after the clock stops: a
    # reader in this process would take CPU from the threads being timed
    # (with -j 2 on two cores it cost a third of the speed-up).
    pin = (lambda: os.sched_setaffinity(0, {cpu})) if cpu is not None else None
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as errf:
        t = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=errf, preexec_fn=pin)
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


# The CPUs of a virtual machine need not run at one speed: on the machine
# this was written on, CPU 1 ran the yardstick in 0.21 s and demarche-score
# in 0.43 s while CPU 0 took 0.14 s and 0.33 s (4 December 2026, 21:01
# UTC), and which CPU is the slow one changes over time. An unpinned
# process lands on either, so an unpinned pair can time the command on the
# slow CPU and the yardstick on the fast one: single ratio.py readings of
# one build went from 1.5 to 3.1 within minutes. So each pair runs on one
# CPU (sched_setaffinity), every CPU in turn within a round so that a
# change of the host's state reaches all of them; --no-pin times as
# ratio.py does.
CPUS = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
PINNED = a.pin and len(CPUS) > 1
places = CPUS if PINNED else [None]


def paired(cmd, txt):
    """Per CPU (or once, unpinned): median times of cmd and of the
    yardstick over txt, K alternated pairs, the median of the pairs'
    ratios, the peak memory and the output lines."""
    ycmd = [yard, "hash", txt]
    run(cmd), run(ycmd)  # warm the page cache and the binaries
    tc = {c: [] for c in places}
    ty = {c: [] for c in places}
    peak, lines = 0.0, 0
    for _ in range(a.runs):
        for c in places:
            dt, rss, lines = run(cmd, c)
            tc[c].append(dt)
            peak = max(peak, rss)
            ty[c].append(run(ycmd, c)[0])
    out = {}
    for c in places:
        pairs = statistics.median(x / y for x, y in zip(tc[c], ty[c]))
        out[c] = (statistics.median(tc[c]), statistics.median(ty[c]), pairs)
    return out, peak, lines


model = ["--model", a.model] if a.model else []
help_text = subprocess.run([score, "--help"], capture_output=True, text=True).stdout
threads = "--threads" in help_text
j1 = ["-j", "1"] if threads else []
rows = []
for name, jsonl, txt, extra in (
        ("statements", base + ".jsonl", base + ".txt", ["--statements"]),
        ("speeches", speech_base + ".jsonl", speech_base + ".txt", []),
        ("sentence docs", docs_jsonl, base + ".txt", [])):
    cmd = [score, "-q"] + j1 + model + extra + [jsonl]
    per_cpu, peak, lines = paired(cmd, txt)
    rows.append((name, os.path.getsize(txt) / 1e6, lines, per_cpu, peak))

where = (f"each pair on one CPU, CPUs {', '.join(map(str, CPUS))} in turn" if PINNED
         else "not pinned")
print(f"demarche-score speed ({a.runs} paired runs, medians; {os.cpu_count()} CPUs, {where}; "
      f"{'-j 1' if threads else 'one thread'})")
print(f"{'input':<13} {'MB':>6} {'statements':>10} {'cpu':>3} {'time s':>7} {'yardstick s':>11} "
      f"{'ratio':>6} {'paired':>6} {'statements/s':>12} {'MB/s':>6} {'peak MB':>8}")
for name, mb, lines, per_cpu, peak in rows:
    for k, c in enumerate(places):
        tc, ty, pairs = per_cpu[c]
        head = (f"{name:<13} {mb:>6.2f} {lines:>10,}" if k == 0 else " " * 31)
        tail = f" {peak:>8.1f}" if k == 0 else ""
        print(f"{head} {'-' if c is None else c:>3} {tc:>7.3f} {ty:>11.3f} {tc / ty:>6.2f} "
              f"{pairs:>6.2f} {lines / tc:>12,.0f} {mb / tc:>6.2f}{tail}")
if PINNED:
    print("ratio: median time over the yardstick's median on that CPU; paired: median of the "
          "runs' own ratios.\nThe highest per input: " +
          ", ".join(f"{name} {max(per_cpu[c][0] / per_cpu[c][1] for c in places):.2f}"
                    for name, mb, lines, per_cpu, peak in rows))

if threads:
    n = os.cpu_count() or 1
    js = sorted({2, n})
    # -j 1 on each CPU alone and -j N free, in turn in each round. The
    # speed-up is taken against the fastest CPU's one-thread time (against
    # an unpinned -j 1 it would depend on where that run landed); "ideal"
    # is what N threads would take if the CPUs' speeds simply added up.
    refs = CPUS if PINNED else [None]
    cmd_of = lambda j: [score, "-q", "-j", str(j)] + model + ["--statements", base + ".jsonl"]
    for c in refs:
        run(cmd_of(1), c)
    t1 = {c: [] for c in refs}
    tj = {j: [] for j in js}
    peak = {j: 0.0 for j in [1] + js}
    for _ in range(a.runs):
        for c in refs:
            dt, rss, lines = run(cmd_of(1), c)
            t1[c].append(dt)
            peak[1] = max(peak[1], rss)
        for j in js:
            dt, rss, lines = run(cmd_of(j))
            tj[j].append(dt)
            peak[j] = max(peak[j], rss)
    m1 = {c: statistics.median(v) for c, v in t1.items()}
    best = min(m1.values())
    ideal = 1.0 / sum(1.0 / t for t in m1.values())
    print(f"\n-j scaling, statements input ({a.runs} runs each, medians"
          f"{'; -j 1 on each CPU alone, -j N free' if PINNED else ''})")
    print(f"{'-j':>3} {'cpu':>3} {'time s':>7} {'statements/s':>12} {'speed-up':>8} {'of ideal':>8} "
          f"{'peak MB':>8}")
    for c in refs:
        print(f"{1:>3} {'-' if c is None else c:>3} {m1[c]:>7.3f} {lines / m1[c]:>12,.0f} "
              f"{best / m1[c]:>8.2f} {'':>8} {peak[1]:>8.1f}")
    for j in js:
        t = statistics.median(tj[j])
        share = f"{ideal / t:>8.2f}" if PINNED and j == len(refs) else f"{'':>8}"
        print(f"{j:>3} {'all':>3} {t:>7.3f} {lines / t:>12,.0f} {best / t:>8.2f} {share} "
              f"{peak[j]:>8.1f}")
    print("speed-up: against the fastest one-thread time" +
          (f"; ideal: {ideal:.3f} s, the CPUs' one-thread speeds added up "
           f"({best / ideal:.2f}x)" if PINNED else ""))
else:
    print("\n-j scaling: demarche-score has no --threads option in this build")

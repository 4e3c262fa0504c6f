#!/usr/bin/env bash
# The Slurm recipe (scripts/slurm/score.sbatch, merge.sbatch) against a real
# Slurm: a private single-node cluster (munged, slurmctld, slurmd started
# here with a private slurm.conf, state under $TMP, stopped by pid on exit)
# runs the array over news.jsonl in 3 shards and the merge after it
# (afterok); the merged store exports what one run's store does. A task
# requeued while it runs (its part half-written under its temporary name)
# runs again and the store gets nothing twice. Skips, saying why, where the
# daemons cannot start. The scripts' own checks (no Slurm needed) are in
# tests/e2e/slurm_recipe.sh.
. "$(dirname "$0")/lib/common.sh"
S="$DM_BIN/demarche-score"
export DEMARCHE_DATA="$DM_SOURCE_DIR"
for c in munged slurmctld slurmd sbatch squeue scontrol sinfo; do
  command -v "$c" >/dev/null || PATH="$PATH:/usr/sbin" command -v "$c" >/dev/null \
    || skip "no $c (scripts/setup.sh installs slurm-wlm and munge)"
done
export PATH="$PATH:/usr/sbin"
[ "$(id -u)" = 0 ] || skip "not root: a private slurmd must run as root to start jobs"

# Daemons started below are stopped by pid, whatever happens: first the
# jobs are cancelled, then the daemons stopped, then any job step process
# (slurmstepd detaches from slurmd) that still holds a file of this test's
# directory is killed, by pid.
pids=()
stop_pid() {
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 50); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$1" 2>/dev/null
}
stop_daemons() {
  local p f
  if [ ${#pids[@]} -gt 2 ]; then # slurmctld runs: cancel what is left
    scancel --quiet --full $(squeue -h -o %A 2>/dev/null) 2>/dev/null
    for _ in $(seq 50); do [ -z "$(squeue -h 2>/dev/null)" ] && break; sleep 0.2; done
  fi
  for p in "${pids[@]}"; do stop_pid "$p"; wait "$p" 2>/dev/null; done
  pids=()
  [ -n "${T:-}" ] || return 0
  # Every process started by these daemons inherited SLURM_CONF=$T/...
  # (exported before they started; this shell's own environ predates it).
  # Job steps finishing after their daemons are given 5 s, then killed.
  export -n SLURM_CONF
  local left
  for i in $(seq 50); do
    left=$(grep -lzx "SLURM_CONF=$T/slurm.conf" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3)
    [ -z "$left" ] && break
    [ "$i" = 50 ] && for p in $left; do stop_pid "$p"; done
    sleep 0.1
  done
  { find /proc/[0-9]*/fd -maxdepth 1 -lname "$T/*"; find /proc/[0-9]*/cwd -maxdepth 0 -lname "$T/*"; } 2>/dev/null |
    cut -d/ -f3 | sort -u | while read -r p; do [ "$p" != $$ ] && [ "$p" != "$BASHPID" ] && stop_pid "$p"; done
}
trap 'stop_daemons; rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

# --- a private cluster ------------------------------------------------------
T="$TMP/slurm"
mkdir -p "$T/state" "$T/spool" "$T/work"
chmod 711 "$TMP" "$T" # munged wants its socket's directories searchable by all
dd if=/dev/urandom of="$T/munge.key" bs=1024 count=1 status=none
chmod 400 "$T/munge.key"
munged -F --socket="$T/munge.sock" --key-file="$T/munge.key" --pid-file="$T/munged.pid" \
  --log-file="$T/munged.log" --seed-file="$T/munged.seed" >"$T/munged.out" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -S "$T/munge.sock" ] && break; sleep 0.1; done
[ -S "$T/munge.sock" ] || skip "munged did not start: $(cat "$T/munged.out" "$T/munged.log" 2>/dev/null | grep -m2 -E 'Error|rror' | tr '\n' ' ')"

host=$(hostname -s)
port=$((20000 + RANDOM % 20000))
cat >"$T/slurm.conf" <<CONF
ClusterName=dmtest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$T/munge.sock
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/slurmctld.log
SlurmdLogFile=$T/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
MpiDefault=none
ReturnToService=2
MinJobAge=600
KillWait=5
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=dmtest Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$T/slurm.conf"
slurmctld -D -i -f "$SLURM_CONF" >"$T/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" >"$T/slurmd.out" 2>&1 &
pids+=($!)
up=""
for _ in $(seq 150); do
  [ "$(sinfo -h -N -o %t 2>/dev/null)" = idle ] && { up=1; break; }
  sleep 0.2
done
[ -n "$up" ] || skip "the private Slurm did not come up in 30 s: $(tail -3 "$T/slurmctld.log" "$T/slurmd.log" "$T/slurmctld.out" "$T/slurmd.out" 2>/dev/null | tr '\n' ' ')"
ok "a private single-node Slurm is up ($host, $(nproc) CPUs)"

# wait_jobs ID...: until none of them is pending or running (180 s at most:
# a hang guard, not a timing test; a CI machine under load took over 60 s).
wait_jobs() {
  local ids; ids=$(IFS=,; echo "$*")
  for _ in $(seq 900); do
    [ -z "$(squeue -h -j "$ids" -t PD,R,CG,CF,RQ,S 2>/dev/null)" ] && return 0
    # A requeued job waits two minutes (BeginTime): here it may start
    # now, once its last attempt's step is gone (no slurmstepd socket in
    # the spool dir), or the new attempt could fail to launch.
    squeue -h -j "$ids" -t PD -o "%i %A %r" 2>/dev/null | while read -r id job reason; do
      [ "$reason" = BeginTime ] && ! compgen -G "$T/spool/*_$job.*" >/dev/null &&
        scontrol update JobId="$id" StartTime=now 2>/dev/null
    done
    sleep 0.2
  done
  fail "jobs $ids still queued after 180 s: $(squeue -j "$ids" 2>&1 | tr '\n' ' ')"
  return 1
}
# job_state ID: JobState=... ExitCode=... of a finished job.
job_state() { scontrol -o show job "$1" | grep -oE "JobState=[A-Z_]+|ExitCode=[0-9:]+" | sort -u | tr '\n' ' '; }

# requeue JOB: as Slurm requeues a task (wait_jobs lets it start again).
requeue() { scontrol requeue "$1" 2>"$W/requeue.err"; }

# --- the recipe -------------------------------------------------------------
W="$T/work"
cp "$DM_SOURCE_DIR/examples/news.jsonl" "$W/corpus.jsonl"
"$S" -q --db "$W/one.db" "$W/corpus.jsonl"
"$S" -q --db "$W/one.db" --export | sort >"$W/one.export"
# The tasks run demarche-score through a wrapper that holds shard 1's first
# attempt after its store is written, before score.sbatch renames it: the
# test requeues that task there, as Slurm does a task whose node is lost.
cat >"$W/score-wrapper" <<WRAP
#!/usr/bin/env bash
"$S" "\$@" || exit \$?
if [ "\${SLURM_ARRAY_TASK_ID:-}" = 1 ] && [ "\${SLURM_RESTART_COUNT:-0}" = 0 ]; then
  trap 'kill \$! 2>/dev/null; exit 143' TERM
  touch "$W/held"; sleep 60 & wait \$!
fi
WRAP
chmod +x "$W/score-wrapper"
export DEMARCHE_SCORE="$W/score-wrapper"
cd "$W" || exit 1
array=$(sbatch --parsable --array=0-2 "$DM_SOURCE_DIR/scripts/slurm/score.sbatch" 3 parts corpus.jsonl 2>"$W/sbatch.err")
[ -n "$array" ] || { fail "sbatch the array: $(cat "$W/sbatch.err")"; finish; exit; }
merge=$(sbatch --parsable --dependency=afterok:"$array" "$DM_SOURCE_DIR/scripts/slurm/merge.sbatch" merged.db parts 3 2>>"$W/sbatch.err")
[ -n "$merge" ] || { fail "sbatch the merge: $(cat "$W/sbatch.err")"; finish; exit; }
ok "submitted the array ($array) and the merge after it ($merge)"
for _ in $(seq 600); do [ -e "$W/held" ] && break; sleep 0.2; done # 120 s
if [ -e "$W/held" ]; then
  ls parts/part-1-of-3.db.tmp-* >/dev/null 2>&1 && [ ! -e parts/part-1-of-3.db ] \
    && ok "shard 1's store is written under its temporary name, not yet a part" \
    || fail "shard 1 held: $(ls parts)"
  requeue "${array}_1" && ok "requeued shard 1's running task" || fail "scontrol requeue: $(cat "$W/requeue.err")"
else
  fail "shard 1's task was never held: $(ls "$W" parts 2>&1 | tr '\n' ' ')"
fi
wait_jobs "$array" "$merge"
for k in 0 1 2; do
  case $(job_state "${array}_$k") in
    *"ExitCode=0:0"*"JobState=COMPLETED"*) ok "task $k completed" ;;
    *) fail "task $k: $(job_state "${array}_$k")"; cat "$W/demarche-score-${array}_$k.out" >&2 ;;
  esac
done
grep -q "Restarts=1" <(scontrol -o show job "${array}_1") && ok "shard 1 ran twice (Restarts=1)" \
  || fail "shard 1 not restarted: $(scontrol -o show job "${array}_1" | grep -oE 'Restarts=[0-9]+')"
case $(job_state "$merge") in
  *"ExitCode=0:0"*"JobState=COMPLETED"*) ok "the merge ran after the array and completed" ;;
  *) fail "merge: $(job_state "$merge")"; cat "$W/demarche-merge-$merge.out" >&2 ;;
esac
[ "$(ls parts)" = "$(printf 'part-%s-of-3.%s\n' 0 db 0 log 1 db 1 log 2 db 2 log)" ] \
  && ok "three parts and their logs, no temporary store left" || fail "parts: $(ls parts | tr '\n' ' ')"
grep -q "merged 3 parts (0 failed): 28 documents added, 0 new revisions, 0 already stored" \
  "demarche-merge-$merge.out" && ok "the merge added each of the 28 documents once" \
  || fail "merge log: $(cat "demarche-merge-$merge.out")"
if [ -f merged.db ]; then
  "$S" -q --db merged.db --export | sort >"$W/merged.export"
  cmp -s "$W/one.export" "$W/merged.export" && [ -s "$W/one.export" ] \
    && ok "the merged store exports what a single run's store does" \
    || fail "the merged store differs from a single run's"
else
  fail "no merged store"
fi

# A finished task run again (scontrol requeue) replaces its part; the merge
# run again adds nothing.
requeue "${array}_2" || fail "requeue a finished task: $(cat "$W/requeue.err")"
again=$(sbatch --parsable --dependency=afterok:"${array}_2" "$DM_SOURCE_DIR/scripts/slurm/merge.sbatch" merged.db parts 3)
wait_jobs "${array}_2" "$again"
case $(job_state "$again") in
  *"ExitCode=0:0"*"JobState=COMPLETED"*) ok "a finished task requeued, then the merge again" ;;
  *) fail "merge again: $(job_state "$again")"; cat "$W/demarche-merge-$again.out" >&2 ;;
esac
grep -q "merged 3 parts (0 failed): 0 documents added, 0 new revisions, 28 already stored" \
  "demarche-merge-$again.out" && ok "merging again adds nothing" || fail "merge again: $(cat "demarche-merge-$again.out")"
"$S" -q --db merged.db --export | sort | cmp -s "$W/one.export" - \
  && ok "and the store still exports what one run's does" || fail "the store changed"
cd "$TMP" || exit 1
stop_daemons
finish

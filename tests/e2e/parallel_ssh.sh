#!/usr/bin/env bash
# The README's GNU parallel recipe across hosts, over ssh for real: a
# private sshd (this host, 127.0.0.1, a free port, its own host key and
# client key under $TMP, key login only, stopped by pid on exit) is the
# "remote" host; parallel copies the corpus there (--transferfile), runs
# the sharded tasks, brings the part stores back (--return), removes its
# copies (--cleanup); the merge of the parts exports what one run's store
# does. Skips, saying why, where sshd cannot start.
. "$(dirname "$0")/lib/common.sh"
S="$DM_BIN/demarche-score"
export DEMARCHE_DATA="$DM_SOURCE_DIR"
export PATH="$PATH:/usr/sbin"
for c in parallel rsync ssh ssh-keygen sshd; do
  command -v "$c" >/dev/null || skip "no $c (scripts/setup.sh installs parallel, rsync, openssh-server)"
done
[ "$(id -u)" = 0 ] || skip "not root: sshd needs root for its privilege separation"
sshd_pid="" master_pid=""
stop() { [ -n "$1" ] && { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null; }; }
trap 'stop "$master_pid"; stop "$sshd_pid"; rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

T="$TMP/ssh"
mkdir -p "$T/remote"
ssh-keygen -q -t ed25519 -N '' -f "$T/host_key" && ssh-keygen -q -t ed25519 -N '' -f "$T/id" \
  || skip "ssh-keygen failed"
cp "$T/id.pub" "$T/authorized_keys"
# sshd's privilege separation directory, made by the ssh service when it
# starts; an empty directory, created if missing.
[ -d /run/sshd ] || mkdir -m 755 /run/sshd || skip "cannot create /run/sshd"
user=$(id -un)
for _ in 1 2 3; do
  port=$((20000 + RANDOM % 20000))
  cat >"$T/sshd_config" <<CONF
Port $port
ListenAddress 127.0.0.1
HostKey $T/host_key
PidFile $T/sshd.pid
AuthorizedKeysFile $T/authorized_keys
AuthenticationMethods publickey
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
AllowUsers $user
StrictModes no
UsePAM no
CONF
  "$(command -v sshd)" -D -e -f "$T/sshd_config" 2>"$T/sshd.log" &
  sshd_pid=$!
  for _ in $(seq 50); do grep -q "Server listening" "$T/sshd.log" && break
    kill -0 "$sshd_pid" 2>/dev/null || break; sleep 0.1; done
  grep -q "Server listening" "$T/sshd.log" && break
  kill "$sshd_pid" 2>/dev/null; wait "$sshd_pid" 2>/dev/null; sshd_pid=""
done
[ -n "$sshd_pid" ] || skip "sshd did not start: $(grep -v '^debug' "$T/sshd.log" | head -2 | tr '\n' ' ')"
cat >"$T/ssh_config" <<CONF
Host dm-remote
  HostName 127.0.0.1
  Port $port
  User $user
  IdentityFile $T/id
  IdentitiesOnly yes
  BatchMode yes
  StrictHostKeyChecking no
  UserKnownHostsFile $T/known_hosts
  LogLevel ERROR
  ControlPath $T/master
  ControlMaster no
CONF
# One connection, started here and stopped by pid; parallel's ssh, rsync
# and cleanup calls go through it (a handshake each costs seconds on a
# loaded machine).
ssh -F "$T/ssh_config" -o ControlMaster=yes -N dm-remote 2>"$T/ssh.err" &
master_pid=$!
for _ in $(seq 100); do [ -S "$T/master" ] && break; kill -0 "$master_pid" 2>/dev/null || break; sleep 0.1; done
ssh -F "$T/ssh_config" dm-remote true 2>>"$T/ssh.err" && ok "ssh to a private sshd on 127.0.0.1:$port" \
  || skip "ssh to the private sshd failed: $(head -2 "$T/ssh.err" | tr '\n' ' ')"

cp "$DM_SOURCE_DIR/examples/news.jsonl" "$TMP/corpus.jsonl"
cd "$TMP" || exit 1
# As in the README, with the host dm-remote; its working directory is
# $T/remote (on a real cluster: --wd ... , a directory parallel makes and
# removes under ~/.parallel/tmp on each host).
seq 0 3 | parallel --will-cite --ssh "ssh -F $T/ssh_config" -S 2/dm-remote --wd "$T/remote" \
  --env DEMARCHE_DATA --transferfile corpus.jsonl --return part-{}.db --cleanup \
  "'$S' -q --db part-{}.db --shard {}/4 corpus.jsonl" 2>"$TMP/parallel.err" \
  && ok "four sharded tasks over ssh" || fail "parallel: $(head -5 "$TMP/parallel.err")"
[ "$(ls part-*.db 2>/dev/null | wc -l)" = 4 ] && ok "four part stores returned" || fail "parts: $(ls)"
[ -z "$(ls -A "$T/remote" 2>/dev/null)" ] && ok "the remote copies removed (--cleanup)" \
  || fail "left remotely: $(ls -A "$T/remote")"
expect_status 0 "merge the parts" -- "$S" --db merged.db --merge part-0.db part-1.db part-2.db part-3.db
expect_grep "merged 4 parts \(0 failed\): 28 documents added" "$TMP/err" "every document merged once"
"$S" -q --db one.db corpus.jsonl
cmp -s <("$S" -q --db one.db --export | sort) <("$S" -q --db merged.db --export | sort) \
  && ok "the merged store holds what one run stores" || fail "the merged store differs from one run's"
finish

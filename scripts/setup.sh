#!/usr/bin/env bash
# Install the Debian packages demarche needs, only those missing.
# Non-interactive and idempotent: does nothing when everything is there.
set -euo pipefail
packages=(build-essential cmake pkg-config libsvm-dev liblinear-dev libicu-dev
          libcmocka-dev libjansson-dev zlib1g-dev libcairo2-dev fonts-dejavu-core
          jq libxml2-utils strace) # strace: e2e tests deliver signals at chosen system calls
packages+=(clang libclang-rt-dev) # libFuzzer (clang's runtime): scripts/fuzz.sh
packages+=(libyajl-dev) # yajl: streaming JSON generator for demarche-score output (jansson builds a tree per statement)
packages+=(libsqlite3-dev sqlite3) # the store (--db); sqlite3: README queries, e2e checks of a store
packages+=(parallel) # GNU parallel: the README recipe for scoring across hosts, run by tests/e2e/parallel_recipe.sh
packages+=(slurm-wlm munge) # Slurm + its authentication: tests/e2e/slurm.sh runs scripts/slurm/*.sbatch on a private single-node Slurm
packages+=(openssh-server openssh-client rsync) # tests/e2e/parallel_ssh.sh: the GNU parallel recipe over ssh to this host (a private sshd, own port and keys; parallel copies files with rsync)
packages+=(chromium) # headless browser: tests/e2e/chart_browser.sh opens the chart's HTML page
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "setup: installing ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# The tests start their own munged, slurmctld, slurmd and sshd (private
# config, temp dirs, stopped by pid). Installing the packages must not leave
# system-wide daemons listening: where systemd runs, the services just
# installed are stopped and disabled (a container's policy-rc.d keeps them
# from starting at all).
if [ -d /run/systemd/system ]; then
  for p in "${missing[@]}"; do
    case "$p" in
      openssh-server) units="ssh.service ssh.socket" ;;
      munge) units="munge.service" ;;
      slurm-wlm) units="slurmctld.service slurmd.service" ;;
      *) continue ;;
    esac
    # shellcheck disable=SC2086
    $SUDO systemctl disable --now $units >/dev/null 2>&1 || true
  done
fi

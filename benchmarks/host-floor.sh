#!/usr/bin/env bash
# The host's floor below the JVM (BENCHMARKS.md, "HTTP submit-and-wait", session 9): two small C programs that
# show how late this machine wakes a thread and answers on loopback TCP, with no Java in the way. If these are
# already in the milliseconds at p99, no HTTP p99 target in the milliseconds can be judged on the host.
#
#   benchmarks/host-floor.sh [--rate N] [--seconds S] [--port P]
#
# 1. oversleep (benchmarks/src/host/oversleep.c): 20,000 x nanosleep(500 us), excess over 500 us (~12 s).
# 2. pingpong (benchmarks/src/host/pingpong.c): a server process echoing 200-byte messages on 127.0.0.1:P and a
#    client process sending them on one TCP connection at N/s for S s, latency from the intended send time.
# --rate (default 2000), --seconds (default 20), --port (default 45678). Prints one line per program on stdout.
# Needs gcc; compiles into a temporary directory that is removed on exit. Exit code: 0; 2 with one line on stderr
# if gcc is missing or an argument is bad; otherwise the failing program's.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$root/benchmarks/src/host"
rate=2000 seconds=20 port=45678
while (( $# )); do
  case "$1" in
    --rate) rate="${2-}"; shift; if (( $# )); then shift; fi ;;
    --seconds) seconds="${2-}"; shift; if (( $# )); then shift; fi ;;
    --port) port="${2-}"; shift; if (( $# )); then shift; fi ;;
    *) echo "host-floor.sh: unknown argument '$1' (usage: host-floor.sh [--rate N] [--seconds S] [--port P])" >&2; exit 2 ;;
  esac
done
for value in "$rate" "$seconds" "$port"; do
  [[ "$value" =~ ^[1-9][0-9]*$ ]] || { echo "host-floor.sh: --rate, --seconds and --port take positive integers, got '$value'" >&2; exit 2; }
done
command -v gcc > /dev/null || { echo "host-floor.sh: gcc not found (install gcc to build benchmarks/src/host/*.c)" >&2; exit 2; }
work_dir="$(mktemp -d "${TMPDIR:-/tmp}/voxroute-host-floor-XXXXXX")"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work_dir"
}
trap cleanup EXIT
gcc -O2 -o "$work_dir/oversleep" "$src/oversleep.c"
gcc -O2 -o "$work_dir/pingpong" "$src/pingpong.c"
echo "host-floor.sh: $(date -u +%H:%M:%S) UTC, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
"$work_dir/oversleep"
"$work_dir/pingpong" server "$port" &
server_pid=$!
"$work_dir/pingpong" client "$port" "$rate" "$seconds"
wait "$server_pid" 2>/dev/null || true
server_pid=""
echo "host-floor.sh: done $(date -u +%H:%M:%S) UTC, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2

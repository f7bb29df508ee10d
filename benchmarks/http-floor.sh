#!/usr/bin/env bash
# The floor of the HTTP benchmark (BENCHMARKS.md, "HTTP submit-and-wait", session 6): the same generator as
# benchmarks/http-load.sh (com.voxroute.benchmarks.HttpLoad, same JVM options) against a minimal Jetty server
# (com.voxroute.benchmarks.HttpEchoServer) that answers every POST with a fixed 200, instead of voxroute serve.
#
#   benchmarks/http-floor.sh [--mode worker|selector] [--handoffs N] [--work-micros US] -- --rate 2000 --seconds 10 --warmup-seconds 30 --json
#
# --mode worker (default: Jetty's blocking handler, the selector hands each request to a pool thread, as serve
# does) or selector (non-blocking handler on the selector thread); --handoffs N (0-4, default 0): threads the
# reply passes through, each woken by a blocking queue; --work-micros US (default 0): busy CPU per request on the
# last of them. Needs benchmarks/target/benchmarks.jar (mvn -B -DskipTests -pl benchmarks -am package).
# Environment: JAVA_HOME (else Temurin 25), SERVER_HEAP (default 2g), VOXROUTE_GC_FLAGS (default -XX:+UseZGC),
# LOAD_HEAP (default 512m), LOAD_JVM_OPTS (generator JVM flags, default none). Exit code: the generator's.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=java-home.sh
source "$root/benchmarks/java-home.sh"
mode=worker handoffs=0 work=0
while (( $# )); do
  case "$1" in
    --mode) mode="$2"; shift 2 ;;
    --handoffs) handoffs="$2"; shift 2 ;;
    --work-micros) work="$2"; shift 2 ;;
    --) shift; break ;;
    *) break ;;
  esac
done
jar="$root/benchmarks/target/benchmarks.jar"
[[ -f "$jar" ]] || { echo "http-floor.sh: $jar missing" >&2; exit 2; }
work_dir="$(mktemp -d "${TMPDIR:-/tmp}/voxroute-http-floor-XXXXXX")"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work_dir"
}
trap cleanup EXIT
read -r -a server_gc <<< "${VOXROUTE_GC_FLAGS:--XX:+UseZGC}"
"$java" "${server_gc[@]}" -Xms"${SERVER_HEAP:-2g}" -Xmx"${SERVER_HEAP:-2g}" -cp "$jar" com.voxroute.benchmarks.HttpEchoServer \
  0 "$work_dir/tokens" "$mode" "$handoffs" "$work" > "$work_dir/echo.log" 2>&1 &
server_pid=$!
url=""
for _ in $(seq 1 300); do
  url="$(sed -n 's#^echo: \(http://[^ ]*/\)$#\1#p' "$work_dir/echo.log" | head -n 1)"
  [[ -n "$url" ]] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work_dir/echo.log" >&2; exit 3; }
  sleep 0.1
done
[[ -n "$url" ]] || { echo "http-floor.sh: the echo server did not start" >&2; cat "$work_dir/echo.log" >&2; exit 3; }
echo "http-floor.sh: echo server pid $server_pid at $url (mode $mode, handoffs $handoffs, work $work us)" >&2
# shellcheck disable=SC2086
"$java" -Xms"${LOAD_HEAP:-512m}" -Xmx"${LOAD_HEAP:-512m}" ${LOAD_JVM_OPTS-} -cp "$jar" com.voxroute.benchmarks.HttpLoad \
  --url "$url" --token-file "$work_dir/tokens" --server-pid "$server_pid" --label "floor-$mode-h$handoffs-w$work" "$@"

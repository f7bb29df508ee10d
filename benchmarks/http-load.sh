#!/usr/bin/env bash
# HTTP submit-and-wait under open-loop load, server and load generator in two JVMs (issue 5):
#
#   benchmarks/http-load.sh --rate 2000 --seconds 10            # prints the report (a table; add --json for JSON)
#   benchmarks/http-load.sh --rate 2000 --seconds 10 --pin      # server on CPU 0, generator on CPU 1 (taskset)
#   benchmarks/http-load.sh --rate 2000 --seconds 10 --realtime 10  # serve --realtime-priority 10, generator under chrt -f 10
#   benchmarks/http-load.sh --rate 500 --client JDK --json --out-dir docs/results --name http-500-jdk
#
# 1. builds benchmarks/target/benchmarks.jar when it is missing or older than a source (it holds the engine, the CLI
#    and the generator; --no-build skips this);
# 2. takes the Banking77 model from the cache voxroute demo and voxroute bench use (.voxroute/models/banking77-<sha>),
#    training it there first when missing (about a minute), or --model DIR; the rules replay-data/banking77/rules.yaml
#    or --rules FILE;
# 3. starts `voxroute serve` on 127.0.0.1 (a free port) with a fresh data directory and token file (deleted at the
#    end unless --keep-data), in its own JVM with the project's JVM flags, and waits for GET /health/ready;
# 4. runs the generator (com.voxroute.benchmarks.HttpLoad) in a second JVM against it: --rate, --seconds and every
#    other option are the generator's (see: java -cp benchmarks/target/benchmarks.jar com.voxroute.benchmarks.HttpLoad
#    --help); it also reports the server's CPU per request (--server-pid is passed for you);
# 5. stops the server with SIGTERM (a background job ignores SIGINT; TERM runs the same clean shutdown: HTTP first, then the pipeline drains and closes the journal).
#
# Script options (the rest go to the generator): --model DIR, --rules FILE, --pin (server on CPU SERVER_CPUS,
# default 0, generator on CPU LOAD_CPUS, default 1), --realtime N (serve's request-path threads and the whole
# generator JVM under SCHED_FIFO priority N, 1..99: README, "Tail latency on a shared host"; needs root or
# CAP_SYS_NICE), --compare-clients ROUNDS (against the one server: ROUNDS rounds
# of the Jetty and the JDK client, the order swapped every round; with --out-dir the files are named
# http-compare-CLIENT-rROUND), --no-build, --keep-data. Environment: JAVA_HOME (else Temurin
# 25), VOXROUTE_DATA (else ../shared/data), SERVER_JAR (the server from another build, e.g. a copy of main's
# benchmarks.jar, for an A/B with the same generator; default the built jar), SERVE_ARGS (extra options of `serve`, split
# on spaces, e.g. SERVE_ARGS="--thread-layout split-journal" for an A/B of a serve option), SERVER_HEAP (default 2g, the heap ./voxroute serve runs with), LOAD_HEAP (default 512m), LOAD_JVM_OPTS (extra
# flags of the generator's JVM, default none: C1 + C2. On an idle machine with 30 s of warm-up, C2's code costs the
# generator 122-155 us per request against C1's 211-225 us; on a loaded machine C2 may still be compiling after the
# warm-up, and LOAD_JVM_OPTS=-XX:TieredStopAtLevel=1 (C1 only) is the cheaper choice there: BENCHMARKS.md).
# Exit code: the generator's (0 done, 2 usage error, 3 the server failed), or 3 when the server did not start.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# shellcheck source=java-home.sh
source "$root/benchmarks/java-home.sh"

usage() { echo "http-load.sh: $1" >&2; exit 2; }
model="" rules="$root/replay-data/banking77/rules.yaml" pin=0 rt=0 build=1 keep=0 compare=0 load_args=()
while (( $# )); do
  case "$1" in
    --model) [[ $# -ge 2 ]] || usage "--model needs a directory"; model="$2"; shift 2 ;;
    --rules) [[ $# -ge 2 ]] || usage "--rules needs a file"; rules="$2"; shift 2 ;;
    --pin) pin=1; shift ;;
    --realtime) [[ $# -ge 2 && "$2" =~ ^[1-9][0-9]?$ ]] || usage "--realtime needs a SCHED_FIFO priority 1..99"; rt="$2"; shift 2 ;;
    --compare-clients) [[ $# -ge 2 ]] || usage "--compare-clients needs a number of rounds"; compare="$2"; shift 2
      [[ "$compare" =~ ^[1-9][0-9]*$ ]] || { echo "http-load.sh: --compare-clients needs a number of rounds >= 1: $compare" >&2; exit 2; } ;;
    --no-build) build=0; shift ;;
    --keep-data) keep=1; shift ;;
    --url|--token-file|--server-pid) echo "http-load.sh: $1 is set by this script (it starts the server)" >&2; exit 2 ;;
    *) load_args+=("$1"); shift ;;
  esac
done

if (( compare )); then
  for a in "${load_args[@]}"; do
    case "$a" in --client|--client=*|--name|--name=*) echo "http-load.sh: $a is set by --compare-clients" >&2; exit 2 ;; esac
  done
fi

jar="$root/benchmarks/target/benchmarks.jar"
flags="$root/benchmarks/target/classes/voxroute-jvm.options"
if (( build )) && { [[ ! -f "$jar" || ! -f "$flags" ]] || [[ -n "$(find "$root/pom.xml" "$root/classifier" "$root/engine" \
    "$root/benchmarks" -newer "$jar" \( -path '*/target' -prune -o -type f -name '*.java' -print -o -name pom.xml -print \) \
    2>/dev/null | head -n 1)" ]]; }; then
  echo "http-load.sh: building benchmarks/target/benchmarks.jar" >&2
  mvn -B -q -DskipTests -pl benchmarks -am package >&2
fi
[[ -f "$jar" ]] || { echo "http-load.sh: $jar missing (build with: mvn -B -DskipTests -pl benchmarks -am package)" >&2; exit 2; }
# the generator's options are checked before the model is trained and a server started (needs only the jar)
"$java" -cp "$jar" com.voxroute.benchmarks.HttpLoad --check-options --url http://127.0.0.1:1/ --token-file /dev/null \
  "${load_args[@]}" >/dev/null || exit $?

pin_server=() pin_load=() rt_serve=()
if (( pin )); then
  pin_server=(taskset -c "${SERVER_CPUS:-0}") pin_load=(taskset -c "${LOAD_CPUS:-1}")
fi
if (( rt )); then
  # the server puts its own request-path threads under SCHED_FIFO (serve --realtime-priority); the generator, a
  # measuring instrument and not the product, runs its whole JVM under SCHED_FIFO so that its send times hold
  command -v chrt >/dev/null || usage "--realtime needs chrt (util-linux)"
  chrt -f "$rt" true 2>/dev/null || usage "--realtime $rt: SCHED_FIFO refused here (needs root, CAP_SYS_NICE or ulimit -r >= $rt)"
  rt_serve=(--realtime-priority "$rt") pin_load=(chrt -f "$rt" "${pin_load[@]}")
fi
vox=("$java" "@$flags" -Dorg.slf4j.simpleLogger.log.net.openhft=warn -cp "$jar" com.voxroute.cli.VoxRouteCommand)

if [[ -z "$model" ]]; then
  data_root="${VOXROUTE_DATA:-$root/../shared/data}"
  train="$data_root/banking77/train.jsonl"
  [[ -f "$train" ]] || { echo "http-load.sh: no $train (set VOXROUTE_DATA, or give --model DIR)" >&2; exit 2; }
  # the cache key of voxroute demo and voxroute bench: the first 16 hex digits of the training file's SHA-256
  model="$root/.voxroute/models/banking77-$(sha256sum "$train" | cut -c1-16)"
  if [[ ! -f "$model/model.json" ]]; then
    echo "http-load.sh: training the Banking77 model into $model (about a minute)" >&2
    mkdir -p "$root/.voxroute/models"
    tmp="$(mktemp -d "$model.tmp-XXXXXX")"
    "${vox[@]}" train --data "$train" --out "$tmp" >&2
    mv -T "$tmp" "$model" 2>/dev/null || rm -rf "$tmp" # another run cached it meanwhile: use that one
  fi
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/voxroute-http-load-XXXXXX")"
server_pid=""
stop_server() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$server_pid" 2>/dev/null; then
      echo "http-load.sh: the server did not stop within 10 s of SIGTERM; killing it" >&2
      kill -KILL "$server_pid" 2>/dev/null || true
    fi
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}
cleanup() {
  stop_server
  if (( keep )); then echo "http-load.sh: kept $work (journal, tokens, serve.log)" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# the server runs on the collector and heap `./voxroute serve` uses (generational ZGC, -Xms2g -Xmx2g; see the
# launcher), unless VOXROUTE_GC_FLAGS / SERVER_HEAP say otherwise, so the figures are those of the served engine
read -r -a server_gc <<< "${VOXROUTE_GC_FLAGS:--XX:+UseZGC}"
# shellcheck disable=SC2086 # SERVE_ARGS is split on spaces on purpose
"${pin_server[@]}" "$java" "@$flags" "${server_gc[@]}" -Dorg.slf4j.simpleLogger.log.net.openhft=warn -Xms"${SERVER_HEAP:-2g}" -Xmx"${SERVER_HEAP:-2g}" \
  -cp "${SERVER_JAR:-$jar}" com.voxroute.cli.VoxRouteCommand serve --port 0 --data-dir "$work/data" --token-file "$work/tokens" \
  --model "$model" --rules "$rules" "${rt_serve[@]}" ${SERVE_ARGS-} > "$work/serve.log" 2>&1 &
server_pid=$!

url=""
for _ in $(seq 1 600); do # up to 60 s: a cold JVM loading the model on a loaded machine
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "http-load.sh: the server exited before it was ready; its log:" >&2; cat "$work/serve.log" >&2; exit 3
  fi
  if [[ -z "$url" ]]; then
    url="$(sed -n 's#^serve: HTTP API v1 on \(http://[^ ]*/\)v1/ .*#\1#p' "$work/serve.log" | head -n 1)"
  fi
  if [[ -n "$url" ]] && [[ "$(curl -s -o /dev/null -w '%{http_code}' "${url}health/ready" || true)" == 200 ]]; then
    break
  fi
  sleep 0.1
done
if [[ -z "$url" ]] || [[ "$(curl -s -o /dev/null -w '%{http_code}' "${url}health/ready" || true)" != 200 ]]; then
  echo "http-load.sh: the server was not ready within 60 s; its log:" >&2; cat "$work/serve.log" >&2; exit 3
fi
echo "http-load.sh: server pid $server_pid at $url (model $model)$( (( pin )) && echo ", pinned to CPU ${SERVER_CPUS:-0}, generator to CPU ${LOAD_CPUS:-1}")" >&2

notes=() # a note for the report: how the processes were placed and scheduled
if (( pin )); then notes+=("pinned-server-cpu${SERVER_CPUS:-0}-load-cpu${LOAD_CPUS:-1}"); fi
if (( rt )); then notes+=("realtime-priority-$rt"); fi
label=()
if (( ${#notes[@]} )); then label=(--label "$(IFS=,; echo "${notes[*]}")"); fi
run_load() { # run_load ARGS...: the generator in its own JVM against the server
  # shellcheck disable=SC2086
  "${pin_load[@]}" "$java" -Xms"${LOAD_HEAP:-512m}" -Xmx"${LOAD_HEAP:-512m}" ${LOAD_JVM_OPTS-} -cp "$jar" com.voxroute.benchmarks.HttpLoad \
    --url "$url" --token-file "$work/tokens" --server-pid "$server_pid" \
    "${label[@]}" "$@"
}
rc=0
if (( compare )); then
  for r in $(seq 1 "$compare"); do
    if (( r % 2 )); then order=(JETTY JDK); else order=(JDK JETTY); fi
    for c in "${order[@]}"; do
      echo "http-load.sh: round $r of $compare, client $c" >&2
      run_load --client "$c" --name "http-compare-${c,,}-r$r" "${load_args[@]}" || rc=$?
    done
  done
else
  run_load "${load_args[@]}" || rc=$?
fi
stop_server
exit "$rc"

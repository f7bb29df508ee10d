#!/usr/bin/env bash
# Live heap per ticket of `voxroute serve`, and the time of GET /v1/departments, with N tickets on the heap, then
# the same after a restart on the same journal (README "Memory per ticket", BENCHMARKS.md "Session 8 (mem8)").
#
#   benchmarks/serve-heap.sh --model DIR [--seconds 100] [--rate 2000] [--cache 1000] [--name NAME]
#
# Starts `serve` (ZGC, 1 GiB heap, `assignmentCacheTickets: CACHE`, Banking77 rules, a fresh data directory), takes
# the idle server's live bytes (jcmd GC.run twice, then GC.class_histogram), loads it with the benchmarks module's
# HttpLoad (RATE/s for SECONDS, every request ?wait=true), takes the live bytes again, times GET /v1/departments
# 200 times on one keep-alive connection (curl's time_total per request), stops it with SIGTERM, starts it again
# on the same journal and measures both again. Bytes per ticket = (live bytes - idle live bytes) / tickets answered
# 200. The server jar is engine/target/voxroute.jar (SERVER_JAR=... for another build: an A/B); the generator is
# benchmarks/target/benchmarks.jar. Build first: mvn -B -DskipTests -pl benchmarks -am package.
# Prints one line per measurement; keeps everything (logs, histograms, load report) in the work directory it names.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/benchmarks/java-home.sh"
jcmd="$JAVA_HOME/bin/jcmd"

usage() { echo "serve-heap.sh: $1" >&2; exit 2; }
model="" seconds=100 rate=2000 cache=1000 name="serve-heap"
while (( $# )); do
  case "$1" in
    --model) [[ $# -ge 2 ]] || usage "--model needs a directory"; model="$2"; shift 2 ;;
    --seconds) [[ $# -ge 2 ]] || usage "--seconds needs a number"; seconds="$2"; shift 2 ;;
    --rate) [[ $# -ge 2 ]] || usage "--rate needs a number"; rate="$2"; shift 2 ;;
    --cache) [[ $# -ge 2 ]] || usage "--cache needs a number"; cache="$2"; shift 2 ;;
    --name) [[ $# -ge 2 ]] || usage "--name needs a word"; name="$2"; shift 2 ;;
    *) usage "unknown option $1" ;;
  esac
done
[[ -n "$model" && -f "$model/model.json" ]] || usage "--model DIR (a trained Banking77 model: voxroute train) is required"
[[ "$seconds" =~ ^[1-9][0-9]*$ && "$rate" =~ ^[1-9][0-9]*$ && "$cache" =~ ^[0-9]+$ ]] \
  || usage "--seconds and --rate must be whole numbers > 0, --cache >= 0"
jar="${SERVER_JAR:-$root/engine/target/voxroute.jar}"
bench="$root/benchmarks/target/benchmarks.jar"
flags="$root/benchmarks/target/classes/voxroute-jvm.options"
for f in "$jar" "$bench" "$flags"; do
  [[ -f "$f" ]] || usage "$f missing (build with: mvn -B -DskipTests -pl benchmarks -am package)"
done
export VOXROUTE_DATA="${VOXROUTE_DATA:-$root/../shared/data}"

work="$(mktemp -d "${TMPDIR:-/tmp}/voxroute-serve-heap-XXXXXX")"
echo "assignmentCacheTickets: $cache" > "$work/serve.yaml"
pid="" url=""
trap '[[ -n "$pid" ]] && kill -TERM "$pid" 2>/dev/null; echo "serve-heap.sh: kept $work" >&2' EXIT

start() { # start LOG: the server on the work directory's journal, waits until ready
  "$java" "@$flags" -XX:+UseZGC -Xms1g -Xmx1g -Dorg.slf4j.simpleLogger.log.net.openhft=warn -cp "$jar" \
    com.voxroute.cli.VoxRouteCommand serve --config "$work/serve.yaml" --port 0 --data-dir "$work/data" \
    --token-file "$work/tokens" --model "$model" --rules "$root/replay-data/banking77/rules.yaml" > "$work/$1" 2>&1 &
  pid=$! url=""
  for _ in $(seq 1 1200); do
    kill -0 "$pid" 2>/dev/null || { cat "$work/$1" >&2; usage "the server exited"; }
    [[ -z "$url" ]] && url="$(sed -n 's#^serve: HTTP API v1 on \(http://[^ ]*/\)v1/ .*#\1#p' "$work/$1" | head -n 1)"
    [[ -n "$url" && "$(curl -s -o /dev/null -w '%{http_code}' "${url}health/ready")" == 200 ]] && return
    sleep 0.1
  done
  usage "the server was not ready within 120 s"
}
live() { # live LABEL: live bytes after two full collections
  "$jcmd" "$pid" GC.run > /dev/null; sleep 1; "$jcmd" "$pid" GC.run > /dev/null; sleep 1
  "$jcmd" "$pid" GC.class_histogram > "$work/histogram-$1.txt"
  awk '/^Total/{print $3}' "$work/histogram-$1.txt"
}
departments() { # departments LABEL N: GET /v1/departments N times on one connection
  local viewer args=()
  viewer="$(sed -n 's/^viewer=//p' "$work/tokens")"
  for _ in $(seq 1 "$2"); do args+=(-o /dev/null "${url}v1/departments"); done
  curl -s -w '%{time_total}\n' -H "Authorization: Bearer $viewer" "${args[@]}" | sort -n \
    | awk -v n="$name $1" '{a[NR]=$1} END{printf "%s: GET /v1/departments ms p50 %.3f p90 %.3f min %.3f max %.3f (%d requests)\n", n, a[int(NR*0.5)]*1000, a[int(NR*0.9)]*1000, a[1]*1000, a[NR]*1000, NR}'
}
stop() { kill -TERM "$pid"; wait "$pid" 2>/dev/null; pid=""; }

echo "$name: load $(cut -d' ' -f1-3 /proc/loadavg), server $jar, work $work"
start serve-1.log
sleep 5
idle=$(live idle)
echo "$name idle: live bytes $idle"
"$java" -Xms512m -Xmx512m -cp "$bench" com.voxroute.benchmarks.HttpLoad --url "$url" --token-file "$work/tokens" \
  --rate "$rate" --seconds "$seconds" --warmup-seconds 0 --json > "$work/load.json" 2> "$work/load.err" \
  || { cat "$work/load.err" >&2; usage "HttpLoad failed"; }
tickets=$(sed -n 's/^ *"200" : \([0-9]*\).*/\1/p' "$work/load.json" | head -n 1)
[[ -n "$tickets" && "$tickets" -gt 0 ]] || usage "no request answered 200 (see $work/load.json)"
sleep 3
loaded=$(live loaded)
echo "$name loaded: $tickets tickets, live bytes $loaded, $(( (loaded - idle) / tickets )) B per ticket"
departments loaded 200
stop
start serve-2.log
sleep 10 # the view thread reads every assignment again (seconds for 200,000)
restarted=$(live restarted)
echo "$name restarted: live bytes $restarted, $(( (restarted - idle) / tickets )) B per ticket"
departments restarted 200
stop
echo "$name: load $(cut -d' ' -f1-3 /proc/loadavg)"

#!/usr/bin/env bash
# Regenerates every benchmark result behind BENCHMARKS.md in one command (not part of the build):
#
#   benchmarks/run-all.sh            # full run: about 25 minutes on a quiet 2-core machine (JMH ~8, layout
#                                    # sweep ~7, the rest ~10); every step has a time cap (STEP_TIMEOUT*: 10 min
#                                    # per pipeline step, 20 min layouts, 30 min JMH), so even on an overloaded
#                                    # machine it ends within 2 hours, a capped step marked TIMED OUT
#   QUICK=1 benchmarks/run-all.sh    # about 8 minutes: shorter runs, fewer JMH iterations (smoke test)
#
# Writes docs/results/: bench.md (machine, JVM, flags, commands, every table), *.hgrm (HdrHistogram
# percentile distributions, microseconds), *.png (several runs per plot), jmh.txt (JMH output), *.json.
# Numbers come from this run only; never edit them by hand. The machine is shared and noisy: the load
# average before and after each step is recorded next to it. A step that fails or hits its time cap is
# recorded in loads.txt and its section of bench.md says so; the other steps still run.
#
# Knobs (environment): RATES (pipeline comparison rates, default "100 5000 10000 20000"), SECONDS_PER_RUN
# (measured seconds per pipeline and rate, default 3), HTTP_RATE (default 2000), HTTP_SECONDS (default 10),
# HTTP_WARMUP_SECONDS (default 10),
# SWEEP_RATES, SWITCH_RATE, LAYOUT_RATES (layout sweep, default "500,1000,2000,3000"), LAYOUT_SECONDS, TRAFFIC
# (recorded traffic, default the zh-gov-board traffic-unlabelled.jsonl), SPEEDUP (default 1000000: 33 s for the
# 2.5 recorded years, gaps cut to MAX_GAP_SECONDS=0.1), JMH_FILTER, JMH_ARGS (e.g. "-wi 2 -i 3"), STEP_TIMEOUT
# (seconds per pipeline step, default 600), STEP_TIMEOUT_LAYOUTS (default 1200), STEP_TIMEOUT_JMH (default 1800),
# ASSEMBLE_ONLY=1 (keep the pipeline results already in docs/results, run only JMH, the plots and bench.md: e.g.
# to redo JMH with another filter).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# shellcheck source=java-home.sh
source "$root/benchmarks/java-home.sh"

quick="${QUICK:-0}"
if [[ "$quick" == 1 ]]; then
  rates="${RATES:-100 5000}"; seconds="${SECONDS_PER_RUN:-2}"; sweep_rates="${SWEEP_RATES:-100,200,500,1000,5000}"
  jmh_args="${JMH_ARGS:--wi 1 -w 1s -i 2 -r 1s -f 1}"; switch_seconds=2; warmup=2; layout_seconds="${LAYOUT_SECONDS:-1}"
  layout_rates="${LAYOUT_RATES:-500,1000}"; layout_select=(--layouts fused,split-journal,pooled --waits blocking,yielding --pool-sizes 2)
  recorded_seconds=3
else
  rates="${RATES:-100 5000 10000 20000}"; seconds="${SECONDS_PER_RUN:-3}"; sweep_rates="${SWEEP_RATES:-50,100,150,200,300,500,1000,2000,5000,10000,20000,50000}"
  jmh_args="${JMH_ARGS:-}"; switch_seconds=4; warmup=5; layout_seconds="${LAYOUT_SECONDS:-2}"
  layout_rates="${LAYOUT_RATES:-500,1000,2000,3000}"; layout_select=()
  recorded_seconds=10
fi
# 100/s: below the pipeline's saturation on the shared, overloaded 2-core machine of 2026-11-30 (see the
# sweep), so the switch is measured under load, not in overload. Raise on a quiet machine.
switch_rate="${SWITCH_RATE:-100}"
data_root="${VOXROUTE_DATA:-$root/../shared/data}"
traffic="${TRAFFIC:-$data_root/zh-gov-board/traffic-unlabelled.jsonl}"
speedup="${SPEEDUP:-1000000}"
max_gap="${MAX_GAP_SECONDS:-0.1}"
http_rate="${HTTP_RATE:-2000}"
http_seconds="${HTTP_SECONDS:-10}"
http_warmup="${HTTP_WARMUP_SECONDS:-10}"
step_timeout="${STEP_TIMEOUT:-600}"
step_timeout_layouts="${STEP_TIMEOUT_LAYOUTS:-1200}"
step_timeout_jmh="${STEP_TIMEOUT_JMH:-1800}"
jmh_filter="${JMH_FILTER:-JournalAppendBenchmark|RingHandoffBenchmark|AnalysisBenchmark|ClassifyBenchmark|RoutingBenchmark|PipelineThroughputBenchmark}"

out="$root/docs/results"
mkdir -p "$out"
assemble_only="${ASSEMBLE_ONLY:-0}"
[[ "$assemble_only" == 1 ]] || rm -f "$out"/*.hgrm "$out"/*.png "$out"/pipeline-*.md "$out"/pipeline-*.json "$out"/sweep*.md "$out"/switch*.md "$out"/layouts*.md "$out"/layouts-plot.txt "$out"/http-[0-9]*.md "$out"/http-[0-9]*.json "$out"/jmh.txt

echo "run-all: building benchmarks/target/benchmarks.jar" >&2
mvn -B -q -DskipTests -pl benchmarks -am package

jar="$root/benchmarks/target/benchmarks.jar"
flags="$root/benchmarks/target/classes/voxroute-jvm.options"
quiet=(-Dorg.slf4j.simpleLogger.log.net.openhft=warn)
heap=(-Xms1g -Xmx1g -XX:+AlwaysPreTouch)
vox_cmd=("$java" "@$flags" "${quiet[@]}" "${heap[@]}" -cp "$jar" com.voxroute.cli.VoxRouteCommand)
load() { cut -d' ' -f1-3 /proc/loadavg; }
log="$out/run-all.log"
[[ "$assemble_only" == 1 ]] || : > "$log"
step() { # step NAME LIMIT_SECONDS CMD...: runs a step with a time cap, records the load average around it
  local name="$1" limit="$2"; shift 2
  echo "run-all: $name: $*" >&2
  local before start rc=0; before="$(load)"; start=$SECONDS
  if [[ "$1" == vox ]]; then shift; set -- "${vox_cmd[@]}" "$@"; fi # timeout runs commands, not shell functions
  timeout -k 30 "$limit" "$@" 2>>"$log" || rc=$?
  local status="took $((SECONDS - start)) s"
  if [[ $rc == 124 || $rc == 137 ]]; then status="**TIMED OUT** after ${limit} s"; elif [[ $rc != 0 ]]; then status="**FAILED** (exit $rc, see run-all.log)"; fi
  echo "- $name: $status; load average before $before, after $(load)" >> "$out/loads.txt"
}
section() { # section FILE: a result file, or a line saying the step produced none
  if [[ -s "$1" ]]; then cat "$1"; else echo "_No result: the step failed or timed out (see the load averages below and run-all.log)._"; fi
}
[[ "$assemble_only" == 1 ]] || : > "$out/loads.txt"

if [[ "$assemble_only" != 1 ]]; then
# 1. Language switch first, in a fresh JVM that has not seen Chinese text yet.
step switch "$step_timeout" vox bench switch --rate "$switch_rate" --warmup-seconds "$warmup" --seconds "$switch_seconds" \
  --out-dir "$out" --name switch > /dev/null

# 2. VoxRoute vs the ArrayBlockingQueue baseline, alternating, at each rate (each in its own JVM).
for r in $rates; do
  step "pipeline-$r" "$step_timeout" vox bench pipeline --rate "$r" --seconds "$seconds" --rounds 2 --warmup-seconds "$warmup" \
    --json --out-dir "$out" --name "pipeline-$r" > /dev/null
done

# 2b. The same comparison at the recorded pace of the gov-board traffic (2.5 years, second-level arrivals).
step pipeline-recorded "$step_timeout" vox bench pipeline --pace recorded --traffic "$traffic" --speedup "$speedup" \
  --max-gap-seconds "$max_gap" --seconds "$recorded_seconds" --rounds 2 --warmup-seconds "$warmup" \
  --json --out-dir "$out" --name pipeline-recorded > /dev/null

# 3. Saturation: rates upward until p99 > 1 ms or the pipeline falls behind.
step sweep "$step_timeout" vox bench sweep --rates "$sweep_rates" --seconds "$seconds" --warmup-seconds "$warmup" \
  --p99-limit-micros 1000 --out-dir "$out" --name sweep > /dev/null

# 4. Thread layouts x wait strategies x classify threads, each at several rates until it falls behind.
step layouts "$step_timeout_layouts" vox bench layouts --rates "$layout_rates" --seconds "$layout_seconds" \
  --warmup-seconds 2 "${layout_select[@]}" --out-dir "$out" --name layouts > /dev/null

# 4b. HTTP submit-and-wait (POST /v1/tickets?wait=true): `voxroute serve` with the Banking77 model and the load
# generator in two JVMs (benchmarks/http-load.sh), the two processes free to use both cores, then pinned one per core.
step "http-$http_rate" "$step_timeout" benchmarks/http-load.sh --no-build --rate "$http_rate" --seconds "$http_seconds" \
  --warmup-seconds "$http_warmup" --json --out-dir "$out" --name "http-$http_rate" > /dev/null
step "http-$http_rate-pinned" "$step_timeout" benchmarks/http-load.sh --no-build --pin --rate "$http_rate" \
  --seconds "$http_seconds" --warmup-seconds "$http_warmup" --json --out-dir "$out" --name "http-$http_rate-pinned" > /dev/null
fi

# 5. JMH micro-benchmarks (the JMH forks inherit the JVM flags of this launcher).
# shellcheck disable=SC2086
step jmh "$step_timeout_jmh" "$java" "@$flags" "${quiet[@]}" -jar "$jar" "$jmh_filter" $jmh_args -rf text -rff "$out/jmh.txt" > "$out/jmh-console.txt"

# 6. Plots: several runs on one plot each.
plot() { "$java" -cp "$jar" com.voxroute.benchmarks.HgrmPlotter "$@" 2>>"$log" || echo "run-all: plot $1 failed (see run-all.log)" >&2; }
for r in $rates; do
  plot "$out/pipeline-$r.png" "Pipeline end to end at $r tickets/s offered (open loop, from intended send)" \
    "VoxRoute=$out/pipeline-$r-voxroute.hgrm" "ArrayBlockingQueue baseline=$out/pipeline-$r-baseline.hgrm"
done
series=()
for f in "$out"/pipeline-[0-9]*-voxroute.hgrm; do r="${f##*/pipeline-}"; r="${r%-voxroute.hgrm}"; series+=("VoxRoute $r/s=$f"); done
plot "$out/pipeline-rates.png" "VoxRoute end to end by offered rate" "${series[@]}"
series=()
for f in "$out"/switch-*.hgrm; do n="${f##*/switch-}"; series+=("${n%.hgrm}=$f"); done
plot "$out/switch.png" "English warm-up, then Chinese and long tickets ($switch_rate tickets/s)" "${series[@]}"
series=()
for f in "$out"/sweep-voxroute-*.hgrm; do r="${f##*/sweep-voxroute-}"; series+=("${r%.hgrm}/s=$f"); done
plot "$out/sweep-voxroute.png" "VoxRoute rate sweep" "${series[@]}"
if [[ -s "$out/pipeline-recorded-voxroute.hgrm" ]]; then
  plot "$out/pipeline-recorded.png" "Recorded pace: gov-board traffic at ${speedup}x (open loop, from intended send)" \
    "VoxRoute=$out/pipeline-recorded-voxroute.hgrm" "ArrayBlockingQueue baseline=$out/pipeline-recorded-baseline.hgrm"
fi
series=()
if [[ -s "$out/layouts-plot.txt" ]]; then mapfile -t series < "$out/layouts-plot.txt"; fi
(( ${#series[@]} == 0 )) || plot "$out/layouts.png" "The five best thread layouts, each at its saturation rate" "${series[@]}"
plot "$out/http-$http_rate.png" "HTTP submit-and-wait at $http_rate req/s (open loop, from intended send)" \
  "server and generator unpinned=$out/http-$http_rate.hgrm" "pinned, one core each=$out/http-$http_rate-pinned.hgrm"

# 7. The report.
{
  echo "# VoxRoute benchmark results"
  echo
  echo "Generated by \`benchmarks/run-all.sh\`$( [[ "$quick" == 1 ]] && echo ' (QUICK=1)') on $(date -u '+%Y-%m-%d %H:%M UTC'), commit \`$(git rev-parse --short HEAD)$(git diff --quiet || echo '-dirty')\`."
  echo "Numbers are from this run only, on a shared machine (other builds were running: see the load averages); treat them as orders of magnitude."
  echo
  echo "## Machine and JVM"
  echo
  echo "- \`nproc\`: $(nproc); CPU: $(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo); memory: $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo); kernel $(uname -r)"
  echo "- \`java -version\`: $("$java" -version 2>&1 | head -2 | tr '\n' ' ')"
  echo "- JVM flags (benchmarks/target/classes/voxroute-jvm.options, from the parent pom's \`voxroute.jvm.flags\`): \`$(tr '\n' ' ' < "$flags")\` plus \`${quiet[*]} ${heap[*]}\` for the harness"
  echo "- Latency is measured open loop from each ticket's *intended* send time (no coordinated omission), into auto-resizing HdrHistograms; the producer spins to send on time (\`--pacer SPIN\`), so it holds one of the two cores."
  echo "- Inputs: the dev splits of ../shared/data (Banking77 English, zh-unionpay/zh-taipei-1999/zh-gov-board Chinese, CFPB long English), shuffled with seed 20261130; the model is the Banking77 model (\`voxroute demo\`'s cache), the rules \`replay-data/banking77/rules.yaml\`."
  echo
  echo "## Pipeline: VoxRoute vs ArrayBlockingQueue baseline, same run"
  echo
  for r in $rates; do section "$out/pipeline-$r.md"; echo "![pipeline $r](pipeline-$r.png)"; echo; done
  echo "![by rate](pipeline-rates.png)"
  echo
  echo "## Recorded pace: the gov-board traffic sped up"
  echo
  echo "Each ticket is offered at its recorded arrival time divided by the speed-up (gaps longer than ${max_gap} s cut to it), and its latency is measured from that time."
  echo
  section "$out/pipeline-recorded.md"; echo; echo "![recorded](pipeline-recorded.png)"; echo
  echo "## Saturation sweep"
  echo
  section "$out/sweep.md"; echo; echo "![sweep](sweep-voxroute.png)"; echo
  echo "## Warm-up on English, then Chinese and long tickets"
  echo
  section "$out/switch.md"; echo; echo "![switch](switch.png)"; echo
  echo "## Thread layouts and wait strategies"
  echo
  section "$out/layouts.md"; echo; echo "![layouts](layouts.png)"; echo
  echo "## HTTP submit-and-wait"
  echo
  echo "\`voxroute serve\` (Banking77 model) and the load generator (\`com.voxroute.benchmarks.HttpLoad\`, Jetty client) in two JVMs, started by \`benchmarks/http-load.sh\`; the second run pins them to one core each (\`--pin\`)."
  echo
  section "$out/http-$http_rate.md"; echo; section "$out/http-$http_rate-pinned.md"; echo
  echo "![http](http-$http_rate.png)"; echo
  echo "## JMH"
  echo
  echo "\`java @benchmarks/target/classes/voxroute-jvm.options -jar benchmarks/target/benchmarks.jar '$jmh_filter' $jmh_args\`"
  echo
  echo '```'
  section "$out/jmh.txt"
  echo '```'
  echo
  echo "## Load average around each step"
  echo
  cat "$out/loads.txt"
} > "$out/bench.md"
echo "run-all: wrote $out/bench.md" >&2

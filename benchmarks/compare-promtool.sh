#!/usr/bin/env bash
# Times `strata tsdb create-blocks-from openmetrics` and `strata tsdb dump` against promtool 2.42
# on the same input and the same blocks, and reports wall time and peak memory of each.
#
# Run from anywhere after `mvn -q -B -DskipTests package`; needs promtool on the PATH and GNU time
# (`apt-get install -y time`) or a /proc file system. Environment knobs:
#   SERIES (about 2000)   series in the generated input
#   HOURS  (12)           hours of 15 s scrapes per series: SERIES x HOURS x 240 samples
#   RUNS   (3)            timed runs of each tool per task; the median is reported
#   WORK   (a temp dir)   where the input and blocks go (about 1 GiB); kept only if given
#
# Runs alternate between the tools (strata first on odd runs, promtool first on even ones) so that
# neither always meets a warm or a cold page cache. Strata is run as the ./strata launcher runs it,
# `java @jvm.options -jar examples/target/strata.jar`, without the launcher's staleness check; JVM
# start-up is included in its times.
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
jar="$root/examples/target/strata.jar"
series="${SERIES:-2000}"
hours="${HOURS:-12}"
runs="${RUNS:-3}"

die() { echo "compare-promtool: $*" >&2; exit 1; }
[ -f "$jar" ] || die "$jar is missing: run 'mvn -q -B -DskipTests package' first"
command -v promtool >/dev/null || die "promtool is not on the PATH (apt-get install -y prometheus)"
command -v java >/dev/null || die "java is not on the PATH"

if [ -n "${WORK:-}" ]; then
  work="$WORK"
  mkdir -p "$work"
else
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
fi

strata=(java "@$root/jvm.options" -jar "$jar")

gnu_time=""
if /usr/bin/time -f '%e' true >/dev/null 2>&1; then
  gnu_time=/usr/bin/time
fi

# measure OUT_FILE CMD...: runs CMD with stdout to OUT_FILE, prints "seconds peak_kib".
measure() {
  local out="$1"
  shift
  if [ -n "$gnu_time" ]; then
    local report="$work/time.txt"
    "$gnu_time" -o "$report" -f '%e %M' "$@" >"$out"
    cat "$report"
  else
    # No GNU time: sample the high-water mark of resident memory from /proc until the exit.
    local start end pid hwm=0 kib
    start=$(date +%s%N)
    "$@" >"$out" &
    pid=$!
    while kill -0 "$pid" 2>/dev/null; do
      # Shell built-ins only, so that sampling takes no CPU from the tool being measured.
      while read -r key kib _; do
        [ "$key" = VmHWM: ] && [ "$kib" -gt "$hwm" ] && hwm=$kib
      done 2>/dev/null <"/proc/$pid/status" || true
      sleep 0.05
    done
    wait "$pid"
    end=$(date +%s%N)
    awk -v ns=$((end - start)) -v kib="$hwm" 'BEGIN { printf "%.2f %d\n", ns / 1e9, kib }'
  fi
}

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "generating ${series} series x ${hours} h of 15 s scrapes into $work/input.om ..." >&2
awk -v nseries="$series" -v hours="$hours" -v start=1700000000 -v seed=1 \
  -f "$root/benchmarks/scripts/gen-openmetrics.awk" >"$work/input.om" 2>"$work/input.stats"
read -r series_made _ samples _ <"$work/input.stats"
input_mib=$(( $(stat -c %s "$work/input.om") / 1048576 ))

declare -A secs kib
run_task() { # task tool stdout command...
  local task="$1" tool="$2" out="$3"
  shift 3
  local result
  result=$(measure "$out" "$@")
  secs[$task-$tool]+="${result% *} "
  kib[$task-$tool]+="${result#* } "
  echo "  $task $tool: ${result% *} s, $(( ${result#* } / 1024 )) MiB" >&2
}

create() { # tool
  rm -rf "$work/blocks-$1"
  if [ "$1" = strata ]; then
    run_task create strata "$work/create-strata.out" \
      "${strata[@]}" tsdb create-blocks-from openmetrics "$work/input.om" "$work/blocks-strata"
  else
    run_task create promtool "$work/create-promtool.out" \
      promtool tsdb create-blocks-from openmetrics "$work/input.om" "$work/blocks-promtool"
  fi
  mkdir -p "$work/blocks-$1/wal" # dump wants a WAL directory, even an empty one
}

dump() { # tool; both read promtool's blocks
  if [ "$1" = strata ]; then
    run_task dump strata /dev/null "${strata[@]}" tsdb dump "$work/blocks-promtool"
  else
    run_task dump promtool /dev/null promtool tsdb dump "$work/blocks-promtool"
  fi
}

for task in create dump; do
  echo "$task, $runs runs each:" >&2
  for ((i = 1; i <= runs; i++)); do
    if ((i % 2)); then order=(strata promtool); else order=(promtool strata); fi
    for tool in "${order[@]}"; do
      "$task" "$tool"
    done
  done
done

echo "checking that both dumps print the same (untimed) ..." >&2
ours=$("${strata[@]}" tsdb dump "$work/blocks-promtool" | sha256sum)
theirs=$(promtool tsdb dump "$work/blocks-promtool" | sha256sum)
[ "$ours" = "$theirs" ] || die "strata's and promtool's dumps differ"

# The blocks of both tools must be the same bytes, apart from meta.json's ULID.
identical=yes
for ours in "$work"/blocks-strata/*/index; do
  block=$(dirname "$ours")
  min=$(grep -o '"minTime": *[0-9]*' "$block/meta.json")
  theirs=$(grep -l "$min" "$work"/blocks-promtool/*/meta.json | head -1)
  theirs=$(dirname "$theirs")
  cmp -s "$ours" "$theirs/index" && cmp -s "$block/chunks/000001" "$theirs/chunks/000001" || identical=no
done

row() { # task label
  local p s pk sk pt st pm sm
  read -r -a pt <<<"${secs[$1-promtool]}"
  read -r -a st <<<"${secs[$1-strata]}"
  read -r -a pm <<<"${kib[$1-promtool]}"
  read -r -a sm <<<"${kib[$1-strata]}"
  p=$(median "${pt[@]}"); s=$(median "${st[@]}")
  pk=$(median "${pm[@]}"); sk=$(median "${sm[@]}")
  awk -v l="$2" -v p="$p" -v s="$s" -v pk="$pk" -v sk="$sk" 'BEGIN {
    printf "| %s | %.2f | %.2f | %.2fx | %d | %d | %.2f |\n", l, p, s, p / s, pk / 1024, sk / 1024, sk / pk }'
}

echo
echo "input: $samples samples, $series_made series, $hours h of 15 s scrapes, $input_mib MiB of OpenMetrics"
echo "runs: $runs per tool and task, alternating; medians; machine: $(nproc) cores"
echo "blocks byte-identical (index, chunks) to promtool's: $identical; dump outputs identical: yes"
echo
echo "| task | promtool s | strata s | strata speed-up | promtool peak RSS MiB | strata peak RSS MiB | RSS ratio |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
row create "create-blocks-from openmetrics"
row dump "dump (all blocks, to /dev/null)"

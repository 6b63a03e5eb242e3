#!/usr/bin/env bash
# Times a dashboard's PromQL queries against Prometheus 2.42 and `strata serve --read-only`, each
# serving its own copy of the same blocks, through the same HTTP API, in the same run.
#
# Usage: benchmarks/promql-vs-prometheus.sh [SERIES] [HOURS] [RUNS]   (defaults 10000 24 5)
#
# SERIES x HOURS of 15 s scrapes (DashboardDataGenerator: request counters with restarts, a
# classic histogram, node CPU, memory and load) are written once as 2 h blocks ending about an
# hour ago, then copied for each server. For every query both servers are started afresh
# (Prometheus first); "cold" is the query's first execution after the start, "warm" the median of
# RUNS further executions, the two servers taking turns, Prometheus first. Times are curl's
# %{time_total} over loopback: request, evaluation, JSON encoding and transfer. Both answers
# must have the same number of series and points (a sanity check, not a comparison of values).
# Peak RSS is each process's VmHWM after the query's runs. Prints a Markdown table.
#
# Needs prometheus on the PATH, curl and jq; builds the jars if they are missing. Environment:
#   WORK (a temp dir)   where the data goes (3 copies, about 0.8 GB at the defaults); kept
#                       only if given
#   STRATA_JVM_FLAGS    extra JVM flags for strata serve, e.g. -Xmx2g (none by default)
#   WARMUP (0)          untimed executions between the cold one and the warm ones, on both
#                       servers: a fresh JVM compiles its hot loops during the first dozen or so
#   STATS (0)           1 asks both servers for their query statistics (stats=all) and adds the
#                       median evaluation time of the warm runs (evalTotalTime), to tell the
#                       engine's time from the HTTP and JSON layer's
set -euo pipefail

bench=promql-vs-prometheus
# shellcheck source=benchmarks/common.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/common.sh"
series="${1:-10000}"
hours="${2:-24}"
runs="${3:-5}"
need prometheus curl jq java
build_jars

echo "generating $series series x $hours h ..." >&2
rm -rf "$work/data" "$work/prometheus" "$work/strata"
# Its last line: start_ms=... end_ms=... series=... samples=...
read -r start_ms end_ms written samples < <(java -cp "$bench_jar" \
  dev.strata.benchmarks.promql.DashboardDataGenerator \
  --out="$work/data" --series="$series" --hours="$hours" \
  | awk -F '[ =]' '/^start_ms=/ { print $2, $4, $6, $8 }')
[ -n "${samples:-}" ] || die "the data generator failed"
cp -r "$work/data" "$work/prometheus"
cp -r "$work/data" "$work/strata"
printf 'global:\n  scrape_interval: 15s\nscrape_configs: []\n' >"$work/prometheus.yml"

start_strata() {
  local port
  port=$(free_port)
  rm -f "$work/strata.log" # the previous server's "listening" line must not count
  # shellcheck disable=SC2086 # STRATA_JVM_FLAGS is a list of flags
  java "@$root/jvm.options" ${STRATA_JVM_FLAGS:-} -jar "$strata_jar" serve --read-only \
    --storage.tsdb.path="$work/strata" --web.listen-address="127.0.0.1:$port" \
    >"$work/strata.log" 2>&1 &
  strata_pid=$!
  pids+=("$strata_pid")
  strata_url="http://127.0.0.1:$port"
  wait_until 120 "$strata_pid" strata grep -q '^strata serve: .* on http://' "$work/strata.log"
}

# STATS=1: both servers report their query statistics.
stats=()
[ "${STATS:-0}" != 1 ] || stats=(stats=all)

peak_rss_kib() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }

# Milliseconds the server says it spent evaluating (Prometheus's stats=all timings).
eval_ms() { jq -r '.data.stats.timings.evalTotalTime * 1000' "$1"; }

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

hours=$(((end_ms - start_ms) / 3600000)) # whole 2 h blocks
range_hours=$((hours < 24 ? hours : 24))
range_end=$((end_ms / 1000))
range_start=$((range_end - range_hours * 3600))


rows=()
cold_ratios=()
warm_ratios=()
max_prometheus_kib=0
max_strata_kib=0
for entry in "${queries[@]}"; do
  kind="${entry%%|*}"
  query="${entry#*|}"
  echo "$kind: $query" >&2
  start_prometheus
  start_strata
  pc=$(timed "$prometheus_url" "$kind" "$query" "$work/prometheus.json" "${stats[@]}")
  sc=$(timed "$strata_url" "$kind" "$query" "$work/strata.json" "${stats[@]}")
  p_shape=$(shape "$work/prometheus.json")
  s_shape=$(shape "$work/strata.json")
  same=yes
  if [ "$p_shape" != "$s_shape" ]; then
    same="**no** ($p_shape / $s_shape)"
    echo "  answers differ in shape: prometheus $p_shape, strata $s_shape (series points)" >&2
  fi
  for ((r = 0; r < ${WARMUP:-0}; r++)); do
    timed "$prometheus_url" "$kind" "$query" /dev/null "${stats[@]}" >/dev/null
    timed "$strata_url" "$kind" "$query" /dev/null "${stats[@]}" >/dev/null
  done
  pw=()
  sw=()
  pe=()
  se=()
  answer=/dev/null
  if [ "${STATS:-0}" = 1 ]; then answer="$work/answer.json"; fi
  for ((r = 0; r < runs; r++)); do
    pw+=("$(timed "$prometheus_url" "$kind" "$query" "$answer" "${stats[@]}")")
    if [ "${STATS:-0}" = 1 ]; then pe+=("$(eval_ms "$answer")"); fi
    sw+=("$(timed "$strata_url" "$kind" "$query" "$answer" "${stats[@]}")")
    if [ "${STATS:-0}" = 1 ]; then se+=("$(eval_ms "$answer")"); fi
  done
  pwm=$(median "${pw[@]}")
  swm=$(median "${sw[@]}")
  evals=""
  if [ "${STATS:-0}" = 1 ]; then
    evals=$(awk -v p="$(median "${pe[@]}")" -v s="$(median "${se[@]}")" \
      'BEGIN { printf " %.1f | %.1f | %.2fx |", p, s, s / p }')
  fi
  pk=$(peak_rss_kib "$prometheus_pid")
  sk=$(peak_rss_kib "$strata_pid")
  stop_servers
  if ((pk > max_prometheus_kib)); then max_prometheus_kib=$pk; fi
  if ((sk > max_strata_kib)); then max_strata_kib=$sk; fi
  cold_ratios+=("$(awk -v p="$pc" -v s="$sc" 'BEGIN { printf "%.3f", s / p }')")
  warm_ratios+=("$(awk -v p="$pwm" -v s="$swm" 'BEGIN { printf "%.3f", s / p }')")
  echo "  cold $pc / $sc ms, warm $pwm / $swm ms (prometheus / strata), shape $p_shape;" \
    "warm runs: ${pw[*]} / ${sw[*]}" >&2
  rows+=("$(awk -v k="$kind" -v q="$query" -v pc="$pc" -v sc="$sc" -v pw="$pwm" \
    -v sw="$swm" -v pk="$pk" -v sk="$sk" -v same="$same" -v shape="$p_shape" -v evals="$evals" 'BEGIN {
      split(shape, n, " ")
      printf "| `%s` (%s) | %d / %d | %.1f | %.1f | %.2fx | %.1f | %.1f | %.2fx |%s %d | %d | %s |",
        q, k, n[1], n[2], pc, sc, sc / pc, pw, sw, sw / pw, evals, pk / 1024, sk / 1024, same }')")
done

echo
echo "data: $written series, $samples samples, $hours h of 15 s scrapes in 2 h blocks;" \
  "range queries over the last $range_hours h at 60 s steps, instant queries at the end;" \
  "warm = median of $runs runs after ${WARMUP:-0} untimed ones; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
eval_columns=""
eval_rule=""
if [ "${STATS:-0}" = 1 ]; then
  eval_columns=" Prometheus warm eval ms | Strata warm eval ms | eval Strata/Prometheus |"
  eval_rule=" --- | --- | --- |"
fi
echo "| query | series / points | Prometheus cold ms | Strata cold ms | cold Strata/Prometheus |" \
  "Prometheus warm ms | Strata warm ms | warm Strata/Prometheus |$eval_columns" \
  "Prometheus peak RSS MiB | Strata peak RSS MiB | same shape |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |$eval_rule --- | --- | --- |"
printf '%s\n' "${rows[@]}"
echo
printf -v cold_median '%.2f' "$(median "${cold_ratios[@]}")"
printf -v warm_median '%.2f' "$(median "${warm_ratios[@]}")"
echo "Median ratio Strata/Prometheus over the ${#queries[@]} queries: cold ${cold_median}x," \
  "warm ${warm_median}x." \
  "Peak RSS over all queries: Prometheus $((max_prometheus_kib / 1024)) MiB," \
  "Strata $((max_strata_kib / 1024)) MiB."

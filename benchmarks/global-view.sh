#!/usr/bin/env bash
# The global view against Prometheus: the same data queried through `strata query` -> `strata
# store` -> S3Proxy and directly from one Prometheus 2.42 holding it on its own disk, warm.
#
# Usage: benchmarks/global-view.sh [SERIES] [HOURS] [RUNS]   (defaults 10000 24 5)
#
# SERIES x HOURS of 15 s scrapes (DashboardDataGenerator, the data of promql-vs-prometheus.sh) are
# written twice with the same seed, as two HA replicas would have scraped them: the same samples
# in blocks of their own. Replica a's blocks go to the bucket with the external labels
# cluster=c1,replica=a, replica b's with cluster=c1,replica=b (ReplicaUpload, as a sidecar ships
# them); replica a's go once more under the prefix "single/", alone. Prometheus serves a copy of
# replica a's blocks from its data directory (no scrape targets). Then, all on loopback:
#
#   prometheus                   replica a's blocks on its disk
#   strata store (both)          the bucket: replicas a and b
#   strata query (both)          --endpoint=<store (both)> --query.replica-label=replica
#   strata store (single)        the bucket under single/: replica a alone
#   strata query (single)        --endpoint=<store (single)> --query.replica-label=replica
#
# The dashboard query set of promql-vs-prometheus.sh runs against each: range queries over the last
# 24 h (or HOURS if fewer) at 60 s steps, instant queries at the end of the data. All servers are
# started once and stay up; for each query untimed rounds go first (below), then RUNS timed
# rounds, the targets taking turns in each round (Prometheus, the querier over both replicas with
# dedup=true, the same with dedup=false, the querier over one replica). Times are curl's
# %{time_total} of a POST: evaluation, the StoreAPI hops, JSON encoding and transfer. The table
# gives medians, the ratio querier/Prometheus (the goal: at most 1x) and the deduplication
# overhead, querier over two replicas deduplicated / querier over one replica (dedup=false is
# shown for what merging saves: it evaluates both replicas' series, undeduplicated). The answers
# of the deduplicating querier and of the single-replica one must have the shape of Prometheus's
# (series and points; a sanity check, not a comparison of values).
#
# Needs prometheus, curl, jq and java on the PATH; builds the jars and s3-tier's test classes
# (for S3Proxy) if missing. Environment:
#   WORK (a temp dir)   where the data goes (4 copies of the blocks, S3Proxy's 3, about 1.8 GB at
#                       the defaults); kept only if given, and reused: blocks already generated or
#                       uploaded are not redone
#   WARMUP (10), WARMUP_SECONDS (30)   untimed rounds per query before the timed ones: at least
#                       WARMUP rounds, and more until WARMUP_SECONDS have passed
#   STRATA_JVM_FLAGS    extra JVM flags for the strata servers (none by default: as the launcher)
#   CHUNK_CACHE (1GB), INDEX_CACHE (256MB)   the stores' caches: large enough by default to hold
#                       what the queries read, as "warm" means
#   ONLY                an extended regular expression: only the queries ("KIND|QUERY") it matches
#   HOLD                if set, the servers stay up after the table (their URLs printed) until
#                       the script is stopped: for profiling them by hand
set -euo pipefail

bench=global-view
# shellcheck source=benchmarks/common.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/common.sh"
series="${1:-10000}"
hours="${2:-24}"
runs="${3:-5}"
warmup="${WARMUP:-10}"
warmup_seconds="${WARMUP_SECONDS:-30}"
need prometheus curl jq java
build_jars

# --- data: two replicas of the same samples -------------------------------------------------

# generate DIR [END_MS]: prints "start_ms end_ms series samples"; kept from an earlier run if the
# directory says it was made for the same size.
generate() {
  local dir="$1" end="${2:-}" stamp="$1.done"
  if [ -f "$stamp" ] && [ "$(head -1 "$stamp")" = "$series $hours ${end:-any}" ]; then
    tail -1 "$stamp"
    return
  fi
  rm -rf "$dir" "$stamp"
  local -a args=(--out="$dir" --series="$series" --hours="$hours" --seed=1)
  [ -z "$end" ] || args+=(--end-ms="$end")
  local line
  line=$(java -cp "$bench_jar" dev.strata.benchmarks.promql.DashboardDataGenerator "${args[@]}" \
    | awk -F '[ =]' '/^start_ms=/ { print $2, $4, $6, $8 }')
  [ -n "$line" ] || die "the data generator failed"
  printf '%s\n%s\n' "$series $hours ${end:-any}" "$line" >"$stamp"
  echo "$line"
}

echo "generating $series series x $hours h, twice ..." >&2
read -r start_ms end_ms written samples < <(generate "$work/replica-a")
read -r _ end_b _ _ < <(generate "$work/replica-b" "$end_ms")
[ "$end_b" = "$end_ms" ] || die "replica b's data ends at $end_b, replica a's at $end_ms"
rm -rf "$work/prometheus"
cp -r "$work/replica-a" "$work/prometheus"
printf 'global:\n  scrape_interval: 15s\nscrape_configs: []\n' >"$work/prometheus.yml"

# --- S3Proxy and the uploads ----------------------------------------------------------------

# A fresh bucket every run (S3Proxy's test server creates it and will not start over one that
# exists); uploading again takes seconds next to the generation, which a kept WORK skips.
rm -rf "$work/store-both-data" "$work/store-single-data"
start_s3proxy
{ cat "$work/objstore.yml"; echo "prefix: single"; } >"$work/objstore-single.yml"

upload() {
  java "@$root/jvm.options" -cp "$bench_jar" dev.strata.benchmarks.query.ReplicaUpload \
    --objstore.config-file="$work/objstore.yml" "$@" >&2 || die "uploading $* failed"
}
upload --blocks="$work/replica-a" --labels=cluster=c1,replica=a
upload --blocks="$work/replica-b" --labels=cluster=c1,replica=b
upload --blocks="$work/replica-a" --labels=cluster=c1,replica=a --prefix=single

# --- servers --------------------------------------------------------------------------------

start_prometheus

# start_strata NAME ARGS...: a strata server on free ports; sets started_pid, started_http and
# started_grpc from the line it prints when ready.
start_strata() {
  local name="$1" line
  shift
  rm -f "$work/$name.log"
  # shellcheck disable=SC2086 # STRATA_JVM_FLAGS is a list of flags
  java "@$root/jvm.options" ${STRATA_JVM_FLAGS:-} -jar "$strata_jar" "$@" \
    --http-address=127.0.0.1:0 --grpc-address=127.0.0.1:0 \
    --http-grace-period=0s --grpc-grace-period=0s >"$work/$name.log" 2>&1 &
  started_pid=$!
  pids+=("$started_pid")
  wait_until 300 "$started_pid" "$name" grep -q '^strata .*HTTP on http://' "$work/$name.log"
  line=$(grep -m1 '^strata .*HTTP on http://' "$work/$name.log")
  started_http=$(sed -E 's|.*HTTP on (http://[^ ,]+).*|\1|' <<<"$line")
  started_grpc=$(sed -E 's|.*StoreAPI \(gRPC\) on ([^ ,]+).*|\1|' <<<"$line")
}

start_store() {
  start_strata "store-$1" store --objstore.config-file="$2" --data-dir="$work/store-$1-data" \
    --index-cache-size="${INDEX_CACHE:-256MB}" --chunk-cache-size="${CHUNK_CACHE:-1GB}"
}
start_store both "$work/objstore.yml"
store_both_pid=$started_pid
store_both_grpc=$started_grpc
start_store single "$work/objstore-single.yml"
store_single_pid=$started_pid
store_single_grpc=$started_grpc
start_strata query-both query --endpoint="$store_both_grpc" --query.replica-label=replica
query_both_pid=$started_pid
query_both_url=$started_http
start_strata query-single query --endpoint="$store_single_grpc" --query.replica-label=replica
query_single_pid=$started_pid
query_single_url=$started_http

hours=$(((end_ms - start_ms) / 3600000)) # whole 2 h blocks
range_hours=$((hours < 24 ? hours : 24))
range_end=$((end_ms / 1000))
range_start=$((range_end - range_hours * 3600))

# The queriers learn of their store in the background: wait until each sees every series.
instant_value() {
  curl -s --data-urlencode "query=$2" --data-urlencode "time=$range_end" "$1/api/v1/query" \
    | jq -r '.data.result[0].value[1] // empty'
}
expected=$(instant_value "$prometheus_url" 'count({__name__=~".+"})')
[ -n "$expected" ] || die "Prometheus has no series at the end of the data"
sees_all() { [ "$(instant_value "$1" 'count({__name__=~".+"})')" = "$expected" ]; }
wait_until 120 "$query_both_pid" query-both sees_all "$query_both_url"
wait_until 120 "$query_single_pid" query-single sees_all "$query_single_url"

# --- the queries ----------------------------------------------------------------------------

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# One round: each target once, in turn; appends the times to the arrays named.
round() {
  local kind="$1" query="$2" out="$3"
  p_t+=("$(timed "$prometheus_url" "$kind" "$query" "$out/prometheus.json")")
  d_t+=("$(timed "$query_both_url" "$kind" "$query" "$out/dedup.json" dedup=true)")
  n_t+=("$(timed "$query_both_url" "$kind" "$query" "$out/nodedup.json" dedup=false)")
  s_t+=("$(timed "$query_single_url" "$kind" "$query" "$out/single.json")")
}


if [ -n "${ONLY:-}" ]; then
  selected=()
  for entry in "${queries[@]}"; do
    if grep -qE -- "$ONLY" <<<"$entry"; then selected+=("$entry"); fi
  done
  [ "${#selected[@]}" -gt 0 ] || die "ONLY=$ONLY matches none of the queries"
  queries=("${selected[@]}")
fi

mkdir -p "$work/answers"
rows=()
ratios=()
overheads=()
for entry in "${queries[@]}"; do
  kind="${entry%%|*}"
  query="${entry#*|}"
  echo "$kind: $query" >&2
  p_t=() d_t=() n_t=() s_t=()
  # A JIT compiles a loop after so many executions, not after so many seconds: a cheap query
  # needs many more rounds than WARMUP before it is as warm as the others.
  warm_until=$((SECONDS + warmup_seconds))
  for ((r = 0; r < warmup || SECONDS < warm_until; r++)); do
    round "$kind" "$query" "$work/answers"
  done
  p_t=() d_t=() n_t=() s_t=()
  for ((r = 0; r < runs; r++)); do round "$kind" "$query" "$work/answers"; done
  p_shape=$(shape "$work/answers/prometheus.json")
  same=yes
  for side in dedup single; do
    s_shape=$(shape "$work/answers/$side.json")
    if [ "$s_shape" != "$p_shape" ]; then
      same="**no** ($side: $s_shape)"
      echo "  answers differ in shape: prometheus $p_shape, $side $s_shape (series points)" >&2
    fi
  done
  pm=$(median "${p_t[@]}") dm=$(median "${d_t[@]}") nm=$(median "${n_t[@]}") sm=$(median "${s_t[@]}")
  ratios+=("$(awk -v p="$pm" -v d="$dm" 'BEGIN { printf "%.3f", d / p }')")
  overheads+=("$(awk -v s="$sm" -v d="$dm" 'BEGIN { printf "%.3f", d / s }')")
  echo "  prometheus ${p_t[*]} | query dedup ${d_t[*]} | dedup=false ${n_t[*]} | one replica ${s_t[*]}" >&2
  rows+=("$(awk -v k="$kind" -v q="$query" -v p="$pm" -v d="$dm" -v n="$nm" -v s="$sm" \
    -v shape="$p_shape" -v same="$same" 'BEGIN {
      split(shape, c, " ")
      printf "| `%s` (%s) | %d / %d | %.1f | %.1f | **%.2fx** | %.1f | %.2fx | %.1f | %.2fx | %s |",
        q, k, c[1], c[2], p, d, d / p, s, s / p, n, d / s, same }')")
done

peak_mib() { awk '/^VmHWM:/ { printf "%d", $2 / 1024 }' "/proc/$1/status"; }

echo
echo "data: $written series x 2 replicas, $samples samples per replica, $hours h of 15 s scrapes" \
  "in 2 h blocks; range queries over the last $range_hours h at 60 s steps, instant queries at" \
  "the end; medians of $runs rounds after at least $warmup untimed ones (and $warmup_seconds s)," \
  "the targets taking turns."
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1)," \
  "$(free -g | awk '/^Mem:/ { print $2 }') GiB; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "stores' caches: index ${INDEX_CACHE:-256MB}, chunks ${CHUNK_CACHE:-1GB};" \
  "strata JVM flags: jvm.options ${STRATA_JVM_FLAGS:-(no heap setting)}"
echo "peak RSS MiB: prometheus $(peak_mib "$prometheus_pid"), store (both) $(peak_mib "$store_both_pid")," \
  "query (both) $(peak_mib "$query_both_pid"), store (single) $(peak_mib "$store_single_pid")," \
  "query (single) $(peak_mib "$query_single_pid"), S3Proxy $(peak_mib "$s3proxy_pid")"
echo
echo "| query | series / points | Prometheus ms | querier, 2 replicas, dedup ms | querier/Prometheus |" \
  "querier, 1 replica ms | 1 replica/Prometheus | querier, 2 replicas, dedup=false ms |" \
  "dedup overhead (2 replicas dedup / 1 replica) | same shape |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
printf '%s\n' "${rows[@]}"
echo
printf -v ratio_median '%.2f' "$(median "${ratios[@]}")"
printf -v overhead_median '%.2f' "$(median "${overheads[@]}")"
echo "Median over the ${#queries[@]} queries: querier/Prometheus ${ratio_median}x," \
  "deduplication overhead ${overhead_median}x."

if [ -n "${HOLD:-}" ]; then
  echo "servers up until stopped: prometheus $prometheus_url (pid $prometheus_pid)," \
    "query (both) $query_both_url (pid $query_both_pid), store (both) pid $store_both_pid," \
    "query (single) $query_single_url (pid $query_single_pid), store (single) pid $store_single_pid" >&2
  while sleep 3600; do :; done
fi

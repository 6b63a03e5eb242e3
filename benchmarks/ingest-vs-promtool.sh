#!/usr/bin/env bash
# Head ingestion, Strata against Prometheus 2.42's own write benchmark, on the same series in the
# same run: `promtool tsdb bench write` and Strata's IngestBenchmark (same shape: shards of 1000
# series, 100 scrapes per round, one commit per scrape and shard, WAL on, no compaction).
# Runs alternate; each figure is the median of RUNS runs. Prints samples/s and the ratio.
#
# Usage: benchmarks/ingest-vs-promtool.sh [RUNS]   (after `mvn -q -B -DskipTests package`)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

runs="${1:-3}"
jar=benchmarks/target/benchmarks.jar
[ -f "$jar" ] || { echo "build first: mvn -q -B -DskipTests package" >&2; exit 1; }
command -v promtool >/dev/null || { echo "promtool is needed (apt-get install -y prometheus)" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# One JSON object of labels per line, node-exporter-like.
awk 'BEGIN { for (i = 0; i < 1000000; i++)
  printf "{\"__name__\":\"node_metric_%d\",\"instance\":\"host-%d:9100\",\"job\":\"node\",\"mode\":\"m%d\"}\n", i % 200, int(i / 200), i % 7 }' \
  > "$work/series.json"

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

promtool_rate() {
  rm -rf "$work/p"
  promtool tsdb bench write --metrics="$1" --scrapes="$2" --out="$work/p" "$work/series.json" 2>/dev/null \
    | awk '/samples\/sec/ { printf "%.0f\n", $3 }'
}

strata_rate() {
  rm -rf "$work/s"
  java @jvm.options -Xmx8g -cp "$jar" dev.strata.benchmarks.tsdb.IngestBenchmark \
    --metrics="$1" --scrapes="$2" --threads="$3" --out="$work/s" "$work/series.json" 2>/dev/null \
    | awk '/samples\/sec/ { print $3 }'
}

printf '%-10s %-8s %14s %16s %16s %10s %10s\n' series scrapes "promtool s/s" "strata 1T s/s" "strata 2T s/s" "1T ratio" "2T ratio"
for config in "20000 3000" "100000 500" "1000000 100"; do
  set -- $config
  p=(); s1=(); s2=()
  for ((r = 0; r < runs; r++)); do
    p+=("$(promtool_rate "$1" "$2")")
    s1+=("$(strata_rate "$1" "$2" 1)")
    s2+=("$(strata_rate "$1" "$2" 2)")
  done
  pm=$(printf '%s\n' "${p[@]}" | median)
  s1m=$(printf '%s\n' "${s1[@]}" | median)
  s2m=$(printf '%s\n' "${s2[@]}" | median)
  awk -v n="$1" -v m="$2" -v p="$pm" -v a="$s1m" -v b="$s2m" \
    'BEGIN { printf "%-10s %-8s %14.0f %16.0f %16.0f %9.2fx %9.2fx\n", n, m, p, a, b, a / p, b / p }'
done

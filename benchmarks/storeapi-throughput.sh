#!/usr/bin/env bash
# StoreAPI Series throughput of `strata store` over S3 and of `strata sidecar` beside Prometheus,
# on the same data in the same run.
#
# Usage: benchmarks/storeapi-throughput.sh [SERIES] [RUNS]   (defaults 1000 5)
#
# SERIES series x 24 h of 15 s scrapes are written once as the embedded TSDB cuts and compacts
# them (StoreGatewayBenchmark); both servers start cold, and 20 untimed rounds let their JITs warm.
# 1. S3Proxy (in its own JVM, filesystem store) holds them; `strata store -Xmx256m` serves them;
#    one Series call for every series, cold then RUNS warm (StoreGatewayBenchmark).
# 2. Prometheus 2.42 serves a copy of the same blocks; its streamed remote read and `strata
#    sidecar`'s Series over it take turns, RUNS times each (SidecarOverheadBenchmark).
#
# BASELINE_JAR (another build's strata.jar, e.g. of the main branch) adds a second store and a
# second sidecar from it, called in turns with this build's: a ratio that holds under other load.
#
# Needs prometheus and java on the PATH; builds the jars and s3-tier's test classes if missing.
# WORK (a temp dir) is where the data goes; kept only if given.
set -euo pipefail

bench=storeapi-throughput
# shellcheck source=benchmarks/common.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/common.sh"
series="${1:-1000}"
runs="${2:-5}"
need prometheus java
baseline=()
if [ -n "${BASELINE_JAR:-}" ]; then
  baseline=("--baseline-jar=$BASELINE_JAR")
fi
build_jars
start_s3proxy

echo "## strata store"
java @jvm.options -cp "$bench_jar" dev.strata.benchmarks.storeapi.StoreGatewayBenchmark \
  --objstore.config-file="$work/objstore.yml" --work="$work" --series="$series" --runs="$runs" \
  "${baseline[@]}"

echo "## strata sidecar against Prometheus's remote read"
rm -rf "$work/prometheus-data"; mkdir -p "$work/prometheus-data"
cp -r "$work/blocks-$series"/* "$work/prometheus-data/"
port=$(free_port)
printf 'global:\n  external_labels:\n    replica: bench\n' > "$work/prometheus.yml"
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prometheus-data" \
  --web.listen-address="127.0.0.1:$port" --storage.tsdb.retention.time=100y \
  --storage.tsdb.min-block-duration=2h --storage.tsdb.max-block-duration=2h \
  > "$work/prometheus.log" 2>&1 &
pids+=($!)
for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/-/ready" >/dev/null 2>&1 && break; sleep 0.1; done
java @jvm.options -cp "$bench_jar" dev.strata.benchmarks.storeapi.SidecarOverheadBenchmark \
  --prometheus.url="http://127.0.0.1:$port" --prometheus-data="$work/prometheus-data" \
  --work="$work" --series="$series" --runs="$runs" "${baseline[@]}"

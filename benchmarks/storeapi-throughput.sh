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
# Needs prometheus and java on the PATH; builds the jars and s3-tier's test classes if missing.
# WORK (a temp dir) is where the data goes; kept only if given.
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
series="${1:-1000}"
runs="${2:-5}"
bench_jar="$root/benchmarks/target/benchmarks.jar"
strata_jar="$root/examples/target/strata.jar"
die() { echo "storeapi-throughput: $*" >&2; exit 1; }
for tool in prometheus java; do
  command -v "$tool" >/dev/null || die "$tool is not on the PATH"
done
cd "$root"
if [ ! -f "$bench_jar" ] || [ ! -f "$strata_jar" ]; then
  echo "building the jars ..." >&2
  mvn -B -q -DskipTests package -pl benchmarks -am || die "the build failed"
fi
if [ -n "${WORK:-}" ]; then
  work="$WORK"; mkdir -p "$work"
else
  work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
fi

pids=()
stop_all() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap 'stop_all; [ -n "${WORK:-}" ] || rm -rf "$work"' EXIT

# S3Proxy from s3-tier's test classes (see RESULTS.md, "Object storage").
mvn -B -q -pl s3-tier -am test-compile dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" \
  >/dev/null || die "building s3-tier's test classes failed"
a22="$(find ~/.m2/repository/com/fasterxml/jackson/core/jackson-annotations/2.22 -name '*.jar' | head -1)"
rm -rf "$work/s3data"; mkdir -p "$work/s3data"
java @jvm.options -cp "$a22:s3-tier/target/test-classes:s3-tier/target/classes:$(cat "$work/cp.txt")" \
  dev.strata.tier.testing.LocalS3Server "$work/s3data" strata > "$work/objstore.yml" 2>"$work/s3proxy.log" &
pids+=($!)
for _ in $(seq 300); do grep -q secret_key "$work/objstore.yml" 2>/dev/null && break; sleep 0.1; done
grep -q secret_key "$work/objstore.yml" || die "S3Proxy did not start: $(cat "$work/s3proxy.log")"

echo "## strata store"
java @jvm.options -cp "$bench_jar" dev.strata.benchmarks.storeapi.StoreGatewayBenchmark \
  --objstore.config-file="$work/objstore.yml" --work="$work" --series="$series" --runs="$runs"

echo "## strata sidecar against Prometheus's remote read"
rm -rf "$work/prometheus-data"; mkdir -p "$work/prometheus-data"
cp -r "$work/blocks-$series"/* "$work/prometheus-data/"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'global:\n  external_labels:\n    replica: bench\n' > "$work/prometheus.yml"
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prometheus-data" \
  --web.listen-address="127.0.0.1:$port" --storage.tsdb.retention.time=100y \
  --storage.tsdb.min-block-duration=2h --storage.tsdb.max-block-duration=2h \
  > "$work/prometheus.log" 2>&1 &
pids+=($!)
for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/-/ready" >/dev/null 2>&1 && break; sleep 0.1; done
java @jvm.options -cp "$bench_jar" dev.strata.benchmarks.storeapi.SidecarOverheadBenchmark \
  --prometheus.url="http://127.0.0.1:$port" --prometheus-data="$work/prometheus-data" \
  --work="$work" --series="$series" --runs="$runs"

#!/usr/bin/env bash
# `strata compact` on a bucket of sidecar blocks in S3Proxy: one pass's wall time, samples merged
# per second, peak heap under -Xmx256m, peak scratch disk, bytes moved (BucketCompactionBenchmark).
#
# Usage: benchmarks/bucket-compaction.sh [SERIES]   (default 100000)
#
# SERIES series x 26 h of 15 s scrapes are written once as 13 level-1 blocks of 2 h; S3Proxy (in
# its own JVM, filesystem store) gets a fresh copy on every run; Thanos's planner merges the first
# twelve into three 8 h blocks. Needs java; builds the jars and s3-tier's test classes if missing.
# WORK (a temp dir) is where the data goes; kept only if given.
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
series="${1:-100000}"
bench_jar="$root/benchmarks/target/benchmarks.jar"
strata_jar="$root/examples/target/strata.jar"
die() { echo "bucket-compaction: $*" >&2; exit 1; }
command -v java >/dev/null || die "java is not on the PATH"
cd "$root"
if [ ! -f "$bench_jar" ] || [ ! -f "$strata_jar" ]; then
  echo "building the jars ..." >&2
  mvn -B -q -DskipTests package -pl benchmarks -am || die "the build failed"
fi
if [ -n "${WORK:-}" ]; then
  work="$WORK"; mkdir -p "$work"
else
  work="$(mktemp -d)"
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

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/Mem:/ {print $2}') GiB"
java @jvm.options -cp "$bench_jar" dev.strata.benchmarks.compact.BucketCompactionBenchmark \
  --objstore.config-file="$work/objstore.yml" --work="$work" --series="$series"

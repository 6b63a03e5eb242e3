#!/usr/bin/env bash
# `strata compact` on a bucket of sidecar blocks in S3Proxy: one pass's wall time, samples merged
# per second, peak heap under -Xmx256m, peak scratch disk, bytes moved (BucketCompactionBenchmark).
#
# Usage: benchmarks/bucket-compaction.sh [SERIES] [STEPS] [ROUNDS]
#   SERIES default 100000; STEPS compact,downsample (default both); ROUNDS of the compaction
#   passes and transfer floors taking turns (default 1)
#
# SERIES series x 26 h of 15 s scrapes are written once as 13 level-1 blocks of 2 h; S3Proxy (in
# its own JVM, filesystem store) gets a fresh copy on every run; Thanos's planner merges the first
# twelve into three 8 h blocks. Needs java; builds the jars and s3-tier's test classes if missing.
# WORK (a temp dir) is where the data goes; kept only if given.
set -euo pipefail

bench=bucket-compaction
# shellcheck source=benchmarks/common.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/common.sh"
series="${1:-100000}"
steps="${2:-compact,downsample}"
rounds="${3:-1}"
need java
build_jars
start_s3proxy

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/Mem:/ {print $2}') GiB"
java @jvm.options -cp "$bench_jar" dev.strata.benchmarks.compact.BucketCompactionBenchmark \
  --objstore.config-file="$work/objstore.yml" --work="$work" --series="$series" \
  --steps="$steps" --rounds="$rounds"

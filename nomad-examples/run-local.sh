#!/usr/bin/env bash
# Runs the monitoring job's topology on this machine, without Nomad, from monitoring.nomad itself:
# every task's command line is read from the job file (parsed by HashiCorp's HCL2 parser), with
# Nomad's runtime variables replaced by loopback addresses and local directories. S3Proxy stands in
# for S3, a local registry for Consul, Debian's prometheus for the Prometheus container.
#
#   nomad-examples/run-local.sh            start everything, print the URLs, Ctrl-C stops it all
#   nomad-examples/run-local.sh --check    also backfill a past, compare PromQL answers of the
#                                          querier with Prometheus's, exit 1 on any mismatch
#   --no-build                             use the jars as they are (a build must have run)
#   --work-dir=DIR                         where allocations, bucket and logs go
#                                          (default nomad-examples/target/local-run)
#
# Needs Java 17+, Maven, Node.js with npm (for the HCL parser), prometheus and promtool 2.42.
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"

build=1
args=()
for a in "$@"; do
  case "$a" in
    --no-build) build=0 ;;
    *) args+=("$a") ;;
  esac
done

for tool in java node npm prometheus promtool; do
  command -v "$tool" >/dev/null 2>&1 || { echo "run-local: $tool is not on the PATH" >&2; exit 2; }
done

cp_file=nomad-examples/target/classpath.txt
if [ "$build" = 1 ]; then
  echo "run-local: building strata.jar and the runner ..." >&2
  mvn -q -B -DskipTests package -pl nomad-examples -am >&2
fi
for f in examples/target/strata.jar "$cp_file" nomad-examples/target/classes/dev/strata/nomad/LocalRun.class; do
  [ -e "$f" ] || { echo "run-local: $f is missing: build first (without --no-build)" >&2; exit 2; }
done

# shellcheck disable=SC2046 # jvm.options holds one flag per line
exec java @jvm.options -cp "nomad-examples/target/classes:$(cat "$cp_file")" \
  dev.strata.nomad.LocalRun "${args[@]+"${args[@]}"}"

# Sourced by the benchmark scripts: what they all do around their measurements. Before sourcing,
# a script sets `bench` (its name, for messages); afterwards it has `root` (the project, also the
# current directory), `bench_jar`, `strata_jar`, `work` (WORK, or a temporary directory removed at
# exit), `pids` (servers started, stopped at exit) and the functions below.

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
bench_jar="$root/benchmarks/target/benchmarks.jar"
strata_jar="$root/examples/target/strata.jar"
cd "$root"

die() { echo "$bench: $*" >&2; exit 1; }

# need TOOL...: each must be on the PATH.
need() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || die "$tool is not on the PATH"
  done
}

# Builds the jars when either is missing.
build_jars() {
  if [ ! -f "$bench_jar" ] || [ ! -f "$strata_jar" ]; then
    echo "building the jars ..." >&2
    mvn -B -q -DskipTests package -pl benchmarks -am || die "the build failed"
  fi
}

pids=()
# SIGTERM to each server started, then SIGKILL to any still running 30 s later (a server that
# hangs while stopping must not hang the benchmark; it is reported).
stop_servers() {
  local pid tries
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    for ((tries = 0; tries < 300; tries++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "$bench: process $pid did not stop within 30 s of SIGTERM; killed" >&2
      kill -9 "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
  done
  pids=()
}
if [ -n "${WORK:-}" ]; then
  work="$WORK"
  mkdir -p "$work"
  trap stop_servers EXIT
else
  work="$(mktemp -d)"
  trap 'stop_servers; rm -rf "$work"' EXIT
fi

# A loopback port nothing listens on (a connection attempt is refused).
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
}

# wait_until SECONDS PID WHAT CMD...: polls CMD every 0.1 s while PID lives.
wait_until() {
  local deadline=$((SECONDS + $1)) pid="$2" what="$3"
  shift 3
  until "$@"; do
    kill -0 "$pid" 2>/dev/null || die "$what exited; see $work/$what.log"
    ((SECONDS < deadline)) || die "$what not ready in time; see $work/$what.log"
    sleep 0.1
  done
}

# Starts S3Proxy (s3-tier's test classes, its own JVM, a fresh filesystem store in $work/s3data)
# with a bucket "strata"; its objstore config goes to $work/objstore.yml, its PID to s3proxy_pid.
start_s3proxy() {
  mvn -B -q -pl s3-tier -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$work/cp.txt" >/dev/null || die "building s3-tier's test classes failed"
  local a22
  a22="$(find ~/.m2/repository/com/fasterxml/jackson/core/jackson-annotations/2.22 -name '*.jar' | head -1)"
  rm -rf "$work/s3data" "$work/objstore.yml"
  mkdir -p "$work/s3data"
  java "@$root/jvm.options" \
    -cp "$a22:s3-tier/target/test-classes:s3-tier/target/classes:$(cat "$work/cp.txt")" \
    dev.strata.tier.testing.LocalS3Server "$work/s3data" strata >"$work/objstore.yml" \
    2>"$work/s3proxy.log" &
  s3proxy_pid=$!
  pids+=("$s3proxy_pid")
  wait_until 60 "$s3proxy_pid" s3proxy grep -qs secret_key "$work/objstore.yml"
}

# timed URL KIND QUERY OUT [PARAM...]: a range query (KIND range: range_start to range_end at 60 s
# steps) or an instant one (at range_end) over the HTTP API at URL, POSTed with the extra form
# parameters; prints the milliseconds it took (curl's time_total), the answer goes to OUT.
timed() {
  local url="$1" kind="$2" query="$3" out="$4" status p
  shift 4
  local -a params=(--data-urlencode "query=$query")
  for p in "$@"; do params+=(--data-urlencode "$p"); done
  if [ "$kind" = range ]; then
    params+=(--data-urlencode "start=$range_start" --data-urlencode "end=$range_end"
      --data-urlencode "step=60")
    url+=/api/v1/query_range
  else
    params+=(--data-urlencode "time=$range_end")
    url+=/api/v1/query
  fi
  status=$(curl -s -o "$out" -w '%{http_code} %{time_total}' "${params[@]}" "$url") || true
  [ "${status% *}" = 200 ] || die "$url answered ${status% *} to $query: $(head -c 300 "$out")"
  awk -v s="${status#* }" 'BEGIN { printf "%.1f\n", s * 1000 }'
}

# "series points" of an answer.
shape() {
  jq -r '.data.resultType as $t | .data.result
    | if $t == "matrix" then "\(length) \(map(.values | length) | add // 0)"
      else "\(length) \(length)" end' "$1"
}

# Prometheus 2.42 over the blocks in $work/prometheus ($work/prometheus.yml its config, no
# scrapes), on a free port; sets prometheus_pid and prometheus_url once it is ready.
start_prometheus() {
  local port
  port=$(free_port)
  # Blocks stay 2 h: without the max duration Prometheus would compact the 2 h blocks into
  # larger ones in the background, during the runs, and query other blocks than Strata.
  prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prometheus" \
    --storage.tsdb.retention.time=10y --storage.tsdb.max-block-duration=2h \
    --web.listen-address="127.0.0.1:$port" >"$work/prometheus.log" 2>&1 &
  prometheus_pid=$!
  pids+=("$prometheus_pid")
  prometheus_url="http://127.0.0.1:$port"
  wait_until 120 "$prometheus_pid" prometheus curl -sf -o /dev/null "$prometheus_url/-/ready"
}

# The dashboard query set (KIND|QUERY) over DashboardDataGenerator's data, timed by both the PromQL
# and the global-view benchmarks.
queries=(
  'range|sum by (job) (rate(http_requests_total[5m]))'
  'range|histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))'
  'range|topk(10, rate(node_cpu_seconds_total[5m]))'
  'range|avg_over_time(node_memory_MemAvailable_bytes[1h])'
  'range|sum(rate(http_requests_total{code=~"5.."}[5m]))'
  'range|max_over_time(rate(http_requests_total[5m])[1h:1m])'
  'instant|sum by (job, code) (increase(http_requests_total[1h]))'
  'instant|topk(5, 1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m])))'
)

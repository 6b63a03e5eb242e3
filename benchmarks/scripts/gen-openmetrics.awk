# Writes OpenMetrics text for the promtool comparison: counters and gauges of a fleet of hosts,
# scraped every 15 s. Variables (awk -v): nseries (total series, about), hours, start (Unix
# seconds), seed. Families come one after another, each series with all its samples in time
# order, then "# EOF", as an export of a real server would be laid out.

function family(name, type, help) {
  printf "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type
}

# One series: n samples from start, every 15 s. kind 0 = counter, 1 = gauge (random walk),
# 2 = ratio gauge in [0, 1], 3 = constant.
function emit(labels, kind,    t, i, v, step) {
  v = (kind == 0) ? int(rand() * 1000) : (kind == 2 ? rand() : int(rand() * 10000) / 10)
  step = 1 + int(rand() * 20)
  for (i = 0; i < samples; i++) {
    t = start + 15 * i
    if (kind == 0) {
      v += int(rand() * step)
      printf "%s %d %d\n", labels, v, t
    } else if (kind == 1) {
      v += int((rand() - 0.5) * 100) / 10
      printf "%s %.1f %d\n", labels, v, t
    } else if (kind == 2) {
      v = 0.9 * v + 0.1 * rand()
      printf "%s %.6g %d\n", labels, v, t
    } else {
      printf "%s %d %d\n", labels, v, t
    }
  }
  total += samples
}

BEGIN {
  srand(seed)
  samples = int(hours * 3600 / 15)
  # Per host: 24 request counters, 16 cpu counters, 4 memory gauges, 2 ratios, 2 constants.
  hosts = int(nseries / 48)
  if (hosts < 1) hosts = 1
  split("GET POST PUT DELETE", methods, " ")
  split("200 404 500", codes, " ")
  split("/api/v1/query /api/v1/write", handlers, " ")
  split("user system idle iowait", modes, " ")
  split("MemFree MemAvailable Cached Buffers", memtypes, " ")

  family("http_requests", "counter", "Requests handled.")
  for (h = 0; h < hosts; h++)
    for (m = 1; m <= 4; m++)
      for (c = 1; c <= 3; c++)
        for (p = 1; p <= 2; p++)
          emit(sprintf("http_requests_total{code=\"%s\",handler=\"%s\",instance=\"host-%d:9100\",job=\"api\",method=\"%s\"}", codes[c], handlers[p], h, methods[m]), 0)

  family("node_cpu_seconds", "counter", "Seconds the CPUs spent in each mode.")
  for (h = 0; h < hosts; h++)
    for (cpu = 0; cpu < 4; cpu++)
      for (m = 1; m <= 4; m++)
        emit(sprintf("node_cpu_seconds_total{cpu=\"%d\",instance=\"host-%d:9100\",job=\"node\",mode=\"%s\"}", cpu, h, modes[m]), 0)

  family("node_memory_bytes", "gauge", "Memory by kind.")
  for (h = 0; h < hosts; h++)
    for (k = 1; k <= 4; k++)
      emit(sprintf("node_memory_bytes{instance=\"host-%d:9100\",job=\"node\",type=\"%s\"}", h, memtypes[k]), 1)

  family("node_load_ratio", "gauge", "Load per CPU.")
  for (h = 0; h < hosts; h++)
    for (k = 1; k <= 2; k++)
      emit(sprintf("node_load_ratio{instance=\"host-%d:9100\",job=\"node\",window=\"%dm\"}", h, k * 5), 2)

  family("node_info", "gauge", "Constant facts about the host.")
  for (h = 0; h < hosts; h++)
    for (k = 1; k <= 2; k++)
      emit(sprintf("node_info{instance=\"host-%d:9100\",job=\"node\",kernel=\"6.1.%d\"}", h, k), 3)

  print "# EOF"
  printf "%d series, %d samples\n", hosts * 48, total > "/dev/stderr"
}

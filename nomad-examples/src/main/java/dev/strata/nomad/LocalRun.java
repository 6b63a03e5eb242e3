package dev.strata.nomad;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.strata.tier.testing.LocalS3Server;
import dev.strata.tsdb.block.BlockDirectories;
import dev.strata.tsdb.fileutil.FileTrees;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs a job file's topology on this machine without Nomad (see {@code run-local.sh}): every task's
 * command line comes from the job file, with Nomad's runtime variables filled in with loopback
 * addresses and local directories; S3Proxy stands in for S3, a local registry for Consul (its
 * services listed by the templates, and given to Prometheus as file SD), Debian's {@code
 * prometheus} for the Prometheus container. With {@code --check}, a backfilled past is shipped to
 * the bucket and PromQL answers of the querier are compared with Prometheus's.
 */
@Command(name = "run-local", mixinStandardHelpOptions = true,
    description = "Runs the monitoring job's tasks locally, from the job file, until Ctrl-C; or checks them (--check).")
public final class LocalRun implements Callable<Integer> {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String BUCKET = "strata";

  @Option(names = "--job", paramLabel = "FILE", defaultValue = "nomad-examples/monitoring.nomad",
      description = "The job file (default: ${DEFAULT-VALUE}).")
  Path jobFile;

  @Option(names = "--jar", paramLabel = "FILE", defaultValue = "examples/target/strata.jar",
      description = "strata.jar, the tasks' artifact (default: ${DEFAULT-VALUE}).")
  Path jar;

  @Option(names = "--work-dir", paramLabel = "DIR", defaultValue = "nomad-examples/target/local-run",
      description = "Emptied, then holds the allocations, the bucket and the logs (default: ${DEFAULT-VALUE}).")
  Path work;

  @Option(names = "--check", description = "Backfill a past, run PromQL through the querier and compare with Prometheus; exit 1 on a mismatch.")
  boolean check;

  private final PrintStream out = System.out;
  private final List<LocalTask> running = Collections.synchronizedList(new ArrayList<>());
  private LocalS3Server s3;

  public static void main(String[] args) {
    System.exit(new CommandLine(new LocalRun()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Thread stopper = new Thread(this::stopAll, "stop-children");
    Runtime.getRuntime().addShutdownHook(stopper);
    try {
      return run();
    } finally {
      stopAll();
      Runtime.getRuntime().removeShutdownHook(stopper);
    }
  }

  private int run() throws Exception {
    work = work.toAbsolutePath();
    FileTrees.deleteRecursively(work);
    Files.createDirectories(work);
    HclParser parser = HclParser.in(jobFile.toAbsolutePath().getParent());

    s3 = LocalS3Server.onDisk(Files.createDirectories(work.resolve("s3")));
    s3.createBucket(BUCKET);
    Map<String, Object> variables = new LinkedHashMap<>();
    variables.put("strata_jar_url", jar.toAbsolutePath().toUri().toString());
    variables.put("strata_jar_sha256", LocalTask.sha256(jar));
    variables.put("bucket", BUCKET);
    variables.put("region", "us-east-1");
    variables.put("s3_endpoint", s3.endpoint().getAuthority());
    variables.put("s3_insecure", Boolean.TRUE);
    JobFile job = JobFile.parse(parser, jobFile, variables);
    out.println("job " + job.name() + " from " + jobFile + "; S3 (S3Proxy) at " + s3.endpoint()
        + ", bucket " + BUCKET + "; work directory " + work);

    ConsulStandIn consul = new ConsulStandIn(work.resolve("consul"));
    Map<String, Map<String, String>> nomadVariables = Map.of("nomad/jobs/" + job.name(),
        Map.of("access_key", LocalS3Server.ACCESS_KEY, "secret_key", LocalS3Server.SECRET_KEY));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    long backfillTo = (System.currentTimeMillis() - 2 * 3_600_000L) / 60_000 * 60_000;
    long backfillFrom = backfillTo - 6 * 3_600_000L;
    Set<String> backfilled = new TreeSet<>();

    for (Map.Entry<String, JsonNode> group : job.groups().entrySet()) {
      LocalTask.Allocation alloc = allocate(job, group.getKey(), group.getValue());
      List<LocalTask> tasks = new ArrayList<>();
      for (Map.Entry<String, JsonNode> t : JobFile.tasks(group.getValue()).entrySet()) {
        tasks.add(new LocalTask(job, group.getKey(), t.getKey(), t.getValue(), alloc, consul::rewrite));
      }
      if (check && alloc.hostVolumes().containsKey("prometheus")) {
        Path data = alloc.hostVolumes().get("prometheus");
        Backfill.write(data, work, backfillFrom, backfillTo);
        backfilled.addAll(blocksIn(data));
        out.printf("backfilled %s to %s into Prometheus's data directory: %d blocks%n",
            Instant.ofEpochMilli(backfillFrom), Instant.ofEpochMilli(backfillTo), backfilled.size());
      }
      for (LocalTask task : tasks) {
        task.start(new ConsulTemplate.Data(consul.services(), task.environment().variables(), nomadVariables));
        running.add(task);
        out.printf("started %s/%s (pid %d): %s%n", task.group(), task.name(), task.pid(), String.join(" ", task.command()));
      }
      for (LocalTask task : tasks) {
        task.awaitChecks(http);
        consul.register(task.consulServices());
        out.printf("ready   %s/%s: its checks pass; services %s registered%n", task.group(), task.name(),
            task.consulServices().stream().map(ConsulTemplate.Service::name).distinct().toList());
      }
      // What Consul's changes do to every running task's templates (the querier's targets).
      synchronized (running) {
        for (LocalTask task : running) {
          task.renderTemplates(new ConsulTemplate.Data(consul.services(), task.environment().variables(), nomadVariables));
        }
      }
      if (!backfilled.isEmpty() && isSidecarGroup(tasks)) {
        awaitShipped(backfilled);
      }
    }

    printUrls(consul);
    if (!check) {
      out.println("Ctrl-C stops every process.");
      Thread.currentThread().join();
      return 0;
    }
    TopologyCheck result = runCheck(consul, http, backfillFrom, backfillTo);
    result.summary();
    return result.ok() ? 0 : 1;
  }

  private TopologyCheck runCheck(ConsulStandIn consul, HttpClient http, long from, long to)
      throws Exception {
    LocalTask prometheusTask = taskRunning("prometheus");
    LocalTask queryTask = taskRunning("query");
    LocalTask storeTask = taskRunning("store");
    List<String> pArgs = prometheusTask.args();
    List<String> qArgs = queryTask.args();
    URI prometheus = URI.create("http://" + flag(pArgs, "--web.listen-address") + flagOr(pArgs, "--web.route-prefix", ""));
    URI querier = URI.create("http://" + flag(qArgs, "--http-address") + flagOr(qArgs, "--web.route-prefix", ""));
    String storeGrpc = flag(storeTask.args(), "--grpc-address");

    Set<String> external = externalLabels(prometheusTask);
    TopologyCheck c = new TopologyCheck(http, prometheus, querier, external, out);
    awaitQuerierSees(c, querier, Set.of("sidecar", "store"));
    Set<String> jobs = new TreeSet<>();
    consul.services().stream().filter(s -> s.tags().contains("http")).forEach(s -> jobs.add(s.name()));
    awaitScraped(c, prometheus, jobs);

    out.println("checking the querier against Prometheus (external labels " + external + " dropped from the querier's answers):");
    long now = System.currentTimeMillis() / 1000 * 1000 - 1000;
    c.scraped(jobs, now);
    c.instant("up", now);
    c.instant("prometheus_tsdb_head_series", now);
    c.range("sum by (job) (up)", now - 60_000, now, 15);
    c.range("rate(" + Backfill.METRIC + "[5m])", from, to, 60);
    c.instant("sum by (instance) (increase(" + Backfill.METRIC + "[1h]))", to);
    c.range("sum(count_over_time(" + Backfill.METRIC + "[30m]))", from, now, 1800);
    c.series("{job=\"backfill\"}", from, to);
    c.storeHolds(storeGrpc, Backfill.METRIC, from, to);
    Map<String, String> logs = new LinkedHashMap<>();
    synchronized (running) {
      running.forEach(t -> logs.put(t.group() + "/" + t.name(), t.log()));
    }
    c.logsClean(logs);
    return c;
  }

  // Ports Nomad would assign (dynamic ones: free ports here), the allocation's directory, and its
  // host volumes as local directories shared by every allocation, as on one client.
  private LocalTask.Allocation allocate(JobFile job, String group, JsonNode body) throws IOException {
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (JsonNode network : JobFile.blocks(body, "network")) {
      for (String label : JobFile.labelled(network, "port").keySet()) {
        JsonNode port = JobFile.labelled(network, "port").get(label);
        ports.put(label, port.has("static") ? ((Number) job.value(port.get("static"))).intValue() : freePort());
      }
    }
    Map<String, Path> volumes = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> v : JobFile.labelled(body, "volume").entrySet()) {
      String source = job.string(v.getValue().get("source"));
      volumes.put(v.getKey(), Files.createDirectories(work.resolve("host-volumes").resolve(source)));
    }
    return new LocalTask.Allocation(UUID.randomUUID().toString(), work.resolve("alloc").resolve(group), ports, volumes);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static boolean isSidecarGroup(List<LocalTask> tasks) {
    return tasks.stream().anyMatch(t -> runs(t, "sidecar"));
  }

  // Whether the task runs the prometheus program, or the strata command of that name.
  private static boolean runs(LocalTask task, String command) {
    if (command.equals("prometheus")) {
      return task.command().get(0).equals("prometheus");
    }
    List<String> args = task.args();
    return !args.isEmpty() && args.get(0).equals(command);
  }

  private LocalTask taskRunning(String command) {
    synchronized (running) {
      return running.stream().filter(t -> runs(t, command)).findFirst()
          .orElseThrow(() -> new IllegalStateException("the job has no " + command + " task"));
    }
  }

  private static String flag(List<String> args, String name) {
    String v = flagOr(args, name, null);
    if (v == null) {
      throw new IllegalStateException("no " + name + " in " + args);
    }
    return v;
  }

  private static String flagOr(List<String> args, String name, String otherwise) {
    for (String a : args) {
      if (a.startsWith(name + "=")) {
        return a.substring(name.length() + 1);
      }
    }
    return otherwise;
  }

  private static Set<String> externalLabels(LocalTask prometheus) throws IOException {
    JsonNode config = YAML.readTree(prometheus.templateFile("local/prometheus.yml").toFile());
    Set<String> names = new TreeSet<>();
    config.path("global").path("external_labels").fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static Set<String> blocksIn(Path dir) throws IOException {
    Set<String> ulids = new TreeSet<>();
    BlockDirectories.list(dir).forEach(b -> ulids.add(b.ulid().toString()));
    return ulids;
  }

  // The sidecar ships at start: wait until every backfilled block's meta.json is in the bucket
  // (uploaded last, so the block is whole), before the store gateway's first sync.
  private void awaitShipped(Set<String> ulids) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    try (var client = s3.rawClient()) {
      while (true) {
        Set<String> shipped = new TreeSet<>();
        client.listObjectsV2Paginator(r -> r.bucket(BUCKET)).contents().forEach(o -> {
          if (o.key().endsWith("/meta.json")) {
            shipped.add(o.key().substring(0, o.key().indexOf('/')));
          }
        });
        if (shipped.containsAll(ulids)) {
          out.println("shipped: the sidecar uploaded the " + ulids.size() + " backfilled blocks to the bucket");
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the sidecar did not ship the backfilled blocks within 3 minutes: "
              + "bucket has " + shipped + ", expected " + ulids);
        }
        Thread.sleep(500);
      }
    }
  }

  private void awaitQuerierSees(TopologyCheck c, URI querier, Set<String> types) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      JsonNode stores = c.get(querier, "/api/v1/stores");
      Set<String> seen = new TreeSet<>();
      stores.path("data").fields().forEachRemaining(e -> {
        if (e.getValue().size() > 0) {
          seen.add(e.getKey());
        }
      });
      if (seen.containsAll(types)) {
        out.println("the querier lists its endpoints: " + seen);
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the querier lists " + seen + " within 60 s, not " + types + ": " + stores);
      }
      Thread.sleep(500);
    }
  }

  private void awaitScraped(TopologyCheck c, URI prometheus, Set<String> jobs) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (true) {
      // At a whole second in the past, as the checks ask: a first scrape after it is not seen.
      long at = System.currentTimeMillis() / 1000 * 1000 - 1000;
      JsonNode up = c.get(prometheus, "/api/v1/query", "query", "up == 1", "time", TopologyCheck.seconds(at));
      Set<String> seen = new TreeSet<>();
      up.path("data").path("result").forEach(r -> seen.add(r.path("metric").path("job").asText()));
      if (seen.containsAll(jobs) || System.nanoTime() > deadline) {
        return; // a job still missing fails the scrape check, with what was seen
      }
      Thread.sleep(1000);
    }
  }

  private void printUrls(ConsulStandIn consul) {
    out.println("all tasks ready:");
    for (ConsulTemplate.Service s : consul.services()) {
      if (!s.tags().contains("http")) {
        continue;
      }
      String prefix = s.tags().stream().filter(t -> t.startsWith("urlprefix-")).map(t -> t.substring("urlprefix-".length()))
          .findFirst().orElse("");
      out.printf("  %-18s http://%s:%d%s%n", s.name(), s.address(), s.port(), prefix.isEmpty() ? "/" : prefix + "/");
    }
    out.println("  logs               " + work.resolve("alloc") + "/<group>/<task>/<task>.log");
  }

  // Children stopped in reverse order of starting, each by its PID (SIGTERM, then SIGKILL).
  private void stopAll() {
    List<LocalTask> tasks;
    synchronized (running) {
      tasks = new ArrayList<>(running);
      running.clear();
    }
    Collections.reverse(tasks);
    for (LocalTask t : tasks) {
      if (t.isAlive()) {
        out.printf("stopping %s/%s (pid %d)%n", t.group(), t.name(), t.pid());
      }
      t.close();
    }
    if (s3 != null) {
      s3.close();
      s3 = null;
    }
  }
}

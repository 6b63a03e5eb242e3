package dev.strata.nomad;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.examples.server.ServerProcess;
import dev.strata.tsdb.fileutil.FileSync;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One task of a job file started on this machine as a Nomad client would start it: its directories
 * ({@code local/}, {@code secrets/}, the allocation's {@code alloc/}), its artifact fetched and its
 * checksum verified, its templates rendered, its command line from the job with the runtime
 * variables filled in and its volume mounts mapped onto local directories, and its readiness
 * judged by its own service checks. Docker tasks run the image's program from the {@code PATH}
 * instead (Prometheus), with the same arguments.
 */
final class LocalTask implements AutoCloseable {
  private static final java.util.regex.Pattern PATH_FLAG =
      java.util.regex.Pattern.compile("--.*[.-](path|dir|file|files)");

  private final JobFile job;
  private final String group;
  private final String name;
  private final JsonNode body;
  private final Allocation alloc;
  private final Path dir;
  private final NomadEnvironment env;
  private final Map<String, String> renderedTemplates = new LinkedHashMap<>();
  private final java.util.function.UnaryOperator<String> standIns;
  private ServerProcess process;

  /** The local side of an allocation: its ID, directory, ports and the host volumes it mounts. */
  record Allocation(String id, Path dir, Map<String, Integer> ports, Map<String, Path> hostVolumes) {}

  /**
   * {@code standIns} rewrites a rendered template's text before it is written, for what has no
   * local equivalent (Prometheus's Consul service discovery).
   */
  LocalTask(JobFile job, String group, String name, JsonNode body, Allocation alloc,
      java.util.function.UnaryOperator<String> standIns) throws IOException {
    this.standIns = standIns;
    this.job = job;
    this.group = group;
    this.name = name;
    this.body = body;
    this.alloc = alloc;
    this.dir = alloc.dir().resolve(name);
    Files.createDirectories(dir.resolve("local"));
    Files.createDirectories(dir.resolve("secrets"));
    Files.createDirectories(alloc.dir().resolve("alloc/data"));
    this.env = NomadEnvironment.forTask("127.0.0.1", alloc.ports(), alloc.dir().resolve("alloc").toString(),
        dir.resolve("local").toString(), dir.resolve("secrets").toString(), alloc.id(), job.name(), group, name);
  }

  String name() {
    return name;
  }

  String group() {
    return group;
  }

  Path dir() {
    return dir;
  }

  NomadEnvironment environment() {
    return env;
  }

  /** The task's service blocks. */
  List<JsonNode> services() {
    return JobFile.blocks(body, "service");
  }

  /** The port number of {@code label} in this task's group. */
  int port(String label) {
    Integer p = alloc.ports().get(label);
    if (p == null) {
      throw new IllegalArgumentException(group + "/" + name + ": port " + label + " is not declared in the group's network");
    }
    return p;
  }

  /** Fetches the artifacts, renders the templates and starts the process. */
  void start(ConsulTemplate.Data data) throws IOException {
    for (JsonNode artifact : JobFile.blocks(body, "artifact")) {
      fetch(artifact);
    }
    renderTemplates(data);
    launch();
  }

  // The process, in the task's directory, with the runtime variables in its environment as Nomad
  // exports them; output appended to <task>.log there.
  private void launch() throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command()).directory(dir.toFile());
    pb.environment().putAll(env.variables());
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile()));
    process = ServerProcess.start(group + "/" + name, pb, dir.resolve(name + ".log"));
  }

  /**
   * Renders the templates over {@code data}; where one's output changed since the last render, acts
   * on its {@code change_mode} as Nomad does (noop: the file only; signal: the file, then the
   * signal; restart: the file, then the task restarted).
   */
  void renderTemplates(ConsulTemplate.Data data) throws IOException {
    for (JsonNode template : JobFile.blocks(body, "template")) {
      String destination = job.string(template.get("destination"));
      String source = job.string(template.get("data"));
      String rendered = standIns.apply(ConsulTemplate.parse(source).render(data));
      String previous = renderedTemplates.put(destination, rendered);
      if (rendered.equals(previous)) {
        continue;
      }
      Path file = dir.resolve(destination);
      Files.createDirectories(file.getParent());
      FileSync.writeAtomically(file, file.resolveSibling(file.getFileName() + ".tmp"),
          rendered.getBytes(StandardCharsets.UTF_8));
      if (previous != null && process != null) {
        String mode = template.has("change_mode") ? job.string(template.get("change_mode")) : "restart";
        switch (mode) {
          case "noop" -> { }
          case "signal" -> signal(job.string(template.get("change_signal")));
          case "restart" -> restart();
          default -> throw new IllegalArgumentException(name + ": change_mode " + mode + " is not supported here");
        }
      }
    }
  }

  /** The rendered file of the template whose destination is {@code destination}. */
  Path templateFile(String destination) {
    return dir.resolve(destination);
  }

  private void restart() throws IOException {
    process.close();
    launch();
  }

  private void signal(String signal) throws IOException {
    String sig = signal.startsWith("SIG") ? signal.substring(3) : signal;
    try {
      new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid())).inheritIO().start().waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // Nomad's artifact stanza: the source fetched into the destination, refused if its checksum
  // does not match. Local runs fetch file: URLs only.
  private void fetch(JsonNode artifact) throws IOException {
    URI source = URI.create(job.string(artifact.get("source")));
    Path destination = dir.resolve(job.string(artifact.get("destination")));
    if (!"file".equals(source.getScheme())) {
      throw new IOException(name + ": a local run fetches file: artifacts only, not " + source);
    }
    JsonNode options = JobFile.block(artifact, "options");
    String checksum = options == null || options.get("checksum") == null ? null : job.string(options.get("checksum"));
    Files.createDirectories(destination.getParent());
    Files.copy(Path.of(source), destination, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    if (checksum != null) {
      int colon = checksum.indexOf(':');
      String algorithm = checksum.substring(0, colon);
      if (!algorithm.equals("sha256")) {
        throw new IOException(name + ": checksum type " + algorithm + " is not supported here");
      }
      String actual = sha256(destination);
      if (!actual.equalsIgnoreCase(checksum.substring(colon + 1))) {
        Files.delete(destination);
        throw new IOException(name + ": artifact " + source + " has sha256 " + actual + ", the job expects "
            + checksum.substring(colon + 1));
      }
    }
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        d.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(d.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The job's arguments for the task, with runtime values and local paths. */
  List<String> args() {
    return mapVolumes(env.substitute(job.strings(JobFile.block(body, "config").get("args"))));
  }

  /** The command line: the driver's program, then {@link #args()}. */
  List<String> command() {
    JsonNode config = JobFile.block(body, "config");
    String driver = job.string(body.get("driver"));
    List<String> command = new ArrayList<>();
    switch (driver) {
      case "java" -> {
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(env.substitute(job.strings(config.get("jvm_options"))));
        command.add("-jar");
        command.add(dir.resolve(job.string(config.get("jar_path"))).toString());
      }
      case "docker" -> command.add(programOfImage(job.string(config.get("image"))));
      default -> throw new IllegalArgumentException(name + ": driver " + driver + " is not supported here");
    }
    command.addAll(args());
    return command;
  }

  // The image's program, from Debian's package of it: prom/prometheus runs prometheus.
  private String programOfImage(String image) {
    String repository = image.contains(":") ? image.substring(0, image.lastIndexOf(':')) : image;
    String program = repository.substring(repository.lastIndexOf('/') + 1);
    if (!program.equals("prometheus")) {
      throw new IllegalArgumentException(name + ": no local stand-in for the image " + image);
    }
    return program;
  }

  // A mounted volume's destination inside the task (/prometheus) is its host directory here. Only
  // flags that name a file or directory (--*.path, --*-dir, --*.file...) are paths: the same
  // string in --web.route-prefix=/prometheus is a URL path and stays.
  private List<String> mapVolumes(List<String> args) {
    List<String> out = new ArrayList<>(args);
    for (JsonNode mount : JobFile.blocks(body, "volume_mount")) {
      String volume = job.string(mount.get("volume"));
      String destination = job.string(mount.get("destination"));
      Path local = alloc.hostVolumes().get(volume);
      if (local == null) {
        throw new IllegalArgumentException(name + ": volume " + volume + " is not declared in the group");
      }
      for (int i = 0; i < out.size(); i++) {
        String a = out.get(i);
        int eq = a.indexOf('=');
        if (eq < 0 || !PATH_FLAG.matcher(a.substring(0, eq)).matches()) {
          continue;
        }
        String value = a.substring(eq + 1);
        if (value.equals(destination) || value.startsWith(destination + "/")) {
          out.set(i, a.substring(0, eq + 1) + local + value.substring(destination.length()));
        }
      }
    }
    return out;
  }

  /** Waits until every HTTP check of the task's services passes, as Consul would before listing them. */
  void awaitChecks(HttpClient http) throws Exception {
    for (JsonNode service : services()) {
      String servicePort = job.string(service.get("port"));
      for (JsonNode check : JobFile.blocks(service, "check")) {
        if (!"http".equals(job.string(check.get("type")))) {
          throw new IllegalArgumentException(name + ": check type " + job.string(check.get("type")) + " is not supported here");
        }
        String label = check.has("port") ? job.string(check.get("port")) : servicePort;
        process.awaitOk(URI.create("http://127.0.0.1:" + port(label) + job.string(check.get("path"))), http);
      }
    }
  }

  /** The Consul services this task registers once its checks pass, on 127.0.0.1. */
  List<ConsulTemplate.Service> consulServices() {
    List<ConsulTemplate.Service> out = new ArrayList<>();
    for (JsonNode service : services()) {
      Map<String, String> meta = new LinkedHashMap<>();
      JsonNode metaBlock = JobFile.block(service, "meta");
      if (metaBlock != null) {
        metaBlock.fields().forEachRemaining(e -> meta.put(e.getKey(), job.string(e.getValue())));
      }
      out.add(new ConsulTemplate.Service(job.string(service.get("name")), "127.0.0.1",
          port(job.string(service.get("port"))), job.strings(service.get("tags")), meta));
    }
    return out;
  }

  boolean isAlive() {
    return process != null && process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  String log() {
    return process == null ? "" : process.log();
  }

  @Override
  public void close() {
    if (process != null) {
      process.close();
    }
  }
}

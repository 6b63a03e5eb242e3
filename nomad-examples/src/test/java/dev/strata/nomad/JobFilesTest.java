package dev.strata.nomad;

import static dev.strata.nomad.NomadJobs.assertNone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.nomad.HclParser.HclSyntaxException;
import dev.strata.nomad.NomadJobs.Group;
import dev.strata.nomad.NomadJobs.Task;
import dev.strata.nomad.NomadJobs.Template;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job files as Nomad reads them: each parses with HashiCorp's HCL2 parser, {@code
 * monitoring.nomad} has the shape the deployment needs, and every job file keeps the rules a
 * production job should (ports declared, services checked, secrets out of the file, ...). Each rule
 * collects every violation over every job file and fails with the list.
 */
class JobFilesTest {

  @Test
  void everyJobFileParses() throws IOException {
    List<String> failures = new ArrayList<>();
    for (Path f : NomadJobs.files()) {
      try {
        JsonNode root = NomadJobs.parser().parse(f);
        if (JobFile.labelled(root, "job").size() != 1) {
          failures.add(f.getFileName() + ": not exactly one job block");
        }
        NomadJobs.load(f); // and its expressions evaluate
      } catch (HclSyntaxException e) {
        failures.add(e.getMessage());
      }
    }
    assertNone("job files that do not parse", failures);
  }

  @Test
  void aSyntaxErrorNamesTheLineAndColumn(@TempDir Path dir) throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(NomadJobs.MODULE_DIR.resolve("monitoring.nomad")));
    int at = lines.indexOf("job \"monitoring\" {");
    assertTrue(at >= 0, "the job block's first line");
    // An attribute without a value, two lines into the job block.
    lines.add(at + 1, "  count =");
    Path broken = dir.resolve("monitoring.nomad");
    Files.write(broken, lines);

    HclSyntaxException e = assertThrows(HclSyntaxException.class, () -> NomadJobs.parser().parse(broken));
    String expected = broken.getFileName() + ":" + (at + 2) + ",";
    assertTrue(e.getMessage().contains(expected), "names line " + (at + 2) + " and a column: " + e.getMessage());
    assertTrue(Pattern.compile(":" + (at + 2) + ",\\d+").matcher(e.getMessage()).find(), e.getMessage());
  }

  // ---- monitoring.nomad, as the deployment needs it ----

  @Test
  void monitoringHasItsGroupsAndTasks() {
    JobFile job = NomadJobs.load("monitoring.nomad");
    assertEquals("monitoring", job.name());
    // The parser's JSON orders blocks by name, not as in the file.
    assertEquals(Set.of("prometheus", "strata-store", "strata-compactor", "strata-query"), job.groups().keySet());

    Map<String, JsonNode> prometheus = JobFile.tasks(job.groups().get("prometheus"));
    assertEquals(Set.of("prometheus", "strata-sidecar"), prometheus.keySet());
    assertEquals("docker", prometheus.get("prometheus").path("driver").asText());
    assertEquals("java", prometheus.get("strata-sidecar").path("driver").asText());
    JsonNode volume = JobFile.labelled(job.groups().get("prometheus"), "volume").get("prometheus");
    assertEquals("host", volume.path("type").asText(), "the group's volume prometheus is a host volume");
    for (Map.Entry<String, JsonNode> t : prometheus.entrySet()) {
      List<String> mounted = JobFile.blocks(t.getValue(), "volume_mount").stream()
          .map(m -> m.path("volume").asText()).toList();
      assertEquals(List.of("prometheus"), mounted, t.getKey() + " mounts the host volume");
    }
    for (String g : List.of("strata-store", "strata-compactor", "strata-query")) {
      assertEquals(List.of(g), List.copyOf(JobFile.tasks(job.groups().get(g)).keySet()), "tasks of " + g);
      assertEquals("java", JobFile.tasks(job.groups().get(g)).get(g).path("driver").asText(), g);
    }
    // One compactor per bucket.
    assertEquals(1, job.groups().get("strata-compactor").path("count").asInt(-1), "strata-compactor's count");
  }

  @Test
  void prometheusCutsTwoHourBlocksBelowItsPrefix() {
    Task prometheus = NomadJobs.task("monitoring.nomad", "prometheus", "prometheus");
    List<String> args = prometheus.args();
    for (String a : List.of("--storage.tsdb.min-block-duration=2h", "--storage.tsdb.max-block-duration=2h",
        "--web.route-prefix=/prometheus")) {
      assertTrue(args.contains(a), "Prometheus's args include " + a + ": " + args);
    }
  }

  @Test
  void theQuerierReReadsItsTargetsWithoutARestart() {
    Task query = NomadJobs.task("monitoring.nomad", "strata-query", "strata-query");
    Template targets = TemplatesTest.targetsTemplate(query);
    assertTrue(Set.of("noop", "signal").contains(targets.changeMode()),
        "change_mode of " + targets.destination() + ": " + targets.changeMode());
  }

  // ---- every job file ----

  @Test
  void everyPortUsedIsDeclared() {
    List<String> violations = new ArrayList<>();
    for (JobFile job : NomadJobs.all()) {
      for (Group g : NomadJobs.groups(job)) {
        Set<String> declared = g.ports().keySet();
        checkServicePorts(g.where(), g.services(), declared, violations);
        for (Task t : g.tasks()) {
          checkServicePorts(t.where(), t.services(), declared, violations);
          for (String label : t.referencedPortLabels()) {
            if (!declared.contains(label)) {
              violations.add(t.where() + ": refers to port '" + label + "', not in the group's network " + declared);
            }
          }
          for (String label : job.strings(t.config().get("ports"))) {
            if (!declared.contains(label)) {
              violations.add(t.where() + ": config.ports names '" + label + "', not in the group's network");
            }
          }
        }
      }
    }
    assertNone("ports used but not declared", violations);
  }

  private static void checkServicePorts(String where, List<JsonNode> services, Set<String> declared,
      List<String> violations) {
    for (JsonNode service : services) {
      String name = service.path("name").asText();
      String port = service.path("port").asText("");
      if (!declared.contains(port)) {
        violations.add(where + ": service " + name + " on undeclared port '" + port + "'");
      }
      for (JsonNode check : JobFile.blocks(service, "check")) {
        if (check.has("port") && !declared.contains(check.get("port").asText())) {
          violations.add(where + ": a check of " + name + " on undeclared port '" + check.get("port").asText() + "'");
        }
      }
    }
  }

  @Test
  void everyServiceHasACheck() {
    List<String> violations = new ArrayList<>();
    for (JobFile job : NomadJobs.all()) {
      for (Group g : NomadJobs.groups(job)) {
        for (JsonNode s : g.services()) {
          if (JobFile.blocks(s, "check").isEmpty()) {
            violations.add(g.where() + ": service " + s.path("name").asText());
          }
        }
        for (Task t : g.tasks()) {
          for (JsonNode s : t.services()) {
            if (JobFile.blocks(s, "check").isEmpty()) {
              violations.add(t.where() + ": service " + s.path("name").asText());
            }
          }
        }
      }
    }
    assertNone("services without a check", violations);
  }

  @Test
  void fabioRoutesMatchTheServersPrefixes() {
    List<String> violations = new ArrayList<>();
    for (Task t : NomadJobs.allTasks()) {
      for (JsonNode s : t.services()) {
        for (String tag : t.job().strings(s.get("tags"))) {
          if (!tag.startsWith("urlprefix-")) {
            continue;
          }
          String[] parts = tag.substring("urlprefix-".length()).split("\\s+");
          if (List.of(parts).stream().anyMatch(o -> o.startsWith("strip="))) {
            continue; // Fabio strips the prefix: the server serves at its root.
          }
          if (parts[0].indexOf('/') < 0) {
            violations.add(t.where() + ": tag " + tag + " routes no path");
            continue;
          }
          String route = parts[0].substring(parts[0].indexOf('/'));
          List<String> served = new ArrayList<>();
          t.flag("--web.route-prefix").ifPresent(served::add);
          t.flag("--web.external-prefix").ifPresent(served::add);
          if (!served.contains(route)) {
            violations.add(t.where() + ": tag " + tag + " but the server's prefixes are " + served);
          }
        }
      }
    }
    assertNone("Fabio routes without the matching --web.route-prefix or --web.external-prefix", violations);
  }

  @Test
  void httpChecksOfPrefixedServersAskBelowThePrefix() {
    List<String> violations = new ArrayList<>();
    for (Task t : NomadJobs.allTasks()) {
      Optional<String> prefix = servedPrefix(t);
      if (prefix.isEmpty()) {
        continue;
      }
      for (JsonNode s : t.services()) {
        for (JsonNode check : JobFile.blocks(s, "check")) {
          String path = check.path("path").asText("");
          if (check.path("type").asText().equals("http") && !path.startsWith(prefix.get() + "/")) {
            violations.add(t.where() + ": check of " + s.path("name").asText() + " asks " + path
                + ", outside " + prefix.get());
          }
        }
      }
    }
    assertNone("HTTP checks outside their server's route prefix", violations);
  }

  // The path a task's HTTP server serves below: --web.route-prefix, which defaults to
  // --web.external-prefix (Strata, Thanos) or to the path of --web.external-url (Prometheus).
  private static Optional<String> servedPrefix(Task t) {
    Optional<String> p = t.flag("--web.route-prefix").or(() -> t.flag("--web.external-prefix"))
        .or(() -> t.flag("--web.external-url").map(u -> URI.create(u.replace("${", "").replace("}", "")).getPath()));
    return p.map(s -> s.endsWith("/") ? s.substring(0, s.length() - 1) : s).filter(s -> !s.isEmpty());
  }

  @Test
  void everyTemplateIsUsedByAnArgument() {
    Map<String, String> dirs = Map.of("local/", "${NOMAD_TASK_DIR}/", "secrets/", "${NOMAD_SECRETS_DIR}/",
        "alloc/", "${NOMAD_ALLOC_DIR}/");
    List<String> violations = new ArrayList<>();
    for (Task t : NomadJobs.allTasks()) {
      List<String> config = t.configStrings();
      for (Template template : t.templates()) {
        String dest = template.destination();
        String prefix = dirs.keySet().stream().filter(dest::startsWith).findFirst().orElse(null);
        if (prefix == null) {
          violations.add(t.where() + ": template destination " + dest + " is outside local/, secrets/ and alloc/");
          continue;
        }
        String asArgument = dirs.get(prefix) + dest.substring(prefix.length());
        if (config.stream().noneMatch(a -> a.contains(asArgument))) {
          violations.add(t.where() + ": " + dest + " (" + asArgument + ") is in no argument");
        }
      }
    }
    assertNone("templates no argument uses", violations);
  }

  @Test
  void javaTasksFetchTheirJarWithAChecksum() {
    List<String> violations = new ArrayList<>();
    for (Task t : NomadJobs.allTasks()) {
      if (!t.driver().equals("java")) {
        continue;
      }
      String jar = t.config().has("jar_path") ? t.job().string(t.config().get("jar_path")) : null;
      List<JsonNode> artifacts = JobFile.blocks(t.body(), "artifact");
      boolean found = false;
      for (JsonNode a : artifacts) {
        if (a.has("destination") && t.job().string(a.get("destination")).equals(jar)) {
          found = true;
          JsonNode options = JobFile.block(a, "options");
          String checksum = options == null || !options.has("checksum") ? "" : t.job().string(options.get("checksum"));
          if (!checksum.startsWith("sha256:") || checksum.length() == "sha256:".length()) {
            violations.add(t.where() + ": the artifact " + jar + " has no sha256: checksum (" + checksum + ")");
          }
        }
      }
      if (!found) {
        violations.add(t.where() + ": jar_path " + jar + " is no artifact's destination");
      }
    }
    assertNone("java tasks whose jar is not fetched and verified", violations);
  }

  @Test
  void noSecretInPlainText() throws IOException {
    List<String> violations = new ArrayList<>();
    for (JobFile job : NomadJobs.all()) {
      String text = Files.readString(job.path());
      Matcher id = AWS_ACCESS_KEY_ID.matcher(text);
      while (id.find()) {
        violations.add(job.path().getFileName() + ": an AWS access key ID " + id.group());
      }
      Matcher key = AWS_SECRET_KEY_SHAPED.matcher(text);
      while (key.find()) {
        String k = key.group();
        if (k.chars().anyMatch(Character::isDigit) && k.chars().anyMatch(Character::isUpperCase)
            && k.chars().anyMatch(Character::isLowerCase)) {
          violations.add(job.path().getFileName() + ": a string shaped like an AWS secret key " + k);
        }
      }
      secretAttributes(job, job.root(), job.path().getFileName().toString(), violations);
      for (Task t : NomadJobs.tasks(job)) {
        for (Template template : t.templates()) {
          if (template.data() != null) {
            secretsInTemplate(t.where() + " " + template.destination(), template.data(), violations);
          }
        }
      }
    }
    assertNone("secrets in plain text", violations);
  }

  private static final Pattern AWS_ACCESS_KEY_ID = Pattern.compile("\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b");
  private static final Pattern AWS_SECRET_KEY_SHAPED =
      Pattern.compile("(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])");
  private static final Pattern SECRET_NAME = Pattern.compile("(?i)(access_key|secret_key|password|token)");
  private static final Pattern SECRET_LINE =
      Pattern.compile("(?im)^\\s*\"?[a-z_]*(?:access_key|secret_key|password|token)\"?\\s*[:=]\\s*(.*)$");

  // An HCL attribute named like a secret (in env, config, ...) must not hold a literal.
  private static void secretAttributes(JobFile job, JsonNode node, String where, List<String> violations) {
    node.fields().forEachRemaining(e -> {
      JsonNode v = e.getValue();
      if (v.isObject()) {
        secretAttributes(job, v, where + "." + e.getKey(), violations);
      } else if (v.isArray()) {
        v.forEach(x -> {
          if (x.isObject()) {
            secretAttributes(job, x, where + "." + e.getKey(), violations);
          }
        });
      }
      if (SECRET_NAME.matcher(e.getKey()).find() && v.isValueNode() && !v.asText().isEmpty()) {
        violations.add(where + "." + e.getKey() + " is set in the job file");
      }
    });
  }

  // A secret-named key in a template must take its value from a Nomad Variable or Vault: an action
  // calling nomadVar or secret, or a field inside a with/range over one.
  private static void secretsInTemplate(String where, String data, List<String> violations) {
    Matcher line = SECRET_LINE.matcher(data);
    while (line.find()) {
      String value = line.group(1).strip();
      if (!(value.contains("{{") && fromSecretStore(data, line.start(1), value))) {
        violations.add(where + ": " + line.group().strip());
      }
    }
  }

  private static boolean fromSecretStore(String data, int at, String value) {
    if (value.contains("nomadVar") || value.contains("secret ")) {
      return true;
    }
    Deque<String> open = new ArrayDeque<>();
    Matcher action = Pattern.compile("\\{\\{-?\\s*(.*?)\\s*-?}}").matcher(data);
    while (action.find() && action.start() < at) {
      String a = action.group(1);
      if (a.startsWith("with ") || a.startsWith("range ") || a.startsWith("if ")) {
        open.push(a);
      } else if (a.equals("end")) {
        open.poll();
      }
    }
    return open.stream().anyMatch(a -> a.contains("nomadVar") || a.contains("secret "));
  }

  @Test
  void everyTaskHasResources() {
    List<String> violations = new ArrayList<>();
    for (Task t : NomadJobs.allTasks()) {
      JsonNode r = JobFile.block(t.body(), "resources");
      if (r == null || !r.has("cpu") || !(r.has("memory") || r.has("memory_max"))) {
        violations.add(t.where() + (r == null ? ": no resources block" : ": resources " + r));
      }
    }
    assertNone("tasks without resources (cpu and memory)", violations);
  }

  @Test
  void groupsRestartAndServiceJobsUpdateAndReschedule() {
    List<String> violations = new ArrayList<>();
    for (JobFile job : NomadJobs.all()) {
      String type = job.job().path("type").asText("service").toLowerCase(Locale.ROOT);
      boolean service = type.equals("service");
      for (Group g : NomadJobs.groups(job)) {
        if (JobFile.block(g.body(), "restart") == null) {
          violations.add(g.where() + ": no restart");
        }
        if (service && JobFile.block(g.body(), "reschedule") == null) {
          violations.add(g.where() + ": no reschedule (a service job's group should move when its client fails)");
        }
        if ((service || type.equals("system")) && JobFile.block(job.job(), "update") == null
            && JobFile.block(g.body(), "update") == null) {
          violations.add(g.where() + ": no update, in the group or the job");
        }
      }
    }
    assertNone("groups without the stanzas a production job carries", violations);
  }
}

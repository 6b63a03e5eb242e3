package dev.strata.nomad;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The job files of this module for the tests: every {@code *.nomad} file in the module's directory
 * (so a job file added later is checked without touching the tests), parsed once per test JVM,
 * with views of their groups and tasks.
 */
final class NomadJobs {
  /** The module's directory: Surefire runs the tests there. */
  static final Path MODULE_DIR = Path.of("").toAbsolutePath();

  private static HclParser parser;
  private static final Map<Path, JobFile> LOADED = new HashMap<>();

  private NomadJobs() {}

  static synchronized HclParser parser() {
    if (parser == null) {
      try {
        parser = HclParser.in(MODULE_DIR);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return parser;
  }

  /** Every job file of the module, by name. */
  static List<Path> files() {
    try (Stream<Path> s = Files.list(MODULE_DIR)) {
      List<Path> files = s.filter(p -> p.getFileName().toString().endsWith(".nomad")).sorted().toList();
      if (files.isEmpty()) {
        throw new AssertionError("no *.nomad file in " + MODULE_DIR);
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every job file, parsed and evaluated. */
  static List<JobFile> all() {
    return files().stream().map(NomadJobs::load).toList();
  }

  /** The job file named {@code name} in the module. */
  static JobFile load(String name) {
    return load(MODULE_DIR.resolve(name));
  }

  /**
   * {@code file} parsed and evaluated, with a placeholder for each variable that has no default
   * (what a user gives with {@code -var}), of the variable's declared type.
   */
  static synchronized JobFile load(Path file) {
    return LOADED.computeIfAbsent(file, f -> {
      try {
        JsonNode root = parser().parse(f);
        Map<String, Object> given = new LinkedHashMap<>();
        JobFile.labelled(root, "variable").forEach((name, block) -> {
          if (block.get("default") == null) {
            given.put(name, placeholder(name, block.path("type").asText("${string}")));
          }
        });
        return JobFile.parse(parser(), f, given);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private static Object placeholder(String name, String type) {
    if (type.startsWith("${list") || type.startsWith("${set")) {
      return List.of("example-" + name);
    }
    if (type.equals("${bool}")) {
      return Boolean.FALSE;
    }
    if (type.equals("${number}")) {
      return 1L;
    }
    return "example-" + name;
  }

  /** The groups of {@code job}. */
  static List<Group> groups(JobFile job) {
    List<Group> out = new ArrayList<>();
    job.groups().forEach((name, body) -> out.add(new Group(job, name, body)));
    return out;
  }

  /** Every task of every group of {@code job}. */
  static List<Task> tasks(JobFile job) {
    return groups(job).stream().flatMap(g -> g.tasks().stream()).toList();
  }

  /** Every task of every job file. */
  static List<Task> allTasks() {
    return all().stream().flatMap(j -> tasks(j).stream()).toList();
  }

  /** The task {@code group/name} of the job file {@code file}. */
  static Task task(String file, String group, String name) {
    return tasks(load(file)).stream()
        .filter(t -> t.group().name().equals(group) && t.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no task " + group + "/" + name + " in " + file));
  }

  /** A group of a job. */
  record Group(JobFile job, String name, JsonNode body) {
    /** The labels of the ports its {@code network} declares, with their static port or 0. */
    Map<String, Integer> ports() {
      Map<String, Integer> out = new LinkedHashMap<>();
      for (JsonNode network : JobFile.blocks(body, "network")) {
        JobFile.labelled(network, "port").forEach((label, port) -> out.put(label, port.path("static").asInt(0)));
      }
      return out;
    }

    List<Task> tasks() {
      List<Task> out = new ArrayList<>();
      JobFile.tasks(body).forEach((name, t) -> out.add(new Task(this, name, t)));
      return out;
    }

    /** The services declared at the group's level (their checks run against its tasks). */
    List<JsonNode> services() {
      return JobFile.blocks(body, "service");
    }

    String where() {
      return job.path().getFileName() + " group " + name;
    }
  }

  /** A task of a group. */
  record Task(Group group, String name, JsonNode body) {
    JobFile job() {
      return group.job();
    }

    String where() {
      return group.job().path().getFileName() + " " + group.name() + "/" + name;
    }

    String driver() {
      return body.path("driver").asText();
    }

    JsonNode config() {
      JsonNode c = JobFile.block(body, "config");
      return c == null ? MissingNode.getInstance() : c;
    }

    /** The config's {@code args}, evaluated as Nomad does when it reads the job. */
    List<String> args() {
      return job().strings(config().get("args"));
    }

    List<String> jvmOptions() {
      return job().strings(config().get("jvm_options"));
    }

    /** The value of {@code --name=value} among the args, if given. */
    Optional<String> flag(String name) {
      for (String a : args()) {
        if (a.startsWith(name + "=")) {
          return Optional.of(a.substring(name.length() + 1));
        }
      }
      return Optional.empty();
    }

    List<Template> templates() {
      List<Template> out = new ArrayList<>();
      for (JsonNode t : JobFile.blocks(body, "template")) {
        out.add(new Template(job().string(t.get("destination")),
            t.get("data") == null ? null : job().string(t.get("data")),
            t.get("change_mode") == null ? "restart" : job().string(t.get("change_mode")), t));
      }
      return out;
    }

    List<JsonNode> services() {
      return JobFile.blocks(body, "service");
    }

    /** The template rendered into the file that the arg {@code flag=FILE} names. */
    Template templateOfFlag(String flag) {
      String file = flag(flag).orElseThrow(() -> new AssertionError(where() + " has no " + flag));
      for (Template t : templates()) {
        if (file.equals(t.destination().replaceFirst("^local/", "\\${NOMAD_TASK_DIR}/")
            .replaceFirst("^secrets/", "\\${NOMAD_SECRETS_DIR}/")
            .replaceFirst("^alloc/", "\\${NOMAD_ALLOC_DIR}/"))) {
          return t;
        }
      }
      throw new AssertionError(where() + ": no template renders " + flag + "=" + file);
    }

    /** Every string of the task's config, evaluated (args, image, jvm_options, ...). */
    List<String> configStrings() {
      List<String> out = new ArrayList<>();
      if (!config().isMissingNode()) {
        collectStrings(job().value(config()), out);
      }
      return out;
    }

    /** The ports the task's text refers to as {@code ${NOMAD_ADDR_x}} and the like. */
    Set<String> referencedPortLabels() {
      List<String> texts = new ArrayList<>(configStrings());
      templates().forEach(t -> {
        if (t.data() != null) {
          texts.add(t.data());
        }
      });
      JsonNode env = JobFile.block(body, "env");
      if (env != null) {
        collectStrings(job().value(env), texts);
      }
      Set<String> out = new LinkedHashSet<>();
      Pattern ref = Pattern.compile("NOMAD_(?:HOST_)?(?:ADDR|PORT|IP)_([A-Za-z0-9_\\-]+)");
      for (String s : texts) {
        Matcher m = ref.matcher(s);
        while (m.find()) {
          out.add(m.group(1));
        }
      }
      return out;
    }
  }

  /** A task's {@code template} stanza, its data evaluated as Nomad does when it reads the job. */
  record Template(String destination, String data, String changeMode, JsonNode body) {}

  static void collectStrings(Object v, List<String> out) {
    if (v instanceof String s) {
      out.add(s);
    } else if (v instanceof List<?> l) {
      l.forEach(x -> collectStrings(x, out));
    } else if (v instanceof Map<?, ?> m) {
      m.values().forEach(x -> collectStrings(x, out));
    }
  }

  /** Fails listing every violation, if there is any. */
  static void assertNone(String rule, List<String> violations) {
    if (!violations.isEmpty()) {
      throw new AssertionError(rule + ":\n  " + String.join("\n  ", violations));
    }
  }
}

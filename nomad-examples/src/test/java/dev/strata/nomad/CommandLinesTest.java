package dev.strata.nomad;

import static dev.strata.nomad.NomadJobs.assertNone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.examples.cli.StrataCommand;
import dev.strata.nomad.NomadJobs.Task;
import dev.strata.tier.compact.CompactorOptions;
import dev.strata.tier.query.FileSd;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The Strata command lines of the job files as the binary reads them: every java task's args, with
 * Nomad's runtime variables substituted as a client would, parsed by the {@code strata} binary's own
 * picocli command line ({@link StrataCommand#commandLine()}, with its converters: an unknown flag or
 * a value that does not convert fails), and its JVM options given to a real JVM.
 */
class CommandLinesTest {
  @TempDir static Path dir;

  /** The task's args as the client starts it: ports numbered, directories under {@link #dir}. */
  static List<String> commandLine(Task t) {
    return environment(t).substitute(t.args());
  }

  static NomadEnvironment environment(Task t) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    int next = 20000;
    for (Map.Entry<String, Integer> p : t.group().ports().entrySet()) {
      ports.put(p.getKey(), p.getValue() != 0 ? p.getValue() : next++);
    }
    Path alloc = dir.resolve(t.group().name() + "-alloc");
    return NomadEnvironment.forTask("127.0.0.1", ports, alloc.toString(),
        alloc.resolve(t.name()).resolve("local").toString(), alloc.resolve(t.name()).resolve("secrets").toString(),
        "5f3c1a2e-8b4d-4e6f-9a1b-2c3d4e5f6a7b", t.job().name(), t.group().name(), t.name());
  }

  /** The java tasks running the strata jar (a java task with another main class runs something else). */
  static List<Task> strataTasks() {
    List<Task> out = new ArrayList<>();
    for (Task t : NomadJobs.allTasks()) {
      if (t.driver().equals("java") && (!t.config().has("class")
          || t.job().string(t.config().get("class")).equals(StrataCommand.class.getName()))) {
        out.add(t);
      }
    }
    return out;
  }

  /** Parses {@code args} as {@code strata} would, failing as it would on anything left unmatched. */
  static ParseResult parse(List<String> args) {
    CommandLine cl = StrataCommand.commandLine();
    ParseResult result = cl.parseArgs(args.toArray(String[]::new));
    for (ParseResult r = result; r != null; r = r.hasSubcommand() ? r.subcommand() : null) {
      if (!r.unmatched().isEmpty()) {
        throw new CommandLine.UnmatchedArgumentException(r.commandSpec().commandLine(), r.unmatched());
      }
    }
    return result;
  }

  @Test
  void everyStrataCommandLineParses() {
    List<String> violations = new ArrayList<>();
    for (Task t : strataTasks()) {
      List<String> args = commandLine(t);
      try {
        ParseResult r = parse(args);
        if (!r.hasSubcommand() || r.subcommand().commandSpec().name().equals("help")) {
          violations.add(t.where() + ": names no command: " + args);
          continue;
        }
        checksMadeBeforeWork(t, r.subcommand(), violations);
      } catch (ParameterException e) {
        violations.add(t.where() + ": " + e.getMessage() + "\n    in " + args);
      }
    }
    assertNone("command lines strata refuses", violations);
    assertFalse(strataTasks().isEmpty(), "no Strata task in the job files");
  }

  // What the commands check in call() before any work, on values picocli has already converted.
  private static void checksMadeBeforeWork(Task t, ParseResult command, List<String> violations) {
    String name = command.commandSpec().name();
    if (name.equals("compact")) {
      Duration raw = command.commandSpec().findOption("--retention.resolution-raw").getValue();
      Duration fiveMinutes = command.commandSpec().findOption("--retention.resolution-5m").getValue();
      Duration oneHour = command.commandSpec().findOption("--retention.resolution-1h").getValue();
      boolean downsamplingOff = command.commandSpec().findOption("--downsampling.disable").getValue();
      String func = command.commandSpec().findOption("--deduplication.func").getValue();
      try {
        CompactorOptions.builder(dir).retention(raw, fiveMinutes, oneHour).downsampling(!downsamplingOff).build();
      } catch (IllegalArgumentException e) {
        violations.add(t.where() + ": " + e.getMessage());
      }
      if (!func.isEmpty() && !func.equals("penalty")) {
        violations.add(t.where() + ": --deduplication.func=" + func);
      }
    }
    if (name.equals("query")) {
      List<Path> sdFiles = command.commandSpec().findOption("--store.sd-files").getValue();
      for (Path f : sdFiles) {
        try {
          FileSd.builder().file(f);
        } catch (IllegalArgumentException e) {
          violations.add(t.where() + ": " + e.getMessage());
        }
      }
    }
    for (String needed : List.of("--grpc-address", "--http-address")) {
      if (command.commandSpec().findOption(needed) != null && !command.hasMatchedOption(needed)) {
        violations.add(t.where() + ": " + needed + " is not set to Nomad's port (it defaults to a fixed one)");
      }
    }
  }

  @Test
  void anUnknownFlagFails() {
    for (Task t : strataTasks()) {
      List<String> args = new ArrayList<>(commandLine(t));
      args.add("--no-such-flag=1");
      ParameterException e = assertThrows(ParameterException.class, () -> parse(args), t.where());
      assertTrue(e.getMessage().contains("--no-such-flag"), e.getMessage());
    }
  }

  private static final Pattern DURATION_OR_SIZE = Pattern.compile("(--[a-z0-9.-]+)=\\d+(ms|s|m|h|d|w|y|KB|MB|GB)");

  @Test
  void aBadValueFails() {
    Set<String> mutated = new LinkedHashSet<>();
    for (Task t : strataTasks()) {
      List<String> args = commandLine(t);
      for (int i = 0; i < args.size(); i++) {
        var m = DURATION_OR_SIZE.matcher(args.get(i));
        if (!m.matches()) {
          continue;
        }
        List<String> bad = new ArrayList<>(args);
        bad.set(i, m.group(1) + "=20 parsecs");
        ParameterException e = assertThrows(ParameterException.class, () -> parse(bad),
            t.where() + ": " + bad.get(i) + " was accepted");
        assertTrue(e.getMessage().contains("parsecs"), e.getMessage());
        mutated.add(m.group(1));
      }
    }
    // The durations and sizes the job files set; each must be one that the parser converts.
    assertTrue(mutated.containsAll(List.of("--grpc-grace-period", "--http-grace-period", "--wait-interval",
        "--index-cache-size", "--chunk-cache-size", "--retention.resolution-raw")), "mutated: " + mutated);
  }

  @Test
  void anAddressThatIsNoAddressFails() {
    Task t = strataTasks().get(0);
    List<String> args = new ArrayList<>(t.args());
    args.replaceAll(a -> a.startsWith("--http-address=") ? "--http-address=127.0.0.1:http" : a);
    assertThrows(ParameterException.class, () -> parse(environment(t).substitute(args)));
  }

  @Test
  void jvmOptionsStartAJvmWithoutWarnings() throws IOException, InterruptedException {
    List<String> violations = new ArrayList<>();
    Set<List<String>> seen = new LinkedHashSet<>();
    for (Task t : strataTasks()) {
      List<String> options = environment(t).substitute(t.jvmOptions());
      if (!seen.add(options)) {
        continue;
      }
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(options);
      command.add("-version");
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        violations.add(t.where() + ": java -version did not finish");
        continue;
      }
      if (p.exitValue() != 0 || out.toLowerCase().contains("warning") || out.toLowerCase().contains("error")) {
        violations.add(t.where() + ": " + String.join(" ", options) + " -> exit " + p.exitValue() + ":\n" + out);
      }
    }
    assertNone("jvm_options a JVM refuses or warns about", violations);
  }

  @Test
  void jvmOptionsCarryEveryFlagOfJvmOptionsFile() throws IOException {
    List<String> required = jvmOptionsFile();
    assertFalse(required.isEmpty(), "jvm.options lists flags");
    List<String> violations = new ArrayList<>();
    for (Task t : strataTasks()) {
      for (String flag : required) {
        if (!t.jvmOptions().contains(flag)) {
          violations.add(t.where() + ": no " + flag);
        }
      }
    }
    for (JobFile job : NomadJobs.all()) {
      Object local = localValue(job, "strata_jvm_options");
      if (local instanceof List<?> list && !list.containsAll(required)) {
        violations.add(job.path().getFileName() + ": local.strata_jvm_options " + list + " lacks some of " + required);
      }
    }
    assertNone("jvm_options out of step with the repository's jvm.options", violations);
  }

  private static Object localValue(JobFile job, String name) {
    for (var block : JobFile.blocks(job.root(), "locals")) {
      if (block.has(name)) {
        return job.value(block.get(name));
      }
    }
    return null;
  }

  /** The flags of the repository's jvm.options: its lines that are not comments or blank. */
  static List<String> jvmOptionsFile() throws IOException {
    Path file = NomadJobs.MODULE_DIR.getParent().resolve("jvm.options");
    return Files.readAllLines(file).stream().map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
  }

  @Test
  void theParserIsTheBinarys() {
    // Guards the premise of these tests: the same parser refuses what strata refuses.
    assertEquals("strata", StrataCommand.commandLine().getCommandName());
    assertThrows(ParameterException.class, () -> parse(List.of("query", "--query.max-concurrent=0")));
  }
}

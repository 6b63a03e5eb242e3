package dev.strata.benchmarks;

import dev.strata.benchmarks.chunkenc.XorCompressionReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Entry point of {@code benchmarks.jar}: JMH's command line, with the JVM flags from the
 * repository's {@code jvm.options} added to every fork, followed by a table of Strata-to-baseline
 * ratios for benchmarks that come in {@code fooStrata}/{@code fooBaseline} pairs.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar XorCodec} runs the XOR codec benchmarks;
 * {@code ... compression} prints bytes per sample instead. Any JMH option works as usual.
 */
public final class BenchmarkMain {
  private BenchmarkMain() {}

  public static void main(String[] args)
      throws RunnerException, CommandLineOptionException, IOException {
    if (args.length == 1 && args[0].equals("compression")) {
      XorCompressionReport.main(new String[0]);
      return;
    }
    CommandLineOptions cli = new CommandLineOptions(args);
    if (cli.shouldHelp() || cli.shouldList() || cli.shouldListProfilers()
        || cli.shouldListResultFormats() || cli.shouldListWithParams()) {
      org.openjdk.jmh.Main.main(args);
      return;
    }
    Options options =
        new OptionsBuilder().parent(cli).jvmArgsAppend(jvmFlags().toArray(String[]::new)).build();
    Collection<RunResult> results = new Runner(options).run();
    printRatios(results);
  }

  /** Flags from jvm.options: {@code -Dstrata.jvmOptions=path}, or found above the working dir. */
  static List<String> jvmFlags() throws IOException {
    String explicit = System.getProperty("strata.jvmOptions");
    Path file = explicit != null ? Path.of(explicit) : findUpwards(Path.of("").toAbsolutePath());
    if (file == null) {
      throw new IOException(
          "jvm.options not found above " + Path.of("").toAbsolutePath()
              + "; run from the repository or pass -Dstrata.jvmOptions=PATH");
    }
    List<String> flags = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      String flag = line.strip();
      if (!flag.isEmpty() && !flag.startsWith("#")) {
        flags.add(flag);
      }
    }
    return flags;
  }

  private static Path findUpwards(Path dir) {
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("jvm.options"))) {
        return d.resolve("jvm.options");
      }
    }
    return null;
  }

  // Pairs xBaseline with xStrata on the same parameters and prints baseline/strata.
  private static void printRatios(Collection<RunResult> results) {
    Map<String, Double> scores = new TreeMap<>();
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark();
      String params = r.getParams().getParamsKeys().stream()
          .map(k -> k + "=" + r.getParams().getParam(k))
          .reduce((a, b) -> a + "," + b)
          .orElse("");
      scores.put(name + " [" + params + "]", r.getPrimaryResult().getScore());
    }
    StringBuilder table = new StringBuilder();
    for (Map.Entry<String, Double> e : scores.entrySet()) {
      String key = e.getKey();
      if (!key.contains("Baseline [")) {
        continue;
      }
      Double strata = scores.get(key.replace("Baseline [", "Strata ["));
      if (strata != null) {
        table.append(String.format(
            "%-70s baseline %10.3f  strata %10.3f  baseline/strata %6.2fx%n",
            key.replace("Baseline [", " ["), e.getValue(), strata, e.getValue() / strata));
      }
    }
    if (table.length() > 0) {
      System.out.println();
      System.out.println("Strata against the baseline in this run (same units as the scores above):");
      System.out.print(table);
    }
  }
}

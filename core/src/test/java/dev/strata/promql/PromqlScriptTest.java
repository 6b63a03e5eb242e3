package dev.strata.promql;

import static org.junit.jupiter.api.Assertions.fail;

import dev.strata.promql.PromqlScript.Command;
import dev.strata.promql.PromqlScript.Eval;
import dev.strata.promql.PromqlScript.Expected;
import dev.strata.promql.PromqlScript.Load;
import dev.strata.promql.parser.Expr;
import dev.strata.tsdb.Tsdb;
import dev.strata.tsdb.TsdbOptions;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.Appender;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs Prometheus 2.42's own PromQL test scripts against the engine over a real {@link Tsdb}, with
 * the checks of Prometheus's runner: each {@code eval} at its time, again with {@code @} pinned on
 * its selectors at other times, and each again as a range query around its time. Values match
 * within a relative 1e-6; order matters only for {@code eval_ordered}.
 *
 * <p>The scripts are not part of this repository; the test is skipped where they are absent. Cases
 * listed in {@code promql-known-failures.txt} (with the reason) are reported as skipped while they
 * fail, and fail the build once they pass, so the list stays honest.
 */
class PromqlScriptTest {
  private static final double EPSILON = 0.000001;
  private static final double MIN_NORMAL = Double.MIN_NORMAL;
  private static final Map<String, int[]> SUMMARY = new TreeMap<>();

  @TempDir static Path tmp;

  /**
   * Where the scripts are: {@code PROMQL_TESTDATA} (or the {@code promql.testdata} property) if
   * given, else {@code shared/promql-testdata} beside the repository.
   */
  private static Path testdata() {
    String explicit = System.getProperty("promql.testdata", System.getenv("PROMQL_TESTDATA"));
    if (explicit != null) {
      return Paths.get(explicit);
    }
    List<Path> candidates = new ArrayList<>();
    String root = System.getProperty("strata.root");
    if (root != null) {
      candidates.add(Paths.get(root).resolve("../shared"));
    }
    Path workingDir = Paths.get("").toAbsolutePath();
    candidates.add(workingDir.resolve("../shared")); // run from the repository root
    candidates.add(workingDir.resolve("../../shared")); // run from a module, as Maven does
    return candidates.stream()
        .map(p -> p.normalize().resolve("promql-testdata"))
        .filter(Files::isDirectory)
        .findFirst()
        .orElse(workingDir.resolve("../../shared/promql-testdata").normalize());
  }

  private static Map<String, String> knownFailures() {
    Map<String, String> out = new HashMap<>();
    try (InputStream in = PromqlScriptTest.class.getResourceAsStream("promql-known-failures.txt")) {
      if (in == null) {
        return out;
      }
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        line = line.strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        String[] parts = line.split("\\s+", 2);
        out.put(parts[0], parts.length > 1 ? parts[1] : "");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  @TestFactory
  Stream<DynamicNode> scripts() throws IOException {
    Path dir = testdata();
    if (!Files.isDirectory(dir)) {
      // One skipped test that says why, rather than a silently empty factory.
      String why = "Prometheus's PromQL test scripts are not available at " + dir + "; skipping";
      return Stream.of(
          DynamicTest.dynamicTest("PromQL test scripts", () -> Assumptions.abort(why)));
    }
    Map<String, String> known = knownFailures();
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".test")).sorted().toList();
    }
    List<DynamicNode> containers = new ArrayList<>();
    for (Path file : files) {
      String name = file.getFileName().toString();
      List<Command> cmds = PromqlScript.parse(Files.readAllLines(file));
      ScriptRun run = new ScriptRun(name);
      List<DynamicNode> tests = new ArrayList<>();
      for (int i = 0; i < cmds.size(); i++) {
        if (cmds.get(i) instanceof Eval ev) {
          int upTo = i;
          String id = name + ":" + ev.line();
          tests.add(
              DynamicTest.dynamicTest(
                  id + " " + ev.expr(), () -> run.run(cmds, upTo, ev, id, known.get(id))));
        }
      }
      containers.add(DynamicContainer.dynamicContainer(name, tests));
    }
    return containers.stream();
  }

  @AfterAll
  static void printSummary() {
    if (SUMMARY.isEmpty()) {
      return;
    }
    StringBuilder sb = new StringBuilder("PromQL test scripts, passed/total:\n");
    int pass = 0;
    int total = 0;
    for (Map.Entry<String, int[]> e : SUMMARY.entrySet()) {
      sb.append(String.format("  %-22s %4d/%d%n", e.getKey(), e.getValue()[0], e.getValue()[1]));
      pass += e.getValue()[0];
      total += e.getValue()[1];
    }
    sb.append(String.format("  %-22s %4d/%d%n", "overall", pass, total));
    System.out.print(sb);
  }

  /** One script's storage, brought up to date with its loads and clears as the evals run. */
  private static final class ScriptRun {
    private final String file;
    private int applied;
    private Tsdb tsdb;
    private int generation;
    private final Engine engine =
        new Engine(
            EngineOptions.builder().maxSamples(10_000).timeout(Duration.ofSeconds(100)).build());

    ScriptRun(String file) {
      this.file = file;
    }

    void run(List<Command> cmds, int upTo, Eval ev, String id, String knownReason)
        throws Exception {
      for (; applied < upTo; applied++) {
        Command c = cmds.get(applied);
        if (c instanceof PromqlScript.Clear) {
          clear();
        } else if (c instanceof Load load) {
          load(load);
        }
      }
      if (tsdb == null) {
        clear();
      }
      int[] counts = SUMMARY.computeIfAbsent(file, k -> new int[2]);
      counts[1]++;
      String failure = check(ev);
      if (failure == null) {
        counts[0]++;
        if (knownReason != null) {
          fail(id + " is listed as a known failure (" + knownReason + ") but passes; unlist it");
        }
        return;
      }
      if (knownReason != null) {
        Assumptions.abort("known failure: " + knownReason + " (" + failure + ")");
      }
      fail(failure);
    }

    private void clear() throws IOException {
      if (tsdb != null) {
        tsdb.close();
      }
      Path dir = tmp.resolve(file + "-" + generation++);
      Files.createDirectories(dir);
      // Like Prometheus's test storage: 24h blocks, so that a later load may start back at 0.
      tsdb = Tsdb.open(dir, TsdbOptions.builder().blockRange(Duration.ofHours(24)).build());
    }

    private void load(Load load) throws IOException {
      if (tsdb == null) {
        clear();
      }
      Appender app = tsdb.appender();
      for (Map.Entry<Labels, List<Double>> e : load.series().entrySet()) {
        long t = 0;
        for (Double v : e.getValue()) {
          if (v != null) {
            app.append(e.getKey(), t, v);
          }
          t += load.intervalMs();
        }
      }
      app.commit();
    }

    /** Null if the eval passes, else what went wrong. */
    private String check(Eval ev) {
      Expr parsed;
      try {
        parsed = QueryParsing.parse(ev.expr());
      } catch (QueryException e) {
        return "parse error: " + e.getMessage();
      }
      List<AtModifierVariants.Variant> queries = new ArrayList<>();
      queries.add(new AtModifierVariants.Variant(parsed, ev.timeMs()));
      queries.addAll(AtModifierVariants.of(parsed, ev.timeMs()));
      for (AtModifierVariants.Variant q : queries) {
        String where =
            q.expr() == parsed ? "" : " (with @ pinned, evaluated at " + q.timeMs() + "ms)";
        Value result;
        try {
          result = engine.instantQuery(tsdb::querier, q.expr(), q.timeMs()).value();
        } catch (QueryException e) {
          if (ev.fail()) {
            continue;
          }
          return "error evaluating" + where + ": " + e.getMessage();
        }
        if (ev.fail()) {
          return "expected an error" + where + " but got " + result;
        }
        String diff = compare(ev, result);
        if (diff != null) {
          return diff + where;
        }
        Value range;
        try {
          range =
              engine
                  .rangeQuery(
                      tsdb::querier, q.expr(), q.timeMs() - 60_000, q.timeMs() + 60_000, 60_000)
                  .value();
        } catch (QueryException e) {
          return "error in range mode" + where + ": " + e.getMessage();
        }
        if (ev.ordered()) {
          continue;
        }
        List<Sample> atTime = new ArrayList<>();
        for (Matrix.Series s : ((Matrix) range).series()) {
          for (int i = 0; i < s.size(); i++) {
            if (s.timestamps()[i] == q.timeMs()) {
              atTime.add(new Sample(s.labels(), q.timeMs(), s.values()[i]));
              break;
            }
          }
        }
        Value asInstant =
            result instanceof Scalar && !atTime.isEmpty()
                ? new Scalar(q.timeMs(), atTime.get(0).value())
                : new Vector(atTime);
        diff = compare(ev, asInstant);
        if (diff != null) {
          return "range mode: " + diff + where;
        }
      }
      return null;
    }
  }

  /** Prometheus's {@code compareResult}. */
  static String compare(Eval ev, Value result) {
    if (result instanceof Matrix) {
      return "received range result on instant evaluation";
    }
    if (result instanceof Scalar s) {
      if (ev.scalar() == null) {
        return "expected a vector but got scalar " + s.value();
      }
      if (!almostEqual(ev.scalar(), s.value())) {
        return "expected scalar " + ev.scalar() + " but got " + s.value();
      }
      return null;
    }
    if (!(result instanceof Vector v)) {
      return "unexpected result type " + result;
    }
    Set<Labels> seen = new HashSet<>();
    List<Sample> samples = v.samples();
    for (int pos = 0; pos < samples.size(); pos++) {
      Sample s = samples.get(pos);
      Expected exp = ev.expected().get(s.labels());
      if (exp == null) {
        return "unexpected metric " + s.labels() + " in result " + samples;
      }
      if (ev.ordered() && exp.position() != pos + 1) {
        return "expected metric "
            + s.labels()
            + " at position "
            + exp.position()
            + " but was at "
            + (pos + 1);
      }
      if (!almostEqual(exp.value(), s.value())) {
        return "expected " + exp.value() + " for " + s.labels() + " but got " + s.value();
      }
      seen.add(s.labels());
    }
    for (Labels l : ev.expected().keySet()) {
      if (!seen.contains(l)) {
        return "expected metric " + l + " not found in " + samples;
      }
    }
    if (ev.scalar() != null) {
      return "expected scalar " + ev.scalar() + " but got vector " + samples;
    }
    return null;
  }

  static boolean almostEqual(double a, double b) {
    if (Double.isNaN(a) && Double.isNaN(b)) {
      return true;
    }
    if (a == b) {
      return true;
    }
    double diff = Math.abs(a - b);
    if (a == 0 || b == 0 || diff < MIN_NORMAL) {
      return diff < EPSILON * MIN_NORMAL;
    }
    return diff / (Math.abs(a) + Math.abs(b)) < EPSILON;
  }
}

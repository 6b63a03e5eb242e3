package dev.strata.promql.parser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Queries to parse, from the project's own corpus and from the reference data beside the
 * repository ({@code ../shared}: Prometheus's PromQL test scripts and the compliance tester's query
 * list), which a user's clone does not have.
 */
final class SharedTestData {
  private static final Pattern EVAL =
      Pattern.compile("^eval(?:_fail|_ordered)?\\s+(?:instant|range)\\s+at\\s+\\S+(?:\\s+to\\s+\\S+\\s+step\\s+\\S+)?\\s+(.*)$");

  private SharedTestData() {}

  /** The reference data folder, if this checkout has one beside it. */
  static Optional<Path> sharedFolder() {
    String root = System.getProperty("strata.root");
    List<Path> candidates = new ArrayList<>();
    if (root != null) {
      candidates.add(Path.of(root).resolve("../shared"));
    }
    Path workingDir = Path.of("").toAbsolutePath();
    candidates.add(workingDir.resolve("../shared")); // run from the repository root
    candidates.add(workingDir.resolve("../../shared")); // run from a module, as Maven does
    return candidates.stream().map(Path::normalize).filter(Files::isDirectory).findFirst();
  }

  /** One eval line of a PromQL test script. */
  record ScriptEval(String file, int line, String query, boolean expectFailure) {}

  static List<ScriptEval> scriptEvals(Path shared) {
    List<ScriptEval> evals = new ArrayList<>();
    Path dir = shared.resolve("promql-testdata");
    try (var files = Files.list(dir)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".test")).sorted().toList()) {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
          Matcher m = EVAL.matcher(lines.get(i).strip());
          if (m.matches()) {
            evals.add(
                new ScriptEval(
                    file.getFileName().toString(),
                    i + 1,
                    m.group(1),
                    lines.get(i).strip().startsWith("eval_fail")));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return evals;
  }

  /** One query of the compliance tester; {@code shouldFail} when the tester expects an error. */
  record ComplianceQuery(String query, boolean shouldFail) {}

  /** The compliance tester's queries that need no template expansion. */
  static List<ComplianceQuery> complianceQueries(Path shared) {
    List<ComplianceQuery> queries = new ArrayList<>();
    Path file = shared.resolve("promql-compliance/promql-test-queries.yml");
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        String trimmed = lines.get(i).strip();
        if (!trimmed.startsWith("- query:")) {
          continue;
        }
        String value = trimmed.substring("- query:".length()).strip();
        if (value.contains("{{")) {
          continue;
        }
        boolean shouldFail =
            i + 1 < lines.size() && lines.get(i + 1).strip().equals("should_fail: true");
        queries.add(new ComplianceQuery(yamlScalar(value), shouldFail));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return queries;
  }

  /** A one-line YAML scalar: single-quoted ('' is a quote), double-quoted or plain. */
  private static String yamlScalar(String value) {
    if (value.startsWith("'") && value.endsWith("'") && value.length() >= 2) {
      return value.substring(1, value.length() - 1).replace("''", "'");
    }
    if (value.startsWith("\"") && value.endsWith("\"") && value.length() >= 2) {
      return StringSyntax.unquote(value);
    }
    return value;
  }

  /** A corpus file: one Go/JSON double-quoted query per line; blank lines and # comments skipped. */
  static List<String> corpus(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
          .filter(l -> l.startsWith("\""))
          .map(StringSyntax::unquote)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

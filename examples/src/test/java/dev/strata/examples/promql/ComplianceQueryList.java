package dev.strata.examples.promql;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The compliance tester's query list, read as input data when the reference data folder is beside
 * the repository (a user's clone does not have it). Only its {@code query:} entries are used: the
 * outcome is taken from Prometheus, not from the file's {@code should_fail}.
 */
final class ComplianceQueryList {
  private ComplianceQueryList() {}

  /** The reference data folder beside the repository, looked for from the root and from a module. */
  static Optional<Path> sharedFolder() {
    Path workingDir = Path.of("").toAbsolutePath();
    return List.of(workingDir.resolve("../shared"), workingDir.resolve("../../shared")).stream()
        .map(Path::normalize)
        .filter(Files::isDirectory)
        .findFirst();
  }

  /** The query templates of the list, if present. */
  static List<String> templates() throws IOException {
    Optional<Path> shared = sharedFolder();
    if (shared.isEmpty()) {
      return List.of();
    }
    Path file = shared.get().resolve("promql-compliance/promql-test-queries.yml");
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    List<String> queries = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      String s = line.strip();
      if (s.startsWith("- ")) {
        s = s.substring(2).strip();
      }
      if (s.startsWith("query:")) {
        queries.add(unquote(s.substring("query:".length()).strip()));
      }
    }
    return queries;
  }

  // YAML scalars as the list writes them: single-quoted ('' is a quote), double-quoted or plain.
  private static String unquote(String value) {
    if (value.startsWith("'") && value.endsWith("'")) {
      return value.substring(1, value.length() - 1).replace("''", "'");
    }
    if (value.startsWith("\"") && value.endsWith("\"")) {
      return value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
    }
    return value;
  }
}

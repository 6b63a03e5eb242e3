package dev.strata.promql.parser;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tsdb.testing.Interop;
import dev.strata.tsdb.testing.Promtool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every query of the corpus (and of the reference data, when present) is given to the real {@code
 * promtool check rules} as a recording rule's expression: Strata's parser must accept exactly what
 * promtool accepts, and reject the rest with the very same message.
 *
 * <p>Set {@code strata.promql.extraCorpus} to a corpus file to check more queries.
 */
@Interop
class PromqlPromtoolDifferentialTest {
  private static final Pattern FAILURE =
      Pattern.compile("rule (\\d+), \"r\\d+\": could not parse expression: (.*)$");

  @Test
  void acceptsAndRejectsLikePromtool(@TempDir Path dir) throws Exception {
    Set<String> queries = new LinkedHashSet<>(PromqlGoldenCasesTest.corpus());
    SharedTestData.sharedFolder()
        .ifPresent(
            shared -> {
              SharedTestData.scriptEvals(shared).forEach(e -> queries.add(e.query()));
              SharedTestData.complianceQueries(shared).forEach(q -> queries.add(q.query()));
            });
    String extra = System.getProperty("strata.promql.extraCorpus");
    if (extra != null) {
      queries.addAll(SharedTestData.corpus(Path.of(extra)));
    }
    queries.removeIf(q -> q.isBlank());
    List<String> list = new ArrayList<>(queries);

    Map<Integer, String> promtoolErrors = runPromtool(dir, list);
    List<String> mismatches = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String query = list.get(i);
      String expected = promtoolErrors.getOrDefault(i + 1, "OK");
      String actual = PromqlGoldenCasesTest.verdict(query);
      if (!expected.equals(actual)) {
        mismatches.add(
            PromqlGoldenCasesTest.goLiteral(query) + "\n    promtool: " + expected + "\n    strata:   " + actual);
      }
    }
    assertTrue(
        mismatches.isEmpty(),
        mismatches.size() + " of " + list.size() + " queries differ:\n" + String.join("\n", mismatches));
  }

  private static Map<Integer, String> runPromtool(Path dir, List<String> queries) throws Exception {
    StringBuilder yaml = new StringBuilder("groups:\n- name: g\n  rules:\n");
    for (int i = 0; i < queries.size(); i++) {
      yaml.append("  - record: r").append(i + 1).append('\n');
      yaml.append("    expr: ").append(PromqlGoldenCasesTest.goLiteral(queries.get(i))).append('\n');
    }
    Path rules = dir.resolve("rules.yml");
    Files.writeString(rules, yaml, StandardCharsets.UTF_8);
    Promtool.Result result = Promtool.run(dir, "check", "rules", "--lint=none", "rules.yml");
    Map<Integer, String> errors = new HashMap<>();
    for (String line : (result.stdout() + "\n" + result.stderr()).split("\n")) {
      Matcher m = FAILURE.matcher(line);
      if (m.find()) {
        errors.put(Integer.parseInt(m.group(1)), m.group(2));
      }
    }
    return errors;
  }
}

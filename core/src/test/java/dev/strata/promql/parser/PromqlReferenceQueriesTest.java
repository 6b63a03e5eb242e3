package dev.strata.promql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Every query of Prometheus 2.42's own PromQL test scripts and of the compliance tester's query
 * list parses, and prints as something that parses back to the same tree. Reads the reference
 * data beside the repository; skipped where it is absent, as on a user's clone.
 */
class PromqlReferenceQueriesTest {

  private static Path shared() {
    Optional<Path> shared = SharedTestData.sharedFolder();
    assumeTrue(
        shared.isPresent(),
        "skipped: the reference data folder ../shared is not beside this checkout");
    return shared.get();
  }

  @Test
  void everyScriptEvalParses() {
    List<String> failures = new ArrayList<>();
    List<SharedTestData.ScriptEval> evals = SharedTestData.scriptEvals(shared());
    for (SharedTestData.ScriptEval eval : evals) {
      try {
        checkRoundTrip(eval.query());
      } catch (PromqlParseException e) {
        // eval_fail may expect a parse error; the 2.42 scripts only expect runtime errors.
        if (!eval.expectFailure()) {
          failures.add(eval.file() + ":" + eval.line() + ": " + eval.query() + "\n  " + e.getMessage());
        }
      }
    }
    assertTrue(evals.size() > 500, "found only " + evals.size() + " evals");
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }

  @Test
  void everyComplianceQueryParses() {
    List<SharedTestData.ComplianceQuery> queries = SharedTestData.complianceQueries(shared());
    List<String> failures = new ArrayList<>();
    for (SharedTestData.ComplianceQuery query : queries) {
      try {
        checkRoundTrip(query.query());
      } catch (PromqlParseException e) {
        // Some queries are meant to fail; those that fail in 2.42 fail at parse time.
        if (!query.shouldFail()) {
          failures.add(query.query() + "\n  " + e.getMessage());
        }
      }
    }
    assertTrue(queries.size() > 50, "found only " + queries.size() + " queries");
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }

  private static void checkRoundTrip(String query) {
    Expr parsed = PromqlParser.parse(query);
    String printed = Printer.print(parsed);
    Expr reparsed = PromqlParser.parse(printed);
    assertEquals(Positions.strip(parsed), Positions.strip(reparsed), query);
    assertEquals(printed, Printer.print(reparsed), query);
    assertEquals(
        Positions.strip(parsed), Positions.strip(PromqlParser.parse(Printer.pretty(parsed))), query);
  }
}

package dev.strata.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Counts and durations out of range, and arguments no command takes, are usage errors: exit code
 * 2 and the reason on stderr, before any work is done, with or without {@code --help}.
 */
class ArgumentChecksTest {

  private static void assertUsageError(List<String> args, String... fragments) {
    StrataCli.Result r = StrataCli.run(args.toArray(new String[0]));
    assertEquals(2, r.exitCode(), String.join(" ", args) + "\n" + r.stdout() + r.stderr());
    assertEquals("", r.stdout(), String.join(" ", args));
    for (String f : fragments) {
      assertTrue(r.stderr().contains(f), "\"" + f + "\" in: " + r.stderr());
    }
  }

  @Test
  void countsAndDurationsMustBePositive() {
    for (String value : List.of("-1", "0")) {
      assertUsageError(List.of("demo", "--days", value),
          "Invalid value for option '--days': '" + value + "' must be at least 1");
      assertUsageError(List.of("demo", "--hosts=" + value), "'--hosts'", "at least 1");
      assertUsageError(List.of("jvm-metrics", "--seconds", value), "'--seconds'", "at least 1");
    }
    assertUsageError(List.of("demo", "--days", "-1", "--help"), "'--days'");
    assertUsageError(List.of("serve", "--query.max-samples=0"), "'--query.max-samples'", "at least 1");
    assertUsageError(List.of("serve", "--query.max-concurrency=-3"), "'--query.max-concurrency'");
    assertUsageError(List.of("serve", "--query.timeout=0s"), "'--query.timeout'", "longer than 0s");
    assertUsageError(List.of("serve", "--query.lookback-delta=5x"), "'--query.lookback-delta'",
        "not a duration");
    assertUsageError(List.of("serve", "--web.listen-address=localhost"), "'--web.listen-address'",
        "is not host:port");
    assertUsageError(List.of("demo", "--days", "two"), "'two' is not a whole number");
    assertUsageError(List.of("tsdb", "analyze", "--limit=-1"),
        "Invalid value for option '--limit': '-1' must be at least 0");
    for (String value : List.of("-1h", "0s", "0")) {
      assertUsageError(List.of("tsdb", "create-blocks-from", "--max-block-duration=" + value,
          "openmetrics", "in.om", "out"), "'--max-block-duration'", "must be longer than 0s");
      assertUsageError(List.of("tsdb", "create-blocks-from", "openmetrics",
          "--max-block-duration=" + value, "in.om", "out"), "'--max-block-duration'");
    }
  }

  @Test
  void unknownSubcommandsAreUsageErrorsEvenWithHelp() {
    assertUsageError(List.of("nosuch", "--help"), "Unmatched argument at index 0: 'nosuch'");
    assertUsageError(List.of("nosuch"), "Unmatched argument at index 0: 'nosuch'");
    assertUsageError(List.of("tsdb", "nosuch"), "Unmatched argument at index 1: 'nosuch'");
    assertUsageError(List.of("tsdb", "nosuch", "--help"), "'nosuch'");
    assertUsageError(List.of("bucket", "nosuch", "-h"), "'nosuch'");
    assertEquals(0, StrataCli.run("tsdb", "--help").exitCode());
    assertEquals(0, StrataCli.run("--help").exitCode());
  }
}

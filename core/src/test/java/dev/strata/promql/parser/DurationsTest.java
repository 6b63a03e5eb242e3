package dev.strata.promql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {

  @ParameterizedTest
  @CsvSource({
    "0, 0",
    "5m, 300000",
    "1h30m, 5400000",
    "1y, 31536000000",
    "1w, 604800000",
    "1d, 86400000",
    "250ms, 250",
    "1m30s500ms, 90500",
    "1y1w1d1h1m1s1ms, 32230861001",
    "0s, 0",
    "90s, 90000",
  })
  void parses(String text, long ms) {
    assertEquals(ms, Durations.parse(text));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          5           | not a valid duration string: "5"
          5m1h        | not a valid duration string: "5m1h"
          5m1m        | not a valid duration string: "5m1m"
          1hs         | not a valid duration string: "1hs"
          m           | not a valid duration string: "m"
          -5m         | not a valid duration string: "-5m"
          1.5h        | not a valid duration string: "1.5h"
          300y        | duration out of range
          99999999999999999999s | duration out of range
          """)
  void rejects(String text, String message) {
    assertEquals(
        message,
        assertThrows(IllegalArgumentException.class, () -> Durations.parse(text)).getMessage());
  }

  @ParameterizedTest
  @CsvSource({
    "0, 0s",
    "300000, 5m",
    "5400000, 1h30m",
    "86400000, 1d",
    "604800000, 1w",
    "691200000, 8d",
    "31536000000, 1y",
    "31622400000, 366d",
    "90500, 1m30s500ms",
    "1, 1ms",
  })
  void formats(long ms, String text) {
    assertEquals(text, Durations.format(ms));
  }

  @Test
  void anEmptyStringIsNotADuration() {
    assertEquals(
        "empty duration string",
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("")).getMessage());
  }

  @Property
  void formattedDurationsParseBack(@ForAll @LongRange(min = 0, max = 9_000_000_000_000L) long ms) {
    assertEquals(ms, Durations.parse(Durations.format(ms)));
  }
}

package dev.strata.examples.cli.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Go's text forms of durations, byte counts and times, as promtool prints and reads them. */
class GoFormatsTest {
  private static final long MS = GoDuration.MILLISECOND;

  @Test
  void formatsDurationsLikeGo() {
    assertEquals("0s", GoDuration.format(0));
    assertEquals("1ns", GoDuration.format(1));
    assertEquals("999ns", GoDuration.format(999));
    assertEquals("1.5\u00b5s", GoDuration.format(1500));
    assertEquals("1ms", GoDuration.format(MS));
    assertEquals("1.000001ms", GoDuration.format(MS + 1));
    assertEquals("999.5ms", GoDuration.format(999_500_000));
    assertEquals("1s", GoDuration.format(1000 * MS));
    assertEquals("30.001s", GoDuration.format(30_001 * MS));
    assertEquals("1m0s", GoDuration.format(60_000 * MS));
    assertEquals("45m15.001s", GoDuration.format(2_715_001 * MS));
    assertEquals("2h0m0s", GoDuration.format(7_200_000 * MS));
    assertEquals("1h59m59.999s", GoDuration.format(7_199_999 * MS));
    assertEquals("1000h0m0s", GoDuration.format(3_600_000_000L * MS));
    assertEquals("-1.5s", GoDuration.format(-1500 * MS));
    assertEquals("-2562047h47m16.854775808s", GoDuration.format(Long.MIN_VALUE));
    assertEquals("2562047h47m16.854775807s", GoDuration.format(Long.MAX_VALUE));
  }

  @Test
  void parsesDurationsLikeGo() {
    assertEquals(0, GoDuration.parse("0"));
    assertEquals(0, GoDuration.parse("-0"));
    assertEquals(2 * GoDuration.HOUR, GoDuration.parse("2h"));
    assertEquals(90 * GoDuration.MINUTE, GoDuration.parse("1h30m"));
    assertEquals(90 * GoDuration.MINUTE, GoDuration.parse("1.5h"));
    assertEquals(-90 * GoDuration.MINUTE, GoDuration.parse("-1.5h"));
    assertEquals(1500 * GoDuration.MICROSECOND, GoDuration.parse("1.5ms"));
    assertEquals(2 * GoDuration.MICROSECOND, GoDuration.parse("1us1\u00b5s"));
    assertEquals(500 * MS, GoDuration.parse(".5s"));
    assertEquals(24 * GoDuration.HOUR + 1, GoDuration.parse("24h1ns"));
    assertEquals("time: invalid duration \"\"",
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("")).getMessage());
    assertEquals("time: missing unit in duration \"1\"",
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("1")).getMessage());
    assertEquals("time: unknown unit \"d\" in duration \"1d\"",
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("1d")).getMessage());
    assertThrows(IllegalArgumentException.class, () -> GoDuration.parse(".s"));
    assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("h"));
    assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("99999999999h"));
  }

  @Test
  void spellsOutEveryPowerOf1024() {
    assertEquals("0B", GoBytes.base2(0));
    assertEquals("963B", GoBytes.base2(963));
    assertEquals("1KiB", GoBytes.base2(1024));
    assertEquals("1KiB512B", GoBytes.base2(1536));
    assertEquals("1MiB3B", GoBytes.base2((1 << 20) + 3));
    assertEquals("2GiB5MiB", GoBytes.base2((2L << 30) + (5L << 20)));
    assertEquals("1EiB", GoBytes.base2(1L << 60));
  }

  @Test
  void printsUtcTimesLikeGo() {
    assertEquals("2023-11-14 22:13:20 +0000 UTC", GoTime.utcOfMillis(1_700_000_000_999L));
    assertEquals("1970-01-01 00:00:00 +0000 UTC", GoTime.utcOfMillis(0));
    // Go divides towards zero: -999 ms is second 0, -1000 ms second -1.
    assertEquals("1970-01-01 00:00:00 +0000 UTC", GoTime.utcOfMillis(-999));
    assertEquals("1969-12-31 23:59:59 +0000 UTC", GoTime.utcOfMillis(-1000));
    assertEquals("0099-01-01 00:00:00 +0000 UTC",
        GoTime.utc(java.time.LocalDateTime.of(99, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC)));
  }

  @Test
  void alignsOnlyTabTerminatedCells() {
    // The last cell of a line does not widen its column.
    assertEquals("a    b\naaaa b c\n",
        new GoTabWriter(0, 1, ' ').print("a\tb\naaaa\tb\tc\n").flush());
    // Minimum width and padding, as promtool's tables use them.
    assertEquals("x" + " ".repeat(14) + "y\n1700000000000  z\n",
        new GoTabWriter(13, 2, ' ').print("x\ty\n1700000000000\tz\n").flush());
    // A line with fewer cells ends a column's run: the runs above and below align separately.
    assertEquals("aaaaaa b\nc\nd e\n",
        new GoTabWriter(0, 1, ' ').print("aaaaaa\tb\nc\nd\te\n").flush());
    // Widths count characters, not bytes; text after the last newline is kept.
    assertEquals("\u00b5\u00b5 x\nab y\nend",
        new GoTabWriter(0, 1, ' ').print("\u00b5\u00b5\tx\nab\ty\nend").flush());
  }
}

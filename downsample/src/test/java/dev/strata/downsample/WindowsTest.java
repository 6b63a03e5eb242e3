package dev.strata.downsample;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class WindowsTest {

  @Test
  void windowsAreClosedAndAlignedToTheEpoch() {
    assertEquals(299_999, Windows.windowEnd(0, 300_000));
    assertEquals(299_999, Windows.windowEnd(299_999, 300_000));
    assertEquals(599_999, Windows.windowEnd(300_000, 300_000));
    assertEquals(3_599_999, Windows.windowEnd(1_000, 3_600_000));
    assertEquals(1_700_000_099_999L, Windows.windowEnd(1_700_000_000_000L, 300_000));
  }

  @Test
  void targetChunkCountExamples() {
    // 40 h at 15 s to 5m: 479 possible windows, full, 480 expected: 4 chunks.
    assertEquals(4, Windows.targetChunkCount(0, 143_985_000, 60_000, 300_000, 9600));
    // One sample: no range, fullness counts as 1, 1 expected sample.
    assertEquals(1, Windows.targetChunkCount(5, 5, 60_000, 300_000, 1));
    // 140 expected samples fit one chunk, 141 need two.
    assertEquals(1, Windows.targetChunkCount(0, 139 * 300_000L, 300_000, 300_000, 140));
    assertEquals(2, Windows.targetChunkCount(0, 140 * 300_000L, 300_000, 300_000, 141));
    // Sparse input: 10 samples over 10 days at 1m resolution barely count.
    assertEquals(1, Windows.targetChunkCount(0, 864_000_000, 60_000, 300_000, 10));
  }

  /** Thanos's loop, literally. */
  private static int loop(long mint, long maxt, long inRes, long outRes, long count) {
    double maxSamples = (double) ((maxt - mint) / outRes);
    double f = count / ((double) (maxt - mint) / (double) inRes);
    if (f > 1) {
      f = 1;
    }
    long expected = (long) (maxSamples * f) + 1;
    int x = 1;
    while (expected / x > 140) {
      x++;
    }
    return x;
  }

  @Property(tries = 2000)
  void closedFormMatchesThanosLoop(
      @ForAll @LongRange(min = 0, max = 40L * 24 * 3_600_000) long range,
      @ForAll @IntRange(min = 1, max = 1_000_000) int count,
      @ForAll boolean fromRaw) {
    long inRes = fromRaw ? 60_000 : 300_000;
    long outRes = fromRaw ? 300_000 : 3_600_000;
    long mint = 1_700_000_000_000L;
    assertEquals(loop(mint, mint + range, inRes, outRes, count),
        Windows.targetChunkCount(mint, mint + range, inRes, outRes, count));
  }
}

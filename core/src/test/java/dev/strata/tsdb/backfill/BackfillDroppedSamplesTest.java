package dev.strata.tsdb.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.textparse.OpenMetricsInput;
import dev.strata.tsdb.textparse.OpenMetricsParseException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Out-of-order samples and duplicate timestamps are dropped as promtool 2.42 drops them (the
 * first sample of a timestamp is kept), and counted; what promtool keeps is checked byte for byte
 * by {@link BackfillByteIdentityInteropTest}.
 */
class BackfillDroppedSamplesTest {
  @TempDir Path tmp;

  private BackfillResult backfill(String text) throws Exception {
    try (OpenMetricsInput in = OpenMetricsInput.of(text.getBytes(StandardCharsets.UTF_8))) {
      return OpenMetricsBackfill.createBlocks(in, tmp.resolve("out"), 0, m -> {});
    }
  }

  @Test
  void outOfOrderAndDuplicateSamplesAreDroppedAndCounted() throws Exception {
    BackfillResult r = backfill("""
        # TYPE a gauge
        a{b="c"} 1 100
        a{b="c"} 2 300
        a{b="c"} 3 200
        a{b="c"} 4 300
        a{b="c"} 2 300
        a{b="c"} 5 400
        a{b="c"} 6 7300
        a{b="c"} 7 50
        a{b="d"} 1 500
        a{b="d"} 1 500
        # EOF
        """);
    assertEquals(new DroppedSamples(2, 1, 2, 0), r.dropped());
    assertEquals("dropped 5 samples: 2 out of order, 1 duplicate timestamp with a different value,"
        + " 2 exact duplicates", r.dropped().summary());
    List<BlockMeta> blocks = r.blocks();
    assertEquals(2, blocks.size());
    // 100, 300, 400 of {b="c"} and 500 of {b="d"}; 7300 alone in the second block.
    assertEquals(4, blocks.get(0).stats().numSamples());
    assertEquals(100_000, blocks.get(0).minTime());
    assertEquals(500_001, blocks.get(0).maxTime());
    assertEquals(1, blocks.get(1).stats().numSamples());
  }

  @Test
  void samplesBeforeTheFirstBlockOfNegativeTimestampsAreCounted() throws Exception {
    BackfillResult r = backfill("# TYPE a gauge\na 1 -0.001\na 2 1\n# EOF\n");
    assertEquals(new DroppedSamples(0, 0, 0, 1), r.dropped());
    assertEquals("dropped 1 sample: 1 before the first block", r.dropped().summary());
    assertEquals(1, r.blocks().size());
  }

  @Test
  void nothingDroppedSaysNothing() throws Exception {
    BackfillResult r = backfill("# TYPE a gauge\na 1 1\na 2 2\n# EOF\n");
    assertEquals(DroppedSamples.NONE, r.dropped());
    assertEquals("", r.dropped().summary());
  }

  @Test
  void parseErrorsNameTheFileAndLine() throws Exception {
    Path file = Files.writeString(tmp.resolve("bad.om"), "# TYPE a gauge\na 1 1\na x 2\n# EOF\n");
    try (OpenMetricsInput in = OpenMetricsInput.open(file)) {
      OpenMetricsParseException e = assertThrows(OpenMetricsParseException.class,
          () -> OpenMetricsBackfill.createBlocks(in, tmp.resolve("out"), 0, m -> {}));
      assertTrue(e.getMessage().startsWith(file + ": line 3"), e.getMessage());
    }
  }
}

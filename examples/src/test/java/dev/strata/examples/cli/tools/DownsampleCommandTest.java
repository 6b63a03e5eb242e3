package dev.strata.examples.cli.tools;

import static dev.strata.examples.cli.StrataCli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.downsample.Downsampler;
import dev.strata.downsample.Resolutions;
import dev.strata.examples.cli.StrataCli.Result;
import dev.strata.tsdb.block.BlockDirectories;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.BlockMetaFile;
import dev.strata.tsdb.block.BlockStats;
import dev.strata.tsdb.block.UlidGenerator;
import dev.strata.tsdb.compact.BlockWriter;
import dev.strata.tsdb.head.Head;
import dev.strata.tsdb.head.HeadOptions;
import dev.strata.tsdb.head.HeadReader;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.Appender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownsampleCommandTest {
  static final long HOUR = 3_600_000;

  @TempDir Path dir;

  /** A raw block of 3 series over 4 hours at 15 s, cut from a head as the database does. */
  private Path rawBlock() throws Exception {
    try (Head head = Head.inMemory(new HeadOptions(4 * HOUR, true, 1 << 20, false, false))) {
      Appender app = head.appender();
      for (long t = 0; t < 4 * HOUR; t += 15_000) {
        for (int s = 0; s < 3; s++) {
          app.append(Labels.of("__name__", "requests_total", "instance", "i" + s), t, t / 1000.0 + s);
        }
        app.commit();
      }
      BlockMeta meta =
          BlockMeta.newBlock(UlidGenerator.system().next(), 0, 4 * HOUR, BlockStats.EMPTY);
      try (HeadReader reader = head.reader(0, 4 * HOUR)) {
        BlockWriter.write(dir.resolve("raw"), meta, List.of(reader));
      }
      return BlockDirectories.path(dir.resolve("raw"), meta.ulid());
    }
  }

  @Test
  void downsamplesABlockIntoTheOutputDirectory() throws Exception {
    Path raw = rawBlock();
    Path out = dir.resolve("out");
    Result r = run("tools", "downsample", "--resolution=5m", raw.toString(), out.toString());
    assertEquals(0, r.exitCode(), r.stderr());
    List<BlockDirectories.BlockDirectory> blocks = BlockDirectories.list(out);
    assertEquals(1, blocks.size());
    BlockMeta meta = BlockMetaFile.read(blocks.get(0).path());
    assertEquals(Resolutions.FIVE_MINUTES, Downsampler.resolutionOf(meta));
    assertEquals(3, meta.stats().numSeries());
    assertEquals(3 * 48, meta.stats().numSamples(), "4 hours of 5-minute windows per series");
    assertTrue(r.stdout().contains("raw -> 5m"), r.stdout());
    assertTrue(r.stdout().contains("3 series"), r.stdout());

    Result again = run("tools", "downsample", "--resolution", "1h", blocks.get(0).path().toString(), out.toString());
    assertEquals(0, again.exitCode(), again.stderr());
    assertTrue(again.stdout().contains("5m -> 1h"), again.stdout());
    assertEquals(2, BlockDirectories.list(out).size());
  }

  @Test
  void dumpsTheChosenAggregateOfADownsampledBlock() throws Exception {
    Path raw = rawBlock();
    Path out = dir.resolve("out");
    assertEquals(0, run("tools", "downsample", "--resolution=5m", raw.toString(), out.toString()).exitCode());

    // The downsampled blocks have no wal/ beside them: dump says so and dumps the blocks.
    Result counts = run("tsdb", "dump", "--aggregate=count", out.toString());
    assertEquals(0, counts.exitCode(), counts.stderr());
    assertEquals("no WAL (" + out.resolve("wal") + " does not exist): dumping the blocks only\n",
        counts.stderr());
    List<String> lines = counts.stdout().lines().toList();
    assertEquals(3 * 48, lines.size());
    assertTrue(lines.stream().allMatch(l -> l.matches("\\{.*\\} 20 \\d+")), "20 samples a window");

    // Series i1 holds t/1000 + 1; a window's max is its last sample, 285 s after it starts. Windows
    // are stamped with their last millisecond, except that the last window of a chunk is stamped
    // with its last sample, as Thanos does, so a chunk never claims time beyond its data.
    Result max = run("tsdb", "dump", "--aggregate=max", "--match={instance=\"i1\"}", out.toString());
    assertEquals(0, max.exitCode(), max.stderr());
    List<String> maxLines = max.stdout().lines().toList();
    assertEquals(48, maxLines.size());
    for (int w = 0; w < 48; w++) {
      String[] f = maxLines.get(w).substring(maxLines.get(w).indexOf('}') + 2).split(" ");
      assertEquals(w * 300 + 285 + 1, Double.parseDouble(f[0]), maxLines.get(w));
      long stamp = Long.parseLong(f[1]);
      assertTrue(stamp == w * 300_000L + 299_999 || stamp == w * 300_000L + 285_000, maxLines.get(w));
    }
    assertTrue(maxLines.get(47).endsWith(" " + (47 * 300_000L + 285_000)), "the last chunk's end");

    Result unchosen = run("tsdb", "dump", out.toString());
    assertEquals(1, unchosen.exitCode());
    assertEquals("", unchosen.stdout());
    assertTrue(unchosen.stderr().contains("is downsampled to 5m: choose what to dump with --aggregate"),
        unchosen.stderr());
    Result unknown = run("tsdb", "dump", "--aggregate=median", out.toString());
    assertEquals(1, unknown.exitCode());
    assertTrue(unknown.stderr().contains("unknown aggregate \"median\""), unknown.stderr());
  }

  @Test
  void explainsWhatIsWrong() throws Exception {
    Path raw = rawBlock();
    Result bad = run("tools", "downsample", "--resolution=2m", raw.toString(), dir.toString());
    assertEquals(2, bad.exitCode());
    assertTrue(bad.stderr().contains("unknown resolution \"2m\""), bad.stderr());
    Result rawTarget = run("tools", "downsample", "--resolution=raw", raw.toString(), dir.toString());
    assertEquals(1, rawTarget.exitCode());
    assertTrue(rawTarget.stderr().contains("neither 5m"), rawTarget.stderr());
    Result notBlock = run("tools", "downsample", "--resolution=5m", dir.toString(), dir.toString());
    assertEquals(1, notBlock.exitCode());
    assertTrue(notBlock.stderr().contains("is not a block directory"), notBlock.stderr());
    Result missing = run("tools", "downsample", raw.toString(), dir.toString());
    assertEquals(2, missing.exitCode(), "picocli's usage error");
  }
}

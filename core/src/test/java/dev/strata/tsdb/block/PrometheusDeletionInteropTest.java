package dev.strata.tsdb.block;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tsdb.block.BlockDirectories.BlockDirectory;
import dev.strata.tsdb.testing.Interop;
import dev.strata.tsdb.testing.PrometheusServer;
import dev.strata.tsdb.testing.Promtool;
import dev.strata.tsdb.tombstones.Interval;
import dev.strata.tsdb.tombstones.TombstoneSet;
import dev.strata.tsdb.tombstones.TombstonesReader;
import dev.strata.tsdb.tombstones.TombstonesWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lets a real Prometheus 2.42 server delete samples and clean its tombstones, then checks that
 * Strata reads the tombstones and {@code meta.json} files it wrote and writes them back byte for
 * byte, and that promtool honours a tombstones file Strata wrote.
 */
@Interop
class PrometheusDeletionInteropTest {

  private static final long T0 = 1_700_000_000_000L;

  @TempDir Path tmp;

  @Test
  void readsAndRewritesWhatPrometheusWritesWhenDeleting() throws Exception {
    StringBuilder text = new StringBuilder("# TYPE load gauge\n");
    for (String host : new String[] {"a", "b"}) {
      for (int i = 0; i < 40; i++) {
        text.append("load{host=\"")
            .append(host)
            .append("\"} ")
            .append(i)
            .append(' ')
            .append((T0 + i * 15_000L) / 1000)
            .append('\n');
      }
    }
    text.append("# EOF\n");
    Files.writeString(tmp.resolve("input.om"), text);
    Path data = Files.createDirectories(tmp.resolve("data"));
    Promtool.run(tmp, "tsdb", "create-blocks-from", "openmetrics", "input.om", data.toString())
        .assertSuccess();
    BlockDirectory original = BlockDirectories.list(data).get(0);
    Path pristine = tmp.resolve("pristine").resolve(original.ulid().toString());
    copyDir(original.path(), pristine);
    BlockMeta originalMeta = BlockMetaFile.read(original.path());

    Path deleted = tmp.resolve("deleted");
    Ulid cleanedId;
    try (PrometheusServer server = PrometheusServer.start(tmp, data)) {
      // Two ranges of one series, inside its only chunk, so Prometheus keeps them as given.
      for (long[] range : new long[][] {{60, 120}, {300, 330}}) {
        server.admin(
            "delete_series",
            Map.of(
                "match[]", "load{host=\"a\"}",
                "start", Long.toString(T0 / 1000 + range[0]),
                "end", Long.toString(T0 / 1000 + range[1])));
      }
      copyDir(original.path(), deleted);
      server.admin("clean_tombstones", Map.of());
      List<BlockDirectory> after = BlockDirectories.list(data);
      assertEquals(1, after.size(), server.log());
      cleanedId = after.get(0).ulid();
    }

    // The tombstones Prometheus wrote: one series, two intervals, milliseconds inclusive.
    TombstoneSet stones = TombstonesReader.read(deleted);
    assertEquals(1, stones.seriesCount());
    long ref = stones.ref(0);
    assertEquals(
        List.of(new Interval(T0 + 60_000, T0 + 120_000), new Interval(T0 + 300_000, T0 + 330_000)),
        stones.get(ref).asList());
    byte[] prometheusStones = Files.readAllBytes(deleted.resolve(BlockFiles.TOMBSTONES));
    assertArrayEquals(prometheusStones, TombstonesWriter.encode(stones));
    TombstonesWriter.write(deleted, stones);
    assertArrayEquals(prometheusStones, Files.readAllBytes(deleted.resolve(BlockFiles.TOMBSTONES)));

    // Its meta.json now counts them.
    byte[] deletedMetaBytes = Files.readAllBytes(deleted.resolve(BlockFiles.META_JSON));
    BlockMeta deletedMeta = BlockMetaFile.decode(deletedMetaBytes, "deleted meta.json");
    assertEquals(originalMeta.withStats(originalMeta.stats().withNumTombstones(2)), deletedMeta);
    assertArrayEquals(deletedMetaBytes, BlockMetaFile.encode(deletedMeta));

    // The block clean_tombstones wrote names the old one as its parent.
    Path cleaned = BlockDirectories.path(data, cleanedId);
    byte[] cleanedBytes = Files.readAllBytes(cleaned.resolve(BlockFiles.META_JSON));
    BlockMeta cleanedMeta = BlockMetaFile.read(cleaned);
    assertEquals(List.of(BlockDesc.of(originalMeta)), cleanedMeta.compaction().parents());
    assertEquals(List.of(cleanedId), cleanedMeta.compaction().sources());
    assertEquals(1, cleanedMeta.compaction().level());
    // Deleted: samples at 60..120 s (5) and 300..330 s (3).
    assertEquals(originalMeta.stats().numSamples() - 8, cleanedMeta.stats().numSamples());
    assertArrayEquals(cleanedBytes, BlockMetaFile.encode(cleanedMeta));
    BlockMetaFile.write(cleaned, cleanedMeta);
    assertArrayEquals(cleanedBytes, Files.readAllBytes(cleaned.resolve(BlockFiles.META_JSON)));

    // A tombstones file Strata writes is honoured by promtool: delete the first 45 s of host a
    // from the untouched copy, whose series reference is the one Prometheus used.
    Files.createDirectories(pristine.resolveSibling("wal"));
    TombstonesWriter.write(pristine, TombstoneSet.builder().add(ref, T0, T0 + 45_000).build());
    BlockMetaFile.write(
        pristine, originalMeta.withStats(originalMeta.stats().withNumTombstones(1)));
    List<String> dumped = dump(pristine.getParent());
    List<String> expected = new ArrayList<>();
    for (String host : new String[] {"a", "b"}) {
      for (int i = 0; i < 40; i++) {
        if (host.equals("a") && i <= 3) {
          continue;
        }
        expected.add("{__name__=\"load\", host=\"" + host + "\"} " + i + " " + (T0 + i * 15_000L));
      }
    }
    assertEquals(expected, dumped);
  }

  private List<String> dump(Path dataDir) throws Exception {
    String out = Promtool.run(tmp, "tsdb", "dump", dataDir.toString()).assertSuccess().stdout();
    return out.lines().filter(l -> !l.isBlank()).toList();
  }

  private static void copyDir(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    assertTrue(Files.isRegularFile(to.resolve(BlockFiles.META_JSON)));
  }
}

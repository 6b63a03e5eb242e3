package dev.strata.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tsdb.Tsdb;
import dev.strata.tsdb.TsdbOptions;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.BlockMetaFile;
import dev.strata.tsdb.block.ThanosMeta;
import dev.strata.tsdb.block.UlidGenerator;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.storage.Querier;
import dev.strata.tsdb.storage.SampleIterator;
import dev.strata.tsdb.storage.SeriesSet;
import dev.strata.tsdb.testing.Interop;
import dev.strata.tsdb.testing.Promtool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo deletes only what it can prove it created: directories it marked, holding only its own
 * output, and bucket blocks carrying the marked run's external labels. Everything else is refused
 * with a message naming the directory, and left exactly as it was. (The demo stops before its
 * global view here: that writes only into the data directory, and DemoCommandTest covers it.)
 */
class DemoDataSafetyTest {
  @TempDir Path tmp;

  private StrataCli.Result demo(Path data, Path bucket, String... more) {
    String[] args = Stream.concat(
        Stream.of("demo", "--data-dir", data.toString(), "--bucket-dir", bucket.toString(),
            "--hosts", "1", "--days", "1", "--no-global-view"),
        Stream.of(more)).toArray(String[]::new);
    return StrataCli.run(args);
  }

  private static void assertRefused(StrataCli.Result r, Path dir) {
    assertEquals(2, r.exitCode(), r.stdout() + r.stderr());
    assertTrue(r.stderr().contains(dir.toString()), r.stderr());
    assertTrue(r.stderr().contains("--force"), r.stderr());
    assertFalse(r.stdout().contains("ingested"), r.stdout());
  }

  @Test
  void anEmbeddedDatabaseWrittenByJvmMetricsIsLeftAlone() throws Exception {
    Path db = tmp.resolve("jvm");
    StrataCli.run("jvm-metrics", "--data-dir", db.toString(), "--seconds", "2").assertSuccess();
    long before = samples(db);
    assertTrue(before > 0);

    assertRefused(demo(db, tmp.resolve("bucket")), db);
    assertEquals(before, samples(db));
    assertFalse(Files.exists(tmp.resolve("bucket")), "nothing is created when the demo refuses");
  }

  @Test
  @Interop
  void aPromtoolBackfillOutputIsLeftAlone() throws Exception {
    Path input = tmp.resolve("in.om");
    Files.writeString(input, "# TYPE up gauge\nup{job=\"a\"} 1 1600000000\nup{job=\"a\"} 1 1600000015\n# EOF\n");
    Path out = tmp.resolve("backfill");
    Promtool.run(tmp, "tsdb", "create-blocks-from", "openmetrics", input.toString(), out.toString())
        .assertSuccess();
    List<String> before = tree(out);

    assertRefused(demo(out, tmp.resolve("bucket")), out);
    assertEquals(before, tree(out));
  }

  @Test
  void aBucketBlockWithOtherExternalLabelsIsLeftAloneAndSoIsTheDataDirectory() throws Exception {
    Path data = tmp.resolve("data");
    Path bucket = tmp.resolve("bucket");
    demo(data, bucket).assertSuccess();

    // Another writer's block in the demo's bucket: same files, other external labels.
    Path demoBlock = blocks(bucket).get(0);
    Path foreign = bucket.resolve(UlidGenerator.system().next().toString());
    copyTree(demoBlock, foreign);
    BlockMeta meta = BlockMetaFile.read(foreign);
    ThanosMeta t = meta.thanos().orElseThrow();
    BlockMetaFile.write(foreign, meta.withThanos(new ThanosMeta(Map.of("cluster", "prod"),
        t.downsampleResolution(), t.source(), t.segmentFiles(), t.files(), t.extra())));
    List<String> bucketBefore = tree(bucket);
    List<String> dataBefore = tree(data);

    assertRefused(demo(data, bucket), bucket);
    assertEquals(bucketBefore, tree(bucket));
    assertEquals(dataBefore, tree(data), "both directories are checked before either is touched");

    // --force replaces both, and says so.
    StrataCli.Result forced = demo(data, bucket, "--force").assertSuccess();
    assertTrue(forced.stderr().contains("--force: deleting " + bucket), forced.stderr());
    assertFalse(Files.exists(foreign));
  }

  @Test
  void aBucketWithoutTheDemosMarkerIsLeftAlone() throws Exception {
    Path data = tmp.resolve("data");
    Path bucket = tmp.resolve("bucket");
    demo(data, bucket).assertSuccess();
    // The same blocks, but nothing proves the demo created the directory.
    Files.delete(bucket.resolve(OwnedDirectory.MARKER));
    List<String> before = tree(bucket);

    assertRefused(demo(tmp.resolve("data2"), bucket), bucket);
    assertEquals(before, tree(bucket));
  }

  @Test
  void aFileWhereADirectoryIsExpectedIsNamed() throws Exception {
    Path file = tmp.resolve("afile");
    Files.writeString(file, "keep");
    StrataCli.Result r = demo(file, tmp.resolve("bucket"));
    assertEquals(2, r.exitCode());
    assertTrue(r.stderr().contains(file + ": not a directory"), r.stderr());
    assertEquals("keep", Files.readString(file));
  }

  @Test
  void anEmptyDirectoryIsTakenAndMarked() throws Exception {
    Path data = Files.createDirectories(tmp.resolve("empty-data"));
    Path bucket = Files.createDirectories(tmp.resolve("empty-bucket"));
    demo(data, bucket).assertSuccess();
    assertTrue(Files.readString(data.resolve(OwnedDirectory.MARKER)).contains("command=demo"));
    assertTrue(Files.readString(bucket.resolve(OwnedDirectory.MARKER)).contains("command=demo"));
  }

  @Test
  void aWriterCreatesAMissingFilesystemBucketAndSaysSo() throws Exception {
    Path dir = tmp.resolve("fs-bucket");
    Path cfg = tmp.resolve("bucket.yml");
    Files.writeString(cfg, "type: FILESYSTEM\nconfig:\n  directory: " + dir + "\n");
    StrataCli.Result r = StrataCli.run("demo", "--data-dir", tmp.resolve("data").toString(),
        "--hosts", "1", "--days", "1", "--objstore.config-file", cfg.toString()).assertSuccess();
    assertTrue(r.stderr().contains("created bucket directory " + dir), r.stderr());
    assertFalse(blocks(dir).isEmpty());
  }

  private static long samples(Path dir) throws IOException {
    long n = 0;
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.builder().automaticCompaction(false).build());
        Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set = q.select(LabelMatcher.regex("__name__", ".+"));
      while (set.next()) {
        SampleIterator it = set.at().samples();
        while (it.next()) {
          n++;
        }
      }
    }
    return n;
  }

  private static List<Path> blocks(Path bucket) throws IOException {
    try (Stream<Path> s = Files.list(bucket)) {
      return s.filter(p -> p.getFileName().toString().length() == 26).sorted().toList();
    }
  }

  /** Every file below {@code dir} with its size and content hash, to see that nothing changed. */
  private static List<String> tree(Path dir) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (Files.isRegularFile(p)) {
          files.put(dir.relativize(p).toString(), Files.size(p) + ":" + java.util.Arrays.hashCode(Files.readAllBytes(p)));
        }
      }
    }
    return files.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Files.copy(p, to.resolve(from.relativize(p).toString()), StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
  }
}

package dev.strata.tier.compact;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.tier.block.BucketBlocks;
import dev.strata.tier.objstore.FilesystemBucket;
import dev.strata.tier.testing.TestTsdb;
import dev.strata.tsdb.block.Block;
import dev.strata.tsdb.block.BlockDirectories;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.BlockStats;
import dev.strata.tsdb.block.ThanosMeta;
import dev.strata.tsdb.block.UlidGenerator;
import dev.strata.tsdb.compact.BlockWriter;
import dev.strata.tsdb.fileutil.FileTrees;
import dev.strata.tsdb.head.Head;
import dev.strata.tsdb.head.HeadOptions;
import dev.strata.tsdb.head.HeadReader;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.labels.MatchType;
import dev.strata.tsdb.query.MergeQuerier;
import dev.strata.tsdb.storage.Appender;
import dev.strata.tsdb.storage.Querier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The bucket rewrite over random series and deletion requests: the new block holds exactly the
 * samples the requests do not match, every other sample unchanged, and its stats say so.
 */
class BucketRewritePropertiesTest {
  private static final long HOUR = 3_600_000L;
  private static final Map<String, String> EXTERNAL = Map.of("cluster", "p");
  private static final String[] NAMES = {"__name__", "k", "j"};
  private static final String[][] VALUES = {{"m0", "m1", "m2"}, {"", "a", "b", "c"}, {"x", "y"}};
  private static final String[] REGEXES = {"m[01]", "a|b", ".*", "", "x", ".+"};

  @Property(tries = 60)
  void theRewrittenBlockHoldsExactlyWhatWasNotDeleted(@ForAll long seed) throws IOException {
    Random random = new Random(seed);
    Path tmp = Files.createTempDirectory("rewrite-property");
    try (FilesystemBucket bucket = FilesystemBucket.open(tmp.resolve("bucket"))) {
      BucketBlocks blocks = new BucketBlocks(bucket);
      UlidGenerator ulids = UlidGenerator.system();
      Map<Labels, TreeMap<Long, Double>> written = randomSeries(random);
      BlockMeta source = upload(blocks, tmp, ulids, written);
      List<DeletionRequest> requests = new ArrayList<>();
      for (int i = 1 + random.nextInt(2); i > 0; i--) {
        requests.add(randomRequest(random));
      }

      BlockRewriter.Result r = new BlockRewriter(blocks, tmp.resolve("scratch"), ulids)
          .rewrite(source.ulid(), requests, false, false);

      Map<Labels, TreeMap<Long, Double>> expected = expected(written, requests);
      Map<Labels, TreeMap<Long, Double>> actual = r.rewritten().isPresent()
          ? read(blocks, tmp, r.rewritten().get())
          : r.changed() ? Map.of() : written;
      assertEquals(expected, actual, "requests " + requests);
      assertEquals(expected.size(), r.after().numSeries());
      assertEquals(expected.values().stream().mapToLong(TreeMap::size).sum(),
          r.after().numSamples());
    } finally {
      FileTrees.deleteRecursively(tmp);
    }
  }

  private static Map<Labels, TreeMap<Long, Double>> randomSeries(Random random) {
    Map<Labels, TreeMap<Long, Double>> out = new TreeMap<>();
    for (int s = 1 + random.nextInt(12); s > 0; s--) {
      List<String> pairs = new ArrayList<>();
      for (int n = 0; n < NAMES.length; n++) {
        String v = VALUES[n][random.nextInt(VALUES[n].length)];
        if (!v.isEmpty()) {
          pairs.add(NAMES[n]);
          pairs.add(v);
        }
      }
      TreeMap<Long, Double> samples = new TreeMap<>();
      long step = 15_000L * (1 + random.nextInt(8));
      for (long t = random.nextInt(60) * 60_000L; t < 2 * HOUR; t += step) {
        samples.put(t, random.nextInt(4) == 0 ? random.nextGaussian() : (double) (t / 1000));
      }
      out.put(Labels.of(pairs.toArray(new String[0])), samples);
    }
    return out;
  }

  private static DeletionRequest randomRequest(Random random) {
    List<LabelMatcher> matchers = new ArrayList<>();
    for (int m = 1 + random.nextInt(2); m > 0; m--) {
      int n = random.nextInt(NAMES.length);
      MatchType type = MatchType.values()[random.nextInt(4)];
      String value = type == MatchType.REGEX || type == MatchType.NOT_REGEX
          ? REGEXES[random.nextInt(REGEXES.length)]
          : VALUES[n][random.nextInt(VALUES[n].length)];
      matchers.add(LabelMatcher.of(type, NAMES[n], value));
    }
    List<DeletionRequest.Interval> intervals = new ArrayList<>();
    for (int i = random.nextInt(3); i > 0; i--) {
      long a = random.nextInt(150) * 60_000L - HOUR / 2 + random.nextInt(3) * 7_500L;
      intervals.add(new DeletionRequest.Interval(a, a + random.nextInt(60) * 60_000L));
    }
    return new DeletionRequest(matchers.toString(), matchers, intervals);
  }

  private static Map<Labels, TreeMap<Long, Double>> expected(
      Map<Labels, TreeMap<Long, Double>> written, List<DeletionRequest> requests) {
    Map<Labels, TreeMap<Long, Double>> out = new TreeMap<>();
    for (Map.Entry<Labels, TreeMap<Long, Double>> e : written.entrySet()) {
      TreeMap<Long, Double> left = new TreeMap<>(e.getValue());
      for (DeletionRequest r : requests) {
        if (r.matchers().stream().allMatch(m -> m.matches(e.getKey()))) {
          if (r.intervals().isEmpty()) {
            left.clear();
          }
          r.intervals().forEach(in -> left.subMap(in.mint(), true, in.maxt(), true).clear());
        }
      }
      if (!left.isEmpty()) {
        out.put(e.getKey(), left);
      }
    }
    return out;
  }

  private static BlockMeta upload(BucketBlocks blocks, Path tmp, UlidGenerator ulids,
      Map<Labels, TreeMap<Long, Double>> series) throws IOException {
    Path dir = tmp.resolve("source");
    try (Head head = Head.inMemory(new HeadOptions(2 * HOUR, true, 1 << 20, false, false))) {
      Appender app = head.appender();
      series.forEach((labels, samples) -> samples.forEach((t, v) -> app.append(labels, t, v)));
      app.commit();
      BlockMeta meta;
      try (HeadReader r = head.reader(Long.MIN_VALUE, Long.MAX_VALUE)) {
        meta = BlockWriter.write(dir, BlockMeta.newBlock(ulids.next(), 0, 2 * HOUR,
            BlockStats.EMPTY), List.of(r)).orElseThrow();
      }
      return blocks.upload(BlockDirectories.path(dir, meta.ulid()),
          new ThanosMeta(EXTERNAL, ThanosMeta.RESOLUTION_RAW, ThanosMeta.SOURCE_SIDECAR));
    }
  }

  private static Map<Labels, TreeMap<Long, Double>> read(BucketBlocks blocks, Path tmp,
      BlockMeta meta) throws IOException {
    Path local = tmp.resolve("read").resolve(meta.ulid().toString());
    blocks.download(meta.ulid(), local);
    try (Block b = Block.open(local);
        Querier q = new MergeQuerier(List.of(b.reader()), Long.MIN_VALUE, Long.MAX_VALUE)) {
      return TestTsdb.read(q, LabelMatcher.regex("__name__", ".+"));
    }
  }
}

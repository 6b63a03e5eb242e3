package dev.strata.examples.cli.bucket;

import static dev.strata.examples.cli.StrataCli.run;
import static dev.strata.tier.testing.SidecarBlocks.HOUR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.examples.cli.StrataCli;
import dev.strata.tier.block.BucketBlocks;
import dev.strata.tier.block.BucketListing;
import dev.strata.tier.compact.BlockRewriter;
import dev.strata.tier.compact.DeletionRequest;
import dev.strata.tier.objstore.Bucket;
import dev.strata.tier.objstore.FilesystemBucket;
import dev.strata.tier.objstore.ForwardingBucket;
import dev.strata.tier.testing.SidecarBlocks;
import dev.strata.tier.testing.TestTsdb;
import dev.strata.tsdb.block.Block;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.ThanosMeta;
import dev.strata.tsdb.block.Ulid;
import dev.strata.tsdb.block.UlidGenerator;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.query.MergeQuerier;
import dev.strata.tsdb.storage.Querier;
import dev.strata.tsdb.testing.Interop;
import dev.strata.tsdb.testing.Promtool;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code strata bucket rewrite} on a filesystem bucket holding one sidecar block of six series
 * (metric_0..2 on host-0 and host-1, a sample a minute over two hours).
 */
class BucketRewriteTest {
  private static final Map<String, String> EXTERNAL = Map.of("cluster", "a");
  private static final Pattern REWRITTEN = Pattern.compile("rewritten into (\\w+):");

  @TempDir Path tmp;
  private Path dir;
  private String objstore;
  private BlockMeta block;

  @BeforeEach
  void uploadBlock() throws IOException {
    dir = tmp.resolve("bucket");
    try (FilesystemBucket bucket = FilesystemBucket.open(dir)) {
      block = new SidecarBlocks(bucket, tmp, UlidGenerator.system())
          .upload(EXTERNAL, 0, 2 * HOUR, 6);
    }
    Path config = tmp.resolve("bucket.yml");
    Files.writeString(config, "type: FILESYSTEM\nconfig:\n  directory: " + dir + "\n");
    objstore = "--objstore.config-file=" + config;
  }

  @Test
  void dryRunSaysWhatWouldChangeAndChangesNothing() throws Exception {
    Map<String, String> before = snapshot();
    String out = run("bucket", "rewrite", objstore, "--id=" + block.ulid(),
        "--delete={__name__=\"metric_1\"}", "--delete-blocks").assertSuccess().stdout();
    assertTrue(out.contains(block.ulid() + "  would be rewritten into a new block: 2 of 6 series"
        + " removed, 0 trimmed (0 chunks re-encoded), 240 of 720 samples removed"), out);
    assertTrue(out.contains("dry run: 1 of 1 blocks would be rewritten; nothing changed"), out);
    assertEquals(before, snapshot(), "the bucket is as it was");
  }

  @Test
  void realRunWritesTheBlockWithoutTheSeriesAndLeavesTheSourceUnmarked() throws Exception {
    String out = run("bucket", "rewrite", objstore, "--id=" + block.ulid(),
        "--delete={__name__=\"metric_1\"}", "--no-dry-run").assertSuccess().stdout();
    Ulid rewritten = newBlock(out);

    Map<Labels, TreeMap<Long, Double>> expected = read(block.ulid());
    assertEquals(6, expected.size());
    expected.keySet().removeIf(l -> l.get("__name__").equals("metric_1"));
    assertEquals(expected, read(rewritten), "every other series and sample, unchanged");

    try (FilesystemBucket bucket = FilesystemBucket.open(dir)) {
      BucketBlocks blocks = new BucketBlocks(bucket);
      assertTrue(blocks.deletionMark(block.ulid()).isEmpty(), "no --delete-blocks: not marked");
      BlockMeta meta = blocks.meta(rewritten).orElseThrow();
      assertEquals(block.minTime(), meta.minTime());
      assertEquals(block.maxTime(), meta.maxTime());
      assertEquals(block.compaction().level(), meta.compaction().level());
      assertEquals(List.of(rewritten), meta.compaction().sources());
      assertEquals(4, meta.stats().numSeries());
      assertEquals(480, meta.stats().numSamples());
      assertEquals(0, meta.stats().numTombstones());
      ThanosMeta thanos = meta.thanos().orElseThrow();
      assertEquals(EXTERNAL, thanos.labels());
      assertEquals(0, thanos.downsampleResolution());
      assertEquals("bucket.rewrite", thanos.source());
      JsonNode rewrite = thanos.extra().get("rewrites").get(0);
      assertEquals(block.ulid().toString(), rewrite.get("sources").get(0).asText());
      JsonNode matcher = rewrite.get("deletions_applied").get(0).get("matchers").get(0);
      assertEquals(0, matcher.get("Type").asInt());
      assertEquals("__name__", matcher.get("Name").asText());
      assertEquals("metric_1", matcher.get("Value").asText());
      assertFalse(rewrite.get("deletions_applied").get(0).has("intervals"));
    }
    run("bucket", "verify", objstore, rewritten.toString()).assertSuccess();
  }

  @Test
  void deleteBlocksMarksTheSourceOnceTheNewBlockIsUp() throws Exception {
    String out = run("bucket", "rewrite", objstore, "--id=" + block.ulid(),
        "--delete={job=\"db\"}", "--no-dry-run", "--delete-blocks").assertSuccess().stdout();
    Ulid rewritten = newBlock(out);
    assertTrue(out.contains(block.ulid() + "  marked for deletion"), out);
    try (FilesystemBucket bucket = FilesystemBucket.open(dir)) {
      BucketBlocks blocks = new BucketBlocks(bucket);
      assertEquals("block rewritten into " + rewritten,
          blocks.deletionMark(block.ulid()).orElseThrow().details());
      assertTrue(blocks.deletionMark(rewritten).isEmpty());
    }
    assertTrue(read(rewritten).keySet().stream().allMatch(l -> l.get("job").equals("api")));
  }

  @Test
  void intervalsRemoveOnlyTheSamplesInThem() throws Exception {
    Path config = tmp.resolve("delete.yml");
    Files.writeString(config, """
        - matchers: '{job="api"}'
          intervals:
          - mint: 1800000
            maxt: 3599999
        """);
    String out = run("bucket", "rewrite", objstore, "--id=" + block.ulid(), "--no-dry-run",
        "--rewrite.to-delete-config-file=" + config,
        "--rewrite.to-delete-config=- matchers: '{__name__=\"metric_2\", instance=\"host-1\"}'")
        .assertSuccess().stdout();
    Ulid rewritten = newBlock(out);
    Map<Labels, TreeMap<Long, Double>> expected = read(block.ulid());
    expected.keySet().removeIf(l -> l.get("__name__").equals("metric_2")
        && l.get("instance").equals("host-1"));
    for (Map.Entry<Labels, TreeMap<Long, Double>> e : expected.entrySet()) {
      if (e.getKey().get("job").equals("api")) {
        e.getValue().subMap(1_800_000L, true, 3_599_999L, true).clear();
      }
    }
    assertEquals(expected, read(rewritten));
    assertTrue(out.contains("1 of 6 series removed, 2 trimmed"), out);
    try (FilesystemBucket bucket = FilesystemBucket.open(dir)) {
      JsonNode applied = new BucketBlocks(bucket).meta(rewritten).orElseThrow().thanos()
          .orElseThrow().extra().get("rewrites").get(0).get("deletions_applied");
      assertEquals(2, applied.size());
      assertEquals(1_800_000, applied.get(1).get("intervals").get(0).get("Mint").asLong());
      assertEquals(3_599_999, applied.get(1).get("intervals").get(0).get("Maxt").asLong());
    }
  }

  @Test
  void blocksLeftAloneWhenNothingMatchesAndNoBlockWhenEverythingDoes() throws Exception {
    String out = run("bucket", "rewrite", objstore, "--id=" + block.ulid(), "--no-dry-run",
        "--delete={__name__=\"absent\"}", "--delete-blocks").assertSuccess().stdout();
    assertTrue(out.contains(block.ulid() + "  nothing matches: left as it is"), out);
    assertEquals(Set.of(block.ulid()), blockIds());

    out = run("bucket", "rewrite", objstore, "--id=" + block.ulid(), "--no-dry-run",
        "--delete={__name__=~\"metric_.*\"}", "--delete-blocks").assertSuccess().stdout();
    assertTrue(out.contains(block.ulid() + "  every series deleted: no new block"), out);
    assertEquals(Set.of(block.ulid()), blockIds());
    assertTrue(Files.exists(dir.resolve(block.ulid() + "/deletion-mark.json")));
  }

  @Test
  void badMatchersAndUnknownBlocksAreClearErrors() throws Exception {
    Map<String, String> before = snapshot();
    StrataCli.Result bad = run("bucket", "rewrite", objstore, "--id=" + block.ulid(),
        "--delete={__name__=~\"(\"}");
    assertEquals(2, bad.exitCode());
    assertTrue(bad.stderr().contains("bad selector {__name__=~\"(\"}"), bad.stderr());

    StrataCli.Result badConfig = run("bucket", "rewrite", objstore, "--id=" + block.ulid(),
        "--rewrite.to-delete-config=- matchers: '{a=\"b\"}'\n  intervals: [{mint: 5, maxt: 1}]");
    assertEquals(2, badConfig.exitCode());
    assertTrue(badConfig.stderr().contains("entry 1: interval [5, 1] ends before it starts"),
        badConfig.stderr());

    StrataCli.Result none = run("bucket", "rewrite", objstore, "--id=" + block.ulid());
    assertEquals(2, none.exitCode());
    assertTrue(none.stderr().contains("nothing to delete"), none.stderr());

    Ulid unknown = UlidGenerator.system().next();
    StrataCli.Result absent = run("bucket", "rewrite", objstore, "--id=" + unknown,
        "--delete={job=\"api\"}", "--no-dry-run");
    assertEquals(2, absent.exitCode());
    assertTrue(absent.stderr().contains("block " + unknown + " is not in"), absent.stderr());

    StrataCli.Result notUlid = run("bucket", "rewrite", objstore, "--id=nope",
        "--delete={job=\"api\"}");
    assertEquals(2, notUlid.exitCode());
    assertTrue(notUlid.stderr().contains("'nope' is not a ULID"), notUlid.stderr());
    assertEquals(before, snapshot());
  }

  @Test
  void aFailedUploadLeavesTheSourceAloneAndNoNewBlockVisible() throws Exception {
    Map<String, String> before = snapshot();
    try (Bucket failing = new MetaUploadFails(FilesystemBucket.open(dir))) {
      BlockRewriter rewriter = new BlockRewriter(new BucketBlocks(failing), tmp.resolve("scratch"),
          UlidGenerator.system());
      IOException e = assertThrows(IOException.class, () -> rewriter.rewrite(block.ulid(),
          List.of(DeletionRequest.allTime("{job=\"api\"}")), false, true));
      assertTrue(e.getMessage().contains("block " + block.ulid()), e.getMessage());
    }
    Map<String, String> after = snapshot();
    after.keySet().removeIf(path -> !path.startsWith(block.ulid().toString()));
    assertEquals(before, after, "the source as it was, not marked");
    try (FilesystemBucket bucket = FilesystemBucket.open(dir)) {
      Map<Ulid, BucketListing.Dir> listed = BucketListing.scan(bucket).blocks();
      assertEquals(2, listed.size(), "the new block's data went up");
      listed.values().stream().filter(d -> !d.id().equals(block.ulid()))
          .forEach(d -> assertFalse(d.hasMeta(), "but not its meta.json: nobody sees it"));
    }
    try (FilesystemBucket bucket = FilesystemBucket.open(dir)) {
      // What the bucket's cleanup removes once it is older than any upload takes.
      Clock later = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(1));
      assertEquals(1, new BucketBlocks(bucket, later).cleanUp(Duration.ofDays(2),
          Duration.ZERO).partialUploads().size());
    }
    assertEquals(before, snapshot());
  }

  @Test
  @Interop
  void promtoolReadsTheRewrittenBlock() throws Exception {
    String out = run("bucket", "rewrite", objstore, "--id=" + block.ulid(),
        "--delete={instance=\"host-0\"}", "--no-dry-run").assertSuccess().stdout();
    Ulid rewritten = newBlock(out);
    Path db = tmp.resolve("promtool-db");
    try (FilesystemBucket bucket = FilesystemBucket.open(dir)) {
      new BucketBlocks(bucket).download(rewritten, db.resolve(rewritten.toString()));
    }
    String analyze = Promtool.run(tmp, "tsdb", "analyze", db.toString(), rewritten.toString())
        .assertSuccess().stdout();
    assertTrue(analyze.contains("\nSeries: 3\n"), analyze);
    Files.createDirectories(db.resolve("wal")); // dump opens the directory as a whole TSDB
    String dump = Promtool.run(tmp, "tsdb", "dump", db.toString()).assertSuccess().stdout();
    List<String> lines = dump.lines().filter(l -> !l.isBlank()).toList();
    assertEquals(360, lines.size(), "3 series of 120 samples");
    assertTrue(lines.stream().noneMatch(l -> l.contains("host-0")), "the deleted series are gone");
  }

  // A bucket whose meta.json uploads fail: the new block's data goes up, its meta.json never.
  private static final class MetaUploadFails extends ForwardingBucket {
    MetaUploadFails(Bucket inner) {
      super(inner);
    }

    @Override
    public void upload(String key, Path file) throws IOException {
      failOnMeta(key);
      super.upload(key, file);
    }

    @Override
    public void upload(String key, InputStream in, long length) throws IOException {
      failOnMeta(key);
      super.upload(key, in, length);
    }

    private static void failOnMeta(String key) throws IOException {
      if (key.endsWith("/meta.json")) {
        throw new IOException("upload of " + key + " failed on purpose");
      }
    }
  }

  private static Ulid newBlock(String out) {
    Matcher m = REWRITTEN.matcher(out);
    assertTrue(m.find(), out);
    return Ulid.tryParse(m.group(1)).orElseThrow();
  }

  private Set<Ulid> blockIds() throws IOException {
    try (FilesystemBucket bucket = FilesystemBucket.open(dir)) {
      return BucketListing.scan(bucket).blocks().keySet();
    }
  }

  /** Every sample of the block, downloaded from the bucket. */
  private Map<Labels, TreeMap<Long, Double>> read(Ulid id) throws IOException {
    Path local = tmp.resolve("read").resolve(id.toString());
    try (FilesystemBucket bucket = FilesystemBucket.open(dir)) {
      new BucketBlocks(bucket).download(id, local);
    }
    try (Block b = Block.open(local); Querier q = new MergeQuerier(List.of(b.reader()),
        Long.MIN_VALUE, Long.MAX_VALUE)) {
      return TestTsdb.read(q, LabelMatcher.regex("__name__", ".+"));
    }
  }

  /** Every file of the bucket with a digest of its content. */
  private Map<String, String> snapshot() throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f));
        out.put(dir.relativize(f).toString(), HexFormat.of().formatHex(digest));
      }
    }
    assertNotEquals(0, out.size());
    return out;
  }
}

package dev.strata.tsdb.block;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.tsdb.encoding.CorruptDataException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockMetaFileTest {

  @TempDir Path dir;

  static final Ulid A = Ulid.parse("01M8962N0FJNS2CQA16J6NKE3V");
  static final Ulid B = Ulid.parse("01M8962N20X8MXR58D37ADKPCG");
  static final Ulid C = Ulid.parse("01M896847XCM5A7BX9NWXDM8Z7");

  /** Written by promtool 2.42 (create-blocks-from openmetrics). */
  static final String PROMTOOL =
      """
      {
      \t"ulid": "01M8962N0FJNS2CQA16J6NKE3V",
      \t"minTime": 1700000000000,
      \t"maxTime": 1700000030001,
      \t"stats": {
      \t\t"numSamples": 3,
      \t\t"numSeries": 2,
      \t\t"numChunks": 2
      \t},
      \t"compaction": {
      \t\t"level": 1,
      \t\t"sources": [
      \t\t\t"01M8962N0FJNS2CQA16J6NKE3V"
      \t\t]
      \t},
      \t"version": 1
      }""";

  /** Written by Prometheus 2.42 when clean_tombstones rewrote the block above. */
  static final String PROMETHEUS_REWRITTEN =
      """
      {
      \t"ulid": "01M896847XCM5A7BX9NWXDM8Z7",
      \t"minTime": 1700000000000,
      \t"maxTime": 1700000030001,
      \t"stats": {
      \t\t"numSamples": 1,
      \t\t"numSeries": 1,
      \t\t"numChunks": 1
      \t},
      \t"compaction": {
      \t\t"level": 1,
      \t\t"sources": [
      \t\t\t"01M896847XCM5A7BX9NWXDM8Z7"
      \t\t],
      \t\t"parents": [
      \t\t\t{
      \t\t\t\t"ulid": "01M8962N0FJNS2CQA16J6NKE3V",
      \t\t\t\t"minTime": 1700000000000,
      \t\t\t\t"maxTime": 1700000030001
      \t\t\t}
      \t\t]
      \t},
      \t"version": 1
      }""";

  /** In the layout Thanos's encoder produces, with fields Strata has no type for. */
  static final String THANOS =
      """
      {
      \t"ulid": "01M8962N20X8MXR58D37ADKPCG",
      \t"minTime": 1700000000000,
      \t"maxTime": 1700007200000,
      \t"stats": {
      \t\t"numSamples": 1200,
      \t\t"numSeries": 10,
      \t\t"numChunks": 10
      \t},
      \t"compaction": {
      \t\t"level": 1,
      \t\t"sources": [
      \t\t\t"01M8962N20X8MXR58D37ADKPCG"
      \t\t]
      \t},
      \t"version": 1,
      \t"thanos": {
      \t\t"version": 1,
      \t\t"labels": {
      \t\t\t"cluster": "eu-1",
      \t\t\t"replica": "a\\u003cb\\u003e"
      \t\t},
      \t\t"downsample": {
      \t\t\t"resolution": 300000
      \t\t},
      \t\t"source": "sidecar",
      \t\t"segment_files": [
      \t\t\t"000001"
      \t\t],
      \t\t"files": [
      \t\t\t{
      \t\t\t\t"rel_path": "chunks/000001",
      \t\t\t\t"size_bytes": 12345,
      \t\t\t\t"hash": {
      \t\t\t\t\t"func": "SHA256",
      \t\t\t\t\t"value": "ab12"
      \t\t\t\t}
      \t\t\t},
      \t\t\t{
      \t\t\t\t"rel_path": "index",
      \t\t\t\t"size_bytes": 2345
      \t\t\t},
      \t\t\t{
      \t\t\t\t"rel_path": "meta.json"
      \t\t\t}
      \t\t],
      \t\t"index_stats": {
      \t\t\t"series_max_size": 512
      \t\t},
      \t\t"extensions": {
      \t\t\t"ratio": 0.25,
      \t\t\t"tags": [
      \t\t\t\ttrue,
      \t\t\t\tnull,
      \t\t\t\t18446744073709551616
      \t\t\t]
      \t\t},
      \t\t"upload_time": "0001-01-01T00:00:00Z"
      \t}
      }
      """;

  static BlockMeta decode(String json) {
    return BlockMetaFile.decode(json.getBytes(StandardCharsets.UTF_8), "test/meta.json");
  }

  static String encode(BlockMeta meta) {
    return new String(BlockMetaFile.encode(meta), StandardCharsets.UTF_8);
  }

  @Test
  void readsAndRewritesPromtoolsFileByteForByte() {
    BlockMeta meta = decode(PROMTOOL);
    assertEquals(
        BlockMeta.newBlock(A, 1_700_000_000_000L, 1_700_000_030_001L, new BlockStats(3, 2, 2, 0)),
        meta);
    assertEquals(PROMTOOL, encode(meta));
  }

  @Test
  void readsAndRewritesPrometheussCompactedFileByteForByte() {
    BlockMeta meta = decode(PROMETHEUS_REWRITTEN);
    assertEquals(
        List.of(new BlockDesc(A, 1_700_000_000_000L, 1_700_000_030_001L)),
        meta.compaction().parents());
    assertEquals(List.of(C), meta.compaction().sources());
    assertEquals(PROMETHEUS_REWRITTEN, encode(meta));
  }

  @Test
  void writesEveryFieldInGoOrderAndLeavesOutEmptyOnes() {
    BlockMeta meta =
        new BlockMeta(
            A,
            -5,
            10,
            BlockStats.EMPTY,
            new BlockCompaction(
                3,
                List.of(),
                true,
                List.of(new BlockDesc(B, -5, 0), new BlockDesc(C, 0, 10)),
                true,
                List.of(BlockCompaction.HINT_FROM_OUT_OF_ORDER),
                Map.of()),
            Optional.empty(),
            Map.of());
    String expected =
        """
        {
        \t"ulid": "01M8962N0FJNS2CQA16J6NKE3V",
        \t"minTime": -5,
        \t"maxTime": 10,
        \t"stats": {},
        \t"compaction": {
        \t\t"level": 3,
        \t\t"deletable": true,
        \t\t"parents": [
        \t\t\t{
        \t\t\t\t"ulid": "01M8962N20X8MXR58D37ADKPCG",
        \t\t\t\t"minTime": -5,
        \t\t\t\t"maxTime": 0
        \t\t\t},
        \t\t\t{
        \t\t\t\t"ulid": "01M896847XCM5A7BX9NWXDM8Z7",
        \t\t\t\t"minTime": 0,
        \t\t\t\t"maxTime": 10
        \t\t\t}
        \t\t],
        \t\t"failed": true,
        \t\t"hints": [
        \t\t\t"from-out-of-order"
        \t\t]
        \t},
        \t"version": 1
        }""";
    assertEquals(expected, encode(meta));
    assertEquals(meta, decode(expected));
  }

  @Test
  void keepsAThanosSectionAndItsUnknownFieldsByteForByte() {
    BlockMeta meta = decode(THANOS);
    ThanosMeta thanos = meta.thanos().orElseThrow();
    assertEquals(Map.of("cluster", "eu-1", "replica", "a<b>"), thanos.labels());
    assertEquals(ThanosMeta.RESOLUTION_5M, thanos.downsampleResolution());
    assertEquals(ThanosMeta.SOURCE_SIDECAR, thanos.source());
    assertEquals(List.of("000001"), thanos.segmentFiles());
    assertEquals(3, thanos.files().size());
    assertEquals(new ThanosMeta.File("index", 2345), thanos.files().get(1));
    assertEquals(new ThanosMeta.File("meta.json", 0), thanos.files().get(2));
    assertEquals("SHA256", thanos.files().get(0).extra().get("hash").get("func").textValue());
    assertEquals(
        List.of("version", "index_stats", "extensions", "upload_time"),
        List.copyOf(thanos.extra().keySet()));
    JsonNode tags = thanos.extra().get("extensions").get("tags");
    assertEquals(new BigInteger("18446744073709551616"), tags.get(2).bigIntegerValue());
    assertEquals(
        new BigDecimal("0.25"), thanos.extra().get("extensions").get("ratio").decimalValue());
    assertEquals(THANOS, encode(meta));
  }

  @Test
  void typedThanosSectionIsWrittenInThanosOrderAndReadBack() {
    BlockMeta plain = decode(PROMTOOL);
    ThanosMeta thanos =
        new ThanosMeta(Map.of("zone", "b", "cluster", "x"), 0, ThanosMeta.SOURCE_COMPACTOR)
            .withFiles(
                List.of(new ThanosMeta.File("index", 340), new ThanosMeta.File("meta.json", 0)));
    BlockMeta meta = plain.withThanos(thanos);
    String text = encode(meta);
    assertTrue(
        text.endsWith(
            "\t\"version\": 1,\n"
                + "\t\"thanos\": {\n"
                + "\t\t\"labels\": {\n"
                + "\t\t\t\"cluster\": \"x\",\n"
                + "\t\t\t\"zone\": \"b\"\n"
                + "\t\t},\n"
                + "\t\t\"downsample\": {\n"
                + "\t\t\t\"resolution\": 0\n"
                + "\t\t},\n"
                + "\t\t\"source\": \"compactor\",\n"
                + "\t\t\"files\": [\n"
                + "\t\t\t{\n"
                + "\t\t\t\t\"rel_path\": \"index\",\n"
                + "\t\t\t\t\"size_bytes\": 340\n"
                + "\t\t\t},\n"
                + "\t\t\t{\n"
                + "\t\t\t\t\"rel_path\": \"meta.json\"\n"
                + "\t\t\t}\n"
                + "\t\t]\n"
                + "\t}\n"
                + "}\n"),
        text);
    assertEquals(meta, decode(text));
    assertEquals(PROMTOOL, encode(decode(text).withThanos(null)));
  }

  @Test
  void keepsUnknownFieldsAtEveryLevelAfterTheKnownOnes() {
    String json =
        """
        {"extra1": {"b": [1, 2.50, -3e-7, "x"]}, "ulid": "01M8962N0FJNS2CQA16J6NKE3V",
         "stats": {"numFloatSamples": 7, "numSamples": 9},
         "compaction": {"future": false, "level": 2}, "minTime": 1, "maxTime": 2, "version": 1,
         "extra2": null}""";
    BlockMeta meta = decode(json);
    assertEquals(9, meta.stats().numSamples());
    assertEquals(List.of("extra1", "extra2"), List.copyOf(meta.extra().keySet()));
    String expected =
        """
        {
        \t"ulid": "01M8962N0FJNS2CQA16J6NKE3V",
        \t"minTime": 1,
        \t"maxTime": 2,
        \t"stats": {
        \t\t"numSamples": 9,
        \t\t"numFloatSamples": 7
        \t},
        \t"compaction": {
        \t\t"level": 2,
        \t\t"future": false
        \t},
        \t"version": 1,
        \t"extra1": {
        \t\t"b": [
        \t\t\t1,
        \t\t\t2.50,
        \t\t\t-3E-7,
        \t\t\t"x"
        \t\t]
        \t},
        \t"extra2": null
        }""";
    assertEquals(expected, encode(meta));
    assertEquals(meta, decode(expected));
  }

  @Test
  void escapesStringsAsGoDoes() {
    Map<String, String> labels =
        Map.of(
            "html", "<a href=\"x\">&</a>",
            "control", "tab\tnl\ncr\rbell\u0007bs\bff\fdel\u007f",
            "unicode", "é😀\u2028\u2029",
            "slash", "a\\b/c");
    BlockMeta meta = decode(PROMTOOL).withThanos(new ThanosMeta(labels, 0, ""));
    String text = encode(meta);
    assertTrue(
        text.contains("\"control\": \"tab\\tnl\\ncr\\rbell\\u0007bs\\u0008ff\\u000cdel\u007f\""),
        text);
    assertTrue(
        text.contains("\"html\": \"\\u003ca href=\\\"x\\\"\\u003e\\u0026\\u003c/a\\u003e\""), text);
    assertTrue(text.contains("\"slash\": \"a\\\\b/c\""), text);
    assertTrue(text.contains("\"unicode\": \"é😀\\u2028\\u2029\""), text);
    assertEquals(meta, decode(text));
  }

  @Test
  void loneSurrogatesBecomeTheReplacementCharacter() {
    BlockMeta meta = decode(PROMTOOL).withThanos(new ThanosMeta(Map.of("k", "a\uD800b"), 0, ""));
    String text = encode(meta);
    assertTrue(text.contains("\"k\": \"a\\ufffdb\""), text);
    assertEquals(Map.of("k", "a\uFFFDb"), decode(text).thanos().orElseThrow().labels());
  }

  @Test
  void writeReplacesTheFileAtomically() throws IOException {
    Files.writeString(dir.resolve("meta.json.tmp"), "leftover from a crash");
    BlockMeta meta = decode(PROMTOOL);
    long size = BlockMetaFile.write(dir, meta);
    assertEquals(PROMTOOL.length(), size);
    assertArrayEquals(
        PROMTOOL.getBytes(StandardCharsets.UTF_8), Files.readAllBytes(dir.resolve("meta.json")));
    assertFalse(Files.exists(dir.resolve("meta.json.tmp")));
    BlockMeta changed = meta.withStats(meta.stats().withNumTombstones(4));
    BlockMetaFile.write(dir, changed);
    assertEquals(changed, BlockMetaFile.read(dir));
  }

  @Test
  void missingFileIsReportedByName() {
    NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> BlockMetaFile.read(dir));
    assertTrue(e.getMessage().contains(dir.resolve("meta.json").toString()));
  }

  private static CorruptDataException fails(String json) {
    CorruptDataException e = assertThrows(CorruptDataException.class, () -> decode(json));
    assertEquals("test/meta.json", e.source());
    assertTrue(e.getMessage().startsWith("corrupt test/meta.json: "), e.getMessage());
    return e;
  }

  private static final String HEAD = "{\"ulid\": \"01M8962N0FJNS2CQA16J6NKE3V\", ";

  @Test
  void malformedFilesNameTheFieldAndOffset() {
    CorruptDataException e = fails("{\"ulid\": \"01M8962N0FJNS2CQA16J6NKE3V\",, }");
    assertEquals("JSON", e.section());
    assertEquals(38, e.offset()); // the second comma

    e = fails(HEAD + "\"minTime\": \"1\", \"maxTime\": 2, \"version\": 1}");
    assertEquals("field minTime", e.section());
    assertEquals(HEAD.length() + 11, e.offset());
    assertTrue(
        e.getMessage().endsWith("expected an integer, found the string \"1\""), e.getMessage());

    e =
        fails(
            HEAD
                + "\"minTime\": 1, \"maxTime\": 2, \"version\": 1,"
                + " \"compaction\": {\"level\": 1.0}}");
    assertEquals("field compaction.level", e.section());
    assertTrue(e.getMessage().endsWith("found the number 1.0"), e.getMessage());

    e =
        fails(
            HEAD
                + "\"minTime\": 1, \"maxTime\": 2, \"version\": 1, \"compaction\": {\"sources\":"
                + " [\"01M8962N0FJNS2CQA16J6NKE3V\", \"01M8962N0FJNS2CQA16J6NKE3\"]}}");
    assertEquals("field compaction.sources[1]", e.section());
    assertTrue(e.getMessage().contains("25 characters, expected 26"), e.getMessage());

    e =
        fails(
            HEAD
                + "\"minTime\": 1, \"maxTime\": 2, \"version\": 1, \"stats\": {\"numSeries\":"
                + " -1}}");
    assertEquals("field stats.numSeries", e.section());

    e = fails(HEAD + "\"minTime\": 1, \"maxTime\": 99999999999999999999, \"version\": 1}");
    assertEquals("field maxTime", e.section());
    assertTrue(e.getMessage().contains("does not fit"), e.getMessage());

    e =
        fails(
            HEAD
                + "\"minTime\": 1, \"maxTime\": 2, \"version\": 1, \"compaction\": {\"parents\":"
                + " [{\"ulid\": \"01M8962N0FJNS2CQA16J6NKE3V\"}]}}");
    assertEquals("field compaction.parents[0]", e.section());

    e =
        fails(
            HEAD
                + "\"minTime\": 1, \"maxTime\": 2, \"version\": 1, \"thanos\": {\"labels\": {\"a\":"
                + " 1}}}");
    assertEquals("field thanos.labels.a", e.section());
  }

  @Test
  void missingAndUnsupportedFieldsAreReported() {
    assertEquals("field ulid", fails("{\"minTime\": 1, \"maxTime\": 2, \"version\": 1}").section());
    assertEquals("field minTime", fails(HEAD + "\"maxTime\": 2, \"version\": 1}").section());
    assertEquals("field maxTime", fails(HEAD + "\"minTime\": 2, \"version\": 1}").section());
    assertEquals("field version", fails(HEAD + "\"minTime\": 1, \"maxTime\": 2}").section());
    assertEquals(
        "field version",
        fails(HEAD + "\"minTime\": 1, \"maxTime\": 2, \"version\": null}").section());
    CorruptDataException e = fails(HEAD + "\"minTime\": 1, \"maxTime\": 2, \"version\": 2}");
    assertTrue(e.getMessage().contains("unsupported meta.json version 2"), e.getMessage());
    assertEquals("meta.json", fails("[]").section());
    assertEquals("meta.json", fails("").section());
    e = fails(HEAD + "\"minTime\": 1, \"maxTime\": 2, \"version\": 1} {}");
    assertEquals("meta.json", e.section());
    assertTrue(e.getMessage().contains("after the top-level object"), e.getMessage());
  }

  @Test
  void nullMeansTheDefaultAndRepeatedFieldsTakeTheLastValue() {
    BlockMeta meta =
        decode(
            HEAD
                + "\"minTime\": 1, \"minTime\": 5, \"maxTime\": 9, \"version\": 1, \"stats\": null,"
                + " \"compaction\": {\"level\": 2, \"sources\": null}, \"thanos\": null}");
    assertEquals(5, meta.minTime());
    assertEquals(BlockStats.EMPTY, meta.stats());
    assertEquals(List.of(), meta.compaction().sources());
    assertEquals(Optional.empty(), meta.thanos());
  }

  @Test
  void recordsRefuseExtraFieldsThatShadowKnownOnes() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new BlockStats(
                1, 1, 1, 1, Map.of("numSeries", JsonFields.MAPPER.getNodeFactory().numberNode(2))));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            decode(PROMTOOL)
                .withThanos(
                    new ThanosMeta(
                        Map.of(),
                        0,
                        "",
                        List.of(),
                        List.of(),
                        Map.of("labels", JsonFields.MAPPER.getNodeFactory().objectNode()))));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new BlockMeta(
                A,
                0,
                1,
                BlockStats.EMPTY,
                BlockCompaction.level1(A),
                Optional.empty(),
                Map.of("version", JsonFields.MAPPER.getNodeFactory().numberNode(2))));
    assertThrows(IllegalArgumentException.class, () -> new BlockStats(-1, 0, 0, 0));
  }

  @Test
  void compactedMetaCombinesItsParentsAsThePrometheusCompactorDoes() {
    BlockMeta p1 = BlockMeta.newBlock(B, 7_200_000, 14_400_000, new BlockStats(5, 1, 1, 0));
    BlockMeta p2 = BlockMeta.newBlock(A, 0, 7_200_000, new BlockStats(5, 1, 1, 0));
    BlockMeta p3 =
        BlockMeta.newBlock(C, 14_400_000, 21_600_000, BlockStats.EMPTY)
            .withCompaction(
                new BlockCompaction(
                    2, List.of(C, A), false, List.of(), false, List.of(), Map.of()));
    Ulid id = Ulid.parse("01M8970000000000000000000Z");
    BlockMeta merged = BlockMeta.compacted(id, List.of(p1, p2, p3));
    assertEquals(id, merged.ulid());
    assertEquals(0, merged.minTime());
    assertEquals(21_600_000, merged.maxTime());
    assertEquals(3, merged.compaction().level());
    assertEquals(List.of(A, B, C), merged.compaction().sources());
    assertEquals(
        List.of(BlockDesc.of(p1), BlockDesc.of(p2), BlockDesc.of(p3)),
        merged.compaction().parents());
    assertEquals(BlockStats.EMPTY, merged.stats());
    assertThrows(IllegalArgumentException.class, () -> BlockMeta.compacted(id, List.of()));
  }
}

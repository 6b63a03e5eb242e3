package dev.strata.tsdb.block;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Arbitrary metas, with arbitrary extra JSON at every level that keeps unknown fields, survive
 * encoding and decoding unchanged, and the encoded text is stable under a second round.
 */
class BlockMetaPropertiesTest {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  // Any character but surrogates, which only come in pairs (emoji) here; Go-special characters
  // are frequent so that every escape is exercised.
  static Arbitrary<String> strings() {
    Arbitrary<String> chars =
        Arbitraries.strings()
            .withCharRange('\u0000', '\uD7FF')
            .withCharRange('\uE000', '\uFFFF')
            .withChars('<', '>', '&', '"', '\\', '\u2028', '\u2029', '\u007f', '\b', '\f')
            .ofMaxLength(12);
    return Arbitraries.oneOf(chars, Arbitraries.of("", "😀x", "tenant-1"));
  }

  static Arbitrary<Ulid> ulids() {
    return Combinators.combine(
            Arbitraries.longs().between(0, Ulid.MAX_TIMESTAMP),
            Arbitraries.integers().between(0, 0xFFFF),
            Arbitraries.longs())
        .as(Ulid::of);
  }

  // Names that cannot collide with known fields.
  static Arbitrary<String> extraNames() {
    return Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(6).map(s -> "x_" + s);
  }

  static Arbitrary<JsonNode> json(int depth) {
    Arbitrary<JsonNode> leaves =
        Arbitraries.oneOf(
            strings().map(NODES::textNode),
            Arbitraries.longs().map(NODES::numberNode),
            Arbitraries.bigIntegers()
                .between(BigInteger.TWO.pow(70).negate(), BigInteger.TWO.pow(70))
                .map(NODES::numberNode),
            // Decimals keep scale and exponent exactly; integral values would read back as
            // integers, so every decimal has a fraction digit.
            Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(1, 30))
                .as((unscaled, scale) -> NODES.numberNode(BigDecimal.valueOf(unscaled, scale))),
            Arbitraries.of(NODES.booleanNode(true), NODES.booleanNode(false), NODES.nullNode()));
    if (depth == 0) {
      return leaves;
    }
    Arbitrary<JsonNode> arrays =
        json(depth - 1)
            .list()
            .ofMaxSize(4)
            .map(
                items -> {
                  ArrayNode a = NODES.arrayNode();
                  items.forEach(a::add);
                  return a;
                });
    Arbitrary<JsonNode> objects =
        Arbitraries.maps(strings(), json(depth - 1))
            .ofMaxSize(4)
            .map(
                fields -> {
                  ObjectNode o = NODES.objectNode();
                  fields.forEach(o::set);
                  return o;
                });
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, leaves),
        net.jqwik.api.Tuple.of(1, arrays),
        net.jqwik.api.Tuple.of(1, objects));
  }

  static Arbitrary<Map<String, JsonNode>> extras() {
    return Arbitraries.maps(extraNames(), json(2)).ofMaxSize(3).map(m -> new LinkedHashMap<>(m));
  }

  static Arbitrary<BlockStats> stats() {
    Arbitrary<Long> counts =
        Arbitraries.oneOf(Arbitraries.just(0L), Arbitraries.longs().between(0, Long.MAX_VALUE));
    return Combinators.combine(counts, counts, counts, counts, extras()).as(BlockStats::new);
  }

  static Arbitrary<BlockCompaction> compactions() {
    Arbitrary<BlockDesc> parent =
        Combinators.combine(ulids(), Arbitraries.longs(), Arbitraries.longs()).as(BlockDesc::new);
    return Combinators.combine(
            Arbitraries.integers(),
            ulids().list().ofMaxSize(4),
            Arbitraries.of(true, false),
            parent.list().ofMaxSize(3),
            Arbitraries.of(true, false),
            strings().list().ofMaxSize(2),
            extras())
        .as(BlockCompaction::new);
  }

  static Arbitrary<ThanosMeta> thanos() {
    Arbitrary<ThanosMeta.File> file =
        Combinators.combine(
                strings(),
                Arbitraries.longs().between(0, 1L << 40),
                Arbitraries.maps(extraNames(), json(1)).ofMaxSize(2))
            .as(ThanosMeta.File::new);
    Arbitrary<Map<String, JsonNode>> thanosExtras =
        Arbitraries.maps(
                Arbitraries.oneOf(
                    extraNames(),
                    Arbitraries.of(
                        "version", "rewrites", "index_stats", "extensions", "upload_time")),
                json(2))
            .ofMaxSize(4);
    return Combinators.combine(
            Arbitraries.maps(strings(), strings()).ofMaxSize(4),
            Arbitraries.of(0L, 300_000L, 3_600_000L, -1L),
            strings(),
            strings().list().ofMaxSize(3),
            file.list().ofMaxSize(3),
            thanosExtras)
        .as(ThanosMeta::new);
  }

  @Provide
  Arbitrary<BlockMeta> metas() {
    return Builders.withBuilder(() -> new Object[7])
        .use(ulids())
        .in(
            (a, v) -> {
              a[0] = v;
              return a;
            })
        .use(Arbitraries.longs())
        .in(
            (a, v) -> {
              a[1] = v;
              return a;
            })
        .use(Arbitraries.longs())
        .in(
            (a, v) -> {
              a[2] = v;
              return a;
            })
        .use(stats())
        .in(
            (a, v) -> {
              a[3] = v;
              return a;
            })
        .use(compactions())
        .in(
            (a, v) -> {
              a[4] = v;
              return a;
            })
        .use(thanos().optional())
        .in(
            (a, v) -> {
              a[5] = v;
              return a;
            })
        .use(extras())
        .in(
            (a, v) -> {
              a[6] = v;
              return a;
            })
        .build(BlockMetaPropertiesTest::meta);
  }

  @SuppressWarnings("unchecked")
  private static BlockMeta meta(Object[] a) {
    return new BlockMeta(
        (Ulid) a[0],
        (long) a[1],
        (long) a[2],
        (BlockStats) a[3],
        (BlockCompaction) a[4],
        (Optional<ThanosMeta>) a[5],
        (Map<String, JsonNode>) a[6]);
  }

  @Property(tries = 400)
  void encodeThenDecodeGivesTheSameMeta(@ForAll("metas") BlockMeta meta) {
    byte[] bytes = BlockMetaFile.encode(meta);
    BlockMeta back = BlockMetaFile.decode(bytes, "generated");
    assertEquals(meta, back);
    assertArrayEquals(bytes, BlockMetaFile.encode(back));
  }

  /** Whatever the layout of the input, the output is Go's, which Jackson reads as the same tree. */
  @Property(tries = 200)
  void outputIsTheSameJsonAsJacksonsOwnSerialization(@ForAll("metas") BlockMeta meta)
      throws JsonProcessingException {
    ObjectNode tree = BlockMetaFile.toJson(meta);
    String compact = JsonFields.MAPPER.writeValueAsString(tree);
    String ours = new String(BlockMetaFile.encode(meta), StandardCharsets.UTF_8);
    assertEquals(JsonFields.MAPPER.readTree(compact), JsonFields.MAPPER.readTree(ours));
    BlockMeta fromCompact =
        BlockMetaFile.decode(compact.getBytes(StandardCharsets.UTF_8), "compact");
    assertEquals(meta, fromCompact);
  }

  @Property(tries = 100)
  void sourcesAndParentsKeepTheirOrder(@ForAll("metas") BlockMeta meta) {
    BlockMeta back = BlockMetaFile.decode(BlockMetaFile.encode(meta), "generated");
    assertEquals(meta.compaction().sources(), back.compaction().sources());
    assertEquals(meta.compaction().parents(), back.compaction().parents());
    assertEquals(List.copyOf(meta.extra().keySet()), List.copyOf(back.extra().keySet()));
  }
}

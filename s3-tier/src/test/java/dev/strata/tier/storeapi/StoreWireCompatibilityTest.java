package dev.strata.tier.storeapi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import dev.strata.tier.storeapi.proto.Aggr;
import dev.strata.tier.storeapi.proto.AggrChunk;
import dev.strata.tier.storeapi.proto.Chunk;
import dev.strata.tier.storeapi.proto.Label;
import dev.strata.tier.storeapi.proto.LabelMatcher;
import dev.strata.tier.storeapi.proto.PartialResponseStrategy;
import dev.strata.tier.storeapi.proto.Series;
import dev.strata.tier.storeapi.proto.SeriesRequest;
import dev.strata.tier.storeapi.proto.SeriesResponse;
import dev.strata.tier.storeapi.proto.ZLabelSet;
import dev.strata.tier.storeapi.proto.info.InfoResponse;
import dev.strata.tier.storeapi.proto.info.StoreInfo;
import dev.strata.tier.storeapi.proto.info.TSDBInfo;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The generated messages against bytes written by hand from Thanos's field numbers and the proto3
 * wire rules (tag = field number << 3 | wire type; varints little-endian base 128, negative int64
 * as ten bytes; packed repeated scalars as one length-delimited field; default values omitted),
 * in both directions. The expected bytes never go through protobuf-java.
 */
class StoreWireCompatibilityTest {

  private static final int VARINT = 0;
  private static final int LEN = 2;

  @Test
  void seriesRequestWithMatchersPackedAggregatesAndReplicaLabels() throws Exception {
    // Thanos's default --min-time, 0000-01-01T00:00:00Z: a negative int64 takes ten bytes.
    long minTime = -62_167_219_200_000L;
    byte[] expected =
        concat(
            varintField(1, minTime),
            hex("10 d0 0f"), // 2: max_time = 2000
            lenField(3, hex("12 08"), ascii("__name__"), hex("1a 02"), ascii("up")), // EQ omitted
            lenField(3, hex("08 02 12 03"), ascii("job"), hex("1a 06"), ascii("api|db")),
            lenField(3, hex("08 03 12 03"), ascii("env"), hex("1a 04"), ascii("dev.")),
            hex("20 e0 a7 12"), // 4: max_resolution_window = 300000
            hex("2a 02 01 02"), // 5: aggregates [COUNT, SUM], packed
            hex("38 01"), // 7: partial_response_strategy = ABORT
            hex("40 01"), // 8: skip_chunks = true
            lenField(14, ascii("replica")),
            lenField(14, ascii("rule_replica")));

    SeriesRequest message =
        SeriesRequest.newBuilder()
            .setMinTime(minTime)
            .setMaxTime(2000)
            .addMatchers(matcher(LabelMatcher.Type.EQ, "__name__", "up"))
            .addMatchers(matcher(LabelMatcher.Type.RE, "job", "api|db"))
            .addMatchers(matcher(LabelMatcher.Type.NRE, "env", "dev."))
            .setMaxResolutionWindow(300_000)
            .addAggregates(Aggr.COUNT)
            .addAggregates(Aggr.SUM)
            .setPartialResponseStrategy(PartialResponseStrategy.ABORT)
            .setSkipChunks(true)
            .addWithoutReplicaLabels("replica")
            .addWithoutReplicaLabels("rule_replica")
            .build();

    assertArrayEquals(expected, message.toByteArray());
    assertEquals(message, SeriesRequest.parseFrom(expected));
  }

  @Test
  void seriesResponseWithASeriesAndAnAggrChunk() throws Exception {
    byte[] data = hex("00 01 80 e8 92 f7 e4 61 3f f0 00 00 00 00 00 00");
    long hash = 0x9e3779b185ebca87L; // above Long.MAX_VALUE as uint64: ten-byte varint
    byte[] chunk = concat(lenField(2, data), varintField(3, hash)); // 1: type XOR omitted
    byte[] aggrChunk =
        concat(
            hex("08 80 c0 b6 be f2 30"), // 1: min_time = 1_680_000_000_000
            hex("10 e0 94 ba be f2 30"), // 2: max_time = 1_680_000_060_000
            lenField(3, chunk),
            lenField(5, hex("08 01"), lenField(2, hex("00 00")))); // sum: type HISTOGRAM
    byte[] series =
        concat(
            lenField(1, hex("0a 08"), ascii("__name__"), hex("12 02"), ascii("up")),
            lenField(1, hex("0a 07"), ascii("cluster"), hex("12 02"), ascii("eu")),
            lenField(2, aggrChunk));
    byte[] expected = lenField(1, series);

    SeriesResponse message =
        SeriesResponse.newBuilder()
            .setSeries(
                Series.newBuilder()
                    .addLabels(label("__name__", "up"))
                    .addLabels(label("cluster", "eu"))
                    .addChunks(
                        AggrChunk.newBuilder()
                            .setMinTime(1_680_000_000_000L)
                            .setMaxTime(1_680_000_060_000L)
                            .setRaw(
                                Chunk.newBuilder()
                                    .setType(Chunk.Encoding.XOR)
                                    .setData(ByteString.copyFrom(data))
                                    .setHash(hash))
                            .setSum(
                                Chunk.newBuilder()
                                    .setType(Chunk.Encoding.HISTOGRAM)
                                    .setData(ByteString.copyFrom(hex("00 00"))))))
            .build();

    assertArrayEquals(expected, message.toByteArray());
    assertEquals(message, SeriesResponse.parseFrom(expected));
  }

  @Test
  void warningFrameIsFieldTwo() throws Exception {
    byte[] expected = lenField(2, ascii("store down"));
    SeriesResponse message = SeriesResponse.newBuilder().setWarning("store down").build();
    assertArrayEquals(expected, message.toByteArray());
    assertEquals(message, SeriesResponse.parseFrom(expected));
  }

  @Test
  void infoResponseOfTheInfoService() throws Exception {
    byte[] clusterEu = lenField(1, hex("0a 07"), ascii("cluster"), hex("12 02"), ascii("eu"));
    byte[] maxInt64 = hex("ff ff ff ff ff ff ff ff 7f");
    byte[] storeInfo =
        concat(
            hex("08 e8 07"), // 1: min_time = 1000
            hex("10"), maxInt64, // 2: max_time = MaxInt64
            hex("28 01"), // 5: supports_without_replica_labels (3 false, 4 reserved)
            lenField(6, lenField(1, clusterEu), hex("10 e8 07 18"), maxInt64));
    byte[] expected =
        concat(lenField(1, clusterEu), lenField(2, ascii("sidecar")), lenField(3, storeInfo));

    ZLabelSet ext = ZLabelSet.newBuilder().addLabels(label("cluster", "eu")).build();
    InfoResponse message =
        InfoResponse.newBuilder()
            .addLabelSets(ext)
            .setComponentType("sidecar")
            .setStore(
                StoreInfo.newBuilder()
                    .setMinTime(1000)
                    .setMaxTime(Long.MAX_VALUE)
                    .setSupportsWithoutReplicaLabels(true)
                    .addTsdbInfos(
                        TSDBInfo.newBuilder()
                            .setLabels(ext)
                            .setMinTime(1000)
                            .setMaxTime(Long.MAX_VALUE)))
            .build();

    assertArrayEquals(expected, message.toByteArray());
    assertEquals(message, InfoResponse.parseFrom(expected));
  }

  @Test
  void storeInfoResponseCarriesStoreTypeAsFieldFour() throws Exception {
    byte[] label = concat(hex("0a 07"), ascii("cluster"), hex("12 02"), ascii("eu"));
    byte[] expected =
        concat(
            lenField(1, label), // 1: labels (deprecated)
            hex("10 e8 07"), // 2: min_time = 1000
            hex("18 d0 0f"), // 3: max_time = 2000
            hex("20 03"), // 4: storeType = SIDECAR
            lenField(5, lenField(1, label))); // 5: label_sets
    dev.strata.tier.storeapi.proto.InfoResponse message =
        dev.strata.tier.storeapi.proto.InfoResponse.newBuilder()
            .addLabels(label("cluster", "eu"))
            .setMinTime(1000)
            .setMaxTime(2000)
            .setStoreType(dev.strata.tier.storeapi.proto.StoreType.SIDECAR)
            .addLabelSets(ZLabelSet.newBuilder().addLabels(label("cluster", "eu")))
            .build();

    assertArrayEquals(expected, message.toByteArray());
    assertEquals(message, dev.strata.tier.storeapi.proto.InfoResponse.parseFrom(expected));
  }

  // ---- hand encoding ----

  private static LabelMatcher matcher(LabelMatcher.Type type, String name, String value) {
    return LabelMatcher.newBuilder().setType(type).setName(name).setValue(value).build();
  }

  private static Label label(String name, String value) {
    return Label.newBuilder().setName(name).setValue(value).build();
  }

  private static byte[] varintField(int field, long value) {
    return concat(varint(((long) field << 3) | VARINT), varint(value));
  }

  private static byte[] lenField(int field, byte[]... parts) {
    byte[] payload = concat(parts);
    return concat(varint(((long) field << 3) | LEN), varint(payload.length), payload);
  }

  /** Base-128 varint of the value's 64 bits read as unsigned, low group first. */
  private static byte[] varint(long value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while ((value & ~0x7FL) != 0) {
      out.write((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
    return out.toByteArray();
  }

  private static byte[] hex(String spaced) {
    String[] parts = spaced.trim().split("\\s+");
    byte[] out = new byte[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = (byte) Integer.parseInt(parts[i], 16);
    }
    return out;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}

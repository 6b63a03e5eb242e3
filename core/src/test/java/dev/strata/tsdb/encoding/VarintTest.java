package dev.strata.tsdb.encoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class VarintTest {

  private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

  /**
   * Go's rules restated independently of the implementation: the value ends at the first byte
   * below 0x80; it is an overflow if it ends at or after the tenth byte with a value of 2^64 or
   * more, or if ten bytes pass without an end and an eleventh byte exists; if the input runs out
   * first, nothing is decoded. Returns {status, value}.
   */
  static long[] goUvarint(byte[] in, int off, int end) {
    BigInteger value = BigInteger.ZERO;
    for (int i = off; i < end; i++) {
      int k = i - off; // bytes before this one
      if (k == 10) {
        return new long[] {-11, 0};
      }
      int b = in[i] & 0xFF;
      value = value.or(BigInteger.valueOf(b & 0x7F).shiftLeft(7 * k));
      if (b < 0x80) {
        if (value.compareTo(TWO_TO_64) >= 0) {
          return new long[] {-(k + 1), 0};
        }
        return new long[] {k + 1, value.longValue()};
      }
    }
    return new long[] {0, 0};
  }

  @Provide
  Arbitrary<byte[]> varintLikeBytes() {
    // Mostly continuation bytes, so that long and overflowing values are common.
    Arbitrary<Byte> b =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(6, Arbitraries.bytes().between((byte) 0x80, (byte) 0xFF)),
            net.jqwik.api.Tuple.of(1, Arbitraries.bytes().between((byte) 0x00, (byte) 0x7F)),
            net.jqwik.api.Tuple.of(1, Arbitraries.of((byte) 0x00, (byte) 0x01, (byte) 0x02)));
    return b.array(byte[].class).ofMinSize(0).ofMaxSize(14);
  }

  @Property(tries = 3000)
  void decodingFollowsGo(@ForAll("varintLikeBytes") byte[] in) {
    long[] expected = goUvarint(in, 0, in.length);
    assertEquals(expected[0], Varint.uvarintLength(in, 0, in.length), "status");
    assertEquals(expected[1], Varint.uvarint(in, 0, in.length), "value");
  }

  @Property(tries = 3000)
  void cursorFollowsGo(@ForAll("varintLikeBytes") byte[] in, @ForAll boolean inPlace) {
    long[] expected = goUvarint(in, 0, in.length);
    ByteSource source =
        inPlace ? new ByteArraySource(in, "mem") : ByteCursorTest.opaque(in, "mem");
    ByteCursor cursor = new ByteCursor(source, "test section", 11);
    if (expected[0] > 0) {
      assertEquals(expected[1], cursor.readUvarint());
      assertEquals(expected[0], cursor.position());
    } else {
      CorruptDataException e = assertThrows(CorruptDataException.class, cursor::readUvarint);
      assertEquals(0, e.offset());
      assertEquals("mem", e.source());
      assertEquals("test section", e.section());
      assertTrue(
          e.getMessage().contains(expected[0] < 0 ? "overflows 64 bits" : "truncated"),
          e.getMessage());
    }
  }

  @Property(tries = 2000)
  void unsignedRoundTrip(@ForAll long x, @ForAll @IntRange(min = 0, max = 5) int off) {
    byte[] buf = new byte[off + Varint.MAX_LEN_64];
    int n = Varint.putUvarint(buf, off, x);
    assertEquals(Varint.uvarintSize(x), n);
    assertEquals(n, Varint.uvarintLength(buf, off, off + n));
    assertEquals(x, Varint.uvarint(buf, off, off + n));
    // One byte short is "too small", not a different value.
    assertEquals(0, Varint.uvarintLength(buf, off, off + n - 1));
  }

  @Property(tries = 2000)
  void signedRoundTrip(@ForAll long x) {
    byte[] buf = new byte[Varint.MAX_LEN_64];
    int n = Varint.putVarint(buf, 0, x);
    assertEquals(Varint.varintSize(x), n);
    assertEquals(x, Varint.varint(buf, 0, n));
    assertEquals(x, Varint.unZigZag(Varint.zigZag(x)));
  }

  @Property(tries = 500)
  void sizeMatchesBitLength(@ForAll long x) {
    int bits = 64 - Long.numberOfLeadingZeros(x);
    assertEquals(Math.max(1, (bits + 6) / 7), Varint.uvarintSize(x));
  }

  @Test
  void knownEncodings() {
    assertArrayEquals(bytes(0x00), uvarint(0));
    assertArrayEquals(bytes(0x7F), uvarint(127));
    assertArrayEquals(bytes(0x80, 0x01), uvarint(128));
    assertArrayEquals(bytes(0xAC, 0x02), uvarint(300));
    assertArrayEquals(
        bytes(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01), uvarint(-1L));
    // Zig-zag: 0, -1, 1, -2 map to 0, 1, 2, 3.
    assertArrayEquals(bytes(0x00), varint(0));
    assertArrayEquals(bytes(0x01), varint(-1));
    assertArrayEquals(bytes(0x02), varint(1));
    assertArrayEquals(bytes(0x03), varint(-2));
    assertArrayEquals(
        bytes(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01), varint(Long.MIN_VALUE));
    assertArrayEquals(
        bytes(0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01), varint(Long.MAX_VALUE));
  }

  @Test
  void goOverflowCases() {
    // Tenth byte may only hold the 64th bit.
    byte[] tenthTooBig = bytes(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02);
    assertEquals(-10, Varint.uvarintLength(tenthTooBig, 0, tenthTooBig.length));
    assertEquals(0, Varint.uvarint(tenthTooBig, 0, tenthTooBig.length));
    // Ten continuation bytes: overflow if an eleventh byte exists, "too small" otherwise.
    byte[] eleven = new byte[11];
    Arrays.fill(eleven, (byte) 0x80);
    assertEquals(-11, Varint.uvarintLength(eleven, 0, 11));
    assertEquals(0, Varint.uvarintLength(eleven, 0, 10));
    // Non-minimal but within ten bytes: accepted, as Go does.
    byte[] padded = bytes(0x81, 0x80, 0x80, 0x00);
    assertEquals(4, Varint.uvarintLength(padded, 0, 4));
    assertEquals(1, Varint.uvarint(padded, 0, 4));
    // A zero tenth byte after nine continuation bytes is fine too.
    byte[] zeroTenth = bytes(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00);
    assertEquals(10, Varint.uvarintLength(zeroTenth, 0, 10));
    assertEquals(0, Varint.uvarint(zeroTenth, 0, 10));
  }

  @Test
  void putFailsWithoutRoom() {
    assertThrows(IndexOutOfBoundsException.class, () -> Varint.putUvarint(new byte[1], 0, 128));
  }

  private static byte[] uvarint(long x) {
    byte[] buf = new byte[10];
    return Arrays.copyOf(buf, Varint.putUvarint(buf, 0, x));
  }

  private static byte[] varint(long x) {
    byte[] buf = new byte[10];
    return Arrays.copyOf(buf, Varint.putVarint(buf, 0, x));
  }

  static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }
}

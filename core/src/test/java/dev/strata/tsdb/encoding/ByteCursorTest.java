package dev.strata.tsdb.encoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ByteCursorTest {

  /** A source that is not a {@link ByteArraySource}, so the cursor copies through its window. */
  static ByteSource opaque(byte[] bytes, String description) {
    ByteArraySource inner = new ByteArraySource(bytes, description);
    return new ByteSource() {
      @Override
      public long length() {
        return inner.length();
      }

      @Override
      public void read(long position, byte[] dst, int dstOffset, int length) {
        inner.read(position, dst, dstOffset, length);
      }

      @Override
      public String description() {
        return description;
      }
    };
  }

  /** One field written to a sink and read back. */
  record Op(int kind, long value, byte[] bytes) {}

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<Long> longs =
        Arbitraries.oneOf(
            Arbitraries.longs(),
            Arbitraries.longs().between(-300, 300),
            Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, -1L, 0L, 1L << 63 >>> 1));
    Arbitrary<Op> fixed = Arbitraries.integers().between(0, 5).flatMap(
        kind -> longs.map(v -> new Op(kind, v, null)));
    Arbitrary<Op> raw =
        Arbitraries.bytes().array(byte[].class).ofMaxSize(100).map(b -> new Op(6, 0, b));
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(5, fixed), net.jqwik.api.Tuple.of(1, raw))
        .list()
        .ofMaxSize(60);
  }

  private static void write(ByteSink sink, Op op) {
    switch (op.kind()) {
      case 0 -> sink.putByte((int) op.value());
      case 1 -> sink.putBE16((int) op.value());
      case 2 -> sink.putBE32((int) op.value());
      case 3 -> sink.putBE64(op.value());
      case 4 -> sink.putUvarint(op.value());
      case 5 -> sink.putVarint(op.value());
      default -> sink.putUvarintBytes(op.bytes(), 0, op.bytes().length);
    }
  }

  private static void readAndCheck(ByteCursor cursor, Op op) {
    switch (op.kind()) {
      case 0 -> assertEquals((byte) op.value(), cursor.readByte());
      case 1 -> assertEquals((int) op.value() & 0xFFFF, cursor.readUnsignedBE16());
      case 2 -> assertEquals((int) op.value(), cursor.readBE32());
      case 3 -> assertEquals(op.value(), cursor.readBE64());
      case 4 -> assertEquals(op.value(), cursor.readUvarint());
      case 5 -> assertEquals(op.value(), cursor.readVarint());
      default -> {
        byte[] got = new byte[cursor.readUvarintLength()];
        cursor.readBytes(got, 0, got.length);
        assertArrayEquals(op.bytes(), got);
      }
    }
  }

  @Property(tries = 500)
  void whatTheSinkWritesTheCursorReads(
      @ForAll("ops") List<Op> ops,
      @ForAll @IntRange(min = 0, max = 20) int prefix,
      @ForAll @IntRange(min = 11, max = 80) int window,
      @ForAll boolean inPlace) {
    ByteSink sink = new ByteSink(1);
    sink.putZeros(prefix);
    for (Op op : ops) {
      write(sink, op);
    }
    byte[] bytes = sink.toByteArray();
    ByteSource source = inPlace ? new ByteArraySource(bytes, "mem") : opaque(bytes, "mem");
    ByteCursor cursor = new ByteCursor(source, "ops", window).range(prefix, bytes.length, "ops");
    for (Op op : ops) {
      readAndCheck(cursor, op);
    }
    assertFalse(cursor.hasRemaining());
    assertEquals(bytes.length, cursor.position());
  }

  @Property(tries = 300)
  void arraySubrangeSourceCountsPositionsFromItsStart(
      @ForAll("ops") List<Op> ops, @ForAll @IntRange(min = 0, max = 9) int offset) {
    ByteSink sink = new ByteSink();
    sink.putZeros(offset);
    for (Op op : ops) {
      write(sink, op);
    }
    sink.putByte(0x5A); // a byte past the source that must stay invisible
    int length = sink.length() - offset - 1;
    ByteCursor cursor =
        new ByteCursor(new ByteArraySource(sink.array(), offset, length, "sub"), "ops");
    for (Op op : ops) {
      readAndCheck(cursor, op);
    }
    assertEquals(length, cursor.position());
    assertThrows(CorruptDataException.class, cursor::readByte);
  }

  @Test
  void truncatedFieldsNameSourceSectionAndOffset() {
    byte[] bytes = {1, 2, 3, 4, 5, 6, 7};
    for (boolean inPlace : new boolean[] {true, false}) {
      ByteSource source = inPlace ? new ByteArraySource(bytes, "f") : opaque(bytes, "f");
      ByteCursor cursor = new ByteCursor(source, "toc", 16);
      cursor.readBE32();
      CorruptDataException e = assertThrows(CorruptDataException.class, cursor::readBE32);
      assertEquals("f", e.source());
      assertEquals("toc", e.section());
      assertEquals(4, e.offset());
      assertEquals("corrupt f: toc at offset 4: truncated: 4 bytes needed but only 3 left before"
          + " offset 7", e.getMessage());
      // A failed read does not move the cursor.
      assertEquals(4, cursor.position());
      assertEquals(0x05060700 >> 8, (cursor.readUnsignedByte() << 16)
          | (cursor.readUnsignedByte() << 8) | cursor.readUnsignedByte());
      assertThrows(CorruptDataException.class, () -> cursor.readBytes(new byte[1], 0, 1));
      assertThrows(CorruptDataException.class, () -> cursor.skip(1));
    }
  }

  @Test
  void rangeEndIsAHardLimit() {
    byte[] bytes = VarintTest.bytes(0x80, 0x80, 0x01, 0x00);
    ByteCursor cursor = ByteCursor.of(bytes, "f", "postings").range(0, 2, "postings");
    CorruptDataException e = assertThrows(CorruptDataException.class, cursor::readUvarint);
    assertTrue(e.getMessage().contains("truncated varint"), e.getMessage());
    assertEquals(0, e.offset());
    cursor.range(0, 3, "postings");
    assertEquals(1 << 14, cursor.readUvarint());
  }

  @Test
  void largeReadsBypassTheWindow() {
    byte[] bytes = new byte[1000];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 31);
    }
    ByteCursor cursor = new ByteCursor(opaque(bytes, "big"), "data", 16);
    cursor.skip(3);
    assertEquals((byte) (3 * 31), cursor.readByte());
    byte[] got = new byte[900];
    cursor.readBytes(got, 0, got.length);
    for (int i = 0; i < got.length; i++) {
      assertEquals((byte) ((i + 4) * 31), got[i]);
    }
    assertEquals(904, cursor.position());
    cursor.position(10);
    assertEquals((byte) (10 * 31), cursor.readByte());
    assertThrows(IndexOutOfBoundsException.class, () -> cursor.position(1001));
  }

  @Test
  void uvarint32AndLengthLimits() {
    ByteSink sink = new ByteSink().putUvarint(0xFFFF_FFFFL).putUvarint(1L << 32).putUvarint(-1L);
    ByteCursor cursor = ByteCursor.of(sink.toByteArray(), "f", "series");
    assertEquals(-1, cursor.readUvarint32());
    long at = cursor.position();
    CorruptDataException e = assertThrows(CorruptDataException.class, cursor::readUvarint32);
    assertEquals(at, e.offset());
    cursor.position(at);
    cursor.readUvarint();
    assertThrows(CorruptDataException.class, cursor::readUvarintLength);
  }

  @Test
  void sinkPaddingPatchingAndChecksums() throws Exception {
    ByteSink sink = new ByteSink(1);
    byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
    sink.putBytes(check);
    // The standard CRC-32C check value.
    assertEquals(0xE3069283, sink.crc32c(0, 9));
    sink.putCrc32cOf(0);
    assertEquals(13, sink.length());
    assertEquals(0xE3, sink.array()[9] & 0xFF);

    sink.padTo(0, 16);
    assertEquals(16, sink.length());
    sink.padTo(0, 16);
    assertEquals(16, sink.length());
    sink.padTo(5, 16); // the sink content starts at file offset 5
    assertEquals(27, sink.length());

    int slot = sink.reserve(4);
    sink.putBE64(7);
    sink.setBE32(slot, 0x01020304);
    ByteCursor cursor = ByteCursor.of(sink.toByteArray(), "f", "x");
    cursor.position(slot);
    assertEquals(0x01020304, cursor.readBE32());
    assertEquals(7, cursor.readBE64());
    assertThrows(IndexOutOfBoundsException.class, () -> sink.setBE32(sink.length() - 3, 0));

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    sink.writeTo(Channels.newChannel(out));
    assertArrayEquals(sink.toByteArray(), out.toByteArray());
    assertEquals(0, sink.clear().length());
  }
}

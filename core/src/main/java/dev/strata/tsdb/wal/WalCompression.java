package dev.strata.tsdb.wal;

import dev.strata.tsdb.encoding.Varint;
import java.util.Arrays;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * LZ4 compression of WAL records. A compressed record is the uncompressed length as a uvarint
 * followed by an LZ4 block; it is used only when it is smaller than the record. Buffers are reused,
 * so compressing allocates nothing once they have grown.
 */
final class WalCompression {
  private static final LZ4Factory FACTORY = LZ4Factory.fastestInstance();
  private final LZ4Compressor compressor = FACTORY.fastCompressor();
  private final LZ4SafeDecompressor decompressor = FACTORY.safeDecompressor();
  private byte[] buffer = new byte[1024];
  private int length;

  /**
   * Compresses {@code src[off, off + len)} into the internal buffer.
   *
   * @return true if the compressed form is smaller and was kept
   */
  boolean compress(byte[] src, int off, int len) {
    int bound = Varint.MAX_LEN_64 + compressor.maxCompressedLength(len);
    if (buffer.length < bound) {
      buffer = new byte[Math.max(bound, buffer.length * 2)];
    }
    int header = Varint.putUvarint(buffer, 0, len);
    int compressed = compressor.compress(src, off, len, buffer, header, buffer.length - header);
    length = header + compressed;
    return length < len;
  }

  byte[] buffer() {
    return buffer;
  }

  int length() {
    return length;
  }

  /**
   * Decompresses a record into {@code dst} (grown if needed) and returns the array holding it,
   * whose length is {@link #length()} afterwards.
   *
   * @throws IllegalArgumentException if the bytes are not a valid compressed record
   */
  byte[] decompress(byte[] src, int off, int len, byte[] dst) {
    int headerLength = Varint.uvarintLength(src, off, off + len);
    if (headerLength <= 0) {
      throw new IllegalArgumentException("bad length prefix of an LZ4 record");
    }
    long size = Varint.uvarint(src, off, off + len);
    if (size < 0 || size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("LZ4 record claims " + size + " bytes");
    }
    byte[] out = dst.length >= size ? dst : Arrays.copyOf(dst, (int) size);
    try {
      int n =
          decompressor.decompress(
              src, off + headerLength, len - headerLength, out, 0, (int) size);
      if (n != size) {
        throw new IllegalArgumentException(
            "LZ4 record decompressed to " + n + " bytes, expected " + size);
      }
    } catch (LZ4Exception e) {
      throw new IllegalArgumentException("LZ4 record does not decompress: " + e.getMessage(), e);
    }
    length = (int) size;
    return out;
  }
}

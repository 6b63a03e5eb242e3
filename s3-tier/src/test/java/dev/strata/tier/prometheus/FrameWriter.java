package dev.strata.tier.prometheus;

import dev.strata.tier.prometheus.proto.ChunkedReadResponse;
import dev.strata.tsdb.encoding.Varint;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.zip.CRC32C;

/** Writes frames as Prometheus's chunked writer does, for tests of the reader. */
final class FrameWriter {

  private FrameWriter() {}

  /** {@code uvarint(len) | CRC32-Castagnoli(data) big-endian | data} for each message. */
  static byte[] frames(List<ChunkedReadResponse> messages) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (ChunkedReadResponse m : messages) {
      frame(out, m.toByteArray());
    }
    return out.toByteArray();
  }

  static void frame(ByteArrayOutputStream out, byte[] data) {
    byte[] length = new byte[Varint.MAX_LEN_64];
    out.write(length, 0, Varint.putUvarint(length, 0, data.length));
    CRC32C crc = new CRC32C();
    crc.update(data);
    long c = crc.getValue();
    out.write((int) (c >>> 24));
    out.write((int) (c >>> 16));
    out.write((int) (c >>> 8));
    out.write((int) c);
    out.write(data, 0, data.length);
  }
}

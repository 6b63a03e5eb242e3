package dev.strata.tsdb.chunks;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The segment files Prometheus 2.42 produces for a sequence of per-series chunk lists, computed the
 * way its writer is structured: each call first plans batches of chunks (a new batch wherever a
 * new segment must start), then creates a first segment if there is none, then writes the batches
 * with a new segment between consecutive ones. The writer under test streams instead; agreeing
 * with this independently shaped model is the point.
 */
final class SegmentLayoutModel {

  /** A chunk: encoding byte and data. */
  record Chunk(byte encoding, byte[] data) {}

  final List<ByteArrayOutputStream> segments = new ArrayList<>();
  final List<Long> refs = new ArrayList<>();
  private final long segmentSize;

  SegmentLayoutModel(long segmentSize) {
    this.segmentSize = segmentSize;
  }

  private long currentSize() {
    return segments.isEmpty() ? 0 : segments.get(segments.size() - 1).size();
  }

  void writeSeries(List<Chunk> chunks) {
    long sizeBefore = currentSize();
    List<List<Chunk>> batches = new ArrayList<>();
    batches.add(new ArrayList<>());
    long batchBytes = 0;
    boolean firstBatch = true;
    for (int i = 0; i < chunks.size(); i++) {
      long chunkBytes = 5 + 1 + chunks.get(i).data().length + 4;
      batchBytes += chunkBytes;
      boolean cut = i != 0 && batchBytes + 8 > segmentSize;
      if (firstBatch && sizeBefore > 8) {
        cut = batchBytes + sizeBefore > segmentSize;
        if (cut) {
          firstBatch = false;
        }
      }
      if (cut) {
        batches.add(new ArrayList<>());
        batchBytes = chunkBytes;
      }
      batches.get(batches.size() - 1).add(chunks.get(i));
    }
    if (sizeBefore == 0) {
      newSegment();
    }
    for (int b = 0; b < batches.size(); b++) {
      for (Chunk chunk : batches.get(b)) {
        append(chunk);
      }
      if (b < batches.size() - 1) {
        newSegment();
      }
    }
  }

  private void newSegment() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x85, (byte) 0xBD, 0x40, (byte) 0xDD, 1, 0, 0, 0});
    segments.add(out);
  }

  private void append(Chunk chunk) {
    ByteArrayOutputStream out = segments.get(segments.size() - 1);
    refs.add(((long) (segments.size() - 1) << 32) | out.size());
    long len = chunk.data().length;
    do {
      int b = (int) (len & 0x7F);
      len >>>= 7;
      out.write(len != 0 ? b | 0x80 : b);
    } while (len != 0);
    out.write(chunk.encoding());
    out.writeBytes(chunk.data());
    CRC32C crc = new CRC32C();
    crc.update(chunk.encoding());
    crc.update(chunk.data());
    int sum = (int) crc.getValue();
    out.writeBytes(new byte[] {(byte) (sum >>> 24), (byte) (sum >>> 16), (byte) (sum >>> 8), (byte) sum});
  }
}

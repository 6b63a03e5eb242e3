package dev.strata.tier.prometheus;

import com.google.protobuf.ByteString;
import dev.strata.tier.prometheus.proto.Chunk;
import dev.strata.tier.prometheus.proto.Sample;
import dev.strata.tsdb.chunkenc.HeapChunkBuffer;
import dev.strata.tsdb.chunkenc.XorChunkAppender;
import java.util.ArrayList;
import java.util.List;

/**
 * Raw samples of a sampled remote read answer as XOR chunks, so that a series from either kind of
 * answer is served the same way.
 */
final class SampleChunks {

  /**
   * Samples per chunk, as Thanos's sidecar re-chunks a sampled answer ({@code
   * MaxSamplesPerChunk}); also the size at which Prometheus's head aims to cut its chunks.
   */
  static final int MAX_SAMPLES_PER_CHUNK = 120;

  private SampleChunks() {}

  /**
   * The samples in XOR chunks of at most {@code maxSamplesPerChunk} samples, in time order. Values
   * keep their exact bits (the staleness marker is a particular NaN).
   *
   * @throws IllegalArgumentException if the timestamps do not increase strictly
   */
  static List<Chunk> xor(List<Sample> samples, int maxSamplesPerChunk) {
    if (maxSamplesPerChunk < 1 || maxSamplesPerChunk > XorChunkAppender.MAX_SAMPLES) {
      throw new IllegalArgumentException("samples per chunk out of range: " + maxSamplesPerChunk);
    }
    int chunkCount = (samples.size() + maxSamplesPerChunk - 1) / maxSamplesPerChunk;
    List<Chunk> chunks = new ArrayList<>(chunkCount);
    XorChunkAppender appender = new XorChunkAppender();
    long previous = Long.MIN_VALUE;
    for (int start = 0; start < samples.size(); start += maxSamplesPerChunk) {
      int end = Math.min(samples.size(), start + maxSamplesPerChunk);
      appender.start(new HeapChunkBuffer());
      for (int i = start; i < end; i++) {
        Sample s = samples.get(i);
        if (i > 0 && s.getTimestamp() <= previous) {
          throw new IllegalArgumentException(
              "sample " + i + " at " + s.getTimestamp() + " does not follow the one at "
                  + previous);
        }
        previous = s.getTimestamp();
        appender.appendBits(s.getTimestamp(), Double.doubleToRawLongBits(s.getValue()));
      }
      chunks.add(
          Chunk.newBuilder()
              .setMinTimeMs(appender.minTime())
              .setMaxTimeMs(appender.maxTime())
              .setType(Chunk.Encoding.XOR)
              .setData(ByteString.copyFrom(appender.buffer().toByteArray(appender.byteLength())))
              .build());
    }
    return chunks;
  }
}

package dev.strata.downsample;

import dev.strata.tsdb.chunkenc.ChunkEncoding;
import dev.strata.tsdb.chunkenc.HeapChunkBuffer;
import dev.strata.tsdb.chunkenc.XorChunkAppender;
import dev.strata.tsdb.encoding.ByteSink;

/**
 * Builds one AggrChunk: an XOR chunk per aggregate, appended to as windows complete, then framed by
 * {@link AggrChunkEncoder}. The chunk's time range is that of its window timestamps (not of the
 * extra raw samples in the counter aggregate), as Thanos records it. One builder is reused for
 * every chunk; its buffers grow to the largest chunk and stay.
 */
final class AggrChunkBuilder {
  private final HeapChunkBuffer[] buffers = new HeapChunkBuffer[AggrType.COUNT_OF_TYPES];
  private final XorChunkAppender[] appenders = new XorChunkAppender[AggrType.COUNT_OF_TYPES];
  private final boolean[] present = new boolean[AggrType.COUNT_OF_TYPES];
  private final AggrChunkEncoder encoder = new AggrChunkEncoder();
  private long minTime;
  private long maxTime;

  AggrChunkBuilder() {
    for (int i = 0; i < AggrType.COUNT_OF_TYPES; i++) {
      buffers[i] = new HeapChunkBuffer(512);
      appenders[i] = new XorChunkAppender();
    }
  }

  /** Starts a chunk with no aggregates; each starts when first appended to. */
  AggrChunkBuilder begin() {
    for (int i = 0; i < AggrType.COUNT_OF_TYPES; i++) {
      present[i] = false;
    }
    minTime = Long.MAX_VALUE;
    maxTime = Long.MIN_VALUE;
    return this;
  }

  private XorChunkAppender appender(int i) {
    if (!present[i]) {
      present[i] = true;
      appenders[i].start(buffers[i]);
    }
    return appenders[i];
  }

  private void window(long t) {
    if (t < minTime) {
      minTime = t;
    }
    if (t > maxTime) {
      maxTime = t;
    }
  }

  /** Appends a completed window of raw samples to all five aggregates. */
  void addWindow(long t, int count, double sum, double min, double max, double counter) {
    window(t);
    appender(AggrType.COUNT.ordinal()).append(t, count);
    appender(AggrType.SUM.ordinal()).append(t, sum);
    appender(AggrType.MIN.ordinal()).append(t, min);
    appender(AggrType.MAX.ordinal()).append(t, max);
    appender(AggrType.COUNTER.ordinal()).append(t, counter);
  }

  /** Appends a window value to one aggregate (re-downsampling works one aggregate at a time). */
  void addWindow(AggrType type, long t, double v) {
    window(t);
    appender(type.ordinal()).append(t, v);
  }

  /** Appends one of the counter's raw values, which do not extend the chunk's time range. */
  void addCounterRaw(long t, double v) {
    appender(AggrType.COUNTER.ordinal()).append(t, v);
  }

  /** Whether no window was added since {@link #begin()}. */
  boolean isEmpty() {
    return minTime == Long.MAX_VALUE;
  }

  long minTime() {
    return minTime;
  }

  long maxTime() {
    return maxTime;
  }

  /** Samples of the count aggregate: the chunk's sample count as Thanos reports it. */
  int numSamples() {
    int i = AggrType.COUNT.ordinal();
    return present[i] ? appenders[i].numSamples() : 0;
  }

  /** Appends the framed chunk to {@code out} and returns its length. */
  int encodeTo(ByteSink out) {
    encoder.begin(out);
    for (int i = 0; i < AggrType.COUNT_OF_TYPES; i++) {
      if (present[i]) {
        encoder.add(ChunkEncoding.XOR, buffers[i].array(), 0, appenders[i].byteLength());
      } else {
        encoder.absent();
      }
    }
    return encoder.finish();
  }
}

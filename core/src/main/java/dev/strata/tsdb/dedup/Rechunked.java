package dev.strata.tsdb.dedup;

import dev.strata.tsdb.chunkenc.ChunkEncoding;
import dev.strata.tsdb.chunkenc.HeapChunkBuffer;
import dev.strata.tsdb.chunkenc.XorChunkAppender;
import dev.strata.tsdb.chunkenc.XorChunkIterator;
import dev.strata.tsdb.storage.ChunkIterator;
import dev.strata.tsdb.storage.SampleIterator;
import java.util.Arrays;

/**
 * The chunks of a deduplicated series: its samples re-encoded as XOR chunks of up to {@value
 * #SAMPLES_PER_CHUNK} samples, Prometheus's and Thanos's size for chunks cut from samples. The
 * replicas' own chunks cannot be passed on, since the output takes samples from several of them.
 * Each chunk is encoded when reached.
 */
final class Rechunked implements ChunkIterator {
  static final int SAMPLES_PER_CHUNK = 120;

  private final SampleIterator samples;
  private final HeapChunkBuffer buffer = new HeapChunkBuffer();
  private final XorChunkAppender appender = new XorChunkAppender();
  private boolean pending; // `samples` is on a sample not yet in a chunk
  private boolean started;
  private byte[] bytes;
  private long minTime;
  private long maxTime;

  Rechunked(SampleIterator samples) {
    this.samples = samples;
  }

  @Override
  public boolean next() {
    if (!started) {
      started = true;
      pending = samples.next();
    }
    if (!pending) {
      bytes = null;
      return false;
    }
    appender.start(buffer);
    do {
      appender.append(samples.t(), samples.v());
      pending = samples.next();
    } while (pending && appender.numSamples() < SAMPLES_PER_CHUNK);
    bytes = Arrays.copyOf(buffer.array(), appender.byteLength());
    minTime = appender.minTime();
    maxTime = appender.maxTime();
    return true;
  }

  @Override
  public long minTime() {
    return minTime;
  }

  @Override
  public long maxTime() {
    return maxTime;
  }

  @Override
  public byte encoding() {
    return ChunkEncoding.XOR;
  }

  @Override
  public byte[] bytes() {
    return bytes;
  }

  @Override
  public SampleIterator samples() {
    return SampleIterator.of(new XorChunkIterator().reset(bytes, 0, bytes.length));
  }
}

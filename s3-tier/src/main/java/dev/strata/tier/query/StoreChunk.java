package dev.strata.tier.query;

import dev.strata.tsdb.chunkenc.ChunkEncoding;
import dev.strata.tsdb.chunkenc.XorChunkIterator;
import dev.strata.tsdb.labels.Xxh64;
import dev.strata.tsdb.storage.ChunkIterator;
import dev.strata.tsdb.storage.SampleIterator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A chunk of a series as a store sent it: Prometheus chunk bytes and their XXH64, which tells
 * identical chunks sent by several stores (replicas, or a sidecar and the store gateway over the
 * blocks it uploaded) apart from the rest.
 */
final class StoreChunk {
  /**
   * Thanos's order of a merged series' chunks ({@code AggrChunk.Compare}): by first, then last
   * timestamp, then by encoding, then by their bytes, the greater first. The order decides which
   * replica deduplication starts from when replicas' chunks cover the same span, so it must not
   * depend on which store answered first.
   */
  private static final Comparator<StoreChunk> THANOS_ORDER =
      Comparator.comparingLong(StoreChunk::minTime)
          .thenComparingLong(StoreChunk::maxTime)
          .thenComparingInt(StoreChunk::encoding)
          .thenComparing((x, y) -> Arrays.compareUnsigned(y.data, x.data));

  private final long minTime;
  private final long maxTime;
  private final byte encoding;
  private final byte[] data;
  private final long hash;

  private StoreChunk(long minTime, long maxTime, byte encoding, byte[] data) {
    this.minTime = minTime;
    this.maxTime = maxTime;
    this.encoding = encoding;
    this.data = data;
    this.hash = Xxh64.hash(data, 0, data.length);
  }

  /** A chunk of {@code data}, not copied. */
  static StoreChunk of(long minTime, long maxTime, byte encoding, byte[] data) {
    return new StoreChunk(minTime, maxTime, encoding, data);
  }

  /** Copies the chunks of a series out of the iterator. */
  static List<StoreChunk> copyOf(ChunkIterator it) {
    List<StoreChunk> out = new ArrayList<>();
    while (it.next()) {
      out.add(new StoreChunk(it.minTime(), it.maxTime(), it.encoding(), it.bytes()));
    }
    return out;
  }

  long minTime() {
    return minTime;
  }

  long maxTime() {
    return maxTime;
  }

  byte encoding() {
    return encoding;
  }

  byte[] data() {
    return data;
  }

  /** Whether the chunks are the same bytes. */
  boolean sameAs(StoreChunk o) {
    return hash == o.hash && encoding == o.encoding && Arrays.equals(data, o.data);
  }

  /**
   * The samples of a chunk.
   *
   * @throws IllegalStateException for a histogram chunk, which Strata does not read
   */
  SampleIterator samples() {
    if (encoding != ChunkEncoding.XOR) {
      throw new IllegalStateException("cannot read " + ChunkEncoding.name(encoding)
          + " chunks: Strata reads float samples only");
    }
    return SampleIterator.of(new XorChunkIterator().reset(data, 0, data.length));
  }

  /**
   * The chunks of several pieces of one series (from several stores) as one list in time order,
   * each chunk sent more than once kept once, as Thanos's proxy merges them. The result does not
   * depend on the order of the pieces.
   */
  static List<StoreChunk> merge(List<List<StoreChunk>> pieces) {
    if (pieces.size() == 1) {
      return pieces.get(0);
    }
    List<StoreChunk> all = new ArrayList<>();
    pieces.forEach(all::addAll);
    all.sort(THANOS_ORDER);
    Map<Long, List<StoreChunk>> seen = new HashMap<>();
    List<StoreChunk> out = new ArrayList<>(all.size());
    for (StoreChunk c : all) {
      List<StoreChunk> sameHash = seen.computeIfAbsent(c.hash, h -> new ArrayList<>(1));
      boolean duplicate = false;
      for (StoreChunk s : sameHash) {
        if (s.sameAs(c)) {
          duplicate = true;
          break;
        }
      }
      if (!duplicate) {
        sameHash.add(c);
        out.add(c);
      }
    }
    return out;
  }
}

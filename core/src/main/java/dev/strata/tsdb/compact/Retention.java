package dev.strata.tsdb.compact;

import dev.strata.tsdb.block.BlockMeta;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Which blocks retention deletes, with Prometheus's rules: by time, every block whose end lies more
 * than the retention period before the end of the newest block; by size, the oldest blocks until
 * the blocks plus the WAL fit the limit. Whole blocks only.
 */
public final class Retention {
  private Retention() {}

  /**
   * @param retentionTime milliseconds; 0 means no time limit
   * @param retentionBytes 0 means no size limit
   * @param walBytes bytes of the write-ahead log (and anything else counted against the limit)
   */
  public static List<BlockMeta> expired(
      List<BlockMeta> blocks, long retentionTime, long retentionBytes, long walBytes,
      ToLongFunction<BlockMeta> sizeOf) {
    List<BlockMeta> newestFirst = new ArrayList<>(blocks);
    newestFirst.sort(Comparator.comparingLong(BlockMeta::maxTime).reversed());
    List<BlockMeta> out = new ArrayList<>();
    if (newestFirst.isEmpty()) {
      return out;
    }
    long newestEnd = newestFirst.get(0).maxTime();
    long total = walBytes;
    for (BlockMeta m : newestFirst) {
      boolean tooOld = retentionTime > 0 && newestEnd - m.maxTime() > retentionTime;
      total += sizeOf.applyAsLong(m);
      boolean tooBig = retentionBytes > 0 && total > retentionBytes;
      if (tooOld || tooBig) {
        out.add(m);
      }
    }
    return out;
  }
}

package dev.strata.tsdb;

/**
 * A snapshot of a database's size.
 *
 * @param headSeries series in the head
 * @param headChunks chunks in the head (completed and open)
 * @param headOffHeapReservedBytes native memory the head's arena holds (whole slabs)
 * @param headOffHeapChunkBytes native memory in use by chunk bytes (slot sizes)
 * @param headHeapBytes estimated Java heap used by the head's series bookkeeping
 * @param walBytes bytes of the write-ahead log on disk
 * @param blocks number of blocks
 * @param blockBytes bytes of the blocks on disk
 * @param headMinTime earliest sample time in the head (Long.MAX_VALUE when empty)
 * @param headMaxTime latest sample time in the head (Long.MIN_VALUE when empty)
 * @param droppedOutOfOrder samples dropped as out of order (with the DROP policy)
 */
public record TsdbStats(
    long headSeries,
    long headChunks,
    long headOffHeapReservedBytes,
    long headOffHeapChunkBytes,
    long headHeapBytes,
    long walBytes,
    int blocks,
    long blockBytes,
    long headMinTime,
    long headMaxTime,
    long droppedOutOfOrder) {

  /** Head memory per series, heap and off-heap (chunk slots), in bytes; 0 for an empty head. */
  public double bytesPerSeries() {
    return headSeries == 0 ? 0 : (double) (headHeapBytes + headOffHeapChunkBytes) / headSeries;
  }

  /** Head memory per series beyond its chunk bytes: the bookkeeping cost of a series. */
  public double overheadBytesPerSeries() {
    return headSeries == 0 ? 0 : (double) headHeapBytes / headSeries;
  }
}

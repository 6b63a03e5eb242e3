package dev.strata.tsdb.head;

/**
 * How a {@link Head} behaves.
 *
 * @param chunkRange chunks never span a multiple of this (milliseconds): the block range
 * @param rejectOutOfOrder refuse out-of-order samples with an exception (else drop and count them)
 * @param walSegmentSize bytes per WAL segment
 * @param walCompression compress WAL records with LZ4 (the WAL is then readable by Strata only)
 * @param walSyncEveryCommit force the WAL to stable storage before each commit returns (else the
 *     WAL is in the operating system's hands when a commit returns: it survives a crash of the
 *     process but not of the machine, as in Prometheus)
 */
public record HeadOptions(
    long chunkRange,
    boolean rejectOutOfOrder,
    int walSegmentSize,
    boolean walCompression,
    boolean walSyncEveryCommit) {

  public HeadOptions {
    if (chunkRange <= 0) {
      throw new IllegalArgumentException("chunk range must be positive: " + chunkRange);
    }
  }
}

package dev.strata.tsdb.wal;

import dev.strata.tsdb.encoding.CorruptDataException;
import java.nio.file.Path;

/**
 * The log has a damaged record. Carries the segment and the offset of the first byte that could
 * not be read, which is where a repair truncates.
 */
public final class WalCorruptionException extends CorruptDataException {
  private static final long serialVersionUID = 1L;

  private final int segment;

  WalCorruptionException(Path segmentFile, int segment, long offset, String reason) {
    super(segmentFile.toString(), "WAL record", offset, reason);
    this.segment = segment;
  }

  /** Index of the segment holding the damage. */
  public int segment() {
    return segment;
  }
}

package dev.strata.tsdb.block;

import dev.strata.tsdb.tombstones.TombstonesFormat;

/** Names of the entries of a block directory, as Prometheus 2.42 lays it out. */
public final class BlockFiles {

  /** The block's metadata ({@link BlockMetaFile}). */
  public static final String META_JSON = BlockMetaFile.FILE_NAME;

  /** The index: symbols, series, postings. */
  public static final String INDEX = "index";

  /** The directory of chunk segment files {@code 000001}, {@code 000002}, ... */
  public static final String CHUNKS = "chunks";

  /** Deleted intervals per series ({@link TombstonesFormat}). */
  public static final String TOMBSTONES = TombstonesFormat.FILE_NAME;

  private BlockFiles() {}
}

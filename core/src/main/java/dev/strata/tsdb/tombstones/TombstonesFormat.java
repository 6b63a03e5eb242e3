package dev.strata.tsdb.tombstones;

/**
 * Constants of a block's {@code tombstones} file as Prometheus 2.42 writes it.
 *
 * <pre>
 * file:  magic 0x0130BA30 (4 bytes, BE) | version 1 (1 byte) | entry... | CRC32C (4 bytes, BE)
 * entry: series ref (uvarint) | minTime (zig-zag varint) | maxTime (zig-zag varint)
 * </pre>
 *
 * One entry per interval, so a series with several intervals repeats its reference. The checksum
 * leaves out magic and version. Prometheus's format document mentions an offset table and padding
 * that the 2.42 code does not write; the layout above is what its files hold. A block without
 * deletions has the nine-byte file {@code 01 30 BA 30 01 00 00 00 00} (the CRC of nothing is 0).
 */
public final class TombstonesFormat {

  /** The file name within a block directory. */
  public static final String FILE_NAME = "tombstones";

  /** Where a new version is written before it replaces the file. */
  public static final String TMP_FILE_NAME = FILE_NAME + ".tmp";

  public static final int MAGIC = 0x0130BA30;
  public static final byte VERSION_1 = 1;

  /** Magic and version. */
  public static final int HEADER_SIZE = 5;

  public static final int CRC_SIZE = 4;

  /** The size of a file without entries. */
  public static final int MIN_SIZE = HEADER_SIZE + CRC_SIZE;

  private TombstonesFormat() {}
}

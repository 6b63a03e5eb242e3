package dev.strata.tsdb.encoding;

/**
 * A readable, random-access range of bytes: a memory-mapped file, an object fetched from a bucket,
 * or an array. Reads copy into a caller-owned array so that decoders keep one tight loop over
 * {@code byte[]} whatever the bytes' origin.
 */
public interface ByteSource {

  /** Number of readable bytes. */
  long length();

  /**
   * Copies {@code length} bytes starting at {@code position} into {@code dst}.
   *
   * @throws IndexOutOfBoundsException if the range is not inside {@code [0, length())}
   */
  void read(long position, byte[] dst, int dstOffset, int length);

  /** A human-readable name of the source for error messages, e.g. the file path. */
  String description();
}

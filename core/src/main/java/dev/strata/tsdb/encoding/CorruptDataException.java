package dev.strata.tsdb.encoding;

/**
 * Data read from a file, an object store or memory does not follow its format.
 *
 * <p>The message always says where: the source (usually a file path), the section of the format
 * and the byte offset within the source, followed by what is wrong. Callers that know more context
 * (for example the block a chunk belongs to) wrap this exception rather than re-word it.
 */
public class CorruptDataException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final String section;
  private final long offset;

  public CorruptDataException(String source, String section, long offset, String reason) {
    this(source, section, offset, reason, null);
  }

  public CorruptDataException(
      String source, String section, long offset, String reason, Throwable cause) {
    super(format(source, section, offset, reason), cause);
    this.source = source;
    this.section = section;
    this.offset = offset;
  }

  private static String format(String source, String section, long offset, String reason) {
    return "corrupt " + source + ": " + section + " at offset " + offset + ": " + reason;
  }

  /** The file path or other description of where the bytes came from. */
  public String source() {
    return source;
  }

  /** The part of the format being read, e.g. "chunk header" or "postings offset table". */
  public String section() {
    return section;
  }

  /** Byte offset within {@link #source()} where the problem was found. */
  public long offset() {
    return offset;
  }
}

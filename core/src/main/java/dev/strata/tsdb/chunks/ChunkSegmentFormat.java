package dev.strata.tsdb.chunks;

import dev.strata.tsdb.encoding.CorruptDataException;
import dev.strata.tsdb.encoding.Varint;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Constants and file naming of chunk segment files ({@code chunks/000001}, ...) as Prometheus 2.42
 * writes them.
 *
 * <pre>
 * segment: magic 0x85BD40DD (4 bytes, big-endian) | version 1 (1 byte) | 3 zero bytes | chunk...
 * chunk:   data length (uvarint) | encoding (1 byte) | data | CRC32C of encoding + data (4 bytes, BE)
 * </pre>
 */
public final class ChunkSegmentFormat {

  public static final int MAGIC = 0x85BD40DD;
  public static final byte VERSION_1 = 1;
  /** Magic, version and padding. */
  public static final int HEADER_SIZE = 8;

  /**
   * The length field is a uvarint of at most 5 bytes: Prometheus reads it from a 5-byte window and
   * budgets 5 bytes per chunk when it decides where segments end.
   */
  public static final int MAX_LENGTH_FIELD_SIZE = Varint.MAX_LEN_32;

  public static final int ENCODING_SIZE = 1;
  public static final int CRC_SIZE = 4;

  /** Size at which Prometheus starts a new segment file: 512 MiB. */
  public static final long DEFAULT_SEGMENT_SIZE = 512L << 20;

  private ChunkSegmentFormat() {}

  /** File name of the segment with 1-based sequence number {@code sequence}: six digits or more. */
  public static String fileName(long sequence) {
    // On every chunk read of a bucket store: no String.format.
    String digits = Long.toString(sequence);
    if (sequence < 0) {
      return String.format("%06d", sequence);
    }
    return digits.length() >= 6 ? digits : "000000".substring(digits.length()) + digits;
  }

  /** Path of the segment with 0-based index {@code segmentIndex} in {@code dir}. */
  public static Path path(Path dir, int segmentIndex) {
    return dir.resolve(fileName(segmentIndex + 1L));
  }

  /**
   * The segment files of {@code dir} in index order. Files whose names are not all digits (such as
   * a leftover {@code 000003.tmp}) are ignored, as Prometheus ignores them. The numbers must run
   * 1, 2, ... without gaps: a chunk reference addresses a segment by its position in this list, so
   * a missing file would silently shift every later reference onto the wrong file.
   *
   * @throws CorruptDataException if the numbering has a gap or a duplicate
   */
  public static List<Path> list(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    List<Long> numbers = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        long number = sequenceNumber(entry.getFileName().toString());
        if (number >= 0 && Files.isRegularFile(entry)) {
          files.add(entry);
          numbers.add(number);
        }
      }
    }
    Integer[] order = new Integer[files.size()];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> Long.compare(numbers.get(a), numbers.get(b)));
    List<Path> sorted = new ArrayList<>(files.size());
    for (int i = 0; i < order.length; i++) {
      long number = numbers.get(order[i]);
      if (number != i + 1) {
        throw new CorruptDataException(
            dir.toString(),
            "segment files",
            0,
            "segment numbers must run from 000001 without gaps or duplicates, but position "
                + (i + 1) + " holds " + files.get(order[i]).getFileName());
      }
      sorted.add(files.get(order[i]));
    }
    return sorted;
  }

  // The number a segment file name stands for, or -1 if it is not a segment file name. Numbers
  // too long for a long are still segment names (Prometheus would count them); they come out as
  // Long.MAX_VALUE so that the numbering check reports them.
  static long sequenceNumber(String name) {
    if (name.isEmpty()) {
      return -1;
    }
    long n = 0;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      n = n > (Long.MAX_VALUE - 9) / 10 ? Long.MAX_VALUE : n * 10 + (c - '0');
    }
    return n;
  }
}

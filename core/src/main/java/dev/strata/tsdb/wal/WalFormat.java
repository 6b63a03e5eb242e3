package dev.strata.tsdb.wal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Constants of the write-ahead log layout, which is Prometheus 2.42's: numbered segment files
 * ({@code 00000000}, {@code 00000001}, ...) written in 32 KiB pages; a record is split into
 * fragments that never cross a page, each with a 7-byte header (type, big-endian length, CRC32C of
 * the fragment's data). Records never cross segments.
 *
 * <p>The header's type byte holds the fragment type in its low 3 bits and compression flags above.
 * Prometheus uses bit 3 for Snappy (and newer versions bit 4 for zstd); Strata reads Snappy, and
 * its optional LZ4 compression uses bit 5, so a WAL written with LZ4 is readable by Strata only,
 * while an uncompressed WAL is readable by Prometheus.
 */
public final class WalFormat {
  public static final int PAGE_SIZE = 32 * 1024;
  public static final int RECORD_HEADER_SIZE = 7;
  public static final int DEFAULT_SEGMENT_SIZE = 128 * 1024 * 1024;

  static final int TYPE_PAGE_TERM = 0; // rest of the page is zero
  static final int TYPE_FULL = 1;
  static final int TYPE_FIRST = 2;
  static final int TYPE_MIDDLE = 3;
  static final int TYPE_LAST = 4;
  static final int TYPE_MASK = 0b111;
  static final int SNAPPY_FLAG = 1 << 3;
  static final int ZSTD_FLAG = 1 << 4;
  static final int LZ4_FLAG = 1 << 5;

  private WalFormat() {}

  /** File name of segment {@code index}: eight digits. */
  public static String segmentName(int index) {
    return String.format("%08d", index);
  }

  /** Indexes of the segment files in {@code dir}, ascending; other files are ignored. */
  public static List<Integer> segmentIndexes(Path dir) throws IOException {
    List<Integer> indexes = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return indexes;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String name = p.getFileName().toString();
        if (isSegmentName(name) && Files.isRegularFile(p)) {
          indexes.add(Integer.parseInt(name));
        }
      }
    }
    indexes.sort(null);
    return indexes;
  }

  private static boolean isSegmentName(String name) {
    if (name.isEmpty() || name.length() > 9) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      if (name.charAt(i) < '0' || name.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  static String typeName(int type) {
    return switch (type & TYPE_MASK) {
      case TYPE_PAGE_TERM -> "zero";
      case TYPE_FULL -> "full";
      case TYPE_FIRST -> "first";
      case TYPE_MIDDLE -> "middle";
      case TYPE_LAST -> "last";
      default -> "invalid(" + (type & TYPE_MASK) + ")";
    };
  }
}

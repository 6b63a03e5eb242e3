package dev.strata.tsdb.record;

/** Record types of the write-ahead log: the first byte of every record, as in Prometheus 2.42. */
public final class WalRecordType {
  public static final int SERIES = 1;
  public static final int SAMPLES = 2;
  public static final int TOMBSTONES = 3;
  public static final int EXEMPLARS = 4;
  public static final int MMAP_MARKERS = 5;
  public static final int METADATA = 6;
  public static final int HISTOGRAM_SAMPLES = 7;
  public static final int FLOAT_HISTOGRAM_SAMPLES = 8;

  private WalRecordType() {}

  /** Type of the record in {@code rec[0, len)}; -1 for an empty record. */
  public static int of(byte[] rec, int len) {
    return len == 0 ? -1 : rec[0] & 0xFF;
  }

  public static String name(int type) {
    return switch (type) {
      case SERIES -> "series";
      case SAMPLES -> "samples";
      case TOMBSTONES -> "tombstones";
      case EXEMPLARS -> "exemplars";
      case MMAP_MARKERS -> "mmap markers";
      case METADATA -> "metadata";
      case HISTOGRAM_SAMPLES -> "histogram samples";
      case FLOAT_HISTOGRAM_SAMPLES -> "float histogram samples";
      default -> "unknown(" + type + ")";
    };
  }
}

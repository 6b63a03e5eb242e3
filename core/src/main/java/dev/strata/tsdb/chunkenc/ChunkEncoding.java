package dev.strata.tsdb.chunkenc;

/**
 * Chunk encoding bytes as written in chunk segment files. The values are fixed by the Prometheus
 * format; Thanos adds {@link #AGGREGATE} for downsampled chunks.
 */
public final class ChunkEncoding {
  public static final byte NONE = 0;
  public static final byte XOR = 1;
  public static final byte HISTOGRAM = 2;
  public static final byte FLOAT_HISTOGRAM = 3;
  /** Thanos's AggrChunk: five XOR chunks (count, sum, min, max, counter) in one. */
  public static final byte AGGREGATE = (byte) 0xff;

  private ChunkEncoding() {}

  /** A readable name for error messages and tools. */
  public static String name(byte encoding) {
    return switch (encoding) {
      case NONE -> "none";
      case XOR -> "XOR";
      case HISTOGRAM -> "histogram";
      case FLOAT_HISTOGRAM -> "floathistogram";
      case AGGREGATE -> "aggregate";
      default -> "<unknown " + (encoding & 0xff) + ">";
    };
  }
}

package dev.strata.promql;

/**
 * Prometheus's staleness marker: a NaN with a payload of its own, written when a series disappears.
 * It must be told apart from an ordinary NaN by its raw bits ({@link Double#doubleToLongBits} would
 * canonicalise it).
 */
final class StaleMarker {
  static final long BITS = 0x7ff0000000000002L;
  static final double VALUE = Double.longBitsToDouble(BITS);

  private StaleMarker() {}

  static boolean is(double v) {
    return Double.doubleToRawLongBits(v) == BITS;
  }
}

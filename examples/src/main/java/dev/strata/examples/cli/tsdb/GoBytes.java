package dev.strata.examples.cli.tsdb;

/**
 * Byte counts as promtool prints them with {@code --human-readable}: the {@code Base2Bytes} type
 * of the Go library {@code alecthomas/units}, which spells out every non-zero power of 1024 from
 * the largest down, {@code 1MiB512KiB3B}, rather than rounding to one unit.
 */
final class GoBytes {
  private static final String[] PREFIXES = {"", "K", "M", "G", "T", "P", "E"};

  private GoBytes() {}

  static String base2(long bytes) {
    String[] parts = new String[PREFIXES.length];
    long n = bytes;
    for (int i = 0; i < PREFIXES.length; i++) {
      long rest = n % 1024;
      if (rest != 0 || (i == 0 && n == 0)) {
        parts[PREFIXES.length - 1 - i] = rest + PREFIXES[i] + (i == 0 ? "B" : "iB");
      }
      n /= 1024;
      if (n == 0) {
        break;
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String p : parts) {
      if (p != null) {
        sb.append(p);
      }
    }
    return sb.toString();
  }
}

package dev.strata.benchmarks;

/** Placeholder replaced below. */
final class BenchmarkMain {
  public static void main(String[] args) throws Exception {
    org.openjdk.jmh.Main.main(args);
  }
}

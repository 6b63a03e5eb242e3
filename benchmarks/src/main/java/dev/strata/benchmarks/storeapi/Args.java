package dev.strata.benchmarks.storeapi;

import java.nio.file.Path;

/** The server benchmarks' command line: {@code --name=value} pairs with defaults. */
public record Args(Path objstore, Path work, int series, int runs, int warmup, String heap, Path strataJar,
    Path jvmOptions, String prometheusUrl, Path prometheusData, Path baselineJar) {

  public static Args parse(String[] args) {
    Path objstore = null;
    Path work = null;
    int series = 1000;
    int runs = 5;
    int warmup = 20;
    String heap = "256m";
    Path jar = Path.of("examples/target/strata.jar");
    Path jvmOptions = Path.of("jvm.options");
    String prometheusUrl = null;
    Path prometheusData = null;
    Path baselineJar = null; // another build of strata, to compare with in turns
    for (String a : args) {
      String value = a.substring(a.indexOf('=') + 1);
      if (a.startsWith("--objstore.config-file=")) {
        objstore = Path.of(value);
      } else if (a.startsWith("--work=")) {
        work = Path.of(value);
      } else if (a.startsWith("--series=")) {
        series = Integer.parseInt(value);
      } else if (a.startsWith("--runs=")) {
        runs = Integer.parseInt(value);
      } else if (a.startsWith("--warmup=")) {
        warmup = Integer.parseInt(value);
      } else if (a.startsWith("--heap=")) {
        heap = value;
      } else if (a.startsWith("--strata-jar=")) {
        jar = Path.of(value);
      } else if (a.startsWith("--baseline-jar=")) {
        baselineJar = Path.of(value);
      } else if (a.startsWith("--prometheus.url=")) {
        prometheusUrl = value;
      } else if (a.startsWith("--prometheus-data=")) {
        prometheusData = Path.of(value);
      } else {
        throw new IllegalArgumentException("unknown argument " + a);
      }
    }
    if (work == null) {
      throw new IllegalArgumentException("--work=DIR is required");
    }
    return new Args(objstore, work, series, runs, warmup, heap, jar, jvmOptions, prometheusUrl,
        prometheusData, baselineJar);
  }
}

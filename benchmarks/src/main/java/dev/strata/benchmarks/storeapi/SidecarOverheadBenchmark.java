package dev.strata.benchmarks.storeapi;

import dev.strata.tier.prometheus.PrometheusClient;
import dev.strata.tier.prometheus.RemoteReadResponse;
import dev.strata.tier.prometheus.proto.ChunkedSeries;
import dev.strata.tsdb.block.BlockDirectories;
import dev.strata.tsdb.block.BlockMetaFile;
import dev.strata.tsdb.labels.LabelMatcher;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code strata sidecar} adds to Prometheus's remote read: the same series (every benchmark
 * series over the blocks of {@code --prometheus-data}) read straight from Prometheus's streamed
 * remote read, and through a {@code strata sidecar} child JVM's StoreAPI, which makes that same
 * remote read and re-frames its chunks. After {@code --warmup} untimed rounds (20), the two take
 * turns, {@code --runs} times each; medians and their ratio.
 *
 * <p>{@code java @jvm.options -cp benchmarks/target/benchmarks.jar
 * dev.strata.benchmarks.storeapi.SidecarOverheadBenchmark --prometheus.url=URL
 * --prometheus-data=DIR --work=DIR}
 */
public final class SidecarOverheadBenchmark {
  private SidecarOverheadBenchmark() {}

  public static void main(String[] args) throws Exception {
    Args a = Args.parse(args);
    long mint = Long.MAX_VALUE;
    long maxt = Long.MIN_VALUE;
    for (var d : BlockDirectories.list(a.prometheusData())) {
      var meta = BlockMetaFile.read(d.path());
      mint = Math.min(mint, meta.minTime());
      maxt = Math.max(maxt, meta.maxTime() - 1);
    }
    PrometheusClient prometheus = new PrometheusClient(URI.create(a.prometheusUrl()),
        Duration.ofMinutes(5));
    try (StrataServer sidecar = startSidecar(a, a.strataJar(), "sidecar");
        SeriesCall call = new SeriesCall(sidecar.grpcPort);
        StrataServer baseline =
            a.baselineJar() == null ? null : startSidecar(a, a.baselineJar(), "baseline-sidecar");
        SeriesCall baselineCall = baseline == null ? null : new SeriesCall(baseline.grpcPort)) {
      List<SeriesCall.Result> direct = new ArrayList<>();
      List<SeriesCall.Result> through = new ArrayList<>();
      List<SeriesCall.Result> throughBaseline = new ArrayList<>();
      for (int i = 0; i < a.warmup(); i++) {
        remoteRead(prometheus, mint, maxt); // lets the JIT compile both sides' loops
        call.run(mint, maxt);
        if (baselineCall != null) {
          baselineCall.run(mint, maxt);
        }
      }
      for (int i = 0; i <= a.runs(); i++) {
        SeriesCall.Result d = remoteRead(prometheus, mint, maxt);
        SeriesCall.Result s = call.run(mint, maxt);
        SeriesCall.Result b = baselineCall == null ? null : baselineCall.run(mint, maxt);
        if (d.samples() != s.samples() || (b != null && b.samples() != d.samples())) {
          throw new IllegalStateException("remote read gave " + d.samples()
              + " samples, the sidecar " + s.samples()
              + (b == null ? "" : ", the baseline sidecar " + b.samples()));
        }
        if (i > 0) { // the first round warms both up
          direct.add(d);
          through.add(s);
          if (b != null) {
            throughBaseline.add(b);
          }
        }
      }
      double[] handled = sidecar.seriesHandling();
      System.out.printf("sidecar side (gRPC handling time), mean: %.3f s%n", handled[0] / handled[1]);
      SeriesCall.Result d = median(direct);
      SeriesCall.Result s = median(through);
      System.out.printf("remote read from Prometheus: %d series, %d samples in %.3f s (%.1f M"
          + " samples/s)%n", d.series(), d.samples(), d.seconds(), d.samplesPerSecond() / 1e6);
      System.out.printf("through strata sidecar:      %d series, %d samples in %.3f s (%.1f M"
          + " samples/s)%n", s.series(), s.samples(), s.seconds(), s.samplesPerSecond() / 1e6);
      System.out.printf("sidecar / remote read: %.2fx (runs: remote read %s, sidecar %s)%n",
          s.seconds() / d.seconds(), seconds(direct), seconds(through));
      if (baselineCall != null) {
        SeriesCall.Result b = median(throughBaseline);
        System.out.printf("baseline sidecar %s in turns: median %.3f s, baseline / remote read:"
                + " %.2fx, this build / baseline: %.2fx (runs %s)%n", a.baselineJar(),
            b.seconds(), b.seconds() / d.seconds(), s.seconds() / b.seconds(),
            seconds(throughBaseline));
      }
    }
  }

  private static StrataServer startSidecar(Args a, Path jar, String name) throws Exception {
    return StrataServer.start(jar, a.jvmOptions(), a.heap(), a.work().resolve(name + ".log"),
        "sidecar", "--tsdb.path=" + a.prometheusData(), "--prometheus.url=" + a.prometheusUrl(),
        "--grpc-address=127.0.0.1:0", "--http-address=127.0.0.1:0");
  }

  /** Prometheus's streamed remote read of every benchmark series, counted as {@link SeriesCall}. */
  static SeriesCall.Result remoteRead(PrometheusClient prometheus, long mint, long maxt)
      throws Exception {
    long t0 = System.nanoTime();
    long series = 0;
    long chunks = 0;
    long samples = 0;
    long bytes = 0;
    try (RemoteReadResponse r = prometheus.read(mint, maxt,
        List.of(LabelMatcher.regex("__name__", "bench_metric_.*")))) {
      if (!r.streamed()) {
        throw new IllegalStateException("Prometheus did not stream its answer");
      }
      for (Optional<ChunkedSeries> s = r.next(); s.isPresent(); s = r.next()) {
        series++;
        bytes += s.get().getSerializedSize();
        for (var c : s.get().getChunksList()) {
          chunks++;
          samples += SeriesData.xorSamples(c.getData());
        }
      }
    }
    return new SeriesCall.Result((System.nanoTime() - t0) / 1e9, series, chunks, samples, bytes);
  }

  static SeriesCall.Result median(List<SeriesCall.Result> runs) {
    List<SeriesCall.Result> sorted = new ArrayList<>(runs);
    sorted.sort((x, y) -> Double.compare(x.seconds(), y.seconds()));
    return sorted.get(sorted.size() / 2);
  }

  static String seconds(List<SeriesCall.Result> runs) {
    return runs.stream().map(r -> String.format("%.3f", r.seconds())).toList().toString();
  }
}

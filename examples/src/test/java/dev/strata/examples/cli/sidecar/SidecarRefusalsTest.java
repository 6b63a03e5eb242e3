package dev.strata.examples.cli.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.examples.cli.StrataCommand;
import dev.strata.tsdb.testing.ChildJvm;
import dev.strata.tsdb.testing.Interop;
import dev.strata.tsdb.testing.PrometheusServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code strata sidecar} refuses, against real Prometheus servers: one without external
 * labels, and, when uploading, one that compacts its own blocks. Each refusal is one clear line and
 * exit code 1, before anything is served or uploaded.
 */
@Interop
class SidecarRefusalsTest {
  @TempDir Path tmp;

  private record Exit(int code, String output) {}

  private Exit runSidecar(PrometheusServer prometheus, Path data, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("sidecar", "--tsdb.path=" + data,
        "--prometheus.url=" + prometheus.baseUri(), "--grpc-address=127.0.0.1:0",
        "--http-address=127.0.0.1:0", "--prometheus.ready_timeout=20s"));
    args.addAll(List.of(extra));
    Path log = tmp.resolve("sidecar.log");
    Process p = new ProcessBuilder(ChildJvm.command(tmp.resolve("child-tmp"), StrataCommand.class,
            args.toArray(String[]::new)))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        throw new AssertionError("the sidecar did not exit:\n" + Files.readString(log));
      }
    } finally {
      p.destroyForcibly();
    }
    return new Exit(p.exitValue(), Files.readString(log));
  }

  @Test
  void withoutExternalLabels() throws Exception {
    Path data = tmp.resolve("data");
    try (PrometheusServer prometheus = PrometheusServer.start(tmp, data)) {
      Exit exit = runSidecar(prometheus, data);
      assertEquals(1, exit.code(), exit.output());
      assertTrue(exit.output().contains("Prometheus at " + prometheus.baseUri()
          + " has no external labels: set global.external_labels"), exit.output());
    }
  }

  @Test
  void uploadsFromAPrometheusThatCompacts() throws Exception {
    Path data = tmp.resolve("data");
    Path bucket = tmp.resolve("bucket.yml");
    Files.writeString(bucket, "type: FILESYSTEM\nconfig:\n  directory: " + tmp.resolve("bucket") + "\n");
    try (PrometheusServer prometheus = PrometheusServer.start(tmp, data,
        port -> "global:\n  external_labels:\n    replica: a\n", 0,
        List.of("--storage.tsdb.min-block-duration=2h", "--storage.tsdb.max-block-duration=1d"))) {
      Exit exit = runSidecar(prometheus, data, "--objstore.config-file=" + bucket);
      assertEquals(1, exit.code(), exit.output());
      assertTrue(exit.output().contains("compacts its blocks (--storage.tsdb.min-block-duration=2h,"
          + " --storage.tsdb.max-block-duration=1d)"), exit.output());
      assertTrue(exit.output().contains("Start Prometheus with --storage.tsdb.min-block-duration=2h"
          + " --storage.tsdb.max-block-duration=2h"), exit.output());
      assertTrue(Files.notExists(tmp.resolve("bucket")) || Files.list(tmp.resolve("bucket")).findAny().isEmpty());
    }
  }
}

package dev.strata.nomad;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A past for the local run's check: counters written as OpenMetrics text and turned into 2h
 * blocks by {@code promtool tsdb create-blocks-from openmetrics}, straight into Prometheus's data
 * directory before it starts, as an operator backfills. The sidecar ships them to the bucket like
 * any block Prometheus cut, so they are served by both Prometheus and the store gateway.
 */
final class Backfill {
  static final String METRIC = "strata_local_check_total";
  static final long STEP_MS = 15_000;

  private Backfill() {}

  /** Writes the blocks for [{@code fromMs}, {@code toMs}] into {@code dataDir}; {@code work} holds the text. */
  static void write(Path dataDir, Path work, long fromMs, long toMs) throws IOException, InterruptedException {
    Files.createDirectories(dataDir);
    Path text = work.resolve("backfill.om");
    try (Writer w = Files.newBufferedWriter(text)) {
      w.write("# HELP " + METRIC + " Requests counted in the backfilled past.\n");
      w.write("# TYPE " + METRIC + " counter\n");
      for (int instance = 0; instance < 3; instance++) {
        double value = 0;
        for (long t = fromMs; t <= toMs; t += STEP_MS) {
          // Increments varying with time and instance, so rates differ per series and per step.
          value += 1 + instance + (t / STEP_MS) % 7;
          w.write(METRIC + "{instance=\"backfill-" + instance + "\",job=\"backfill\"} " + (long) value
              + " " + (t / 1000) + "\n");
        }
      }
      w.write("# EOF\n");
    }
    Process p = new ProcessBuilder("promtool", "tsdb", "create-blocks-from", "openmetrics",
        text.toString(), dataDir.toString())
        .redirectErrorStream(true).redirectOutput(work.resolve("backfill.log").toFile()).start();
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IOException("promtool tsdb create-blocks-from openmetrics failed: "
          + Files.readString(work.resolve("backfill.log")));
    }
  }
}

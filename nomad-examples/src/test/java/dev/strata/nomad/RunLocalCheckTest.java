package dev.strata.nomad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tsdb.testing.Interop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run-local.sh --check} as a user runs it: the monitoring job's topology started from
 * monitoring.nomad (Prometheus 2.42, the sidecar, the store gateway, the compactor and the querier
 * as child processes, S3Proxy for the bucket), PromQL answers of the querier compared with
 * Prometheus's over the live head and the backfilled past in the bucket, every child stopped.
 * Needs the jars a {@code mvn verify} has built by this module's test phase.
 */
@Interop
class RunLocalCheckTest {
  private static final Pattern STARTED = Pattern.compile("^started (\\S+) \\(pid (\\d+)\\)", Pattern.MULTILINE);

  @Test
  void theTopologyFromTheJobFileAnswersAsPrometheusDoes(@TempDir Path work) throws Exception {
    Path root = NomadJobs.MODULE_DIR.getParent();
    Path output = work.resolve("run-local.out");
    Process p = new ProcessBuilder("bash", "nomad-examples/run-local.sh", "--no-build", "--check",
        "--work-dir=" + work.resolve("run"))
        .directory(root.toFile()).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    boolean finished = p.waitFor(8, TimeUnit.MINUTES);
    if (!finished) {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
      p.waitFor(30, TimeUnit.SECONDS);
    }
    String out = Files.readString(output);
    assertTrue(finished, "run-local.sh --check did not finish in 8 minutes:\n" + out);
    assertEquals(0, p.exitValue(), out);

    // Every task of the job ran, each check passed, and the summary says so.
    List<String> tasks = new ArrayList<>();
    List<Long> pids = new ArrayList<>();
    Matcher m = STARTED.matcher(out);
    while (m.find()) {
      tasks.add(m.group(1));
      pids.add(Long.parseLong(m.group(2)));
    }
    assertEquals(List.of("prometheus/prometheus", "prometheus/strata-sidecar", "strata-compactor/strata-compactor",
        "strata-query/strata-query", "strata-store/strata-store"), tasks.stream().sorted().toList(), out);
    assertFalse(out.contains("FAIL"), out);
    Matcher summary = Pattern.compile("^(\\d+) of (\\d+) checks passed$", Pattern.MULTILINE).matcher(out);
    assertTrue(summary.find(), out);
    assertEquals(summary.group(2), summary.group(1), out);
    assertTrue(Integer.parseInt(summary.group(1)) >= 10, out);
    assertTrue(out.contains("shipped: the sidecar uploaded the"), out);

    // No child outlives the script.
    for (long pid : pids) {
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " still runs");
    }
  }
}

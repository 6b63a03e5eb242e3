package dev.strata.tsdb.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.wal.WalFormat;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing JVM with SIGKILL at random moments, many times over, and checks after each
 * restart that every batch whose commit had returned is there, completely, and that no batch is
 * there in part.
 */
class HeadCrashTest {
  @TempDir Path dir;

  @Test
  void everyAcknowledgedCommitSurvivesKillNine() throws Exception {
    Random rnd = new Random(42);
    Path wal = dir.resolve("wal");
    long acknowledged = -1;
    for (int round = 0; round < 12; round++) {
      boolean compress = round % 3 == 2;
      AtomicLong lastAck = new AtomicLong(-1);
      Process child = start(wal, compress);
      Thread reader = new Thread(() -> readAcks(child, lastAck));
      reader.start();
      // Let it get going, then kill it without warning.
      long deadline = System.currentTimeMillis() + 10_000;
      while (lastAck.get() < acknowledged + 50 && System.currentTimeMillis() < deadline) {
        Thread.sleep(5);
      }
      Thread.sleep(rnd.nextInt(150));
      child.destroyForcibly(); // SIGKILL on Linux
      child.waitFor();
      reader.join();
      assertTrue(lastAck.get() > acknowledged, "round " + round + ": the writer made progress");
      acknowledged = lastAck.get();
      acknowledged = Math.max(acknowledged, verify(wal, acknowledged, compress));
    }
  }

  /** Checks the log and returns the last batch present. */
  private static long verify(Path wal, long acknowledged, boolean compress) throws Exception {
    HeadOptions options = new HeadOptions(7_200_000L, true, 4 * WalFormat.PAGE_SIZE, compress, false);
    try (Head head = Head.open(wal, options, Long.MIN_VALUE);
        HeadReader r = head.reader(Long.MIN_VALUE, Long.MAX_VALUE)) {
      long[] refs = r.postings(LabelMatcher.equal("__name__", "crash"));
      assertEquals(CrashWriterMain.SERIES, refs.length);
      Map<Long, Integer> seriesPerBatch = new HashMap<>();
      long maxBatch = -1;
      for (long ref : refs) {
        List<String> samples = HeadTest.read(r, ref, null);
        long expected = 0;
        for (String s : samples) {
          long t = Long.parseLong(s.substring(0, s.indexOf('=')));
          assertEquals(expected * 1000, t, "no gaps in series " + r.labels(ref));
          seriesPerBatch.merge(expected, 1, Integer::sum);
          expected++;
        }
        assertTrue(expected - 1 >= acknowledged,
            "series " + r.labels(ref) + " ends at batch " + (expected - 1) + " but batch " + acknowledged + " was acknowledged");
        maxBatch = Math.max(maxBatch, expected - 1);
      }
      for (Map.Entry<Long, Integer> e : seriesPerBatch.entrySet()) {
        assertEquals(CrashWriterMain.SERIES, e.getValue(), "batch " + e.getKey() + " is complete or absent");
      }
      return maxBatch;
    }
  }

  private static Process start(Path wal, boolean compress) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-") || arg.startsWith("-Xmx")) {
        cmd.add(arg);
      }
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(CrashWriterMain.class.getName());
    cmd.add(wal.toString());
    if (compress) {
      cmd.add("compress");
    }
    return new ProcessBuilder(cmd).redirectErrorStream(false).start();
  }

  private static void readAcks(Process child, AtomicLong lastAck) {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (!line.startsWith("start")) {
          lastAck.set(Long.parseLong(line.trim()));
        }
      }
    } catch (Exception e) {
      // the child was killed mid-line
    }
  }
}

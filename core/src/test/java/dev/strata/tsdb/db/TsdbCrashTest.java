package dev.strata.tsdb.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tsdb.Tsdb;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.storage.Querier;
import dev.strata.tsdb.storage.SampleIterator;
import dev.strata.tsdb.storage.SeriesSet;
import dev.strata.tsdb.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing JVM with SIGKILL at random moments, many times over (while it appends, cuts
 * blocks and merges them), and checks after each restart that every batch whose commit had
 * returned is there, completely, exactly once, and that no batch is there in part.
 */
class TsdbCrashTest {
  @TempDir Path dir;

  @Test
  void everyAcknowledgedCommitSurvivesKillNine() throws Exception {
    Random rnd = new Random(42);
    Path wal = dir.resolve("db");
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

  /** Checks the database and returns the last batch present. */
  private static long verify(Path path, long acknowledged, boolean compress) throws Exception {
    try (Tsdb db = Tsdb.open(path, CrashWriterMain.options(compress));
        Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set = q.select(LabelMatcher.equal("__name__", "crash"));
      Map<Long, Integer> seriesPerBatch = new HashMap<>();
      long maxBatch = -1;
      int series = 0;
      while (set.next()) {
        series++;
        SampleIterator it = set.at().samples();
        long expected = 0;
        while (it.next()) {
          assertEquals(expected * CrashWriterMain.STEP_MS, it.t(), "no gaps or repeats in " + set.at().labels());
          assertEquals((double) expected, it.v());
          seriesPerBatch.merge(expected, 1, Integer::sum);
          expected++;
        }
        assertTrue(expected - 1 >= acknowledged,
            set.at().labels() + " ends at batch " + (expected - 1) + " but batch " + acknowledged + " was acknowledged");
        maxBatch = Math.max(maxBatch, expected - 1);
      }
      assertEquals(CrashWriterMain.SERIES, series);
      for (Map.Entry<Long, Integer> e : seriesPerBatch.entrySet()) {
        assertEquals(CrashWriterMain.SERIES, e.getValue(), "batch " + e.getKey() + " is complete or absent");
      }
      return maxBatch;
    }
  }

  private static Process start(Path wal, boolean compress) throws Exception {
    Path tmp = wal.resolveSibling("child-tmp");
    List<String> cmd = compress
        ? ChildJvm.command(tmp, CrashWriterMain.class, wal.toString(), "compress")
        : ChildJvm.command(tmp, CrashWriterMain.class, wal.toString());
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

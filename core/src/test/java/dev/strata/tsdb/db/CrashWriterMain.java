package dev.strata.tsdb.db;

import dev.strata.tsdb.Tsdb;
import dev.strata.tsdb.TsdbOptions;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.Appender;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Child process of {@link TsdbCrashTest}: appends batches as fast as it can to a database whose
 * blocks are 2 s long (so that compaction runs constantly) and prints the number of each batch
 * once its commit has returned, until it is killed.
 */
public final class CrashWriterMain {
  static final int SERIES = 200;
  static final long STEP_MS = 50;

  private CrashWriterMain() {}

  static TsdbOptions options(boolean compress) {
    return TsdbOptions.builder()
        .blockRange(Duration.ofSeconds(2))
        .retentionTime(Duration.ZERO)
        .walSegmentSize(4 * 32 * 1024)
        .walCompression(compress)
        .build();
  }

  public static void main(String[] args) throws Exception {
    Tsdb db = Tsdb.open(Path.of(args[0]), options(args.length > 1));
    long[] refs = new long[SERIES];
    Appender app = db.appender();
    long maxTime = Math.max(db.stats().headMaxTime(),
        db.blocks().stream().mapToLong(b -> b.maxTime() - 1).max().orElse(Long.MIN_VALUE));
    long batch = maxTime < 0 ? 0 : maxTime / STEP_MS + 1;
    System.out.println("start " + batch);
    System.out.flush();
    for (; ; batch++) {
      for (int s = 0; s < SERIES; s++) {
        long t = batch * STEP_MS;
        if (refs[s] == 0) {
          refs[s] = app.append(Labels.of("__name__", "crash", "s", Integer.toString(s)), t, batch);
        } else {
          app.append(refs[s], t, batch);
        }
      }
      app.commit();
      System.out.println(batch);
      System.out.flush();
    }
  }
}

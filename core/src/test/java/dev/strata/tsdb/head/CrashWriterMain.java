package dev.strata.tsdb.head;

import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.Appender;
import dev.strata.tsdb.wal.WalFormat;
import java.nio.file.Path;

/**
 * Child process of {@link HeadCrashTest}: appends batches as fast as it can and prints the number
 * of each batch once its commit has returned, until it is killed.
 */
public final class CrashWriterMain {
  static final int SERIES = 200;

  private CrashWriterMain() {}

  public static void main(String[] args) throws Exception {
    Path wal = Path.of(args[0]);
    HeadOptions options = new HeadOptions(7_200_000L, true, 4 * WalFormat.PAGE_SIZE, args.length > 1, false);
    Head head = Head.open(wal, options, Long.MIN_VALUE);
    long[] refs = new long[SERIES];
    Appender app = head.appender();
    long batch = head.maxTime() == Long.MIN_VALUE ? 0 : head.maxTime() / 1000 + 1;
    System.out.println("start " + batch);
    System.out.flush();
    for (; ; batch++) {
      for (int s = 0; s < SERIES; s++) {
        long t = batch * 1000;
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

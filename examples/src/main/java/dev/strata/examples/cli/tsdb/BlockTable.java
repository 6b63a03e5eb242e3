package dev.strata.examples.cli.tsdb;

import dev.strata.tsdb.block.BlockMeta;
import java.io.PrintWriter;
import java.util.List;

/**
 * The table of blocks promtool prints for {@code tsdb list} and after each block {@code
 * create-blocks-from} writes: ULID, time range, duration, counts and size, aligned by Go's
 * tabwriter (minimum width 13, padding 2). Each call lays out its rows on their own, as promtool's
 * does, so a backfill that prints blocks one by one aligns each row alone.
 */
final class BlockTable {
  private static final String HEADER =
      "BLOCK ULID\tMIN TIME\tMAX TIME\tDURATION\tNUM SAMPLES\tNUM CHUNKS\tNUM SERIES\tSIZE\n";

  /** A block as the table shows it. */
  record Row(BlockMeta meta, long sizeBytes) {}

  private BlockTable() {}

  static void print(PrintWriter out, List<Row> rows, boolean header, boolean humanReadable) {
    GoTabWriter tw = new GoTabWriter(13, 2, ' ');
    if (header) {
      tw.print(HEADER);
    }
    for (Row row : rows) {
      BlockMeta m = row.meta();
      tw.print(m.ulid() + "\t"
          + time(m.minTime(), humanReadable) + "\t"
          + time(m.maxTime(), humanReadable) + "\t"
          + GoDuration.format((m.maxTime() - m.minTime()) * GoDuration.MILLISECOND) + "\t"
          + Long.toUnsignedString(m.stats().numSamples()) + "\t"
          + Long.toUnsignedString(m.stats().numChunks()) + "\t"
          + Long.toUnsignedString(m.stats().numSeries()) + "\t"
          + (humanReadable ? GoBytes.base2(row.sizeBytes()) : Long.toString(row.sizeBytes()))
          + "\n");
    }
    out.print(tw.flush());
    out.flush();
  }

  private static String time(long millis, boolean humanReadable) {
    return humanReadable ? GoTime.utcOfMillis(millis) : Long.toString(millis);
  }
}

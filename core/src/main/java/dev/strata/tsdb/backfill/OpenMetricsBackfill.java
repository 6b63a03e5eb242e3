package dev.strata.tsdb.backfill;

import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.BlockStats;
import dev.strata.tsdb.block.UlidGenerator;
import dev.strata.tsdb.compact.BlockWriter;
import dev.strata.tsdb.fileutil.FileTrees;
import dev.strata.tsdb.head.Head;
import dev.strata.tsdb.head.HeadOptions;
import dev.strata.tsdb.head.HeadReader;
import dev.strata.tsdb.storage.Appender;
import dev.strata.tsdb.storage.SampleRejectedException;
import dev.strata.tsdb.textparse.OpenMetricsInput;
import dev.strata.tsdb.textparse.OpenMetricsParser;
import dev.strata.tsdb.textparse.TimeRange;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Builds blocks from OpenMetrics text, producing the blocks {@code promtool tsdb
 * create-blocks-from openmetrics} (Prometheus 2.42) produces for the same input: the same block
 * boundaries, the same chunks and the same index bytes.
 *
 * <p>As promtool does, it checks the whole input first (syntax and timestamps, so that a bad line
 * writes nothing), aligns block starts down to a multiple of the block duration from the earliest
 * sample, and appends each block's samples in file order to a head whose chunk range is twice the
 * block duration, which fixes where chunks are cut. Unlike promtool, which re-reads the input once
 * per block, it reads it once more in all, appending every sample to the head of its block.
 *
 * <p>A sample older than an earlier one of its series in the same block, or at the timestamp of an
 * earlier one, is dropped, as promtool drops it: of samples sharing a timestamp the first in the
 * file is kept, whatever the values, and samples of other blocks never conflict. The drops are
 * counted in the {@link BackfillResult}, where promtool says nothing. promtool checks the samples
 * its appender has buffered (5000 at a time) only when it commits them, and fails the whole run on
 * an out-of-order sample or a duplicate timestamp with another value that comes after a commit;
 * here such a sample is dropped wherever it is, so where promtool succeeds the blocks are the same
 * and where it fails half-way a complete set of blocks is written.
 */
public final class OpenMetricsBackfill {
  /** promtool's default block duration. */
  public static final long DEFAULT_BLOCK_DURATION = 2 * 3_600_000L;

  private static final int SAMPLES_PER_COMMIT = 5000;

  private OpenMetricsBackfill() {}

  /**
   * The block duration promtool uses for a requested maximum: the default 2 h, or the largest of
   * the exponential ranges 2 h × 3^k (k < 10) not above the maximum.
   */
  public static long blockDuration(long maxBlockDuration) {
    long duration = DEFAULT_BLOCK_DURATION;
    if (maxBlockDuration > DEFAULT_BLOCK_DURATION) {
      long[] ranges = new long[10];
      ranges[0] = DEFAULT_BLOCK_DURATION;
      for (int i = 1; i < ranges.length; i++) {
        ranges[i] = ranges[i - 1] * 3;
      }
      int idx = ranges.length - 1;
      for (int i = 0; i < ranges.length; i++) {
        if (ranges[i] > maxBlockDuration) {
          idx = i - 1;
          break;
        }
      }
      duration = ranges[idx];
    }
    return duration;
  }

  /**
   * Writes the blocks for {@code input} into {@code outDir} (created if missing), calling {@code
   * onBlock} for each in time order; returns them with the samples dropped.
   *
   * @throws dev.strata.tsdb.textparse.OpenMetricsParseException if the input is invalid; nothing is
   *     written
   */
  public static BackfillResult createBlocks(
      OpenMetricsInput input, Path outDir, long maxBlockDuration, Consumer<BlockMeta> onBlock)
      throws IOException {
    TimeRange range = input.timeRange();
    long duration = blockDuration(maxBlockDuration);
    long alignedMin = duration * (range.minTime() / duration); // Go division truncates
    TreeMap<Long, Head> heads = new TreeMap<>();
    Map<Long, Appender> appenders = new TreeMap<>();
    Map<Long, int[]> pending = new TreeMap<>();
    // Input usually stays in one block for long runs of lines: remember the last one used.
    long lastStart = Long.MIN_VALUE;
    Appender lastApp = null;
    int[] lastPending = null;
    long appended = 0;
    long beforeFirstBlock = 0;
    long outOfOrder = 0;
    long duplicateTimestamp = 0;
    try {
      OpenMetricsParser p = input.parser();
      OpenMetricsParser.Entry e;
      while ((e = p.next()) != OpenMetricsParser.Entry.EOF) {
        if (e != OpenMetricsParser.Entry.SAMPLE) {
          continue;
        }
        long t = p.timestamp();
        if (t < alignedMin) {
          beforeFirstBlock++; // promtool never reaches these blocks
          continue;
        }
        long start = alignedMin + ((t - alignedMin) / duration) * duration;
        if (start != lastStart) {
          Head head = heads.get(start);
          if (head == null) {
            head = Head.inMemory(new HeadOptions(2 * duration, true, 1 << 20, false, false));
            heads.put(start, head);
            appenders.put(start, head.appender());
            pending.put(start, new int[1]);
          }
          lastStart = start;
          lastApp = appenders.get(start);
          lastPending = pending.get(start);
        }
        appended++;
        try {
          lastApp.append(p.labels(), t, p.value());
        } catch (SampleRejectedException ex) {
          // The head refuses the sample without taking it into the batch: dropping it is skipping it.
          switch (ex.reason()) {
            case OUT_OF_ORDER -> outOfOrder++;
            case DUPLICATE_TIMESTAMP -> duplicateTimestamp++;
            default -> throw new BackfillException(
                (input.description() == null ? "" : input.description() + ": ")
                    + "line " + p.line() + ": " + ex.getMessage(), ex);
          }
        }
        // Counted as promtool counts, refused samples included, so that commits fall alike.
        if (++lastPending[0] == SAMPLES_PER_COMMIT) {
          lastApp.commit();
          lastPending[0] = 0;
        }
      }
      for (Appender app : appenders.values()) {
        app.commit();
      }
      FileTrees.createDirectories(outDir);
      List<BlockMeta> written = new ArrayList<>();
      UlidGenerator ulids = UlidGenerator.system();
      for (Head head : heads.values()) {
        if (head.numSeries() == 0) {
          continue;
        }
        BlockMeta meta =
            BlockMeta.newBlock(ulids.next(), head.minTime(), head.maxTime() + 1, BlockStats.EMPTY);
        try (HeadReader r = head.reader(Long.MIN_VALUE, Long.MAX_VALUE)) {
          BlockWriter.write(outDir, meta, List.of(r)).ifPresent(m -> {
            written.add(m);
            onBlock.accept(m);
          });
        }
      }
      long stored = written.stream().mapToLong(m -> m.stats().numSamples()).sum();
      // An exact repeat is accepted by the head without being stored, and without a word.
      long exactDuplicate = appended - outOfOrder - duplicateTimestamp - stored;
      return new BackfillResult(written, new DroppedSamples(
          outOfOrder, duplicateTimestamp, exactDuplicate, beforeFirstBlock));
    } finally {
      for (Head head : heads.values()) {
        head.close();
      }
    }
  }

  /** A sample the backfill cannot store for a reason other than those it drops samples for. */
  public static final class BackfillException extends IOException {
    private static final long serialVersionUID = 1L;

    BackfillException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}

package dev.strata.examples.cli.tsdb;

import dev.strata.downsample.Aggregation;
import dev.strata.downsample.DownsampledBlockReader;
import dev.strata.downsample.Downsampler;
import dev.strata.downsample.Resolutions;
import dev.strata.tsdb.block.Block;
import dev.strata.tsdb.head.Head;
import dev.strata.tsdb.head.HeadReader;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.query.MergedSampleIterator;
import dev.strata.tsdb.query.SeriesChunks;
import dev.strata.tsdb.query.SeriesMerger;
import dev.strata.tsdb.storage.BlockReader;
import dev.strata.tsdb.storage.ChunkSeriesCursor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code strata tsdb dump}: every sample of the series matching a selector in a time range, from
 * the blocks of a data directory and its head replayed from the WAL, as promtool 2.42 prints them.
 *
 * <p>The series order follows promtool's querier exactly. Normally it merges several sources (the
 * blocks in range, the head, and an always-empty out-of-order head that is included when neither
 * time bound is given), which yields label order. When the head is the only source, promtool lists
 * its series unsorted, in the order they were created, and so does this.
 *
 * <p>A directory of blocks without {@code wal/}, such as a backfill's output, is dumped from its
 * blocks, with a line on stderr saying so, where promtool fails on the missing WAL.
 *
 * <p>Downsampled blocks (Thanos AggrChunks) hold five aggregates per window, not samples, so one
 * must be chosen with {@code --aggregate}; without it such a block is an error (promtool 2.42
 * silently prints nothing for them). Raw blocks and the head are dumped as they are either way.
 */
@Command(name = "dump", description = "Dump samples from a TSDB.")
final class DumpCommand implements Callable<Integer> {

  @Option(names = "--min-time", paramLabel = "<min time>",
      description = "Minimum timestamp to dump (default: the earliest).")
  long minTime = Long.MIN_VALUE;

  @Option(names = "--max-time", paramLabel = "<max time>",
      description = "Maximum timestamp to dump (default: the latest).")
  long maxTime = Long.MAX_VALUE;

  @Option(names = "--match", paramLabel = "<selector>",
      description = "Series selector (default: ${DEFAULT-VALUE}).",
      defaultValue = "{__name__=~'(?s:.*)'}")
  String match;

  @Option(names = "--aggregate", paramLabel = "<aggregate>",
      description = "For downsampled blocks, the aggregate to dump: count, sum, min, max, counter"
          + " or avg (sum / count, what a plain selector reads).")
  String aggregate;

  @Mixin DataDirParameter dataDir;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try (ReadOnlyDataDir db = dataDir.open(spec)) {
      // promtool reads the WAL before it parses the selector; keep its order of errors.
      Head head = db.maxBlockTime() <= maxTime ? headOrBlocksOnly(db) : null;
      LabelMatcher[] matchers;
      try {
        matchers = SeriesSelector.parse(match).toArray(new LabelMatcher[0]);
      } catch (IllegalArgumentException e) {
        throw new ToolFailure(e.getMessage(), e);
      }
      Aggregation aggregation = parseAggregate();
      List<Block> blocks = new ArrayList<>();
      for (Block b : db.blocks()) {
        if (b.minTime() <= maxTime && minTime < b.maxTime()) {
          ReadOnlyDataDir.verify(b);
          blocks.add(b);
        }
      }
      boolean withHead = head != null && maxTime >= head.minTime();
      boolean withOutOfOrderHead = minTime == Long.MIN_VALUE && maxTime == Long.MAX_VALUE;
      int sources = blocks.size() + (withHead ? 1 : 0) + (withOutOfOrderHead ? 1 : 0);
      if (matchers.length == 0 || sources == 0) {
        return 0; // promtool selects nothing without a matcher
      }
      List<BlockReader> readers = new ArrayList<>();
      try {
        List<ChunkSeriesCursor> cursors = new ArrayList<>();
        for (Block b : blocks) {
          BlockReader r = readerOf(b, aggregation);
          readers.add(r);
          cursors.add(r.select(minTime, maxTime, matchers));
        }
        if (withHead) {
          HeadReader r = head.reader(minTime, maxTime);
          readers.add(r);
          cursors.add(sources == 1
              ? r.selectInReferenceOrder(minTime, maxTime, matchers)
              : r.select(minTime, maxTime, matchers));
        }
        write(cursors);
      } finally {
        readers.forEach(BlockReader::close);
      }
    }
    return 0;
  }

  /**
   * The head, or null for a directory of blocks without {@code wal/} (what a backfill or a
   * downsampling writes), said in one line on stderr. promtool fails there; the blocks are worth
   * dumping. Without blocks either, the directory is no database, and promtool's error stands.
   */
  private Head headOrBlocksOnly(ReadOnlyDataDir db) throws java.io.IOException {
    if (db.hasWal() || db.blocks().isEmpty()) {
      return db.head();
    }
    spec.commandLine().getErr().println(
        "no WAL (" + db.walDir() + " does not exist): dumping the blocks only");
    return null;
  }

  private Aggregation parseAggregate() {
    if (aggregate == null) {
      return null;
    }
    try {
      return Aggregation.parse(aggregate);
    } catch (IllegalArgumentException e) {
      throw new ToolFailure("unknown aggregate \"" + aggregate
          + "\": use count, sum, min, max, counter or avg", e);
    }
  }

  private static BlockReader readerOf(Block block, Aggregation aggregation) {
    long resolution = Downsampler.resolutionOf(block.meta());
    if (resolution == Resolutions.RAW) {
      return block.reader();
    }
    if (aggregation == null) {
      throw new ToolFailure("block " + block.dir() + " is downsampled to "
          + Resolutions.format(resolution) + ": choose what to dump with"
          + " --aggregate=count|sum|min|max|counter|avg");
    }
    return DownsampledBlockReader.open(block, aggregation);
  }

  // Series by series: each merged across sources, samples deduplicated and without deletions.
  private void write(List<ChunkSeriesCursor> cursors) throws Exception {
    SampleLines lines = new SampleLines(spec.commandLine().getOut());
    SeriesMerger merger = new SeriesMerger(cursors);
    SeriesChunks chunks = new SeriesChunks();
    while (merger.next()) {
      chunks.collect(merger);
      MergedSampleIterator it = new MergedSampleIterator(chunks, minTime, maxTime);
      lines.series(merger.labels());
      while (it.next()) {
        lines.sample(it.t(), it.v());
      }
    }
    lines.flush();
  }
}

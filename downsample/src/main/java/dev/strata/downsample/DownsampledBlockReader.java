package dev.strata.downsample;

import dev.strata.tsdb.block.Block;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.storage.BlockReader;
import dev.strata.tsdb.storage.ChunkSeriesCursor;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A downsampled block seen as an ordinary block of XOR chunks holding one {@link Aggregation}: each
 * AggrChunk is replaced by the chosen aggregate's chunk (or, for {@link Aggregation#COUNTER} and
 * {@link Aggregation#AVERAGE}, by a chunk computed from it), so that {@link
 * dev.strata.tsdb.query.MergeQuerier}, dumps and anything else reading {@link BlockReader}s read
 * downsampled data as plain samples. XOR chunks found in the block are passed through, as Thanos
 * reads them as raw data whatever aggregate is asked for.
 *
 * <p>Which aggregation to use for a query follows from its PromQL function: {@link
 * Aggregation#forFunction}. Memory holds one series' chunks at a time.
 */
public final class DownsampledBlockReader implements BlockReader {
  private final BlockReader inner;
  private final Aggregation aggregation;
  private final String description;

  /**
   * Reads {@code inner} (a downsampled block's reader, which this one closes) as {@code
   * aggregation}; {@code description} names the block in error messages.
   */
  public DownsampledBlockReader(BlockReader inner, Aggregation aggregation, String description) {
    this.inner = Objects.requireNonNull(inner, "inner");
    this.aggregation = Objects.requireNonNull(aggregation, "aggregation");
    this.description = Objects.requireNonNull(description, "description");
  }

  /** Acquires {@code block} and reads it as {@code aggregation}; close to release. */
  public static DownsampledBlockReader open(Block block, Aggregation aggregation) {
    return new DownsampledBlockReader(block.reader(), aggregation, block.dir().toString());
  }

  /**
   * A reader of {@code block} for tools that take any block: the block's own reader for a raw
   * block, this reader as {@code aggregation} for a downsampled one. Close it to release the block.
   */
  public static BlockReader readerFor(Block block, Aggregation aggregation) {
    if (Downsampler.resolutionOf(block.meta()) == Resolutions.RAW) {
      return block.reader();
    }
    return open(block, aggregation);
  }

  public Aggregation aggregation() {
    return aggregation;
  }

  @Override
  public long minTime() {
    return inner.minTime();
  }

  @Override
  public long maxTime() {
    return inner.maxTime();
  }

  @Override
  public ChunkSeriesCursor select(long mint, long maxt, LabelMatcher... matchers) {
    return new AggregateCursor(inner.select(mint, maxt, matchers), aggregation, description);
  }

  @Override
  public void forEachSymbol(Consumer<String> consumer) {
    inner.forEachSymbol(consumer);
  }

  @Override
  public List<String> labelNames(LabelMatcher... matchers) {
    return inner.labelNames(matchers);
  }

  @Override
  public List<String> labelValues(String name, LabelMatcher... matchers) {
    return inner.labelValues(name, matchers);
  }

  @Override
  public void close() {
    inner.close();
  }
}

package dev.strata.downsample;

import dev.strata.promql.Queryable;
import dev.strata.promql.SelectHints;
import dev.strata.tsdb.block.Block;
import dev.strata.tsdb.query.MergeQuerier;
import dev.strata.tsdb.storage.BlockReader;
import dev.strata.tsdb.storage.Querier;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * What the PromQL engine reads from blocks at several resolutions: for each selector, the blocks
 * {@link ResolutionChoice} picks, a downsampled block read as the aggregate the function around
 * the selector needs ({@link Aggregation#forFunction}: {@code max_over_time} reads maxima, {@code
 * rate} the counter aggregate, a bare selector the window averages), merged with any other source
 * such as a head.
 */
public final class DownsampledQueryable implements Queryable {
  private final List<Block> blocks;
  private final List<Long> order;
  private final BiFunction<Long, Long, List<BlockReader>> others;

  /**
   * @param blocks raw and downsampled blocks; they stay the caller's
   * @param order resolutions by preference ({@link ResolutionChoice})
   * @param others readers of other sources for a range (the head), or an empty list
   */
  public DownsampledQueryable(List<Block> blocks, List<Long> order,
      BiFunction<Long, Long, List<BlockReader>> others) {
    this.blocks = List.copyOf(blocks);
    this.order = List.copyOf(order);
    this.others = others;
  }

  @Override
  public Querier querier(long mint, long maxt) {
    return querier(mint, maxt, null);
  }

  @Override
  public Querier querier(long mint, long maxt, SelectHints hints) {
    Aggregation aggregation = Aggregation.forFunction(hints == null ? null : hints.function());
    List<BlockReader> readers = new ArrayList<>();
    try {
      for (Block b : ResolutionChoice.select(blocks, mint, maxt, order)) {
        readers.add(DownsampledBlockReader.readerFor(b, aggregation));
      }
      readers.addAll(others.apply(mint, maxt));
    } catch (RuntimeException e) {
      readers.forEach(BlockReader::close);
      throw e;
    }
    return new MergeQuerier(readers, mint, maxt);
  }
}

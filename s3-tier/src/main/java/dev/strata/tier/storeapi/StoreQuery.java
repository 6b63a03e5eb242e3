package dev.strata.tier.storeapi;

import dev.strata.downsample.AggrType;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * What one {@code Series} request asks of a {@link StoreSource} besides its matchers.
 *
 * @param minTime start of the range, inclusive (milliseconds)
 * @param maxTime end of the range, inclusive
 * @param maxResolutionWindow the coarsest downsampling resolution the caller accepts, in
 *     milliseconds: 0 asks for raw data only; a store with 5-minute and 1-hour blocks answers with
 *     the coarsest of them that the window allows, and finer blocks where those leave gaps
 * @param aggregates the aggregates wanted from downsampled chunks; none stands for {@link
 *     #DEFAULT_AGGREGATES}, since a downsampled chunk sent with no aggregate carries no samples
 * @param skipChunks whether the caller wants label sets only
 */
public record StoreQuery(
    long minTime, long maxTime, long maxResolutionWindow, Set<AggrType> aggregates,
    boolean skipChunks) {

  /**
   * What a Thanos querier asks for when it knows nothing of the function around a selector: the
   * count and sum of each window, from which it computes averages.
   */
  public static final Set<AggrType> DEFAULT_AGGREGATES =
      Collections.unmodifiableSet(EnumSet.of(AggrType.COUNT, AggrType.SUM));

  public StoreQuery {
    // In AggrType order, as they are sent.
    aggregates = aggregates.isEmpty()
        ? DEFAULT_AGGREGATES : Collections.unmodifiableSet(EnumSet.copyOf(aggregates));
  }
}

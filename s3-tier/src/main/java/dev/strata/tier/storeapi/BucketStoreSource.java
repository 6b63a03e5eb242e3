package dev.strata.tier.storeapi;

import dev.strata.downsample.ResolutionChoice;
import dev.strata.downsample.Resolutions;
import dev.strata.tier.store.BucketBlock;
import dev.strata.tier.store.BucketStore;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.ThanosMeta;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.query.MergeQuerier;
import dev.strata.tsdb.storage.BlockReader;
import dev.strata.tsdb.storage.Querier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The blocks of a bucket served as {@code thanos store} serves them:
 *
 * <ul>
 *   <li>Blocks are grouped by the external labels in their meta.json ({@code thanos.labels}); each
 *       group is a {@linkplain #parts() part} whose series carry that group's labels, and the
 *       server advertises every group's label set.
 *   <li>A {@code Series} request reads, per group, the blocks that Thanos's {@code getFor} picks:
 *       those of the coarsest resolution the request's {@code max_resolution_window} allows that
 *       overlap its range, then finer ones in the gaps they leave ({@link ResolutionChoice}).
 *   <li>Each block is read on its own, so a block that cannot be read is named in the error, or in
 *       a warning under the {@code WARN} partial-response strategy.
 *   <li>Label calls read every block of a group that overlaps their range, whatever its
 *       resolution.
 * </ul>
 *
 * <p>Nothing is kept from one request to the next: the groups are formed from the blocks the
 * store's last {@link BucketStore#sync()} found, so a block uploaded or deleted in the meantime
 * shows, or stops showing, at the next request after a sync. Syncing is the caller's business.
 * Thread-safe.
 *
 * <pre>{@code
 * BucketStore store = BucketStore.open(bucket, BucketStoreOptions.builder(dataDir)
 *     .ignoreDeletionMarksDelay(Duration.ofHours(24)).build());
 * store.sync();
 * StoreApiServer server = StoreServer.start(address, new BucketStoreSource(store));
 * }</pre>
 */
public final class BucketStoreSource implements StoreSource {
  private final BucketStore store;

  public BucketStoreSource(BucketStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  @Override
  public ComponentType componentType() {
    return ComponentType.STORE;
  }

  /**
   * The labels every group has in common (name and value); each group's series carry its own,
   * see {@link #parts()}.
   */
  @Override
  public Labels externalLabels() {
    List<StoreSource> groups = parts();
    if (groups.isEmpty()) {
      return Labels.EMPTY;
    }
    Labels common = groups.get(0).externalLabels();
    for (StoreSource g : groups) {
      Labels.Builder b = common.toBuilder();
      common.forEach((name, value) -> {
        if (!g.externalLabels().get(name).equals(value)) {
          b.remove(name);
        }
      });
      common = b.build();
    }
    return common;
  }

  /** The start of the earliest block; {@link Long#MAX_VALUE} when there is none. */
  @Override
  public long minTime() {
    return minTime(store.blocks());
  }

  /**
   * The end of the latest block as its meta.json has it (one past its last sample), as Thanos
   * advertises it; {@link Long#MIN_VALUE} when there is none.
   */
  @Override
  public long maxTime() {
    return maxTime(store.blocks());
  }

  /** The raw blocks of every group overlapping the range, without their external labels. */
  @Override
  public Querier querier(long mint, long maxt) {
    return new MergeQuerier(
        store.readers(mint, maxt, m -> resolution(m) == Resolutions.RAW), mint, maxt);
  }

  /** The groups of blocks with equal external labels, ordered by their labels. */
  @Override
  public List<StoreSource> parts() {
    Map<Labels, List<BucketBlock>> groups = new TreeMap<>();
    for (BucketBlock b : store.blocks()) { // oldest first, so each group is too
      groups.computeIfAbsent(externalLabels(b.meta()), l -> new ArrayList<>()).add(b);
    }
    List<StoreSource> parts = new ArrayList<>(groups.size());
    groups.forEach((labels, blocks) -> parts.add(new BlockGroup(labels, List.copyOf(blocks))));
    return parts;
  }

  private static Labels externalLabels(BlockMeta meta) {
    return Labels.fromMap(meta.thanos().map(ThanosMeta::labels).orElse(Map.of()));
  }

  private static long resolution(BlockMeta meta) {
    return meta.thanos().map(ThanosMeta::downsampleResolution).orElse(Resolutions.RAW);
  }

  private static long minTime(List<BucketBlock> blocks) {
    long min = Long.MAX_VALUE;
    for (BucketBlock b : blocks) {
      min = Math.min(min, b.meta().minTime());
    }
    return min;
  }

  private static long maxTime(List<BucketBlock> blocks) {
    long max = Long.MIN_VALUE;
    for (BucketBlock b : blocks) {
      max = Math.max(max, b.meta().maxTime());
    }
    return max;
  }

  /** The blocks of one set of external labels, as synced when the request came. */
  private record BlockGroup(Labels externalLabels, List<BucketBlock> blocks)
      implements StoreSource {

    @Override
    public ComponentType componentType() {
      return ComponentType.STORE;
    }

    @Override
    public long minTime() {
      return BucketStoreSource.minTime(blocks);
    }

    @Override
    public long maxTime() {
      return BucketStoreSource.maxTime(blocks);
    }

    /** Every block overlapping the range, of any resolution: for the label calls. */
    @Override
    public Querier querier(long mint, long maxt) {
      List<BlockReader> readers = new ArrayList<>();
      try {
        for (BucketBlock b : blocks) {
          if (b.meta().minTime() <= maxt && b.meta().maxTime() > mint) {
            readers.add(b.reader());
          }
        }
      } catch (RuntimeException e) {
        readers.forEach(BlockReader::close);
        throw e;
      }
      return new MergeQuerier(readers, mint, maxt);
    }

    /** One querier per block Thanos's resolution rules pick for the request. */
    @Override
    public List<NamedQuerier> queriers(StoreQuery query) {
      List<BucketBlock> chosen = ResolutionChoice.select(blocks, BucketBlock::meta,
          query.minTime(), query.maxTime(),
          ResolutionChoice.coarsestFirst(query.maxResolutionWindow()));
      List<NamedQuerier> out = new ArrayList<>(chosen.size());
      for (BucketBlock b : chosen) {
        String name = "block " + b.ulid() + " (" + Resolutions.format(resolution(b.meta())) + ")";
        out.add(new NamedQuerier(name,
            () -> new MergeQuerier(List.of(b.reader()), query.minTime(), query.maxTime())));
      }
      return out;
    }
  }
}

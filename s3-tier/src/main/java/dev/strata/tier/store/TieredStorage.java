package dev.strata.tier.store;

import dev.strata.tier.block.BlockFilter;
import dev.strata.tier.block.Shipper;
import dev.strata.tier.objstore.Bucket;
import dev.strata.tsdb.Tsdb;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.Ulid;
import dev.strata.tsdb.query.MergeQuerier;
import dev.strata.tsdb.storage.BlockReader;
import dev.strata.tsdb.storage.Querier;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link Tsdb} with a bucket behind it: its blocks are shipped to the bucket ({@link #ship()},
 * or in the background with {@link #startShipping}), and {@link #querier} reads the database and
 * the bucket's raw blocks of the same external labels as one, so data the database no longer holds
 * (retention) is still answered from the bucket. Blocks present in both are read locally only.
 * Downsampled copies a compactor added to the bucket are left out: they hold the same span again,
 * as aggregates.
 *
 * <pre>{@code
 * try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults());
 *     // it ships, so a missing filesystem bucket directory may be created; a reader would use
 *     // openExisting(), for which a missing directory is an error
 *     Bucket bucket = BucketConfig.read(Path.of("objstore.yml"))
 *         .openOrCreate(created -> log.info("created bucket directory {}", created));
 *     TieredStorage tiered = TieredStorage.open(db, bucket, Map.of("cluster", "eu"),
 *         BucketStoreOptions.builder(dir.resolve("bucket-cache")).build())) {
 *   tiered.ship();
 *   try (Querier q = tiered.querier(mint, maxt)) { ... }
 * }
 * }</pre>
 *
 * The database and the bucket stay the caller's: closing this stops shipping and closes the
 * bucket store only.
 */
public final class TieredStorage implements AutoCloseable {
  private final Tsdb db;
  private final Shipper shipper;
  private final BucketStore store;

  private TieredStorage(Tsdb db, Shipper shipper, BucketStore store) {
    this.db = db;
    this.shipper = shipper;
    this.store = store;
  }

  /**
   * Ships {@code db}'s level-1 blocks with {@code externalLabels} and reads the bucket's blocks that
   * carry the same labels.
   */
  public static TieredStorage open(Tsdb db, Bucket bucket, Map<String, String> externalLabels,
      BucketStoreOptions options) throws IOException {
    return open(db, bucket, externalLabels, options, false);
  }

  /**
   * As {@link #open(Tsdb, Bucket, Map, BucketStoreOptions)}; with {@code uploadCompacted}, blocks
   * the database compacted itself are shipped too ({@link Shipper.Builder#uploadCompacted}), for a
   * database that compacts locally and has no compactor working on the bucket.
   */
  public static TieredStorage open(Tsdb db, Bucket bucket, Map<String, String> externalLabels,
      BucketStoreOptions options, boolean uploadCompacted) throws IOException {
    Shipper shipper = Shipper.builder(db.directory(), bucket).externalLabels(externalLabels)
        .uploadCompacted(uploadCompacted).build();
    BucketStore store = BucketStore.open(bucket, options,
        BlockFilter.externalLabels(externalLabels).and(BlockFilter.resolution(0)));
    store.sync();
    return new TieredStorage(db, shipper, store);
  }

  /** Ships new blocks now and refreshes the list of bucket blocks; returns the blocks shipped. */
  public int ship() throws IOException {
    int n = shipper.sync();
    store.sync();
    return n;
  }

  /** Ships every {@code interval} in the background. */
  public void startShipping(Duration interval) {
    shipper.start(interval);
  }

  public Shipper shipper() {
    return shipper;
  }

  public BucketStore store() {
    return store;
  }

  /**
   * A querier over {@code [mint, maxt]} (inclusive) of the database (head and local blocks) and of
   * the bucket blocks it does not hold itself. Close it.
   */
  public Querier querier(long mint, long maxt) {
    Set<Ulid> local = new HashSet<>();
    for (BlockMeta m : db.blocks()) {
      local.add(m.ulid());
      local.addAll(m.compaction().sources());
    }
    List<BlockReader> remote = store.readers(mint, maxt,
        m -> !local.contains(m.ulid()) && !local.containsAll(m.compaction().sources()));
    if (remote.isEmpty()) {
      return db.querier(mint, maxt);
    }
    Querier bucketPart = new MergeQuerier(remote, mint, maxt);
    Querier localPart;
    try {
      localPart = db.querier(mint, maxt);
    } catch (RuntimeException e) {
      bucketPart.close();
      throw e;
    }
    return new QuerierUnion(List.of(localPart, bucketPart), mint, maxt);
  }

  /** Stops shipping and closes the bucket store. */
  @Override
  public void close() {
    try {
      shipper.close();
    } finally {
      store.close();
    }
  }
}

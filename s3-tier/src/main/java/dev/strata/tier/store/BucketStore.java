package dev.strata.tier.store;

import dev.strata.tier.block.BlockFilter;
import dev.strata.tier.block.MetaSync;
import dev.strata.tier.objstore.Bucket;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.Ulid;
import dev.strata.tsdb.query.MergeQuerier;
import dev.strata.tsdb.storage.BlockReader;
import dev.strata.tsdb.storage.Querier;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * The blocks of a bucket, ready to query: {@link #sync()} lists them (through {@link MetaSync},
 * with its meta.json cache under the local directory, leaving out blocks marked for deletion once
 * {@link BucketStoreOptions#ignoreDeletionMarksDelay()} has passed since the mark), and
 * {@link #querier} merges the ones overlapping a range into one result. Blocks are opened lazily,
 * so a store over a large bucket costs nothing until queried. Thread-safe.
 */
public final class BucketStore implements AutoCloseable {
  private final Bucket bucket;
  private final BucketStoreOptions options;
  private final MetaSync sync;
  private final ExecutorService pool;
  private final Map<Ulid, BucketBlock> blocks = new HashMap<>(); // guarded by this
  private boolean closed; // guarded by this

  private BucketStore(Bucket bucket, BucketStoreOptions options, BlockFilter filter) {
    this.bucket = bucket;
    this.options = options;
    this.sync = MetaSync.builder(bucket).cacheDir(options.localDir().resolve("meta"))
        .filter(BlockFilter.notDeleted(options.ignoreDeletionMarksDelay())).filter(filter).build();
    this.pool = Executors.newFixedThreadPool(options.fetchConcurrency(), r -> {
      Thread t = new Thread(r, "strata-bucket-fetch");
      t.setDaemon(true);
      return t;
    });
  }

  /** A store over every block of {@code bucket} not marked for deletion (or marked recently). */
  public static BucketStore open(Bucket bucket, BucketStoreOptions options) {
    return open(bucket, options, b -> true);
  }

  /** A store over the blocks of {@code bucket} that pass {@code filter} (external labels, say). */
  public static BucketStore open(Bucket bucket, BucketStoreOptions options, BlockFilter filter) {
    return new BucketStore(bucket, options, filter);
  }

  public Bucket bucket() {
    return bucket;
  }

  public BucketStoreOptions options() {
    return options;
  }

  /** Lists the bucket again: opens new blocks, closes vanished ones; returns them by time. */
  public List<BucketBlock> sync() throws IOException {
    MetaSync.Result r = sync.sync();
    List<BucketBlock> gone = new ArrayList<>();
    synchronized (this) {
      ensureOpen();
      for (var it = blocks.entrySet().iterator(); it.hasNext(); ) {
        var e = it.next();
        if (!r.blocks().containsKey(e.getKey())) {
          gone.add(e.getValue());
          it.remove();
        }
      }
      for (var b : r.blocks().values()) {
        blocks.computeIfAbsent(b.meta().ulid(), id -> new BucketBlock(bucket, b.meta(), options, pool));
      }
    }
    gone.forEach(BucketBlock::close);
    return blocks();
  }

  /** The blocks found by the last sync, oldest first. */
  public synchronized List<BucketBlock> blocks() {
    List<BucketBlock> out = new ArrayList<>(blocks.values());
    out.sort(Comparator.comparingLong((BucketBlock b) -> b.meta().minTime()).thenComparing(BucketBlock::ulid));
    return out;
  }

  /** Opens one block directly, bypassing the listing (it is not added to {@link #blocks()}). */
  public BucketBlock block(BlockMeta meta) {
    return new BucketBlock(bucket, meta, options, pool);
  }

  /** Readers of the synced blocks overlapping {@code [mint, maxt]} that {@code include} accepts. */
  public List<BlockReader> readers(long mint, long maxt, Predicate<BlockMeta> include) {
    List<BlockReader> out = new ArrayList<>();
    try {
      for (BucketBlock b : blocks()) {
        BlockMeta m = b.meta();
        if (m.minTime() <= maxt && m.maxTime() > mint && include.test(m)) {
          out.add(b.reader());
        }
      }
    } catch (RuntimeException e) {
      out.forEach(BlockReader::close);
      throw e;
    }
    return out;
  }

  /** A querier over the synced blocks overlapping {@code [mint, maxt]} (inclusive). Close it. */
  public Querier querier(long mint, long maxt) {
    return new MergeQuerier(readers(mint, maxt, m -> true), mint, maxt);
  }

  /** Bytes fetched from the bucket by all blocks so far. */
  public synchronized long bytesFetched() {
    return blocks.values().stream().mapToLong(BucketBlock::bytesFetched).sum();
  }

  public BucketCaches caches() {
    return options.caches();
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the bucket store is closed");
    }
  }

  /** Closes the blocks (the bucket is the caller's to close). */
  @Override
  public void close() {
    List<BucketBlock> all;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      all = new ArrayList<>(blocks.values());
      blocks.clear();
    }
    all.forEach(BucketBlock::close);
    pool.shutdownNow();
  }
}

package dev.strata.tier.store;

import dev.strata.tier.block.IndexStats;
import dev.strata.tier.objstore.Bucket;
import dev.strata.tier.objstore.ObjectNotFoundException;
import dev.strata.tsdb.block.BlockFiles;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.ThanosMeta;
import dev.strata.tsdb.block.Ulid;
import dev.strata.tsdb.chunks.ChunkSegmentFormat;
import dev.strata.tsdb.encoding.ByteArraySource;
import dev.strata.tsdb.index.IndexReader;
import dev.strata.tsdb.storage.BlockReader;
import dev.strata.tsdb.tombstones.TombstoneSet;
import dev.strata.tsdb.tombstones.TombstonesReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.LongAdder;

/**
 * A block queried straight from a bucket. Nothing is read when it is opened; the first query
 * builds the local index header ({@link IndexHeader}: symbols and postings offset table, fetched by
 * range, never the whole index) under the store's local directory, and from then on postings,
 * series and chunks are read by ranged GETs, batched, coalesced and fetched in parallel, through
 * the store's caches. {@link #reader()} gives a {@link BlockReader}, so bucket blocks and local
 * blocks merge in one {@code MergeQuerier}.
 *
 * <p>Thread-safe; readers are one per query. Closing waits for no one: readers opened before keep
 * working until closed, then the header file is unmapped.
 */
public final class BucketBlock implements AutoCloseable {
  /** Thanos's estimate of a series entry's size when the meta has no index stats. */
  static final long DEFAULT_SERIES_ESTIMATE = 64 << 10;
  /** Thanos's estimate of a chunk's size when the meta has no index stats. */
  static final long DEFAULT_CHUNK_ESTIMATE = 16_000;

  private final Bucket bucket;
  private final BlockMeta meta;
  private final BucketStoreOptions options;
  private final ExecutorService pool;
  private final Path dir;
  private final LongAdder bytesFetched = new LongAdder();
  private final LongAdder requests = new LongAdder();
  private final RangeFetcher fetcher;
  // Segments are numbered from 1 to 999999; a block has a few (512 MiB each).
  private static final int MAX_CACHED_CHUNK_KEYS = 1 << 16;
  private volatile String[] chunkKeys = new String[0];
  private State state; // guarded by this
  private int references; // guarded by this
  private boolean closing; // guarded by this

  /** What the first use sets up. */
  record State(IndexHeader header, BucketIndexSource source, IndexReader index,
      TombstoneSet tombstones, long[] segmentSizes, long seriesEstimate, long chunkEstimate) {}

  BucketBlock(Bucket bucket, BlockMeta meta, BucketStoreOptions options, ExecutorService pool) {
    this.bucket = bucket;
    this.meta = meta;
    this.options = options;
    this.pool = pool;
    this.dir = options.localDir().resolve(meta.ulid().toString());
    this.fetcher = new RangeFetcher(bucket, pool, options.gapBytes(), bytesFetched, requests);
  }

  public BlockMeta meta() {
    return meta;
  }

  public Ulid ulid() {
    return meta.ulid();
  }

  /** Bytes read from the bucket for this block so far (index header included). */
  public long bytesFetched() {
    return bytesFetched.sum();
  }

  /** Ranged reads made for this block so far. */
  public long requests() {
    return requests.sum();
  }

  /** Total size of the block's files in the bucket, from its meta.json (0 if not listed). */
  public long sizeBytes() {
    return meta.thanos().map(t -> t.files().stream().mapToLong(ThanosMeta.File::sizeBytes).sum())
        .orElse(0L);
  }

  /** Bytes of the local index header; 0 before the first query. */
  public synchronized long indexHeaderBytes() {
    return state == null ? 0 : state.header().fileBytes();
  }

  /** A reader for one query; close it. The first reader sets up the index header. */
  public BlockReader reader() {
    State s;
    synchronized (this) {
      if (closing) {
        throw new IllegalStateException("bucket block " + meta.ulid() + " is closed");
      }
      references++;
    }
    try {
      s = state();
    } catch (IOException e) {
      release();
      throw new UncheckedIOException("opening block " + meta.ulid() + " in " + bucket.name(), e);
    } catch (RuntimeException e) {
      release();
      throw e;
    }
    return new BucketBlockReader(this, s);
  }

  /** Builds the index header now rather than at the first query. */
  public void prepare() throws IOException {
    state();
  }

  private synchronized State state() throws IOException {
    if (state == null) {
      state = load();
    }
    return state;
  }

  private State load() throws IOException {
    Ulid id = meta.ulid();
    Optional<ThanosMeta> thanos = meta.thanos();
    String indexKey = id + "/" + BlockFiles.INDEX;
    long indexLength = listedSize(BlockFiles.INDEX).orElse(-1L);
    if (indexLength < 0) {
      indexLength = bucket.attributes(indexKey).size();
    }
    Files.createDirectories(dir);
    IndexHeader header = IndexHeader.openOrBuild(dir, bucket, indexKey, indexLength, fetcher);
    try {
      Optional<IndexStats> stats = thanos.flatMap(IndexStats::of);
      long seriesEstimate = stats.map(IndexStats::seriesMaxSize).filter(v -> v > 0)
          .orElse(DEFAULT_SERIES_ESTIMATE);
      long chunkEstimate = stats.map(IndexStats::chunkMaxSize).filter(v -> v > 0)
          .orElse(DEFAULT_CHUNK_ESTIMATE + 10);
      BucketIndexSource source = new BucketIndexSource(id, indexKey, header, options.caches(),
          fetcher, seriesEstimate);
      IndexReader index = IndexReader.open(source);
      TombstoneSet tombstones = tombstones();
      return new State(header, source, index, tombstones, segmentSizes(), seriesEstimate,
          chunkEstimate);
    } catch (IOException | RuntimeException e) {
      header.close();
      throw e;
    }
  }

  private Optional<Long> listedSize(String relPath) {
    return meta.thanos().flatMap(t -> t.files().stream()
        .filter(f -> f.relPath().equals(relPath) && f.sizeBytes() > 0)
        .map(ThanosMeta.File::sizeBytes).findFirst());
  }

  private long[] segmentSizes() throws IOException {
    List<String> names = meta.thanos().map(ThanosMeta::segmentFiles).orElse(List.of());
    List<Long> sizes = new ArrayList<>();
    if (!names.isEmpty()) {
      for (String n : names) {
        String rel = BlockFiles.CHUNKS + "/" + n;
        Optional<Long> listed = listedSize(rel);
        sizes.add(listed.isPresent() ? listed.get() : bucket.attributes(meta.ulid() + "/" + rel).size());
      }
    } else {
      for (long seq = 1; ; seq++) {
        var a = bucket.attributesIfExists(meta.ulid() + "/" + BlockFiles.CHUNKS + "/"
            + ChunkSegmentFormat.fileName(seq));
        if (a.isEmpty()) {
          break;
        }
        sizes.add(a.get().size());
      }
    }
    return sizes.stream().mapToLong(Long::longValue).toArray();
  }

  private TombstoneSet tombstones() throws IOException {
    if (meta.stats().numTombstones() == 0) {
      return TombstoneSet.EMPTY;
    }
    String key = meta.ulid() + "/" + BlockFiles.TOMBSTONES;
    byte[] bytes;
    try {
      bytes = bucket.readAll(key);
    } catch (ObjectNotFoundException e) {
      return TombstoneSet.EMPTY;
    }
    fetcher.count(bytes.length);
    return TombstonesReader.decode(new ByteArraySource(bytes, bucket.name() + "/" + key));
  }

  String indexKey() {
    return meta.ulid() + "/" + BlockFiles.INDEX;
  }

  /**
   * The object key of chunk segment {@code segmentIndex} (from 0). Built once per segment: a
   * reader asks for it for every chunk it locates (for its error messages), and building it each
   * time was a quarter of a warm query's allocations.
   */
  String chunkKey(int segmentIndex) {
    String[] keys = chunkKeys;
    if (segmentIndex < keys.length && keys[segmentIndex] != null) {
      return keys[segmentIndex];
    }
    String key =
        meta.ulid() + "/" + BlockFiles.CHUNKS + "/" + ChunkSegmentFormat.fileName(segmentIndex + 1L);
    if (segmentIndex < MAX_CACHED_CHUNK_KEYS) {
      String[] grown = Arrays.copyOf(keys, Math.max(keys.length, segmentIndex + 1));
      grown[segmentIndex] = key;
      chunkKeys = grown; // a racing reader may build a key twice; both are equal
    }
    return key;
  }

  Bucket bucket() {
    return bucket;
  }

  BucketStoreOptions options() {
    return options;
  }

  RangeFetcher fetcher() {
    return fetcher;
  }

  ExecutorService pool() {
    return pool;
  }

  void release() {
    boolean closeNow;
    synchronized (this) {
      references--;
      closeNow = closing && references == 0;
    }
    if (closeNow) {
      closeState();
    }
  }

  @Override
  public void close() {
    boolean closeNow;
    synchronized (this) {
      if (closing) {
        return;
      }
      closing = true;
      closeNow = references == 0;
    }
    if (closeNow) {
      closeState();
    }
  }

  private synchronized void closeState() {
    if (state != null) {
      state.header().close();
      state = null;
    }
  }

  @Override
  public String toString() {
    return "BucketBlock[" + meta.ulid() + " " + meta.minTime() + ".." + meta.maxTime() + " in "
        + bucket.name() + "]";
  }
}

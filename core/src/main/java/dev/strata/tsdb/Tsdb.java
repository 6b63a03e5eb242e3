package dev.strata.tsdb;

import dev.strata.tsdb.block.Block;
import dev.strata.tsdb.block.BlockDirectories;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.BlockStats;
import dev.strata.tsdb.block.Ulid;
import dev.strata.tsdb.block.UlidGenerator;
import dev.strata.tsdb.compact.BlockWriter;
import dev.strata.tsdb.compact.CompactionPlanner;
import dev.strata.tsdb.compact.Retention;
import dev.strata.tsdb.fileutil.FileTrees;
import dev.strata.tsdb.head.Head;
import dev.strata.tsdb.head.HeadOptions;
import dev.strata.tsdb.head.HeadReader;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.query.MergeQuerier;
import dev.strata.tsdb.storage.Appender;
import dev.strata.tsdb.storage.BlockReader;
import dev.strata.tsdb.storage.Querier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded time-series database in a directory laid out as Prometheus's: {@code wal/} for the
 * write-ahead log and one {@code <ULID>/} directory per block, readable by {@code promtool}.
 *
 * <pre>{@code
 * try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults())) {
 *   Appender app = db.appender();
 *   long ref = app.append(Labels.of("__name__", "up", "job", "api"), now, 1);
 *   app.commit();
 *   try (Querier q = db.querier(now - 3_600_000, now)) {
 *     SeriesSet set = q.select(LabelMatcher.equal("__name__", "up"));
 *     ...
 *   }
 * }
 * }</pre>
 *
 * <p>Recent samples live in the head; a background task cuts the head into blocks once it spans
 * one and a half block ranges, merges blocks into larger ones, and applies retention. Queries see a
 * consistent snapshot of head and blocks; blocks in use by a query are deleted only after it is
 * closed. Thread-safe.
 */
public final class Tsdb implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Tsdb.class);
  private static final String LOCK_FILE = "lock";

  private final Path dir;
  private final TsdbOptions options;
  private final Head head;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final UlidGenerator ulids = UlidGenerator.system();
  private final CompactionPlanner planner;
  private final ScheduledExecutorService background;
  private final Object compactionLock = new Object();

  private volatile List<Block> blocks; // sorted by min time; replaced, never mutated
  private volatile boolean closed;

  private Tsdb(Path dir, TsdbOptions options, FileChannel lockChannel, FileLock lock, List<Block> blocks, Head head) {
    this.dir = dir;
    this.options = options;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.blocks = blocks;
    this.head = head;
    long range = options.blockRange().toMillis();
    this.planner = new CompactionPlanner(CompactionPlanner.exponentialRanges(
        range, 10, 3, options.maxBlockRange().toMillis()));
    this.background = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "strata-compactor-" + dir.getFileName());
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Opens (or creates) the database in {@code dir}: takes the directory's lock, opens its blocks,
   * replays the write-ahead log into the head (repairing a torn tail), and starts background
   * compaction.
   *
   * @throws IOException if the directory is in use by another process, or cannot be read
   */
  public static Tsdb open(Path dir, TsdbOptions options) throws IOException {
    FileTrees.createDirectories(dir);
    FileChannel lockChannel = FileChannel.open(
        dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      lockChannel.close();
      throw new IOException("the database directory " + dir + " is in use by another process");
    }
    List<Block> blocks = new ArrayList<>();
    Head head = null;
    try {
      BlockDirectories.removeTemporary(dir);
      blocks = openBlocks(dir);
      long minValid = blocks.stream().mapToLong(Block::maxTime).max().orElse(Long.MIN_VALUE);
      HeadOptions headOptions = new HeadOptions(
          options.blockRange().toMillis(),
          options.outOfOrderPolicy() == TsdbOptions.OutOfOrderPolicy.REJECT,
          options.walSegmentSize(),
          options.walCompression(),
          options.walSyncPolicy() == TsdbOptions.WalSyncPolicy.EVERY_COMMIT);
      head = Head.open(dir.resolve("wal"), headOptions, minValid);
      Tsdb db = new Tsdb(dir, options, lockChannel, lock, List.copyOf(blocks), head);
      if (options.automaticCompaction()) {
        db.background.scheduleWithFixedDelay(db::backgroundCompaction, 0, 1, TimeUnit.MINUTES);
      }
      return db;
    } catch (IOException | RuntimeException e) {
      for (Block b : blocks) {
        b.close();
      }
      if (head != null) {
        head.close();
      }
      lock.release();
      lockChannel.close();
      throw e;
    }
  }

  // Opens every block; blocks that a complete compaction already replaced are deleted.
  private static List<Block> openBlocks(Path dir) throws IOException {
    List<Block> opened = new ArrayList<>();
    for (BlockDirectories.BlockDirectory d : BlockDirectories.list(dir)) {
      opened.add(Block.open(d.path()));
    }
    Set<Ulid> replaced = new HashSet<>();
    for (Block b : opened) {
      b.meta().compaction().parents().forEach(p -> replaced.add(p.ulid()));
    }
    List<Block> live = new ArrayList<>();
    for (Block b : opened) {
      if (replaced.contains(b.ulid())) {
        LOG.info("deleting block {}: a compacted block replaces it", b.ulid());
        b.delete();
      } else {
        live.add(b);
      }
    }
    live.sort(Comparator.comparingLong(Block::minTime));
    return live;
  }

  /** The directory of the database. */
  public Path directory() {
    return dir;
  }

  public TsdbOptions options() {
    return options;
  }

  /** A new appender; use one per thread. */
  public Appender appender() {
    ensureOpen();
    Appender app = head.appender();
    return new Appender() {
      @Override
      public long append(dev.strata.tsdb.labels.Labels labels, long t, double v) {
        return app.append(labels, t, v);
      }

      @Override
      public long append(long ref, long t, double v) {
        return app.append(ref, t, v);
      }

      @Override
      public void commit() {
        app.commit();
        if (options.automaticCompaction() && headNeedsCompaction()) {
          scheduleCompaction();
        }
      }

      @Override
      public void rollback() {
        app.rollback();
      }
    };
  }

  /** A querier over {@code [mint, maxt]} (both inclusive) on head and blocks. Close it. */
  public Querier querier(long mint, long maxt) {
    ensureOpen();
    List<BlockReader> readers = new ArrayList<>();
    try {
      for (Block b : blocks) {
        if (b.minTime() <= maxt && b.maxTime() > mint) {
          readers.add(b.reader());
        }
      }
      readers.add(head.reader(mint, maxt));
    } catch (RuntimeException e) {
      readers.forEach(BlockReader::close);
      throw e;
    }
    return new MergeQuerier(readers, mint, maxt);
  }

  /** The blocks, oldest first. */
  public List<BlockMeta> blocks() {
    return blocks.stream().map(Block::meta).toList();
  }

  // ---- deletion ----

  /**
   * Deletes the samples in {@code [mint, maxt]} of the series matching {@code matchers}, in blocks
   * (as tombstones) and in the head (as tombstones, logged to the WAL). Queries opened afterwards
   * no longer see them; compaction removes them for good.
   */
  public void delete(long mint, long maxt, LabelMatcher... matchers) throws IOException {
    ensureOpen();
    if (matchers.length == 0) {
      throw new IllegalArgumentException("delete needs at least one matcher");
    }
    synchronized (compactionLock) {
      for (Block b : blocks) {
        if (b.minTime() <= maxt && b.maxTime() > mint) {
          TombstoneDeletion.deleteInBlock(b, mint, maxt, matchers);
        }
      }
      head.delete(mint, maxt, matchers);
    }
  }

  // ---- compaction and retention ----

  private boolean headNeedsCompaction() {
    long min = head.minTime();
    long max = head.maxTime();
    return min != Long.MAX_VALUE && max - min > options.blockRange().toMillis() / 2 * 3;
  }

  private void scheduleCompaction() {
    if (!closed) {
      try {
        background.execute(this::backgroundCompaction);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // closing
      }
    }
  }

  private void backgroundCompaction() {
    try {
      compact();
    } catch (Exception e) {
      LOG.error("compaction of {} failed; it will be retried", dir, e);
    }
  }

  /**
   * Runs compaction now: cuts blocks out of the head while it spans more than one and a half block
   * ranges, merges blocks as the leveled planner says, and applies retention. Called by the
   * background task; callable directly (e.g. before a backup).
   */
  public void compact() throws IOException {
    synchronized (compactionLock) {
      if (closed) {
        return;
      }
      while (headNeedsCompaction()) {
        compactHead();
      }
      for (int guard = 0; guard < 100; guard++) {
        List<BlockMeta> plan = planner.plan(blocks());
        if (plan.isEmpty()) {
          break;
        }
        compactBlocks(plan);
      }
      applyRetention();
    }
  }

  private void compactHead() throws IOException {
    long range = options.blockRange().toMillis();
    long mint = head.minTime();
    long maxt = rangeEnd(mint, range);
    BlockMeta meta = BlockMeta.newBlock(ulids.next(), mint, maxt, BlockStats.EMPTY);
    head.closeBefore(maxt);
    Optional<BlockMeta> written;
    try (HeadReader r = head.reader(mint, maxt - 1)) {
      written = BlockWriter.write(dir, meta, List.of(r));
    }
    if (written.isPresent()) {
      addBlock(written.get().ulid());
    }
    head.truncateBefore(maxt);
    head.truncateWal(maxt);
  }

  private static long rangeEnd(long t, long range) {
    return (t / range) * range + range;
  }

  private void compactBlocks(List<BlockMeta> parents) throws IOException {
    List<Block> sources = new ArrayList<>();
    for (Block b : blocks) {
      if (parents.stream().anyMatch(p -> p.ulid().equals(b.ulid()))) {
        sources.add(b);
      }
    }
    BlockMeta meta = BlockMeta.compacted(ulids.next(), sources.stream().map(Block::meta).toList());
    List<BlockReader> readers = new ArrayList<>();
    try {
      for (Block b : sources) {
        readers.add(b.reader());
      }
      var written = BlockWriter.write(dir, meta, readers);
      if (written.isPresent()) {
        addBlock(written.get().ulid());
      }
    } finally {
      readers.forEach(BlockReader::close);
    }
    removeBlocks(sources);
  }

  private void applyRetention() throws IOException {
    List<BlockMeta> expired = Retention.expired(
        blocks(), options.retentionTime().toMillis(), options.retentionBytes(), head.walBytes(),
        m -> blocks.stream().filter(b -> b.ulid().equals(m.ulid())).mapToLong(Block::sizeBytes)
            .findFirst().orElse(0));
    if (expired.isEmpty()) {
      return;
    }
    List<Block> gone = new ArrayList<>();
    for (Block b : blocks) {
      if (expired.stream().anyMatch(m -> m.ulid().equals(b.ulid()))) {
        gone.add(b);
      }
    }
    LOG.info("retention deletes {} block(s) of {}", gone.size(), dir);
    removeBlocks(gone);
  }

  private void addBlock(Ulid ulid) throws IOException {
    Block b = Block.open(BlockDirectories.path(dir, ulid));
    List<Block> updated = new ArrayList<>(blocks);
    updated.add(b);
    updated.sort(Comparator.comparingLong(Block::minTime));
    blocks = List.copyOf(updated);
  }

  // Takes blocks out of the set; their directories go once no reader holds them.
  private void removeBlocks(List<Block> gone) {
    List<Block> updated = new ArrayList<>(blocks);
    updated.removeAll(gone);
    blocks = List.copyOf(updated);
    for (Block b : gone) {
      b.delete();
    }
  }

  // ---- state ----

  /** Current figures: series, chunks, memory, disk. */
  public TsdbStats stats() {
    ensureOpen();
    long walBytes;
    try {
      walBytes = head.walBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Block> current = blocks;
    return new TsdbStats(
        head.numSeries(),
        head.numChunks(),
        head.arena().reservedBytes(),
        head.arena().allocatedBytes(),
        head.estimatedHeapBytes(),
        walBytes,
        current.size(),
        current.stream().mapToLong(Block::sizeBytes).sum(),
        head.minTime(),
        head.maxTime(),
        head.droppedOutOfOrder());
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the database in " + dir + " is closed");
    }
  }

  /**
   * Stops background compaction, closes the WAL and the blocks (blocks still read by open queriers
   * close when those do), releases the off-heap memory and the directory lock.
   */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    synchronized (compactionLock) {
      closed = true;
    }
    background.shutdown();
    try {
      background.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      head.close();
    } finally {
      for (Block b : blocks) {
        b.close();
      }
      lock.release();
      lockChannel.close();
    }
  }
}

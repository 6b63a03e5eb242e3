package dev.strata.tsdb.head;

import dev.strata.tsdb.encoding.ByteSink;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.LabelValidation;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.memory.SlabArena;
import dev.strata.tsdb.record.SampleBatch;
import dev.strata.tsdb.record.WalRecords;
import dev.strata.tsdb.storage.Appender;
import dev.strata.tsdb.storage.SampleRejectedException;
import dev.strata.tsdb.tombstones.TombstoneSet;
import dev.strata.tsdb.wal.WalWriter;
import dev.strata.tsdb.fileutil.FileTrees;
import dev.strata.tsdb.wal.WalFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-memory part of the database: recent samples of every series, in XOR chunks held off-heap,
 * backed by the write-ahead log.
 *
 * <p>Commits are applied one at a time under a lock, in the order they are logged, which keeps
 * replay faithful and makes each commit atomic: a commit is checked completely before anything is
 * logged or applied. Readers do not take that lock; each one sees the head as of the last commit
 * completed when it opened (see {@link MemSeries} and {@link ReadRegistry}).
 */
public final class Head implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Head.class);
  final HeadOptions options;
  final SlabArena arena;
  final SeriesMap series = new SeriesMap();
  final MemPostings postings = new MemPostings();
  // Null for a head without a log; set once, after replay, before any appender exists.
  private WalWriter wal;
  private Path walDir;

  private final CommitSequencer commits = new CommitSequencer();
  final ReadRegistry readers = new ReadRegistry();
  private volatile long epoch; // bumped by each truncation
  private final List<long[]> deferredFrees = new ArrayList<>(); // [epoch, handles...]

  private final AtomicLong nextRef = new AtomicLong(1);
  // WAL references of series that replay found under another reference, mapped to that one. Filled
  // by replay before the head is shared, read-only afterwards; checkpoints keep both.
  final LongLongMap replayAliases = new LongLongMap();
  private final List<MemSeries> unloggedSeries = new ArrayList<>(); // guarded by itself
  private final ByteSink seriesRecord = new ByteSink(); // guarded by the commit lock

  private final AtomicLong minTime = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong maxTime = new AtomicLong(Long.MIN_VALUE);
  private volatile long minValidTime = Long.MIN_VALUE;
  private final AtomicLong droppedOutOfOrder = new AtomicLong();
  private volatile boolean closed;

  Head(HeadOptions options, SlabArena arena, WalWriter wal) {
    this.options = options;
    this.arena = arena;
    this.wal = wal;
  }

  /** A head without a write-ahead log: its data lives only in memory. */
  public static Head inMemory(HeadOptions options) {
    return new Head(options, new SlabArena(), null);
  }

  /**
   * Opens the head backed by the log in {@code walDir}, replaying it first (and repairing a
   * damaged tail). Samples older than {@code minValidTime} are in blocks already and are skipped.
   */
  public static Head open(Path walDir, HeadOptions options, long minValidTime) throws IOException {
    Head head = new Head(options, new SlabArena(), null);
    try {
      head.minValidTime = minValidTime;
      WalReplay.replay(head, walDir, true);
      head.walDir = walDir;
      head.wal = WalWriter.open(walDir, options.walSegmentSize(), options.walCompression());
      return head;
    } catch (IOException | RuntimeException e) {
      head.arena.close();
      throw e;
    }
  }

  /**
   * Rebuilds a head from the log in {@code walDir} without changing anything on disk: no repair of
   * a damaged tail (replay stops there, with a warning) and no new segment. For tools reading a
   * data directory that another process may own.
   */
  public static Head openReadOnly(Path walDir, HeadOptions options, long minValidTime)
      throws IOException {
    Head head = new Head(options, new SlabArena(), null);
    try {
      head.minValidTime = minValidTime;
      WalReplay.replay(head, walDir, false);
      return head;
    } catch (IOException | RuntimeException e) {
      head.arena.close();
      throw e;
    }
  }

  /** A new appender; use one per thread. */
  public Appender appender() {
    return new HeadAppender(this);
  }

  // ---- series ----

  MemSeries seriesByRef(long ref) {
    return series.get(ref);
  }

  /** The series with these labels, created (and queued for the log) if absent. */
  MemSeries getOrCreate(Labels labels) {
    MemSeries existing = series.get(labels);
    if (existing != null) {
      return existing;
    }
    LabelValidation.validate(labels);
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("a series needs at least one label");
    }
    boolean[] created = new boolean[1];
    MemSeries s = series.getOrCreate(labels, l -> new MemSeries(nextRef.getAndIncrement(), l), created);
    if (created[0]) {
      checkRef(s.ref);
      postings.add((int) s.ref, labels);
      synchronized (unloggedSeries) {
        unloggedSeries.add(s);
      }
    }
    return s;
  }

  // Whether a checkpoint must keep what the WAL logged under {@code ref}: the series is alive,
  // under this reference or, after a replay, under the one it was merged into.
  private boolean isLive(long ref) {
    if (series.get(ref) != null) {
      return true;
    }
    long alias = replayAliases.get(ref, -1);
    return alias >= 0 && series.get(alias) != null;
  }

  /** Creates a series with a given reference while replaying the log. */
  MemSeries createForReplay(long ref, Labels labels) {
    boolean[] created = new boolean[1];
    MemSeries s = series.getOrCreate(labels, l -> new MemSeries(ref, l), created);
    if (created[0]) {
      checkRef(ref);
      postings.add((int) ref, labels);
    }
    nextRef.accumulateAndGet(ref + 1, Math::max);
    return s;
  }

  private static void checkRef(long ref) {
    if (ref < 0 || ref > 0xFFFF_FFFFL) {
      throw new IllegalStateException(
          "series reference " + ref + " exceeds the head's 32-bit reference space");
    }
  }

  // ---- commits ----

  long minValidTime() {
    return minValidTime;
  }

  /**
   * The oldest timestamp an appender accepts: nothing before what is already in blocks, and, as in
   * Prometheus, nothing more than half a chunk range behind the newest sample, so that the range
   * the next head compaction writes stays closed to appends.
   */
  long appendableMinValidTime() {
    long max = maxTime.get();
    if (max == Long.MIN_VALUE) {
      return minValidTime;
    }
    return Math.max(minValidTime, max - options.chunkRange() / 2);
  }

  boolean rejectsOutOfOrder() {
    return options.rejectOutOfOrder();
  }

  void countDroppedOutOfOrder() {
    droppedOutOfOrder.incrementAndGet();
  }

  /** How many truncations have happened; appenders compare it across a batch. */
  long truncations() {
    return epoch;
  }

  /**
   * Logs and applies an appender's batch atomically: checks it completely and logs it in order
   * under the commit lock, then applies it to the series outside the lock, in parallel with other
   * commits (each series takes commits in the order they were logged). Readers see it once it and
   * every earlier commit are applied.
   *
   * @param series the series of each sample, as resolved when it was appended
   * @param firstOfSeries marks, per sample, whether it is the batch's first for its series: only
   *     those need checking against samples committed meanwhile, the rest follow them in order
   * @param scratch per-sample working space (decision, previous commit of the series)
   * @param truncationsAtStart {@link #truncations()} when the batch started; if a truncation
   *     happened since, series it removed are resolved again by their labels
   */
  void commit(
      SampleBatch batch, MemSeries[] series, boolean[] firstOfSeries, CommitScratch scratch,
      ByteSink samplesRecord, long truncationsAtStart) {
    int n = batch.size();
    scratch.ensure(n);
    long seq;
    boolean isolate;
    long low;
    ReentrantLock lock = commits.lock;
    lock.lock();
    try {
      ensureOpen();
      if (epoch != truncationsAtStart && resolveRemoved(batch, series)) {
        samplesRecord.clear();
        WalRecords.encodeSamples(samplesRecord, batch);
      }
      // Appends were checked against the window when they were made; a head compaction may have
      // closed part of it since (closeBefore), and its block would not hold these samples.
      long floor = minValidTime;
      for (int i = 0; i < n; i++) {
        if (batch.time(i) < floor) {
          throw SampleRejectedException.tooOld(series[i].labels, batch.time(i), floor);
        }
      }
      for (int i = 0; i < n; i++) {
        if (!firstOfSeries[i]) {
          continue;
        }
        MemSeries s = series[i];
        long t = batch.time(i);
        switch (s.check(t, batch.valueBits(i))) {
          case OUT_OF_ORDER -> {
            if (rejectsOutOfOrder()) {
              throw SampleRejectedException.outOfOrder(s.labels, t, s.loggedTime());
            }
          }
          case DUPLICATE_DIFFERENT_VALUE -> throw SampleRejectedException.duplicate(s.labels, t);
          default -> {}
        }
      }
      logUnloggedSeries();
      if (wal != null && n > 0) {
        wal.log(samplesRecord.array(), 0, samplesRecord.length());
      }
      for (int i = 0; i < n; i++) {
        scratch.decisions[i] = (byte) series[i].log(batch.time(i), batch.valueBits(i));
      }
      // Commits started with no reader open or opening need no bookkeeping for readers: a reader
      // opening waits for them.
      isolate = readers.openReaders() > 0 || commits.readersOpening();
      seq = commits.begin(isolate);
      low = isolate ? readers.lowWatermark(commits.completedSeq()) : 0;
      for (int i = 0; i < n; i++) {
        if (firstOfSeries[i]) {
          // A series can start twice in one batch when a truncation made two references resolve
          // to it; its second start follows the first in this very commit and waits for nothing.
          long previous = series[i].takeLoggedSeq(seq);
          scratch.previous[i] = previous == seq ? 0 : previous;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing the WAL failed; the batch was not committed", e);
    } finally {
      lock.unlock();
    }
    try {
      apply(batch, series, firstOfSeries, scratch, seq, isolate, low);
    } finally {
      commits.complete(seq, isolate);
    }
    if (wal != null && options.walSyncEveryCommit()) {
      try {
        wal.sync();
      } catch (IOException e) {
        throw new UncheckedIOException("syncing the WAL failed", e);
      }
    }
  }

  private void apply(
      SampleBatch batch, MemSeries[] series, boolean[] firstOfSeries, CommitScratch scratch,
      long seq, boolean isolate, long low) {
    long batchMin = Long.MAX_VALUE;
    long batchMax = Long.MIN_VALUE;
    long chunkRange = options.chunkRange();
    int n = batch.size();
    for (int i = 0; i < n; i++) {
      MemSeries s = series[i];
      if (firstOfSeries[i]) {
        s.awaitApplied(scratch.previous[i]);
      }
      int decision = scratch.decisions[i];
      if (decision != MemSeries.APPENDED) {
        if (decision == MemSeries.OUT_OF_ORDER) {
          droppedOutOfOrder.incrementAndGet();
        }
        continue;
      }
      long t = batch.time(i);
      if (isolate) {
        s.appendIsolated(seq, low, t, batch.valueBits(i), chunkRange, arena);
      } else {
        s.appendDirect(t, batch.valueBits(i), chunkRange, arena);
      }
      batchMin = Math.min(batchMin, t);
      batchMax = Math.max(batchMax, t);
    }
    for (int i = 0; i < n; i++) {
      if (firstOfSeries[i]) {
        series[i].markApplied(seq);
      }
    }
    if (batchMin <= batchMax) {
      extendTimeRange(batchMin, batchMax);
    }
  }

  // Replaces series that truncation removed by the series now holding their labels. Under the
  // commit lock. Returns whether any reference changed.
  private boolean resolveRemoved(SampleBatch batch, MemSeries[] series) {
    boolean changed = false;
    for (int i = 0; i < batch.size(); i++) {
      if (series[i].removed()) {
        MemSeries current = getOrCreate(series[i].labels);
        series[i] = current;
        batch.setRef(i, current.ref);
        changed = true;
      }
    }
    return changed;
  }

  // Series records go to the log before any samples that refer to them. Under the commit lock.
  private void logUnloggedSeries() throws IOException {
    MemSeries[] pending;
    synchronized (unloggedSeries) {
      if (unloggedSeries.isEmpty()) {
        return;
      }
      pending = unloggedSeries.toArray(new MemSeries[0]);
      unloggedSeries.clear();
    }
    if (wal == null) {
      return;
    }
    long[] refs = new long[pending.length];
    Labels[] labels = new Labels[pending.length];
    for (int i = 0; i < pending.length; i++) {
      refs[i] = pending[i].ref;
      labels[i] = pending[i].labels;
    }
    seriesRecord.clear();
    WalRecords.encodeSeries(seriesRecord, refs, labels, pending.length);
    wal.log(seriesRecord.array(), 0, seriesRecord.length());
  }

  // ---- reading ----

  /** Opens a reader of {@code [minTime, maxTime]} that sees the head as of the last commit. */
  public HeadReader reader(long minTime, long maxTime) {
    ensureOpen();
    // A reader waits for commits applied without reader bookkeeping (see commit); new commits
    // keep that bookkeeping meanwhile, so the wait is bounded by the commits already applying.
    long snapshot;
    long id;
    commits.lock.lock();
    try {
      commits.awaitIsolation();
      snapshot = commits.completedSeq();
      id = readers.open(snapshot, epoch, minTime, maxTime);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while opening a reader of the head", e);
    } finally {
      commits.lock.unlock();
    }
    return new HeadReader(this, id, snapshot, minTime, maxTime);
  }

  void closeReader(long id) {
    readers.close(id);
    freeDeferred();
  }

  // ---- truncation ----

  /**
   * Closes the time before {@code maxt} to commits: a commit holding an older sample is refused
   * whole from now on, and the commits that passed their checks before are applied when this
   * returns. Head compaction calls it before reading the range it writes to a block, so no
   * acknowledged sample can land in that range after the block's reader was opened (it would be
   * in neither the block nor, after truncation, the head).
   */
  public void closeBefore(long maxt) {
    lockQuiescent();
    try {
      minValidTime = Math.max(minValidTime, maxt);
    } finally {
      commits.lock.unlock();
    }
  }

  /**
   * Drops everything before {@code mint}: chunks that end before it, and series left empty. Samples
   * older than {@code mint} are refused from now on. First waits for readers of the dropped range to
   * close, as Prometheus does; freed chunk memory is reused once every reader opened before is
   * closed.
   *
   * @return the number of series removed
   */
  public int truncateBefore(long mint) {
    try {
      readers.awaitReadersOf(Long.MIN_VALUE, mint - 1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for readers of the head", e);
    }
    lockQuiescent();
    try {
      minValidTime = Math.max(minValidTime, mint);
      SlotList freed = new SlotList();
      List<MemSeries> removed = new ArrayList<>();
      long low = readers.lowWatermark(commits.completedSeq());
      series.forEach(s -> {
        if (s.truncateBefore(mint, freed)) {
          removed.add(s);
        } else {
          s.trimCommits(low);
        }
      });
      for (MemSeries s : removed) {
        series.remove(s);
        postings.remove((int) s.ref, s.labels);
      }
      dropTombstonesBefore(mint);
      long[] min = {Long.MAX_VALUE};
      series.forEach(x -> min[0] = Math.min(min[0], x.minTime()));
      minTime.set(min[0]);
      long e = ++epoch;
      if (freed.size() > 0) {
        long[] entry = new long[freed.size() + 1];
        entry[0] = e;
        for (int i = 0; i < freed.size(); i++) {
          entry[i + 1] = freed.get(i);
        }
        synchronized (deferredFrees) {
          deferredFrees.add(entry);
        }
      }
      return removed.size();
    } finally {
      commits.lock.unlock();
      freeDeferred();
    }
  }

  // Frees slots dropped in epochs that every open reader started after.
  private void freeDeferred() {
    long oldestOpen = readers.oldestEpoch(Long.MAX_VALUE);
    synchronized (deferredFrees) {
      while (!deferredFrees.isEmpty() && deferredFrees.get(0)[0] <= oldestOpen) {
        long[] entry = deferredFrees.remove(0);
        for (int i = 1; i < entry.length; i++) {
          arena.free(entry[i]);
        }
      }
    }
  }

  /**
   * Moves what the head no longer needs out of the log: the older two thirds of the completed
   * segments go into a checkpoint that keeps only live series and samples at or after {@code
   * mint}, as Prometheus does after compacting the head.
   */
  public void truncateWal(long mint) throws IOException {
    if (wal == null) {
      return;
    }
    List<Integer> segments = WalFormat.segmentIndexes(walDir);
    if (segments.isEmpty()) {
      return;
    }
    int first = segments.get(0);
    int last = wal.nextSegment() - 1; // never checkpoint the segment being written
    last = first + (last - first) * 2 / 3;
    if (last <= first) {
      return;
    }
    WalCheckpoint.create(
        walDir, last, this::isLive, mint, options.walCompression());
  }

  /** Bytes of the write-ahead log on disk, checkpoints included. */
  public long walBytes() throws IOException {
    return walDir == null ? 0 : FileTrees.size(walDir);
  }

  // ---- tombstones ----

  private volatile TombstoneSet tombstones = TombstoneSet.EMPTY;

  /** Marks samples of series {@code ref} in {@code [mint, maxt]} deleted (no WAL record). */
  synchronized void addTombstone(long ref, long mint, long maxt) {
    tombstones = tombstones.toBuilder().add(ref, mint, maxt).build();
  }

  /**
   * Deletes the samples in {@code [mint, maxt]} of the head's series matching {@code matchers}:
   * logs a tombstones record, then hides them from readers opened afterwards. Compaction drops
   * them for good.
   */
  public void delete(long mint, long maxt, LabelMatcher... matchers) throws IOException {
    lockQuiescent();
    try {
      ensureOpen();
      List<long[]> stones = new ArrayList<>();
      try (HeadReader r = reader(mint, maxt)) {
        for (long ref : r.postings(matchers)) {
          MemSeries s = series.get(ref);
          if (s == null) {
            continue;
          }
          long from = Math.max(mint, s.minTime());
          long to = Math.min(maxt, s.lastTime());
          if (from <= to) {
            stones.add(new long[] {ref, from, to});
          }
        }
      }
      if (stones.isEmpty()) {
        return;
      }
      if (wal != null) {
        long[] refs = new long[stones.size()];
        long[] mins = new long[stones.size()];
        long[] maxs = new long[stones.size()];
        for (int i = 0; i < refs.length; i++) {
          refs[i] = stones.get(i)[0];
          mins[i] = stones.get(i)[1];
          maxs[i] = stones.get(i)[2];
        }
        seriesRecord.clear();
        WalRecords.encodeTombstones(seriesRecord, refs, mins, maxs, refs.length);
        wal.log(seriesRecord.array(), 0, seriesRecord.length());
      }
      for (long[] st : stones) {
        addTombstone(st[0], st[1], st[2]);
      }
    } finally {
      commits.lock.unlock();
    }
  }

  /** Number of chunks in the head, completed and open. */
  public long numChunks() {
    long[] n = {0};
    series.forEach(s -> n[0] += s.chunkCount());
    return n[0];
  }

  /**
   * Estimated Java heap used per series bookkeeping: the series object, its label strings, its
   * chunk table, map and postings entries. An estimate from object layouts, not a measurement.
   */
  public long estimatedHeapBytes() {
    long[] bytes = {0};
    series.forEach(s -> bytes[0] += s.estimatedHeapBytes());
    return bytes[0];
  }

  private synchronized void dropTombstonesBefore(long mint) {
    TombstoneSet.Builder kept = TombstoneSet.builder();
    tombstones.forEach((ref, intervals) -> {
      if (series.get(ref) != null) {
        for (int i = 0; i < intervals.size(); i++) {
          if (intervals.maxTime(i) >= mint) {
            kept.add(ref, intervals.minTime(i), intervals.maxTime(i));
          }
        }
      }
    });
    tombstones = kept.build();
  }

  /** Deleted intervals of the head's series, as of now. */
  public TombstoneSet tombstones() {
    return tombstones;
  }

  void extendTimeRange(long min, long max) {
    minTime.accumulateAndGet(min, Math::min);
    maxTime.accumulateAndGet(max, Math::max);
  }

  // ---- state ----

  /** Earliest sample time in the head, or Long.MAX_VALUE when empty. */
  public long minTime() {
    return minTime.get();
  }

  /** Latest sample time in the head, or Long.MIN_VALUE when empty. */
  public long maxTime() {
    return maxTime.get();
  }

  /** Number of series in the head. */
  public int numSeries() {
    return series.size();
  }

  /** Samples dropped because they were out of order (when they are not refused). */
  public long droppedOutOfOrder() {
    return droppedOutOfOrder.get();
  }

  /** The arena holding chunk bytes. */
  public SlabArena arena() {
    return arena;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the head is closed");
    }
  }

  /**
   * Closes the log and releases all off-heap memory. Waits for open readers to be closed first
   * (their chunk memory is about to go), logging a warning while it waits.
   */
  @Override
  public void close() throws IOException {
    try {
      readers.awaitAllClosed(10_000, n -> LOG.warn(
          "closing the head waits for {} open reader(s); close queriers when done", n));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for readers of the head to close", e);
    }
    lockQuiescent();
    try {
      if (closed) {
        return;
      }
      closed = true;
      try {
        logUnloggedSeries();
      } finally {
        try {
          if (wal != null) {
            wal.close();
          }
        } finally {
          arena.close();
        }
      }
    } finally {
      commits.lock.unlock();
    }
  }

  // Takes the commit lock and waits until no commit is still applying: for work that changes
  // series outside a commit.
  private void lockQuiescent() {
    commits.lock.lock();
    try {
      commits.awaitQuiescent();
    } catch (InterruptedException e) {
      commits.lock.unlock();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for commits to finish", e);
    }
  }
}

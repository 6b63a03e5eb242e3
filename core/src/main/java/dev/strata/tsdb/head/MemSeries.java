package dev.strata.tsdb.head;

import dev.strata.tsdb.chunkenc.ArenaChunkBuffer;
import dev.strata.tsdb.chunkenc.XorChunkAppender;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.memory.SlabArena;
import java.util.Arrays;

/**
 * One series in the head: its labels, its completed chunks (off-heap, in the head's arena), the
 * open chunk being appended to, and what readers need to see a consistent snapshot.
 *
 * <p>Locking: mutations happen under the head's commit lock (one commit at a time) and under this
 * object's monitor; readers take the monitor only to copy what they need ({@link #snapshot}).
 * Completed chunks never change until the head is truncated, and truncation hands their slots to
 * the head to free once no reader that could see them is open. The open chunk is only ever copied
 * under the monitor, since appending may move it to a larger slot.
 *
 * <p>Samples are numbered from 0 since the series was created ({@link #samplesTotal}); a commit
 * records how many samples the series had before it, so a reader whose snapshot predates the
 * commit stops there.
 */
final class MemSeries {
  // Completed chunks, oldest first: slot handle, min time, max time, byte length << 32 | samples.
  private static final int STRIDE = 4;
  private static final long[] NO_CHUNKS = new long[0];

  final long ref;
  final Labels labels;

  private long[] chunks = NO_CHUNKS;
  private int completedChunks;

  private ArenaChunkBuffer headBuffer; // null until the first sample
  private XorChunkAppender appender;
  private long headMinTime;
  private long nextAt;

  private long lastTime = Long.MIN_VALUE;
  private long lastValueBits;
  private long samplesTotal; // samples ever appended, including truncated ones
  private long samplesTruncated; // samples in chunks dropped by truncation

  // (commit sequence, samplesTotal before that commit) pairs, oldest first; see visibleSamples.
  private long[] commits;
  private int commitCount;

  // Set (under the commit lock) when truncation removes the series; appenders holding samples for
  // it then resolve its labels to the series that replaces it.
  private volatile boolean removed;

  // What the log holds for this series: ahead of the applied state while commits are applied.
  // Written under the commit lock only; read there exactly, and elsewhere as an early hint.
  private long loggedTime = Long.MIN_VALUE;
  private long loggedValueBits;
  private boolean loggedAny;
  private long loggedSeq; // the last commit that logged samples of this series
  // The last commit applied to this series; commits apply to a series in the order they logged.
  private volatile long appliedSeq;

  MemSeries(long ref, Labels labels) {
    this.ref = ref;
    this.labels = labels;
  }

  /** Outcome of checking a sample against the series. */
  enum Check {
    OK,
    /** Same timestamp and same value bits as the last sample: accepted and ignored. */
    DUPLICATE,
    /** Same timestamp as the last sample with a different value. */
    DUPLICATE_DIFFERENT_VALUE,
    OUT_OF_ORDER
  }

  /** Time of the last committed sample; read without locking, as {@link #check}. */
  long lastTime() {
    return lastTime;
  }

  /**
   * Checks a sample against the last logged one. Reads without locking: exact under the head's
   * commit lock (every writer of the logged state holds it), a good early answer anywhere else
   * (the commit checks again).
   */
  Check check(long t, long valueBits) {
    if (!loggedAny || t > loggedTime) {
      return Check.OK;
    }
    if (t == loggedTime) {
      return valueBits == loggedValueBits ? Check.DUPLICATE : Check.DUPLICATE_DIFFERENT_VALUE;
    }
    return Check.OUT_OF_ORDER;
  }

  /**
   * Under the commit lock, for a sample that passed {@link #check}: records it as logged if it
   * will be appended, and says what the commit will do with it.
   */
  int log(long t, long valueBits) {
    Check c = check(t, valueBits);
    if (c == Check.DUPLICATE) {
      return DUPLICATE_SKIPPED;
    }
    if (c != Check.OK) {
      return OUT_OF_ORDER;
    }
    loggedTime = t;
    loggedValueBits = valueBits;
    loggedAny = true;
    return APPENDED;
  }

  /** Under the commit lock: makes {@code seq} the last commit logging samples here. */
  long takeLoggedSeq(long seq) {
    long previous = loggedSeq;
    loggedSeq = seq;
    return previous;
  }

  /** Waits until the commit logged before this one ({@code previous}) is applied here. */
  void awaitApplied(long previous) {
    while (appliedSeq < previous) {
      Thread.onSpinWait();
    }
  }

  void markApplied(long seq) {
    appliedSeq = seq;
  }

  /** Makes the logged state the applied one; after replay, which appends directly. */
  void syncLoggedState() {
    loggedTime = lastTime;
    loggedValueBits = lastValueBits;
    loggedAny = samplesTotal > 0;
  }

  /** Time of the last logged sample; read without locking, as {@link #check}. */
  long loggedTime() {
    return loggedTime;
  }

  boolean removed() {
    return removed;
  }

  // Against the applied state: used by replay, where logged and applied are the same.
  private Check checkApplied(long t, long valueBits) {
    if (samplesTotal == 0 || t > lastTime) {
      return Check.OK;
    }
    if (t == lastTime) {
      return valueBits == lastValueBits ? Check.DUPLICATE : Check.DUPLICATE_DIFFERENT_VALUE;
    }
    return Check.OUT_OF_ORDER;
  }

  static final int APPENDED = 0;
  static final int DUPLICATE_SKIPPED = 1;
  static final int OUT_OF_ORDER = 2;

  /**
   * Appends a sample the commit decided to append ({@link #log}) as part of commit {@code seq}
   * while readers may be open: records the commit for their snapshots, under the monitor they
   * take.
   */
  synchronized void appendIsolated(
      long seq, long lowWatermark, long t, long valueBits, long chunkRange, SlabArena arena) {
    beginCommit(seq, lowWatermark);
    append(t, valueBits, chunkRange, arena);
  }

  /**
   * Appends a sample the commit decided to append ({@link #log}), while no reader is open: no
   * monitor, no bookkeeping for readers. The commit's completion publishes it.
   */
  void appendDirect(long t, long valueBits, long chunkRange, SlabArena arena) {
    append(t, valueBits, chunkRange, arena);
  }

  /**
   * Replay: checks a sample against the applied state and appends it, with nobody else looking.
   * {@link #syncLoggedState} follows the whole replay.
   */
  int replay(long t, long valueBits, long chunkRange, SlabArena arena) {
    Check c = checkApplied(t, valueBits);
    if (c == Check.DUPLICATE) {
      return DUPLICATE_SKIPPED;
    }
    if (c != Check.OK) {
      return OUT_OF_ORDER;
    }
    append(t, valueBits, chunkRange, arena);
    return APPENDED;
  }

  /** Records that commit {@code seq} starts appending to this series. Call before appending. */
  synchronized void beginCommit(long seq, long lowWatermark) {
    trimCommits(lowWatermark);
    if (commitCount > 0 && commits[2 * (commitCount - 1)] == seq) {
      return;
    }
    if (commits == null) {
      commits = new long[4];
    } else if (2 * commitCount == commits.length) {
      commits = Arrays.copyOf(commits, commits.length * 2);
    }
    commits[2 * commitCount] = seq;
    commits[2 * commitCount + 1] = samplesTotal;
    commitCount++;
  }

  /**
   * Forgets commit bookkeeping at or below {@code lowWatermark}, which no open reader needs (every
   * reader's snapshot is at or above it), and gives back memory a long reader made the ring grow.
   */
  synchronized void trimCommits(long lowWatermark) {
    int keep = 0;
    while (keep < commitCount && commits[2 * keep] <= lowWatermark) {
      keep++;
    }
    if (keep > 0) {
      System.arraycopy(commits, 2 * keep, commits, 0, 2 * (commitCount - keep));
      commitCount -= keep;
    }
    if (commits != null && commits.length > 16 && 4 * commitCount < commits.length) {
      commits = Arrays.copyOf(commits, Math.max(4, 4 * commitCount));
    }
  }

  /**
   * Appends a sample that the commit decided to append, cutting chunks as Prometheus does.
   *
   * @return true if a chunk was completed
   */
  private boolean append(long t, long valueBits, long chunkRange, SlabArena arena) {
    boolean cut = false;
    if (headBuffer == null) {
      openChunk(t, chunkRange, arena);
    } else {
      int n = appender.numSamples();
      if (n == ChunkCutting.SAMPLES_PER_CHUNK / 4) {
        nextAt = ChunkCutting.predictedEnd(headMinTime, appender.maxTime(), nextAt);
      }
      if (t >= nextAt || n >= ChunkCutting.SAMPLES_PER_CHUNK * 2) {
        completeChunk();
        openChunk(t, chunkRange, arena);
        cut = true;
      }
    }
    appender.appendBits(t, valueBits);
    lastTime = t;
    lastValueBits = valueBits;
    samplesTotal++;
    return cut;
  }

  private void openChunk(long t, long chunkRange, SlabArena arena) {
    headBuffer = new ArenaChunkBuffer(arena, 128);
    appender = XorChunkAppender.create(headBuffer);
    headMinTime = t;
    nextAt = ChunkCutting.rangeEnd(t, chunkRange);
  }

  // Moves the open chunk into the completed list, in a slot trimmed to its size.
  private void completeChunk() {
    int length = appender.byteLength();
    headBuffer.trimTo(length);
    if (STRIDE * (completedChunks + 1) > chunks.length) {
      chunks = Arrays.copyOf(chunks, Math.max(STRIDE * 4, chunks.length * 2));
    }
    int at = STRIDE * completedChunks;
    chunks[at] = headBuffer.handle();
    chunks[at + 1] = headMinTime;
    chunks[at + 2] = appender.maxTime();
    chunks[at + 3] = ((long) length << 32) | appender.numSamples();
    completedChunks++;
    headBuffer = null;
    appender = null;
  }

  /**
   * Samples a reader whose snapshot is commit {@code snapshotSeq} may see: all of them, unless a
   * later commit has touched the series.
   */
  private long visibleSamples(long snapshotSeq) {
    for (int i = 0; i < commitCount; i++) {
      if (commits[2 * i] > snapshotSeq) {
        return commits[2 * i + 1];
      }
    }
    return samplesTotal;
  }

  /**
   * Copies what a reader of {@code [minTime, maxTime]} at commit {@code snapshotSeq} needs: the
   * completed chunks' slots and metadata, and a copy of the open chunk's bytes.
   */
  synchronized void snapshot(long minTime, long maxTime, long snapshotSeq, SeriesSnapshot out) {
    out.reset(this);
    long visible = visibleSamples(snapshotSeq);
    long first = samplesTruncated; // number of the first sample of the next chunk
    for (int i = 0; i < completedChunks && first < visible; i++) {
      int at = STRIDE * i;
      int count = (int) chunks[at + 3];
      int take = (int) Math.min(count, visible - first);
      long chunkMax = take == count ? chunks[at + 2] : Long.MAX_VALUE;
      if (chunks[at + 1] <= maxTime && chunkMax >= minTime) {
        out.addCompleted(
            chunks[at], (int) (chunks[at + 3] >>> 32), take, chunks[at + 1], chunks[at + 2]);
      }
      first += count;
    }
    if (headBuffer != null && first < visible) {
      int take = (int) Math.min(appender.numSamples(), visible - first);
      if (headMinTime <= maxTime && appender.maxTime() >= minTime) {
        out.addOpen(headBuffer, appender.byteLength(), take, headMinTime, appender.maxTime());
      }
    }
  }

  /**
   * Drops completed chunks that end before {@code minTime}, handing their slots to {@code freed}.
   *
   * @return true if the series holds no samples at or after {@code minTime} any more
   */
  synchronized boolean truncateBefore(long minTime, SlotList freed) {
    if (headBuffer != null && appender.maxTime() < minTime) {
      // Nothing since before minTime: the whole series goes, as in Prometheus.
      samplesTruncated = samplesTotal;
      release(freed);
      removed = true;
      return true;
    }
    int drop = 0;
    while (drop < completedChunks && chunks[STRIDE * drop + 2] < minTime) {
      freed.add(chunks[STRIDE * drop]);
      samplesTruncated += (int) chunks[STRIDE * drop + 3];
      drop++;
    }
    if (drop > 0) {
      System.arraycopy(chunks, STRIDE * drop, chunks, 0, STRIDE * (completedChunks - drop));
      completedChunks -= drop;
      if (chunks.length > 2 * STRIDE * Math.max(4, completedChunks)) {
        chunks = Arrays.copyOf(chunks, STRIDE * Math.max(4, completedChunks * 3 / 2));
      }
    }
    if (completedChunks == 0 && headBuffer == null) {
      removed = true;
      return true;
    }
    return false;
  }

  /** Frees every slot of a series that is being removed (after {@link #truncateBefore}). */
  synchronized void release(SlotList freed) {
    for (int i = 0; i < completedChunks; i++) {
      freed.add(chunks[STRIDE * i]);
    }
    completedChunks = 0;
    if (headBuffer != null) {
      // The open chunk is only ever copied under this monitor, so it can go at once.
      headBuffer.release();
      headBuffer = null;
      appender = null;
    }
  }

  /** Earliest sample time held, or Long.MAX_VALUE if none. */
  synchronized long minTime() {
    if (completedChunks > 0) {
      return chunks[1];
    }
    return headBuffer != null ? headMinTime : Long.MAX_VALUE;
  }

  /** Number of chunks held, completed and open. */
  synchronized int chunkCount() {
    return completedChunks + (headBuffer != null ? 1 : 0);
  }

  /**
   * Estimated heap bytes of this series' bookkeeping, from HotSpot's 64-bit layout with compressed
   * references: this object, the chunk table, the commit ring, the open chunk's buffer and
   * appender objects, the label set and its strings (counted in full even when shared), and its
   * entries in the series map and the postings bitmaps.
   */
  synchronized long estimatedHeapBytes() {
    long bytes = 112; // this object
    bytes += 16 + 8L * chunks.length;
    bytes += commits == null ? 0 : 16 + 8L * commits.length;
    bytes += headBuffer == null ? 0 : 24 + 80;
    bytes += 16 + 16 + 4L * 2 * labels.size();
    for (int i = 0; i < labels.size(); i++) {
      bytes += stringBytes(labels.name(i)) + stringBytes(labels.value(i));
    }
    bytes += 40 + 8; // hash map node and slot, reference page slot
    bytes += 4L * (labels.size() + 1); // postings bitmap entries (2-byte array containers, amortised)
    return bytes;
  }

  private static long stringBytes(String s) {
    return 24 + ((16 + s.length() + 7) & ~7); // String object + Latin-1 byte array, 8-byte aligned
  }

  /** Off-heap bytes used by this series' chunks (slot sizes). */
  synchronized long chunkBytes(SlabArena arena) {
    long bytes = 0;
    for (int i = 0; i < completedChunks; i++) {
      bytes += arena.slotBytes(chunks[STRIDE * i]);
    }
    if (headBuffer != null) {
      bytes += headBuffer.capacity();
    }
    return bytes;
  }
}

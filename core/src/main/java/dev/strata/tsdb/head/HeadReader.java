package dev.strata.tsdb.head;

import dev.strata.tsdb.chunkenc.ArenaChunkBuffer;
import dev.strata.tsdb.chunkenc.XorChunkIterator;
import dev.strata.tsdb.index.LabelPostings;
import dev.strata.tsdb.index.Postings;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.labels.Utf8Order;
import dev.strata.tsdb.memory.SlabArena;
import dev.strata.tsdb.storage.BlockReader;
import dev.strata.tsdb.storage.ChunkSeriesCursor;
import dev.strata.tsdb.tombstones.TombstoneSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * A consistent view of the head for one query or one compaction: it sees every commit completed
 * before it was opened and none after, and chunk memory it may read stays allocated until it is
 * closed. Not thread-safe; close it when done.
 */
public final class HeadReader implements BlockReader {
  private final Head head;
  private final long id;
  private final long snapshotSeq;
  private final long minTime;
  private final long maxTime;
  private final ArenaChunkBuffer view;
  private final TombstoneSet tombstones;
  private boolean closed;

  HeadReader(Head head, long id, long snapshotSeq, long minTime, long maxTime) {
    this.head = head;
    this.id = id;
    this.snapshotSeq = snapshotSeq;
    this.minTime = minTime;
    this.maxTime = maxTime;
    this.view = new ArenaChunkBuffer(head.arena, SlabArena.NO_HANDLE);
    this.tombstones = head.tombstones();
  }

  /** Start of the data this reader can return: the later of its range and the head's start. */
  @Override
  public long minTime() {
    return Math.max(minTime, head.minTime());
  }

  /** Exclusive end of the data this reader can return. */
  @Override
  public long maxTime() {
    long last = Math.min(maxTime, head.maxTime());
    return last == Long.MAX_VALUE ? Long.MAX_VALUE : last + 1;
  }

  @Override
  public ChunkSeriesCursor select(long mint, long maxt, LabelMatcher... matchers) {
    long[] refs = matchers.length == 0 ? allRefsInLabelOrder() : postings(matchers);
    return new HeadChunkSeriesCursor(
        this, refs, Math.max(mint, minTime), Math.min(maxt, maxTime), tombstones);
  }

  /**
   * Like {@link #select}, but with series in reference order (the order they were created, or
   * logged) rather than label order. Prometheus's head answers so when a query does not ask for
   * sorted series and the head is all it reads, which {@code promtool tsdb dump} shows; a tool
   * reproducing its output needs the same order.
   */
  public ChunkSeriesCursor selectInReferenceOrder(
      long mint, long maxt, LabelMatcher... matchers) {
    Postings matching =
        matchers.length == 0
            ? head.postings.all()
            : LabelPostings.forMatchers(head.postings, matchers);
    return new HeadChunkSeriesCursor(
        this, Postings.toArray(matching), Math.max(mint, minTime), Math.min(maxt, maxTime),
        tombstones);
  }

  private long[] allRefsInLabelOrder() {
    return sortedByLabels(head.postings.all());
  }

  /**
   * The head's label names and values, plus the empty string: Prometheus keeps the list of all
   * series under an empty name and value, and its head reports that key as symbols too, so blocks
   * cut from its head carry an empty symbol. Reproduced for identical index bytes.
   */
  @Override
  public void forEachSymbol(Consumer<String> consumer) {
    TreeSet<String> symbols = new TreeSet<>(Utf8Order.COMPARATOR);
    symbols.add("");
    for (String name : head.postings.labelNames()) {
      symbols.add(name);
      symbols.addAll(head.postings.labelValues(name));
    }
    symbols.forEach(consumer);
  }

  /**
   * References of the series matching all {@code matchers}, sorted by their labels (the order
   * blocks keep series in). Matchers follow Prometheus: a matcher that accepts the empty value also
   * selects series without the label.
   */
  public long[] postings(LabelMatcher... matchers) {
    return sortedByLabels(LabelPostings.forMatchers(head.postings, matchers));
  }

  private long[] sortedByLabels(Postings matching) {
    List<MemSeries> found = new ArrayList<>();
    while (matching.next()) {
      MemSeries s = head.series.get(matching.at());
      if (s != null) {
        found.add(s);
      }
    }
    found.sort(Comparator.comparing(s -> s.labels));
    long[] refs = new long[found.size()];
    for (int i = 0; i < refs.length; i++) {
      refs[i] = found.get(i).ref;
    }
    return refs;
  }

  /** Label names of series matching {@code matchers} (all series if none), sorted. */
  public List<String> labelNames(LabelMatcher... matchers) {
    if (matchers.length == 0) {
      return head.postings.labelNames();
    }
    TreeSet<String> names = new TreeSet<>(Utf8Order.COMPARATOR);
    for (long ref : postings(matchers)) {
      MemSeries s = head.series.get(ref);
      if (s != null) {
        for (int i = 0; i < s.labels.size(); i++) {
          names.add(s.labels.name(i));
        }
      }
    }
    return new ArrayList<>(names);
  }

  /** Values of {@code name} among series matching {@code matchers} (all series if none), sorted. */
  public List<String> labelValues(String name, LabelMatcher... matchers) {
    if (matchers.length == 0) {
      return head.postings.labelValues(name);
    }
    TreeSet<String> values = new TreeSet<>(Utf8Order.COMPARATOR);
    for (long ref : postings(matchers)) {
      MemSeries s = head.series.get(ref);
      if (s != null && s.labels.has(name)) {
        values.add(s.labels.get(name));
      }
    }
    return new ArrayList<>(values);
  }

  /**
   * Copies the chunks of series {@code ref} that overlap this reader's range into {@code out}.
   *
   * @return false if the series no longer exists
   */
  boolean series(long ref, SeriesSnapshot out) {
    return series(ref, minTime, maxTime, out);
  }

  boolean series(long ref, long mint, long maxt, SeriesSnapshot out) {
    MemSeries s = head.series.get(ref);
    if (s == null) {
      return false;
    }
    s.snapshot(mint, maxt, snapshotSeq, out);
    return true;
  }

  /** The labels of series {@code ref}, or null if it no longer exists. */
  public Labels labels(long ref) {
    MemSeries s = head.series.get(ref);
    return s == null ? null : s.labels;
  }

  /** Points {@code it} at chunk {@code i} of {@code snapshot}, limited to its visible samples. */
  void reset(XorChunkIterator it, SeriesSnapshot snapshot, int i) {
    long handle = snapshot.handle(i);
    if (handle < 0) {
      it.reset(snapshot.openChunk(), 0, snapshot.length(i), snapshot.visibleSamples(i));
    } else {
      it.reset(view.attach(handle), snapshot.length(i), snapshot.visibleSamples(i));
    }
  }

  /** Copies the bytes of chunk {@code i} of {@code snapshot} into {@code dst}. */
  void read(SeriesSnapshot snapshot, int i, byte[] dst) {
    long handle = snapshot.handle(i);
    if (handle < 0) {
      System.arraycopy(snapshot.openChunk(), 0, dst, 0, snapshot.length(i));
    } else {
      view.attach(handle).read(0, dst, 0, snapshot.length(i));
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      head.closeReader(id);
    }
  }

  @Override
  public String toString() {
    return "HeadReader[" + minTime + ", " + maxTime + "] at commit " + snapshotSeq;
  }
}

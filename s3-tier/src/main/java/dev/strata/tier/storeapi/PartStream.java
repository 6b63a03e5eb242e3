package dev.strata.tier.storeapi;

import dev.strata.tier.storeapi.proto.AggrChunk;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.Series;
import dev.strata.tsdb.storage.SeriesSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Function;

/**
 * The series of one part of a source (one external label set), read from its pieces (blocks, say)
 * at once and merged in their stored order, each series once with the chunks of every piece
 * holding it; then put in served order between safe points (see {@link ServedOrder}). Pull them
 * with {@link #next()}. A piece that fails while being read is dropped under {@code WARN} (what it
 * gave so far stays) or fails the call.
 */
final class PartStream {

  /** One piece being read: its series set, positioned on its current series. */
  static final class Cursor {
    final NamedQuerier piece;
    final SeriesSet set;
    Series current;

    Cursor(NamedQuerier piece, SeriesSet set) {
      this.piece = piece;
      this.set = set;
    }
  }

  /** A series as served, with its chunks in time order. */
  record Served(Labels labels, List<AggrChunk> chunks) {}

  private final PriorityQueue<Cursor> cursors =
      new PriorityQueue<>(Comparator.comparing((Cursor c) -> c.current.labels()));
  private final Function<Labels, Labels> serve;
  private final ServedOrder order;
  private final Function<Series, List<AggrChunk>> chunksOf;
  private final SeriesStreamer.Failures failures;
  private final List<Served> pending = new ArrayList<>(); // sorted, ready to go
  private int nextPending;
  private final List<Served> unsorted = new ArrayList<>(); // since the last safe point
  private final List<Labels> unsortedStored = new ArrayList<>(); // their stored labels

  PartStream(List<Cursor> opened, Function<Labels, Labels> serve, ServedOrder order,
      Function<Series, List<AggrChunk>> chunksOf, SeriesStreamer.Failures failures) {
    this.serve = serve;
    this.order = order;
    this.chunksOf = chunksOf;
    this.failures = failures;
    opened.forEach(this::advance);
  }

  /** Opens a piece's series set; null if it failed under {@code WARN}. */
  static Cursor open(NamedQuerier piece, dev.strata.tsdb.storage.Querier q,
      dev.strata.tsdb.labels.LabelMatcher[] matchers, SeriesStreamer.Failures failures) {
    try {
      return new Cursor(piece, q.select(matchers));
    } catch (RuntimeException e) {
      failures.failed(piece, e);
      return null;
    }
  }

  private void advance(Cursor c) {
    if (c == null) {
      return;
    }
    try {
      if (c.set.next()) {
        c.current = c.set.at();
        cursors.add(c);
      }
    } catch (RuntimeException e) {
      failures.failed(c.piece, e);
    }
  }

  /** The next series in served order, or null at the end. */
  Served next() {
    while (nextPending >= pending.size()) {
      pending.clear();
      nextPending = 0;
      if (!fill()) {
        return null;
      }
    }
    return pending.get(nextPending++);
  }

  // Reads stored series until a safe point (or the end) and sorts what was read; false at the end.
  private boolean fill() {
    while (true) {
      Served stored = nextStored();
      if (stored == null) {
        flush();
        return !pending.isEmpty();
      }
      Labels storedLabels = stored.labels();
      boolean safe = !unsorted.isEmpty() && safeBefore(storedLabels);
      Served served = new Served(serve.apply(storedLabels), stored.chunks());
      if (safe) {
        flush();
      }
      unsorted.add(served);
      unsortedStored.add(storedLabels);
      if (!pending.isEmpty()) {
        return true;
      }
    }
  }

  // Whether everything read since the last safe point sorts, as served, before whatever comes
  // from next on: each of them is separated from next by a safe point. Usually one to check.
  private boolean safeBefore(Labels next) {
    if (order.identity()) {
      return true;
    }
    for (Labels earlier : unsortedStored) {
      if (!order.safeBetween(earlier, next)) {
        return false;
      }
    }
    return true;
  }

  // Moves the series since the last safe point, sorted and each label set once, to pending.
  private void flush() {
    unsorted.sort(Comparator.comparing(Served::labels)); // stable: stored order among equals
    for (int i = 0; i < unsorted.size(); ) {
      int end = i + 1;
      while (end < unsorted.size() && unsorted.get(end).labels().equals(unsorted.get(i).labels())) {
        end++;
      }
      pending.add(end == i + 1 ? unsorted.get(i) : merged(unsorted.subList(i, end)));
      i = end;
    }
    unsorted.clear();
    unsortedStored.clear();
  }

  // The next series in stored order, its chunks from every piece holding it.
  private Served nextStored() {
    Cursor first = cursors.poll();
    if (first == null) {
      return null;
    }
    Labels labels = first.current.labels();
    List<Served> parts = new ArrayList<>(1);
    take(first, labels, parts);
    while (!cursors.isEmpty() && cursors.peek().current.labels().equals(labels)) {
      take(cursors.poll(), labels, parts);
    }
    if (parts.isEmpty()) {
      return nextStored(); // every piece holding it failed on it
    }
    return parts.size() == 1 ? parts.get(0) : merged(parts);
  }

  private void take(Cursor c, Labels labels, List<Served> out) {
    try {
      out.add(new Served(labels, chunksOf.apply(c.current)));
    } catch (RuntimeException e) {
      failures.failed(c.piece, e);
      return; // the piece is dropped
    }
    advance(c);
  }

  /** Equal series as one: chunks by start time, identical ones once. */
  static Served merged(List<Served> equal) {
    List<AggrChunk> chunks = new ArrayList<>();
    equal.forEach(s -> chunks.addAll(s.chunks()));
    chunks.sort(Comparator.comparingLong(AggrChunk::getMinTime)); // stable
    List<AggrChunk> out = new ArrayList<>(chunks.size());
    for (AggrChunk c : chunks) {
      if (out.isEmpty() || !out.get(out.size() - 1).equals(c)) {
        out.add(c);
      }
    }
    return new Served(equal.get(0).labels(), out);
  }
}

package dev.strata.tsdb.index;

import java.util.Arrays;
import java.util.List;
import org.roaringbitmap.RoaringBitmap;

/**
 * An ascending list of series refs, read once, front to back: the result of an index lookup and
 * the operand of the set algebra below. Refs are unsigned 32-bit numbers (an index stores them in
 * four bytes), handed out as {@code long}s in {@code [0, 2^32)}.
 *
 * <p>{@link #at()} is defined only after {@link #next()} or {@link #seek} returned true. Iteration
 * allocates nothing, so that a query touching millions of refs creates no garbage per ref; the
 * combinators ({@link #intersect}, {@link #merge}, {@link #without}) pull from their operands by
 * seeking and never copy them, except {@link #merge} of many lists, which adds them to a
 * RoaringBitmap because a heap over hundreds of lists costs more than the copy.
 *
 * <p>Implementations are not thread-safe.
 */
public interface Postings {

  /** Largest series ref: refs are unsigned 32-bit. */
  long MAX_REF = 0xFFFF_FFFFL;

  /** Moves to the next ref; false when there is none. */
  boolean next();

  /**
   * Moves to the first ref at or after {@code target} and returns whether there is one. Does not
   * move when the current ref is already at or after {@code target}; never moves backwards.
   */
  boolean seek(long target);

  /** The current ref. */
  long at();

  /**
   * An upper bound on the refs still to come, as cheap to compute as possible; intersections seek
   * in order of cost, so the shortest list leads. {@link Long#MAX_VALUE} when unknown.
   */
  default long cost() {
    return Long.MAX_VALUE;
  }

  /** A list without refs. */
  static Postings empty() {
    return EmptyPostings.INSTANCE;
  }

  /** Whether {@code p} is the {@link #empty()} list, which combinators short-cut. */
  static boolean isEmpty(Postings p) {
    return p == EmptyPostings.INSTANCE;
  }

  /**
   * The given refs, which must be strictly ascending and in {@code [0, 2^32)}; the array is not
   * copied.
   */
  static Postings of(long... refs) {
    for (int i = 0; i < refs.length; i++) {
      if (refs[i] < 0 || refs[i] > MAX_REF || (i > 0 && refs[i] <= refs[i - 1])) {
        throw new IllegalArgumentException(
            "refs must be strictly ascending in [0, 2^32), but ref " + i + " is " + refs[i]);
      }
    }
    return refs.length == 0 ? empty() : new ListPostings(refs);
  }

  /** The refs of a bitmap, whose ints are read as unsigned. The bitmap must not change. */
  static Postings of(RoaringBitmap refs) {
    return refs.isEmpty() ? empty() : new BitmapPostings(refs);
  }

  /** Refs in all of {@code lists}; empty if there are none. */
  static Postings intersect(Postings... lists) {
    return intersect(Arrays.asList(lists));
  }

  /** Refs in all of {@code lists}; empty if there are none. */
  static Postings intersect(List<? extends Postings> lists) {
    if (lists.isEmpty()) {
      return empty();
    }
    for (Postings p : lists) {
      if (isEmpty(p)) {
        return empty();
      }
    }
    if (lists.size() == 1) {
      return lists.get(0);
    }
    return new IntersectPostings(lists.toArray(new Postings[0]));
  }

  /** Refs in any of {@code lists}, each once. */
  static Postings merge(Postings... lists) {
    return merge(Arrays.asList(lists));
  }

  /** Refs in any of {@code lists}, each once. */
  static Postings merge(List<? extends Postings> lists) {
    Postings[] nonEmpty = lists.stream().filter(p -> !isEmpty(p)).toArray(Postings[]::new);
    if (nonEmpty.length == 0) {
      return empty();
    }
    if (nonEmpty.length == 1) {
      return nonEmpty[0];
    }
    if (nonEmpty.length > MergePostings.HEAP_LIMIT) {
      RoaringBitmap union = new RoaringBitmap();
      for (Postings p : nonEmpty) {
        addTo(p, union);
      }
      return of(union);
    }
    return new MergePostings(nonEmpty);
  }

  /** Refs of {@code full} that are not in {@code drop}. */
  static Postings without(Postings full, Postings drop) {
    if (isEmpty(full) || isEmpty(drop)) {
      return full;
    }
    return new WithoutPostings(full, drop);
  }

  /** Reads the rest of {@code p} into a new array. */
  static long[] toArray(Postings p) {
    long[] out = new long[16];
    int n = 0;
    while (p.next()) {
      if (n == out.length) {
        out = Arrays.copyOf(out, n * 2);
      }
      out[n++] = p.at();
    }
    return Arrays.copyOf(out, n);
  }

  /** Reads the rest of {@code p} into {@code bitmap}. */
  static void addTo(Postings p, RoaringBitmap bitmap) {
    if (p instanceof MappedPostings m) {
      m.addRestTo(bitmap);
      return;
    }
    int[] batch = new int[256];
    int n = 0;
    while (p.next()) {
      batch[n++] = (int) p.at();
      if (n == batch.length) {
        bitmap.addN(batch, 0, n);
        n = 0;
      }
    }
    bitmap.addN(batch, 0, n);
  }

  /** Counts the rest of {@code p}. */
  static long count(Postings p) {
    long n = 0;
    while (p.next()) {
      n++;
    }
    return n;
  }
}

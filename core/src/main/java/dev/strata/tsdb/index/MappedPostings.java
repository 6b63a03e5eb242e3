package dev.strata.tsdb.index;

import static dev.strata.tsdb.index.IndexFormat.POSTINGS;

import dev.strata.tsdb.encoding.ByteSource;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.roaringbitmap.RoaringBitmap;

/**
 * A postings list decoded straight from the index file: big-endian 4-byte refs copied a window at
 * a time into a byte array and read from there in place. A {@link #seek} past the window first
 * tries the next window (the common case when intersecting lists of similar density), then
 * gallops over the file with single-ref probes, so skipping most of a long list reads a few dozen
 * refs rather than all of it.
 *
 * <p>Every window is checked as it is decoded: refs must ascend strictly and fall in the series
 * section, else a {@link dev.strata.tsdb.encoding.CorruptDataException} names the list and entry.
 */
final class MappedPostings implements Postings {
  private static final VarHandle INT_BE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  static final int WINDOW = 256;

  private final ByteSource src;
  private final long list; // offset of the list's length field, for messages
  private final long base; // offset of the first ref
  private final int n;
  private final long minRef;
  private final long maxRef;
  private final byte[] win; // refs [winStart, winStart + winLen) of the list, as stored
  private final byte[] probe = new byte[4];
  private int winStart; // list index of win[0]
  private int winLen;
  private int i = -1; // current index; n once exhausted
  private long cur = -1;

  /**
   * @param minRef smallest ref that points into the series section
   * @param maxRef largest such ref
   */
  MappedPostings(ByteSource src, long list, long base, int n, long minRef, long maxRef) {
    this.src = src;
    this.list = list;
    this.base = base;
    this.n = n;
    this.minRef = minRef;
    this.maxRef = maxRef;
    this.win = new byte[Math.min(n, WINDOW) * 4];
  }

  int size() {
    return n;
  }

  @Override
  public boolean next() {
    if (i >= n) {
      return false;
    }
    if (++i >= n) {
      return false;
    }
    if (i >= winStart + winLen) {
      load(i);
    }
    cur = ref(i - winStart);
    return true;
  }

  private long ref(int k) {
    return Integer.toUnsignedLong((int) INT_BE.get(win, k << 2));
  }

  @Override
  public boolean seek(long target) {
    if (i >= n) {
      return false;
    }
    if (i >= 0 && cur >= target) {
      return true;
    }
    int from = Math.max(i, 0);
    int winEnd = winStart + winLen;
    boolean inWindow = from >= winStart && from < winEnd;
    if (inWindow && ref(winLen - 1) >= target) {
      return seekInWindow(from - winStart, target);
    }
    int lo = inWindow ? winEnd : from; // refs before lo are < target
    if (lo >= n) {
      i = n;
      return false;
    }
    // The next window, if its last ref reaches the target: one probe and one sequential copy.
    int nextLast = Math.min(lo + win.length / 4, n) - 1;
    if (probe(nextLast) >= target) {
      load(lo);
      return seekInWindow(0, target);
    }
    lo = nextLast + 1;
    if (lo >= n) {
      i = n;
      return false;
    }
    // Further: gallop over the file from the first index not yet known to be < target.
    int hi = lo;
    int step = 1;
    while (probe(hi) < target) {
      lo = hi + 1;
      if (hi == n - 1) {
        i = n;
        return false;
      }
      hi = (int) Math.min((long) hi + step, n - 1);
      step <<= 1;
    }
    // probe(hi) >= target, and every index below lo holds a smaller ref.
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (probe(mid) < target) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    load(lo);
    i = lo;
    cur = ref(0);
    if (cur < target) {
      throw order(lo);
    }
    return true;
  }

  // Search of the window from index k for the first ref >= target, which the window's last ref
  // is known to be: galloping first, since intersections mostly seek a few refs ahead.
  private boolean seekInWindow(int k, long target) {
    int lo = k;
    int hi = winLen - 1;
    for (int step = 1; lo + step < hi; step <<= 1) {
      if (ref(lo + step) >= target) {
        hi = lo + step;
        break;
      }
      lo += step + 1; // refs up to lo + step are below target
    }
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ref(mid) < target) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    i = winStart + lo;
    cur = ref(lo);
    if (cur < target) {
      throw order(i);
    }
    return true;
  }

  @Override
  public long at() {
    return cur;
  }

  @Override
  public long cost() {
    return n - Math.max(i, 0);
  }

  private long probe(int idx) {
    src.read(base + 4L * idx, probe, 0, 4);
    return Integer.toUnsignedLong((int) INT_BE.get(probe, 0));
  }

  // Decodes the window starting at list index `from`, checking order and range.
  private void load(int from) {
    int len = Math.min(win.length >> 2, n - from);
    long prev = from > 0 && from == winStart + winLen && winLen > 0 ? ref(winLen - 1) : minRef - 1;
    winLen = 0; // the window is invalid until checked
    src.read(base + 4L * from, win, 0, len * 4);
    for (int k = 0; k < len; k++) {
      long ref = ref(k);
      if (ref <= prev || ref > maxRef) {
        throw ref > maxRef || ref < minRef ? range(from + k, ref) : order(from + k);
      }
      prev = ref;
    }
    winStart = from;
    winLen = len;
  }

  /** Adds the refs after the current one to {@code bitmap}, a window at a time. */
  void addRestTo(RoaringBitmap bitmap) {
    int from = i + 1;
    int[] values = new int[win.length >> 2];
    while (from < n) {
      load(from);
      for (int k = 0; k < winLen; k++) {
        values[k] = (int) INT_BE.get(win, k << 2);
      }
      bitmap.addN(values, 0, winLen);
      from += winLen;
    }
    i = n;
  }

  private RuntimeException range(int idx, long ref) {
    return Sections.corrupt(
        src, POSTINGS, base + 4L * idx,
        "entry " + idx + " of the postings list at offset " + list + " is series ref " + ref
            + ", outside the series section (refs " + minRef + " to " + maxRef + ")");
  }

  private RuntimeException order(int idx) {
    return Sections.corrupt(
        src, POSTINGS, base + 4L * idx,
        "entry " + idx + " of the postings list at offset " + list
            + " does not ascend from the entry before it");
  }
}

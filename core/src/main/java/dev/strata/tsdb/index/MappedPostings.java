package dev.strata.tsdb.index;

import static dev.strata.tsdb.index.IndexFormat.POSTINGS;

import dev.strata.tsdb.encoding.ByteSource;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.roaringbitmap.RoaringBitmap;

/**
 * A postings list decoded straight from the index file: big-endian 4-byte refs copied a window at
 * a time into an int array. {@link #seek} gallops over the file with single-ref probes before
 * loading a window, so skipping most of a long list reads a few dozen refs rather than all of it.
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
  private final int[] win;
  private final byte[] raw;
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
    int w = Math.min(n, WINDOW);
    this.win = new int[w];
    this.raw = new byte[Math.max(w, 1) * 4];
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
    cur = Integer.toUnsignedLong(win[i - winStart]);
    return true;
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
    if (from >= winStart && from < winEnd
        && Integer.toUnsignedLong(win[winLen - 1]) >= target) {
      // In the window: binary search for the first ref >= target.
      int lo = from - winStart;
      int hi = winLen - 1;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (Integer.toUnsignedLong(win[mid]) < target) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      i = winStart + lo;
      cur = Integer.toUnsignedLong(win[lo]);
      return true;
    }
    // Beyond the window: gallop over the file from the first index not yet known to be < target.
    int lo = from >= winStart && from < winEnd ? winEnd : from; // refs before lo are < target
    if (lo >= n) {
      i = n;
      return false;
    }
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
    cur = Integer.toUnsignedLong(win[0]);
    if (cur < target) {
      throw order(lo);
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
    src.read(base + 4L * idx, raw, 0, 4);
    return Integer.toUnsignedLong((int) INT_BE.get(raw, 0));
  }

  // Decodes the window starting at list index `from`, checking order and range.
  private void load(int from) {
    int len = Math.min(win.length, n - from);
    src.read(base + 4L * from, raw, 0, len * 4);
    long prev = from > 0 && from == winStart + winLen && winLen > 0
        ? Integer.toUnsignedLong(win[winLen - 1])
        : minRef - 1;
    for (int k = 0; k < len; k++) {
      int v = (int) INT_BE.get(raw, k * 4);
      long ref = Integer.toUnsignedLong(v);
      if (ref <= prev || ref > maxRef) {
        throw ref > maxRef || ref < minRef ? range(from + k, ref) : order(from + k);
      }
      win[k] = v;
      prev = ref;
    }
    winStart = from;
    winLen = len;
  }

  /** Adds the refs after the current one to {@code bitmap}, a window at a time. */
  void addRestTo(RoaringBitmap bitmap) {
    int from = i + 1;
    while (from < n) {
      load(from);
      bitmap.addN(win, 0, winLen);
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

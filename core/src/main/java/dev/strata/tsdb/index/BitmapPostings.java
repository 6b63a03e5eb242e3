package dev.strata.tsdb.index;

import org.roaringbitmap.PeekableIntIterator;
import org.roaringbitmap.RoaringBitmap;

/** Refs of a RoaringBitmap, whose ints are unsigned like series refs. */
final class BitmapPostings implements Postings {
  private final RoaringBitmap bitmap;
  private final PeekableIntIterator it;
  private long cur = -1;
  private boolean done;

  BitmapPostings(RoaringBitmap bitmap) {
    this.bitmap = bitmap;
    this.it = bitmap.getIntIterator();
  }

  @Override
  public boolean next() {
    if (done || !it.hasNext()) {
      done = true;
      return false;
    }
    cur = Integer.toUnsignedLong(it.next());
    return true;
  }

  @Override
  public boolean seek(long target) {
    if (done) {
      return false;
    }
    if (cur >= 0 && cur >= target) {
      return true;
    }
    if (target > MAX_REF) {
      done = true;
      return false;
    }
    if (target > 0) {
      it.advanceIfNeeded((int) target); // compares unsigned, so only for targets in range
    }
    return next();
  }

  @Override
  public long at() {
    return cur;
  }

  @Override
  public long cost() {
    return bitmap.getLongCardinality();
  }
}

package dev.strata.tsdb.index;

import java.util.Arrays;

/** Refs in an ascending array on the heap. */
final class ListPostings implements Postings {
  private final long[] refs;
  private int i = -1; // current index; refs.length once exhausted

  ListPostings(long[] refs) {
    this.refs = refs;
  }

  @Override
  public boolean next() {
    if (i < refs.length) {
      i++;
    }
    return i < refs.length;
  }

  @Override
  public boolean seek(long target) {
    if (i >= refs.length) {
      return false;
    }
    if (i >= 0 && refs[i] >= target) {
      return true;
    }
    int from = Math.max(i, 0);
    int found = Arrays.binarySearch(refs, from, refs.length, target);
    i = found >= 0 ? found : -found - 1;
    return i < refs.length;
  }

  @Override
  public long at() {
    return refs[i];
  }

  @Override
  public long cost() {
    return refs.length - Math.max(i, 0);
  }
}

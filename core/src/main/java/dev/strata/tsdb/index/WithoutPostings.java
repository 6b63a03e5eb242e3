package dev.strata.tsdb.index;

/** Refs of one list that are not in another; the second is only ever sought, never scanned. */
final class WithoutPostings implements Postings {
  private final Postings full;
  private final Postings drop;
  private boolean dropStarted;
  private boolean dropDone;
  private boolean done;
  private long cur = -1;

  WithoutPostings(Postings full, Postings drop) {
    this.full = full;
    this.drop = drop;
  }

  @Override
  public boolean next() {
    if (done) {
      return false;
    }
    while (full.next()) {
      long v = full.at();
      if (!dropped(v)) {
        cur = v;
        return true;
      }
    }
    done = true;
    return false;
  }

  @Override
  public boolean seek(long target) {
    if (done) {
      return false;
    }
    if (cur >= 0 && cur >= target) {
      return true;
    }
    if (!full.seek(target)) {
      done = true;
      return false;
    }
    long v = full.at();
    if (!dropped(v)) {
      cur = v;
      return true;
    }
    return next();
  }

  private boolean dropped(long v) {
    if (dropDone) {
      return false;
    }
    if (!dropStarted || drop.at() < v) {
      dropStarted = true;
      if (!drop.seek(v)) {
        dropDone = true;
        return false;
      }
    }
    return drop.at() == v;
  }

  @Override
  public long at() {
    return cur;
  }

  @Override
  public long cost() {
    return full.cost();
  }
}

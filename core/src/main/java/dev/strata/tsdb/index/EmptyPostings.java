package dev.strata.tsdb.index;

import java.util.NoSuchElementException;

/** The list without refs; a singleton, so that combinators can recognise it. */
final class EmptyPostings implements Postings {
  static final EmptyPostings INSTANCE = new EmptyPostings();

  private EmptyPostings() {}

  @Override
  public boolean next() {
    return false;
  }

  @Override
  public boolean seek(long target) {
    return false;
  }

  @Override
  public long at() {
    throw new NoSuchElementException("the empty postings list has no current ref");
  }

  @Override
  public long cost() {
    return 0;
  }

  @Override
  public String toString() {
    return "Postings.empty()";
  }
}

package dev.strata.tsdb.index;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Refs in all of several lists, by leapfrogging: the cheapest list proposes a ref, every other
 * list seeks to it, and the first that overshoots proposes the next candidate. Lists are never
 * read further than the answer requires, so a short list intersected with a huge one costs a
 * handful of seeks into the huge one.
 */
final class IntersectPostings implements Postings {
  private final Postings[] lists; // cheapest first
  private long cur = -1;
  private boolean done;

  IntersectPostings(Postings[] lists) {
    this.lists = lists.clone();
    Arrays.sort(this.lists, Comparator.comparingLong(Postings::cost));
  }

  @Override
  public boolean next() {
    if (done || !lists[0].next()) {
      return finish();
    }
    return converge(lists[0].at());
  }

  @Override
  public boolean seek(long target) {
    if (done) {
      return false;
    }
    if (cur >= 0 && cur >= target) {
      return true;
    }
    if (!lists[0].seek(target)) {
      return finish();
    }
    return converge(lists[0].at());
  }

  // lists[0] is at candidate; moves all lists to the first ref they share at or after it.
  private boolean converge(long candidate) {
    int agreed = 1; // lists[0 .. agreed) are at candidate
    int k = 1;
    while (agreed < lists.length) {
      Postings p = lists[k];
      if (!p.seek(candidate)) {
        return finish();
      }
      long v = p.at();
      if (v == candidate) {
        agreed++;
      } else {
        // Overshot: v is the new candidate, which only p is known to hold. Every ref the
        // candidate grows by is one that some list lacks, so this terminates.
        candidate = v;
        agreed = 1;
      }
      k = k + 1 == lists.length ? 0 : k + 1;
    }
    cur = candidate;
    return true;
  }

  private boolean finish() {
    done = true;
    return false;
  }

  @Override
  public long at() {
    return cur;
  }

  @Override
  public long cost() {
    return lists[0].cost();
  }
}

package dev.strata.tsdb.head;

import java.util.Arrays;

/** Per-sample working space of a commit, owned by its appender and reused. */
final class CommitScratch {
  byte[] decisions = new byte[64];
  long[] previous = new long[64];

  void ensure(int n) {
    if (decisions.length < n) {
      int cap = Math.max(n, decisions.length * 2);
      decisions = Arrays.copyOf(decisions, cap);
      previous = Arrays.copyOf(previous, cap);
    }
  }
}

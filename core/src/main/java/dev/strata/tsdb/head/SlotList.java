package dev.strata.tsdb.head;

import java.util.Arrays;

/** A growable list of arena slot handles waiting to be freed. */
final class SlotList {
  private long[] handles = new long[16];
  private int size;

  void add(long handle) {
    if (size == handles.length) {
      handles = Arrays.copyOf(handles, size * 2);
    }
    handles[size++] = handle;
  }

  int size() {
    return size;
  }

  long get(int i) {
    return handles[i];
  }
}

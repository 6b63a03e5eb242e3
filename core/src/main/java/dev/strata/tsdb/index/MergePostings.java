package dev.strata.tsdb.index;

/**
 * Refs in any of a few lists, each once, through a binary min-heap of the lists by current ref.
 * For many lists {@link Postings#merge} builds a bitmap instead.
 */
final class MergePostings implements Postings {
  /** Most lists merged through the heap. */
  static final int HEAP_LIMIT = 16;

  private final Postings[] all;
  private final Postings[] heap;
  private int size;
  private boolean started;
  private long cur = -1;

  MergePostings(Postings[] lists) {
    this.all = lists;
    this.heap = new Postings[lists.length];
  }

  @Override
  public boolean next() {
    if (!started) {
      started = true;
      for (Postings p : all) {
        if (p.next()) {
          heap[size++] = p;
        }
      }
      heapify();
    } else {
      // Move every list that is at the current ref past it.
      while (size > 0 && heap[0].at() == cur) {
        if (heap[0].next()) {
          siftDown(0);
        } else {
          removeTop();
        }
      }
    }
    if (size == 0) {
      return false;
    }
    cur = heap[0].at();
    return true;
  }

  @Override
  public boolean seek(long target) {
    if (started && size == 0) {
      return false;
    }
    if (started && cur >= target) {
      return true;
    }
    Postings[] from = started ? heap : all;
    int n = started ? size : all.length;
    int kept = 0;
    for (int i = 0; i < n; i++) {
      Postings p = from[i];
      if (p.seek(target)) {
        heap[kept++] = p;
      }
    }
    for (int i = kept; i < heap.length; i++) {
      heap[i] = null;
    }
    size = kept;
    started = true;
    heapify();
    if (size == 0) {
      return false;
    }
    cur = heap[0].at();
    return true;
  }

  @Override
  public long at() {
    return cur;
  }

  @Override
  public long cost() {
    long sum = 0;
    for (Postings p : all) {
      long c = p.cost();
      if (c == Long.MAX_VALUE) {
        return c;
      }
      sum += c;
    }
    return sum;
  }

  private void heapify() {
    for (int i = (size >>> 1) - 1; i >= 0; i--) {
      siftDown(i);
    }
  }

  private void removeTop() {
    size--;
    heap[0] = heap[size];
    heap[size] = null;
    if (size > 0) {
      siftDown(0);
    }
  }

  private void siftDown(int i) {
    Postings p = heap[i];
    long v = p.at();
    for (int child; (child = 2 * i + 1) < size; i = child) {
      if (child + 1 < size && heap[child + 1].at() < heap[child].at()) {
        child++;
      }
      if (heap[child].at() >= v) {
        break;
      }
      heap[i] = heap[child];
    }
    heap[i] = p;
  }
}

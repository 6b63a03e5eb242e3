package dev.strata.tier.block;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

/**
 * Runs a step over several items at once: the files of a block moved to or from a bucket (Thanos's
 * {@code --block-files-concurrency}), the blocks a compaction fetches, the groups to compact and
 * the blocks to downsample ({@code --compact.concurrency}, {@code --downsample.concurrency}).
 * Every item runs to its end even when another fails (no transfer is cut halfway), then the first
 * failure is thrown.
 */
public final class Parallel {
  private Parallel() {}

  /** One item's work. */
  @FunctionalInterface
  public interface Step<T, R> {
    R apply(T item) throws IOException;
  }

  /**
   * Throws what a task on another thread threw, as it is where the caller can throw it (an I/O,
   * runtime or error); anything else wrapped, with {@code what} failed. Declared to return so that
   * callers can write {@code throw rethrow(...)}.
   */
  public static IOException rethrow(Throwable failure, String what) throws IOException {
    if (failure instanceof IOException io) {
      throw io;
    }
    if (failure instanceof RuntimeException re) {
      throw re;
    }
    if (failure instanceof Error error) {
      throw error;
    }
    throw new UncheckedIOException(new IOException(what, failure));
  }

  /** The results of {@code step} over {@code items}, in their order, on up to {@code threads}. */
  public static <T, R> List<R> map(List<T> items, int threads, String name, Step<T, R> step)
      throws IOException {
    return map(items, threads, name, step, e -> false);
  }

  /**
   * As {@link #map(List, int, String, Step)}; of several failures, the first that {@code
   * overridesOthers} accepts is thrown (a compactor halt before an I/O error), else the first.
   */
  public static <T, R> List<R> map(List<T> items, int threads, String name, Step<T, R> step,
      Predicate<Throwable> overridesOthers) throws IOException {
    List<R> out = new ArrayList<>(items.size());
    if (threads <= 1 || items.size() <= 1) {
      for (T item : items) {
        out.add(step.apply(item));
      }
      return out;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, items.size()), r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<R>> futures = new ArrayList<>();
      for (T item : items) {
        futures.add(pool.submit(() -> step.apply(item)));
      }
      Throwable first = null;
      Throwable overriding = null;
      for (Future<R> f : futures) {
        try {
          out.add(f.get());
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          first = first == null ? cause : first;
          if (overriding == null && overridesOthers.test(cause)) {
            overriding = cause;
          }
        }
      }
      Throwable failure = overriding != null ? overriding : first;
      if (failure != null) {
        throw rethrow(failure, name);
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException(name + " interrupted");
    } finally {
      pool.shutdownNow();
    }
  }
}

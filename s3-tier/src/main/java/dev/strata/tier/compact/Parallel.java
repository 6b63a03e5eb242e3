package dev.strata.tier.compact;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a step over several items at once (groups to compact, blocks to downsample), as Thanos's
 * {@code --compact.concurrency} and {@code --downsample.concurrency} do. Every item runs to its
 * end even when another fails; then a halt is thrown first, else the first failure.
 */
final class Parallel {
  private Parallel() {}

  /** One item's work. */
  @FunctionalInterface
  interface Step<T, R> {
    R apply(T item) throws IOException;
  }

  /** The results of {@code step} over {@code items}, in their order, on up to {@code threads}. */
  static <T, R> List<R> map(List<T> items, int threads, String name, Step<T, R> step)
      throws IOException {
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
      CompactionHaltedException halt = null;
      Throwable failure = null;
      for (Future<R> f : futures) {
        try {
          out.add(f.get());
        } catch (ExecutionException e) {
          if (e.getCause() instanceof CompactionHaltedException h) {
            halt = halt == null ? h : halt;
          } else if (failure == null) {
            failure = e.getCause();
          }
        }
      }
      if (halt != null) {
        throw halt;
      }
      if (failure instanceof IOException io) {
        throw io;
      }
      if (failure instanceof RuntimeException re) {
        throw re;
      }
      if (failure instanceof Error error) {
        throw error;
      }
      if (failure != null) {
        throw new UncheckedIOException(new IOException(failure));
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

package dev.strata.promql.parser;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Parsing, checking and printing recurse once per nesting level. Prometheus (Go stacks grow as
 * needed) takes queries such as ten thousand chained operators; a Java thread's stack may not.
 * Such a query is done again on a thread with a large stack; only such queries pay for it.
 */
final class DeepRecursion {
  private static final long LARGE_STACK_BYTES = 1L << 30;

  private DeepRecursion() {}

  /** The work's result; computed again with a large stack if the caller's stack overflows. */
  static <T> T run(Supplier<T> work) {
    try {
      return work.get();
    } catch (StackOverflowError e) {
      return onLargeStack(work);
    }
  }

  private static <T> T onLargeStack(Supplier<T> work) {
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread thread =
        new Thread(
            null,
            () -> {
              try {
                result.set(work.get());
              } catch (Throwable t) {
                failure.set(t);
              }
            },
            "promql-deep-expression",
            LARGE_STACK_BYTES);
    thread.start();
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while handling a deeply nested expression", e);
    }
    Throwable t = failure.get();
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error err) {
      throw err;
    }
    return result.get();
  }
}

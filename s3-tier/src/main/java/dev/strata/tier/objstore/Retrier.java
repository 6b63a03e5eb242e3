package dev.strata.tier.objstore;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repeats a request that failed transiently, sleeping between attempts for a random time below an
 * exponentially growing cap ("full jitter"), so that many clients throttled at once do not retry
 * in lock step.
 */
final class Retrier {
  private static final Logger LOG = LoggerFactory.getLogger(Retrier.class);

  /** A request; may be called again after a failure. */
  @FunctionalInterface
  interface Call<T> {
    T call() throws Exception;
  }

  private final int maxRetries;
  private final long baseMillis;
  private final long maxMillis;
  private final Predicate<Throwable> retryable;

  Retrier(int maxRetries, Duration base, Duration max, Predicate<Throwable> retryable) {
    if (maxRetries < 0) {
      throw new IllegalArgumentException("negative retry count " + maxRetries);
    }
    this.maxRetries = maxRetries;
    this.baseMillis = Math.max(1, base.toMillis());
    this.maxMillis = Math.max(baseMillis, max.toMillis());
    this.retryable = retryable;
  }

  int maxRetries() {
    return maxRetries;
  }

  /**
   * Runs {@code call}, retrying retryable failures up to the limit; {@code what} names the request
   * in logs. The last failure is rethrown as it is (unchecked exceptions unchanged, checked ones
   * that are not IOExceptions wrapped).
   */
  <T> T run(String what, Call<T> call) throws IOException {
    for (int attempt = 0; ; attempt++) {
      try {
        return call.call();
      } catch (Exception e) {
        if (attempt >= maxRetries || !retryable.test(e)) {
          throw rethrow(e);
        }
        long delay = delayMillis(attempt);
        LOG.debug("{} failed ({}), retry {} of {} in {} ms", what, summary(e), attempt + 1,
            maxRetries, delay);
        sleep(delay);
      }
    }
  }

  /** The sleep before retry {@code attempt + 1}: uniform in [0, min(max, base * 2^attempt)]. */
  long delayMillis(int attempt) {
    long cap = attempt >= 30 ? maxMillis : Math.min(maxMillis, baseMillis << attempt);
    return ThreadLocalRandom.current().nextLong(cap + 1);
  }

  static void sleep(long millis) throws InterruptedIOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting to retry");
    }
  }

  private static IOException rethrow(Exception e) {
    if (e instanceof IOException io) {
      return io;
    }
    if (e instanceof RuntimeException r) {
      throw r;
    }
    return new IOException(e.getMessage(), e);
  }

  static String summary(Throwable e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null ? "" : ": " + firstLine(m));
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}

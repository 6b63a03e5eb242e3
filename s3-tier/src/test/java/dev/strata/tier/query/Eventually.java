package dev.strata.tier.query;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition that something in the background makes true. */
final class Eventually {

  private Eventually() {}

  /** Returns how long it took; fails with {@code what} if {@code condition} is not met in time. */
  static Duration within(Duration limit, BooleanSupplier condition, Supplier<String> what)
      throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("not within " + limit + ": " + what.get());
      }
      Thread.sleep(20);
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }
}

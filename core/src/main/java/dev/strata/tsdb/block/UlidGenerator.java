package dev.strata.tsdb.block;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * Makes ULIDs that strictly increase, so that blocks created one after another, from any thread,
 * sort in creation order even within one millisecond.
 *
 * <p>A new millisecond gets fresh random bits. Within the same millisecond, or when the clock
 * steps back (NTP corrections), the previous ULID's random part is incremented by one instead and
 * its timestamp kept, so a ULID never goes below the one before it. Should the 80 random bits run
 * out within a millisecond, the next millisecond is borrowed.
 *
 * <p>The ulid-creator library's monotonic factory is not used because it restarts from a clock
 * that stepped back more than ten seconds, which would break the ordering that block names rely on.
 *
 * <p>Thread-safe; {@link #next()} holds a lock for a few nanoseconds.
 */
public final class UlidGenerator {
  private static final UlidGenerator SYSTEM = new UlidGenerator();

  private final LongSupplier clock;
  private final RandomGenerator random;
  private long lastTime = -1;
  private int lastHigh16;
  private long lastLow64;

  /** The system clock and a {@link SecureRandom}. */
  public UlidGenerator() {
    this(System::currentTimeMillis, new SecureRandom());
  }

  /**
   * A generator reading Unix milliseconds from {@code clock} and random bits from {@code random}
   * (which need not be thread-safe: it is only used under the generator's lock).
   */
  public UlidGenerator(LongSupplier clock, RandomGenerator random) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
  }

  /** A process-wide generator on the system clock, for naming blocks. */
  public static UlidGenerator system() {
    return SYSTEM;
  }

  /**
   * The next ULID: greater than every ULID this generator returned before.
   *
   * @throws IllegalStateException if the clock reads a negative time or one beyond {@link
   *     Ulid#MAX_TIMESTAMP}, or the ULID space is exhausted
   */
  public synchronized Ulid next() {
    long now = clock.getAsLong();
    if (now < 0 || now > Ulid.MAX_TIMESTAMP) {
      throw new IllegalStateException(
          "clock reads " + now + " ms, outside the ULID range [0, " + Ulid.MAX_TIMESTAMP + "]");
    }
    if (now > lastTime) {
      fresh(now);
    } else if (lastLow64 != -1L) {
      lastLow64++;
    } else if (lastHigh16 != 0xFFFF) {
      lastHigh16++;
      lastLow64 = 0;
    } else if (lastTime != Ulid.MAX_TIMESTAMP) {
      fresh(lastTime + 1);
    } else {
      throw new IllegalStateException("no ULID is left after " + current());
    }
    return current();
  }

  private void fresh(long time) {
    lastTime = time;
    lastHigh16 = random.nextInt(1 << 16);
    lastLow64 = random.nextLong();
  }

  private Ulid current() {
    return Ulid.of(lastTime, lastHigh16, lastLow64);
  }
}

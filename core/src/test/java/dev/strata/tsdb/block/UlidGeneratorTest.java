package dev.strata.tsdb.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class UlidGeneratorTest {

  // A source whose every bit is set: the random part starts at its maximum.
  private static final RandomGenerator ALL_ONES = () -> -1L;

  private static BigInteger value(Ulid u) {
    return new BigInteger(1, u.toBytes());
  }

  @Test
  void concurrentCallsWithinOneMillisecondCountUpWithoutGapsOrRepeats() throws Exception {
    int threads = 4;
    int perThread = 20_000;
    UlidGenerator generator = new UlidGenerator(() -> 1_700_000_000_000L, new SplittableRandom(7));
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<List<Ulid>>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  List<Ulid> mine = new ArrayList<>(perThread);
                  for (int i = 0; i < perThread; i++) {
                    mine.add(generator.next());
                  }
                  return mine;
                }));
      }
      start.countDown();
      TreeSet<Ulid> all = new TreeSet<>();
      for (Future<List<Ulid>> f : results) {
        List<Ulid> mine = f.get();
        for (int i = 1; i < mine.size(); i++) {
          assertTrue(
              mine.get(i - 1).compareTo(mine.get(i)) < 0, "each thread sees increasing ULIDs");
        }
        all.addAll(mine);
      }
      assertEquals(threads * perThread, all.size(), "no ULID was handed out twice");
      // Same millisecond throughout: the random parts are consecutive integers.
      BigInteger span = value(all.last()).subtract(value(all.first()));
      assertEquals(BigInteger.valueOf(threads * perThread - 1L), span);
      assertTrue(all.stream().allMatch(u -> u.timestamp() == 1_700_000_000_000L));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void systemClockGeneratorIncreasesAcrossThreads() throws Exception {
    UlidGenerator generator = UlidGenerator.system();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<List<Ulid>>> results = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        results.add(
            pool.submit(
                () -> {
                  List<Ulid> mine = new ArrayList<>();
                  for (int i = 0; i < 10_000; i++) {
                    mine.add(generator.next());
                  }
                  return mine;
                }));
      }
      TreeSet<Ulid> all = new TreeSet<>();
      long before = System.currentTimeMillis();
      for (Future<List<Ulid>> f : results) {
        List<Ulid> mine = f.get();
        for (int i = 1; i < mine.size(); i++) {
          assertTrue(mine.get(i - 1).compareTo(mine.get(i)) < 0);
        }
        all.addAll(mine);
      }
      assertEquals(30_000, all.size());
      assertTrue(all.last().timestamp() <= System.currentTimeMillis());
      assertTrue(all.first().timestamp() >= before - 60_000);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Whatever the clock does, each ULID exceeds the previous and carries the latest time seen. */
  @Property(tries = 200)
  void increasesWhateverTheClockDoes(
      @ForAll @Size(min = 1, max = 60) List<@LongRange(min = 0, max = 20) Long> clockSteps,
      @ForAll long seed) {
    long[] readings = new long[clockSteps.size()];
    // Steps of -10 to +10 ms: the clock stalls, advances and steps back.
    long clock = 1_000_000;
    for (int i = 0; i < readings.length; i++) {
      clock += clockSteps.get(i) - 10;
      readings[i] = clock;
    }
    AtomicLong index = new AtomicLong();
    UlidGenerator generator =
        new UlidGenerator(
            () -> readings[(int) index.getAndIncrement()], new SplittableRandom(seed));
    Ulid previous = null;
    long highest = Long.MIN_VALUE;
    for (long reading : readings) {
      Ulid u = generator.next();
      highest = Math.max(highest, reading);
      assertEquals(highest, u.timestamp());
      if (previous != null) {
        assertTrue(previous.compareTo(u) < 0, previous + " then " + u);
        if (u.timestamp() == previous.timestamp()) {
          assertEquals(value(previous).add(BigInteger.ONE), value(u));
        }
      }
      previous = u;
    }
  }

  @Test
  void exhaustedRandomBitsBorrowTheNextMillisecond() {
    UlidGenerator generator = new UlidGenerator(() -> 5_000, ALL_ONES);
    Ulid first = generator.next();
    assertEquals(Ulid.of(5_000, 0xFFFF, -1L), first);
    Ulid second = generator.next();
    assertEquals(5_001, second.timestamp());
    assertTrue(first.compareTo(second) < 0);
  }

  @Test
  void carryMovesIntoTheUpperRandomBits() {
    RandomGenerator lowAllOnes =
        new RandomGenerator() {
          @Override
          public long nextLong() {
            return -1L;
          }

          @Override
          public int nextInt(int bound) {
            return 0x1234;
          }
        };
    UlidGenerator generator = new UlidGenerator(() -> 9, lowAllOnes);
    assertEquals(Ulid.of(9, 0x1234, -1L), generator.next());
    assertEquals(Ulid.of(9, 0x1235, 0L), generator.next());
    assertEquals(Ulid.of(9, 0x1235, 1L), generator.next());
  }

  @Test
  void refusesClocksOutsideTheUlidRange() {
    assertThrows(IllegalStateException.class, () -> new UlidGenerator(() -> -1, ALL_ONES).next());
    assertThrows(
        IllegalStateException.class,
        () -> new UlidGenerator(() -> Ulid.MAX_TIMESTAMP + 1, ALL_ONES).next());
    UlidGenerator atEnd = new UlidGenerator(() -> Ulid.MAX_TIMESTAMP, ALL_ONES);
    assertEquals(new Ulid(-1, -1), atEnd.next());
    IllegalStateException e = assertThrows(IllegalStateException.class, atEnd::next);
    assertTrue(e.getMessage().contains("no ULID is left"), e.getMessage());
  }
}

package dev.strata.tsdb.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tsdb.encoding.ByteArraySource;
import dev.strata.tsdb.encoding.CorruptDataException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

/**
 * The postings algebra against a TreeSet model: random expressions of intersections, unions and
 * differences over lists of every implementation, read by random interleavings of next and seek.
 */
class PostingsAlgebraTest {

  /** A postings list and the set it stands for. */
  record Expr(Supplier<Postings> postings, NavigableSet<Long> model, String text) {}

  @Provide
  Arbitrary<List<TreeSet<Long>>> sets() {
    Arbitrary<Long> dense = Arbitraries.longs().between(0, 300);
    Arbitrary<Long> wide = Arbitraries.oneOf(
        Arbitraries.longs().between(0, Postings.MAX_REF),
        Arbitraries.longs().between(0x7FFF_FF00L, 0x8000_00FFL), // around the int sign bit
        Arbitraries.longs().between(Postings.MAX_REF - 300, Postings.MAX_REF));
    Arbitrary<TreeSet<Long>> set = Arbitraries.oneOf(dense, wide, Arbitraries.longs().between(0, 5000))
        .list().ofMaxSize(700).withSizeDistribution(RandomDistribution.biased())
        .map(TreeSet::new);
    return set.list().ofMinSize(1).ofMaxSize(6);
  }

  @Property(tries = 400)
  void expressionsMatchTheModel(@ForAll("sets") List<TreeSet<Long>> sets, @ForAll long seed) {
    Random random = new Random(seed);
    Expr e = expression(sets, random, 3);
    // Read the same expression twice: once plainly, once with random seeks.
    assertEquals(new ArrayList<>(e.model()), IndexRoundTripTest.box(Postings.toArray(e.postings().get())),
        e.text());
    Postings p = e.postings().get();
    Long cur = null; // model's current element
    boolean done = false;
    for (int step = 0; step < 200 && !done; step++) {
      if (random.nextBoolean()) {
        Long next = cur == null ? first(e.model()) : e.model().higher(cur);
        boolean has = p.next();
        assertEquals(next != null, has, e.text());
        if (has) {
          assertEquals(next, p.at(), e.text());
        }
        cur = next;
        done = next == null;
      } else {
        long target = seekTarget(random, e.model(), cur);
        // Seek never moves backwards: the answer is the first element >= max(target, cur).
        Long expected = cur != null && cur >= target ? cur : e.model().ceiling(target);
        boolean has = p.seek(target);
        assertEquals(expected != null, has, () -> e.text() + " seek " + target);
        if (has) {
          assertEquals(expected, p.at(), () -> e.text() + " seek " + target);
        }
        cur = expected;
        done = expected == null;
      }
    }
    if (done) {
      assertFalse(p.next());
      assertFalse(p.seek(0));
    }
  }

  private static Long first(NavigableSet<Long> s) {
    return s.isEmpty() ? null : s.first();
  }

  private static long seekTarget(Random random, NavigableSet<Long> model, Long cur) {
    return switch (random.nextInt(5)) {
      case 0 -> random.nextInt(400) - 50L; // may be negative: seek from the start
      case 1 -> (cur == null ? 0 : cur) + random.nextInt(20);
      case 2 -> model.isEmpty() ? 0 : model.last() + random.nextInt(3) - 1;
      case 3 -> (long) (random.nextDouble() * (Postings.MAX_REF + 10));
      default -> cur == null ? 0 : cur; // the current element itself: no move
    };
  }

  private static Expr expression(List<TreeSet<Long>> sets, Random random, int depth) {
    int kind = depth == 0 ? 0 : random.nextInt(4);
    switch (kind) {
      case 1: {
        int n = 1 + random.nextInt(3);
        List<Expr> parts = new ArrayList<>();
        TreeSet<Long> model = null;
        for (int i = 0; i < n; i++) {
          Expr p = expression(sets, random, depth - 1);
          parts.add(p);
          if (model == null) {
            model = new TreeSet<>(p.model());
          } else {
            model.retainAll(p.model());
          }
        }
        return new Expr(() -> Postings.intersect(parts.stream().map(p -> p.postings().get()).toList()),
            model, "intersect" + parts.stream().map(Expr::text).toList());
      }
      case 2: {
        // Sometimes more lists than the heap takes, so that the bitmap union is exercised.
        int n = random.nextInt(5) == 0 ? MergePostings.HEAP_LIMIT + 1 + random.nextInt(4) : 1 + random.nextInt(4);
        List<Expr> parts = new ArrayList<>();
        TreeSet<Long> model = new TreeSet<>();
        for (int i = 0; i < n; i++) {
          Expr p = expression(sets, random, depth - 1);
          parts.add(p);
          model.addAll(p.model());
        }
        return new Expr(() -> Postings.merge(parts.stream().map(p -> p.postings().get()).toList()),
            model, "merge" + parts.stream().map(Expr::text).toList());
      }
      case 3: {
        Expr full = expression(sets, random, depth - 1);
        Expr drop = expression(sets, random, depth - 1);
        TreeSet<Long> model = new TreeSet<>(full.model());
        model.removeAll(drop.model());
        return new Expr(() -> Postings.without(full.postings().get(), drop.postings().get()),
            model, "without(" + full.text() + ", " + drop.text() + ")");
      }
      default: {
        int i = random.nextInt(sets.size());
        TreeSet<Long> set = sets.get(i);
        return leaf(set, random.nextInt(4), "s" + i);
      }
    }
  }

  private static Expr leaf(TreeSet<Long> set, int impl, String name) {
    long[] refs = set.stream().mapToLong(Long::longValue).toArray();
    return switch (impl) {
      case 0 -> new Expr(() -> Postings.of(refs), set, name + ":list");
      case 1 -> {
        RoaringBitmap b = new RoaringBitmap();
        for (long r : refs) {
          b.add((int) r);
        }
        yield new Expr(() -> Postings.of(b), set, name + ":bitmap");
      }
      case 2 -> {
        ByteArraySource src = encode(refs);
        yield new Expr(() -> new MappedPostings(src, 0, 8, refs.length, 0, Postings.MAX_REF), set,
            name + ":mapped");
      }
      default -> new Expr(() -> refs.length == 0 ? Postings.empty() : Postings.merge(Postings.of(refs)),
          set, name + ":single");
    };
  }

  /** A postings list as the index stores it: length, count, big-endian refs, a dummy CRC. */
  static ByteArraySource encode(long[] refs) {
    ByteBuffer b = ByteBuffer.allocate(12 + 4 * refs.length);
    b.putInt(4 + 4 * refs.length).putInt(refs.length);
    for (long r : refs) {
      b.putInt((int) r);
    }
    return new ByteArraySource(b.array(), "test postings");
  }

  @Test
  void mappedPostingsGallopAcrossWindows() {
    long[] refs = new long[10_000];
    for (int i = 0; i < refs.length; i++) {
      refs[i] = 3L * i + 0x8000_0000L;
    }
    MappedPostings p = new MappedPostings(encode(refs), 0, 8, refs.length, 0, Postings.MAX_REF);
    assertTrue(p.seek(0x8000_0000L + 3 * 9000 - 1));
    assertEquals(0x8000_0000L + 3 * 9000, p.at());
    assertTrue(p.next());
    assertEquals(0x8000_0000L + 3 * 9001, p.at());
    assertTrue(p.seek(0x8000_0000L + 3 * 9999));
    assertFalse(p.next());
    assertFalse(p.seek(0));
  }

  @Test
  void mappedPostingsRejectDisorderAndOutOfRangeRefs() {
    // A window is checked whole as it is decoded, so the first read already fails.
    MappedPostings unordered = new MappedPostings(encode(new long[] {5, 9, 9}), 0, 8, 3, 0, 100);
    assertThrows(CorruptDataException.class, unordered::next);
    MappedPostings outside = new MappedPostings(encode(new long[] {5, 101}), 0, 8, 2, 0, 100);
    CorruptDataException e = assertThrows(CorruptDataException.class, outside::next);
    assertTrue(e.getMessage().contains("outside the series section"), e.getMessage());
    MappedPostings below = new MappedPostings(encode(new long[] {1, 7}), 0, 8, 2, 2, 100);
    assertThrows(CorruptDataException.class, below::next);
  }

  @Test
  void combinatorsShortCutEmptyLists() {
    Postings a = Postings.of(1, 2, 3);
    assertTrue(Postings.isEmpty(Postings.intersect(a, Postings.empty())));
    assertTrue(Postings.isEmpty(Postings.intersect()));
    assertTrue(Postings.isEmpty(Postings.merge()));
    assertTrue(a == Postings.merge(a, Postings.empty()));
    assertTrue(a == Postings.without(a, Postings.empty()));
    assertTrue(Postings.isEmpty(Postings.without(Postings.empty(), a)));
    assertThrows(IllegalArgumentException.class, () -> Postings.of(3, 2));
    assertThrows(IllegalArgumentException.class, () -> Postings.of(Postings.MAX_REF + 1));
  }
}

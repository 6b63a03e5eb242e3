package dev.strata.tier.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link StoreChunk#merge}: what the stores sent, each distinct chunk once, in Thanos's order,
 * whatever the order the stores answered in. Times and bytes come from small ranges so that equal
 * spans and identical chunks are common.
 */
class StoreChunkMergePropertiesTest {

  @Property(tries = 500)
  void theMergeIsTheDistinctChunksInThanosOrderWhateverTheOrderOfThePieces(
      @ForAll("pieces") List<List<StoreChunk>> pieces, @ForAll long seed) {
    List<StoreChunk> merged = StoreChunk.merge(pieces);
    List<List<StoreChunk>> shuffled = new ArrayList<>(pieces);
    Collections.shuffle(shuffled, new Random(seed));
    assertEquals(describe(merged), describe(StoreChunk.merge(shuffled)));

    for (int i = 1; i < merged.size(); i++) {
      assertTrue(before(merged.get(i - 1), merged.get(i)), describe(merged)::toString);
    }
    List<String> distinct = new ArrayList<>();
    for (List<StoreChunk> piece : pieces) {
      for (StoreChunk c : piece) {
        if (!distinct.contains(describe(c))) {
          distinct.add(describe(c));
        }
      }
    }
    assertEquals(distinct.size(), merged.size());
    assertTrue(describe(merged).containsAll(distinct));
  }

  /** Thanos: earlier first, then shorter, then by encoding, then greater bytes first. */
  private static boolean before(StoreChunk x, StoreChunk y) {
    if (x.minTime() != y.minTime()) {
      return x.minTime() < y.minTime();
    }
    if (x.maxTime() != y.maxTime()) {
      return x.maxTime() < y.maxTime();
    }
    if (x.encoding() != y.encoding()) {
      return x.encoding() < y.encoding();
    }
    return Arrays.compareUnsigned(x.data(), y.data()) > 0;
  }

  private static List<String> describe(List<StoreChunk> chunks) {
    List<String> out = new ArrayList<>();
    chunks.forEach(c -> out.add(describe(c)));
    return out;
  }

  private static String describe(StoreChunk c) {
    return c.minTime() + ".." + c.maxTime() + " e" + c.encoding() + " "
        + Arrays.toString(c.data());
  }

  @Provide
  Arbitrary<List<List<StoreChunk>>> pieces() {
    Arbitrary<StoreChunk> chunk = Combinators.combine(
            Arbitraries.longs().between(0, 3),
            Arbitraries.longs().between(0, 2),
            Arbitraries.of((byte) 1, (byte) 2),
            Arbitraries.bytes().between((byte) -2, (byte) 2).array(byte[].class).ofMaxSize(2))
        .as((min, length, encoding, data) -> {
          // Real chunks' bytes hold their times: equal bytes, equal times.
          byte[] withTimes = Arrays.copyOf(data, data.length + 2);
          withTimes[data.length] = (byte) (long) min;
          withTimes[data.length + 1] = (byte) (long) length;
          return StoreChunk.of(min, min + length, encoding, withTimes);
        });
    // A store sends a series' chunks distinct and in order.
    Arbitrary<List<StoreChunk>> piece = chunk.list().ofMaxSize(4)
        .map(cs -> StoreChunk.merge(List.of(cs, List.of())));
    return piece.list().ofMinSize(1).ofMaxSize(4);
  }
}

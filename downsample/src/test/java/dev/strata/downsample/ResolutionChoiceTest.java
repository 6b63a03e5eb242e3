package dev.strata.downsample;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class ResolutionChoiceTest {
  private static final long M5 = Resolutions.FIVE_MINUTES;
  private static final long H1 = Resolutions.ONE_HOUR;

  @Test
  void preferredBlocksFirstAndGapsFromTheNext() {
    // raw [10, 20) and [30, 40); 5m [0, 50); 1h [0, 100)
    long[] min = {10, 30, 0, 0};
    long[] max = {20, 40, 50, 100};
    long[] res = {0, 0, M5, H1};
    // Raw where there is raw; the 5m block fills the gaps around it, the 1h block what is left.
    assertEquals(List.of(2, 0, 1, 3),
        ResolutionChoice.select(min, max, res, 0, 99, ResolutionChoice.finestFirst()));
    assertEquals(List.of(0), ResolutionChoice.select(min, max, res, 12, 18, ResolutionChoice.finestFirst()));
    // Thanos: the coarsest allowed first.
    assertEquals(List.of(3), ResolutionChoice.select(min, max, res, 0, 99, ResolutionChoice.coarsestFirst(H1)));
    assertEquals(List.of(2), ResolutionChoice.select(min, max, res, 0, 99, ResolutionChoice.coarsestFirst(M5)));
    assertEquals(List.of(0, 1), ResolutionChoice.select(min, max, res, 0, 99, ResolutionChoice.coarsestFirst(0)));
  }

  /**
   * Against a model point by point: a block is chosen exactly when it covers some point of the
   * range that no block of a more preferred resolution covers.
   */
  @Property(tries = 500)
  void choosesExactlyTheBlocksAPointByPointModelChooses(@ForAll long seed) {
    Random rnd = new Random(seed);
    int n = rnd.nextInt(12);
    long[] min = new long[n];
    long[] max = new long[n];
    long[] res = new long[n];
    long[] resolutions = {0, M5, H1};
    for (int i = 0; i < n; i++) {
      min[i] = rnd.nextInt(100);
      max[i] = min[i] + 1 + rnd.nextInt(40);
      res[i] = resolutions[rnd.nextInt(3)];
    }
    long mint = rnd.nextInt(120) - 10;
    long maxt = mint + rnd.nextInt(80);
    List<Long> order = rnd.nextBoolean() ? ResolutionChoice.finestFirst()
        : ResolutionChoice.coarsestFirst(resolutions[rnd.nextInt(3)]);

    TreeSet<Integer> expected = new TreeSet<>();
    for (long p = mint; p <= maxt; p++) {
      for (long r : order) {
        boolean covered = false;
        for (int i = 0; i < n; i++) {
          if (res[i] == r && min[i] <= p && p < max[i]) {
            expected.add(i);
            covered = true;
          }
        }
        if (covered) {
          break;
        }
      }
    }
    List<Integer> chosen = ResolutionChoice.select(min, max, res, mint, maxt, order);
    assertEquals(chosen.size(), new TreeSet<>(chosen).size(), "no block twice");
    assertEquals(expected, new TreeSet<>(chosen));
  }
}

package dev.strata.tier.compact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.BlockStats;
import dev.strata.tsdb.block.Ulid;
import dev.strata.tsdb.block.UlidGenerator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link ThanosPlanner} over random runs of adjacent 2h blocks (with random gaps) and random
 * no-compact marks, planned and merged until it has nothing left: it stops, never picks a marked
 * block, never merges across one, never merges blocks that do not share an aligned window, never
 * touches the newest block, and never makes blocks overlap.
 */
class ThanosPlannerPropertiesTest {
  private static final long H = 3_600_000L;

  @Property(tries = 300)
  void planningUntilDoneKeepsThanosInvariants(@ForAll("slots") List<Boolean> present,
      @ForAll long seed) {
    Random random = new Random(seed);
    UlidGenerator ulids = new UlidGenerator(() -> 1, random);
    List<BlockMeta> blocks = new ArrayList<>();
    Set<Ulid> noCompact = new HashSet<>();
    for (int i = 0; i < present.size(); i++) {
      if (present.get(i)) {
        BlockMeta b = BlockMeta.newBlock(ulids.next(), i * 2 * H, (i + 1) * 2 * H,
            BlockStats.EMPTY);
        blocks.add(b);
        if (random.nextInt(8) == 0) {
          noCompact.add(b.ulid());
        }
      }
    }
    BlockMeta newest = blocks.stream().max(Comparator.comparingLong(BlockMeta::minTime))
        .orElse(null);
    ThanosPlanner planner = new ThanosPlanner(GroupCompactor.RANGES);
    for (int round = 0; ; round++) {
      assertTrue(round <= present.size(), "planning does not stop");
      List<BlockMeta> plan = planner.plan(blocks, noCompact::contains);
      if (plan.isEmpty()) {
        break;
      }
      assertTrue(plan.size() >= 2, plan.toString());
      assertFalse(plan.contains(newest), "the newest block is left alone");
      plan.forEach(b -> assertFalse(noCompact.contains(b.ulid()), "marked block chosen"));
      long mint = plan.get(0).minTime();
      long maxt = plan.get(plan.size() - 1).maxTime();
      // Consecutive: no other block lies between the first and last chosen.
      for (BlockMeta b : blocks) {
        if (!plan.contains(b)) {
          assertTrue(b.maxTime() <= mint || b.minTime() >= maxt, b + " inside " + plan);
        }
      }
      // Within one aligned window of a Thanos range.
      boolean inWindow = false;
      for (int r = 1; r < GroupCompactor.RANGES.length; r++) {
        long range = GroupCompactor.RANGES[r];
        inWindow |= Math.floorDiv(mint, range) == Math.floorDiv(maxt - 1, range);
      }
      assertTrue(inWindow, plan.toString());
      blocks.removeAll(plan);
      blocks.add(BlockMeta.compacted(ulids.next(), plan));
    }
    blocks.sort(Comparator.comparingLong(BlockMeta::minTime));
    for (int i = 1; i < blocks.size(); i++) {
      assertTrue(blocks.get(i).minTime() >= blocks.get(i - 1).maxTime(), blocks.toString());
    }
    long total = present.stream().filter(p -> p).count();
    assertEquals(total, blocks.stream().mapToLong(b -> b.compaction().sources().size()).sum());
  }

  @Provide
  Arbitrary<List<Boolean>> slots() {
    return Arbitraries.integers().between(0, 9).map(i -> i != 0).list().ofMinSize(0)
        .ofMaxSize(200);
  }
}

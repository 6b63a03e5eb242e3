package dev.strata.tsdb.dedup;

import static dev.strata.tsdb.dedup.Sample.at;
import static dev.strata.tsdb.dedup.Sample.drain;
import static dev.strata.tsdb.dedup.Sample.every;
import static dev.strata.tsdb.dedup.Sample.iterator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tsdb.storage.SampleIterator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The penalty algorithm on hand-worked cases. Replica A's values are {@code 100 + t/1000}, B's
 * {@code 200 + t/1000} and C's {@code 300 + t/1000}, so each expected sample names its replica.
 */
class PenaltySamplesTest {
  private static final double A = 100;
  private static final double B = 200;
  private static final double C = 300;

  @SafeVarargs
  private static List<Sample> dedup(List<Sample>... replicas) {
    List<SampleIterator> its = new ArrayList<>();
    for (List<Sample> r : replicas) {
      its.add(iterator(r));
    }
    return drain(DedupSeriesSet.deduplicate(its, false));
  }

  @SafeVarargs
  private static List<Sample> concat(List<Sample>... parts) {
    List<Sample> out = new ArrayList<>();
    for (List<Sample> p : parts) {
      out.addAll(p);
    }
    return out;
  }

  @Test
  void aGapInOneReplicaIsFilledFromTheOther() {
    List<Sample> a = at(A, 0, 10_000, 20_000, 60_000, 70_000);
    List<Sample> b = every(B, 1_000, 71_000, 10_000);
    // A is read while it has samples. After 20s, B is sought 20s on (twice A's 10s interval), so
    // its 31s sample is passed over and 41s is the first one taken. A is then penalised by twice
    // the 21s jump, exhausts, and B is read to its end.
    assertEquals(
        concat(at(A, 0, 10_000, 20_000), at(B, 41_000, 51_000, 61_000, 71_000)), dedup(a, b));
  }

  @Test
  void theReplicaNotTakenFirstIsSoughtFiveSecondsOn() {
    List<Sample> a = at(A, 1_000, 30_000);
    List<Sample> b = at(B, 2_000, 6_000, 6_001, 10_000);
    // After A's 1s, B is sought to 1s + 1ms + 5000ms: 2s and 6s are passed over, 6.001s is the
    // first sample of B that may follow.
    assertEquals(concat(at(A, 1_000), at(B, 6_001, 10_000), at(A, 30_000)), dedup(a, b));
  }

  @Test
  void onEqualTimestampsReplicaAIsTaken() {
    List<Sample> a = every(A, 0, 60_000, 15_000);
    List<Sample> b = every(B, 0, 60_000, 15_000);
    assertEquals(a, dedup(a, b));
    assertEquals(b, dedup(b, a));
  }

  @Test
  void afterEqualTimestampsTheOtherReplicaKeepsItsPenalty() {
    List<Sample> a = at(A, 0, 1_000, 2_000);
    List<Sample> b = every(B, 0, 10_000, 1_000);
    // B was sought to 5.001s after the first tie and cannot go back: 6s is its first sample taken.
    assertEquals(concat(a, every(B, 6_000, 10_000, 1_000)), dedup(a, b));
  }

  @Test
  void anEmptyReplicaLeavesTheOther() {
    List<Sample> s = every(A, 0, 50_000, 10_000);
    assertEquals(s, dedup(s, List.of()));
    assertEquals(s, dedup(List.of(), s));
    assertEquals(List.of(), dedup(List.of(), List.of()));
    assertEquals(s, dedup(List.of(), s, List.of()));
  }

  @Test
  void threeReplicasAreChainedPairwise() {
    List<Sample> a = at(A, 0, 10_000, 20_000);
    List<Sample> b = every(B, 100_000, 140_000, 10_000);
    List<Sample> c = every(C, 30_000, 90_000, 10_000);
    // (A, B) gives A to 20s, then B from 100s. Against C, C's 30s and 40s fall within the 20s
    // penalty it has after A's 20s; C is read from 50s to 90s, and B's 100s and 110s within the
    // 20s penalty of the pair after C's 90s.
    assertEquals(
        concat(
            at(A, 0, 10_000, 20_000),
            every(C, 50_000, 90_000, 10_000),
            at(B, 120_000, 130_000, 140_000)),
        dedup(a, b, c));
  }

  @Test
  void identicalReplicasGiveTheFirst() {
    List<Sample> a = every(A, 0, 200_000, 10_000);
    assertEquals(a, dedup(a, every(B, 0, 200_000, 10_000), every(C, 0, 200_000, 10_000)));
  }

  @Test
  void oneReplicaIsReturnedAsItIs() {
    SampleIterator only = iterator(at(A, 1, 2));
    assertSame(only, DedupSeriesSet.deduplicate(List.of(only), true));
    assertThrows(
        IllegalArgumentException.class, () -> DedupSeriesSet.deduplicate(List.of(), false));
  }

  @Test
  void seekBeforeNextReadsFromTheStart() {
    List<Sample> a = at(A, 0, 10_000, 20_000, 60_000, 70_000);
    List<Sample> b = every(B, 1_000, 71_000, 10_000);
    SampleIterator it = DedupSeriesSet.deduplicate(List.of(iterator(a), iterator(b)), false);
    // 31s of B is not in the output (see the gap case): a seek there lands on 41s, as reading
    // sample by sample would.
    assertTrue(it.seek(25_000));
    assertEquals(41_000, it.t());
    assertEquals(B + 41, it.v());
    assertTrue(it.seek(41_000)); // stays
    assertEquals(41_000, it.t());
    assertTrue(it.next());
    assertEquals(51_000, it.t());
    assertFalse(it.seek(71_001));
    assertFalse(it.next());
    assertFalse(it.seek(0));
  }

  @Test
  void aSwitchToALowerCounterAddsTheDifference() {
    // A counts from 1000, B (restarted earlier) from 10; A stops at 20s.
    List<Sample> a =
        List.of(new Sample(0, 1000), new Sample(10_000, 1010), new Sample(20_000, 1020));
    List<Sample> b = new ArrayList<>();
    for (long t = 1_000; t <= 71_000; t += 10_000) {
      b.add(new Sample(t, 10 + t / 1000));
    }
    List<Sample> out = drain(DedupSeriesSet.deduplicate(List.of(iterator(a), iterator(b)), true));
    // B's first sample, 11 at 1s, is held against A's first value (Thanos's start): lifted by 989.
    // At the switch to B (41s, B's 51 + 989 = 1040) nothing is below A's last 1020.
    assertEquals(
        List.of(
            new Sample(0, 1000),
            new Sample(10_000, 1010),
            new Sample(20_000, 1020),
            new Sample(41_000, 1040),
            new Sample(51_000, 1050),
            new Sample(61_000, 1060),
            new Sample(71_000, 1070)),
        out);
    assertEquals(out, PenaltyModel.counterPair(a, b));
  }

  @Test
  void aSwitchAfterTheStartLiftsTheReplicaSwitchedTo() {
    // B is taken first (no adjustment: nothing was reported before), then A across B's gap.
    List<Sample> a = List.of(new Sample(5_000, 3), new Sample(35_000, 6), new Sample(45_000, 7));
    List<Sample> b = List.of(new Sample(0, 100), new Sample(10_000, 110));
    List<Sample> out = drain(DedupSeriesSet.deduplicate(List.of(iterator(a), iterator(b)), true));
    // After B's 0s, A is sought to 5.001s (its 5s is passed over) and B's 10s is taken. B is then
    // exhausted; at the switch A's 6 is below B's last 110, so A's values get 104 more from then
    // on.
    assertEquals(
        List.of(
            new Sample(0, 100),
            new Sample(10_000, 110),
            new Sample(35_000, 110),
            new Sample(45_000, 111)),
        out);
    assertEquals(out, PenaltyModel.counterPair(a, b));
    // Without the adjustment the switch reads as a reset.
    assertEquals(
        List.of(
            new Sample(0, 100),
            new Sample(10_000, 110),
            new Sample(35_000, 6),
            new Sample(45_000, 7)),
        drain(DedupSeriesSet.deduplicate(List.of(iterator(a), iterator(b)), false)));
  }

  @Test
  void counterAdjustmentKeepsNaNsAndTheStalenessMarker() {
    double stale = Double.longBitsToDouble(0x7ff0000000000002L);
    List<Sample> a = List.of(new Sample(0, 50), new Sample(10_000, 60));
    List<Sample> b = List.of(new Sample(1_000, 5), new Sample(40_000, stale));
    // B is lifted by 45 at the start; its marker at 40s comes out as it is.
    List<Sample> out = drain(DedupSeriesSet.deduplicate(List.of(iterator(a), iterator(b)), true));
    assertEquals(
        List.of(new Sample(0, 50), new Sample(10_000, 60), new Sample(40_000, stale)), out);
  }
}

package dev.strata.tsdb.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tsdb.encoding.ByteSink;
import dev.strata.tsdb.encoding.CorruptDataException;
import dev.strata.tsdb.labels.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class WalRecordsTest {

  @Provide
  Arbitrary<List<Labels>> labelSets() {
    Arbitrary<String> names = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8);
    Arbitrary<String> values = Arbitraries.strings().all().ofMinLength(1).ofMaxLength(20)
        .filter(v -> v.codePoints().noneMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF));
    Arbitrary<Labels> labels =
        Arbitraries.maps(names, values).ofMaxSize(6).map(Labels::fromMap);
    return labels.list().ofMaxSize(30);
  }

  @Property(tries = 200)
  void seriesRoundTrip(@ForAll("labelSets") List<Labels> sets, @ForAll long refBase) {
    long[] refs = new long[sets.size()];
    for (int i = 0; i < refs.length; i++) {
      refs[i] = refBase + 31L * i;
    }
    ByteSink out = new ByteSink();
    WalRecords.encodeSeries(out, refs, sets.toArray(new Labels[0]), sets.size());
    List<Labels> back = new ArrayList<>();
    List<Long> backRefs = new ArrayList<>();
    WalRecords.decodeSeries(out.array(), out.length(), "test", (ref, l) -> {
      backRefs.add(ref);
      back.add(l);
    });
    assertEquals(sets, back);
    assertEquals(Arrays.stream(refs).boxed().toList(), backRefs);
  }

  @Provide
  Arbitrary<SampleBatch> batches() {
    Arbitrary<long[]> triple =
        Combinators.combine(
                Arbitraries.longs().between(0, 1L << 40),
                Arbitraries.longs(),
                Arbitraries.longs())
            .as((r, t, v) -> new long[] {r, t, v});
    return triple.list().ofMaxSize(200).map(list -> {
      SampleBatch b = new SampleBatch(1);
      for (long[] s : list) {
        b.add(s[0], s[1], s[2]);
      }
      return b;
    });
  }

  @Property(tries = 300)
  void samplesRoundTripWithAnyTimestampsAndValueBits(@ForAll("batches") SampleBatch batch) {
    ByteSink out = new ByteSink();
    WalRecords.encodeSamples(out, batch);
    SampleBatch back = new SampleBatch();
    WalRecords.decodeSamples(out.array(), out.length(), "test", back);
    assertEquals(batch.size(), back.size());
    for (int i = 0; i < batch.size(); i++) {
      assertEquals(batch.ref(i), back.ref(i));
      assertEquals(batch.time(i), back.time(i));
      assertEquals(batch.valueBits(i), back.valueBits(i));
    }
  }

  @Test
  void tombstonesRoundTrip() {
    ByteSink out = new ByteSink();
    WalRecords.encodeTombstones(
        out, new long[] {1, 7}, new long[] {Long.MIN_VALUE, 10}, new long[] {5, Long.MAX_VALUE}, 2);
    List<long[]> back = new ArrayList<>();
    WalRecords.decodeTombstones(out.array(), out.length(), "test", (r, a, b) -> back.add(new long[] {r, a, b}));
    assertEquals(2, back.size());
    assertEquals(Long.MIN_VALUE, back.get(0)[1]);
    assertEquals(Long.MAX_VALUE, back.get(1)[2]);
  }

  @Test
  void wrongTypeAndTruncationAreCorruption() {
    ByteSink out = new ByteSink();
    WalRecords.encodeTombstones(out, new long[] {1}, new long[] {2}, new long[] {3}, 1);
    CorruptDataException e = assertThrows(CorruptDataException.class,
        () -> WalRecords.decodeSamples(out.array(), out.length(), "wal/00000003 at 96", new SampleBatch()));
    assertTrue(e.getMessage().contains("expected a samples record, found tombstones"), e.getMessage());
    SampleBatch b = new SampleBatch();
    b.add(1, 2, 3);
    b.add(2, 3, 4);
    ByteSink s = new ByteSink();
    WalRecords.encodeSamples(s, b);
    assertThrows(CorruptDataException.class,
        () -> WalRecords.decodeSamples(s.array(), s.length() - 3, "test", new SampleBatch()));
  }
}

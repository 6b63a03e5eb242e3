package dev.strata.tsdb.head;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.Appender;
import dev.strata.tsdb.storage.ChunkSeriesCursor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeadReferenceOrderTest {

  private static List<String> names(ChunkSeriesCursor c) {
    List<String> out = new ArrayList<>();
    while (c.next()) {
      out.add(c.labels().metricName());
    }
    return out;
  }

  @Test
  void selectsInCreationOrderWithinTheRange() throws Exception {
    try (Head head = Head.inMemory(new HeadOptions(7_200_000L, true, 1 << 20, false, false))) {
      Appender app = head.appender();
      app.append(Labels.of("__name__", "zeta", "a", "1"), 1000, 1);
      app.append(Labels.of("__name__", "alpha", "a", "1"), 1000, 2);
      app.append(Labels.of("__name__", "mid", "a", "2"), 5000, 3);
      app.append(Labels.of("__name__", "beta", "a", "1"), 1000, 4);
      app.commit();
      try (HeadReader r = head.reader(Long.MIN_VALUE, Long.MAX_VALUE)) {
        assertEquals(List.of("zeta", "alpha", "mid", "beta"),
            names(r.selectInReferenceOrder(Long.MIN_VALUE, Long.MAX_VALUE)));
        assertEquals(List.of("alpha", "beta", "mid", "zeta"),
            names(r.select(Long.MIN_VALUE, Long.MAX_VALUE)));
        assertEquals(List.of("zeta", "alpha", "beta"),
            names(r.selectInReferenceOrder(
                Long.MIN_VALUE, Long.MAX_VALUE, LabelMatcher.equal("a", "1"))));
        // Series without chunks in the range are left out, as by select.
        assertEquals(List.of("zeta", "alpha", "beta"), names(r.selectInReferenceOrder(0, 2000)));
      }
    }
  }
}

package dev.strata.downsample;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AggregationTest {

  @Test
  void functionsChooseTheAggregateThanosChooses() {
    assertEquals(Aggregation.COUNTER, Aggregation.forFunction("rate"));
    assertEquals(Aggregation.COUNTER, Aggregation.forFunction("increase"));
    assertEquals(Aggregation.COUNTER, Aggregation.forFunction("irate"));
    assertEquals(Aggregation.COUNTER, Aggregation.forFunction("resets"));
    assertEquals(Aggregation.COUNTER, Aggregation.forFunction("xrate"));
    assertEquals(Aggregation.MIN, Aggregation.forFunction("min_over_time"));
    assertEquals(Aggregation.MIN, Aggregation.forFunction("min"));
    assertEquals(Aggregation.MAX, Aggregation.forFunction("max_over_time"));
    assertEquals(Aggregation.COUNT, Aggregation.forFunction("count_over_time"));
    assertEquals(Aggregation.COUNT, Aggregation.forFunction("count"));
    assertEquals(Aggregation.SUM, Aggregation.forFunction("sum_over_time"));
    // Plain sum wants values, as do avg_over_time, a bare selector and everything else.
    assertEquals(Aggregation.AVERAGE, Aggregation.forFunction("sum"));
    assertEquals(Aggregation.AVERAGE, Aggregation.forFunction("avg_over_time"));
    assertEquals(Aggregation.AVERAGE, Aggregation.forFunction(""));
    assertEquals(Aggregation.AVERAGE, Aggregation.forFunction(null));
    assertEquals(Aggregation.AVERAGE, Aggregation.forFunction("delta"));
    assertEquals(Aggregation.AVERAGE, Aggregation.forFunction("minute"));
  }

  @Test
  void namesParseCaseInsensitively() {
    assertEquals(Aggregation.AVERAGE, Aggregation.parse("avg"));
    assertEquals(Aggregation.COUNTER, Aggregation.parse("Counter"));
    assertEquals(AggrType.SUM, Aggregation.parse("sum").stored());
  }
}

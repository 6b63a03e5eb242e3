package dev.strata.promql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The function table against Prometheus 2.42's {@code promql/parser/functions.go}. */
class FunctionsTest {

  @Test
  void hasTheSeventyFunctionsOf242() {
    assertEquals(70, Functions.all().size());
  }

  @Test
  void signaturesOfTheIrregularFunctions() {
    assertEquals(
        new Function(
            "label_join",
            List.of(ValueType.VECTOR, ValueType.STRING, ValueType.STRING, ValueType.STRING),
            -1,
            ValueType.VECTOR),
        Functions.get("label_join"));
    assertEquals(
        new Function("round", List.of(ValueType.VECTOR, ValueType.SCALAR), 1, ValueType.VECTOR),
        Functions.get("round"));
    assertEquals(
        new Function("hour", List.of(ValueType.VECTOR), 1, ValueType.VECTOR),
        Functions.get("hour"));
    assertEquals(
        new Function(
            "histogram_fraction",
            List.of(ValueType.SCALAR, ValueType.SCALAR, ValueType.VECTOR),
            0,
            ValueType.VECTOR),
        Functions.get("histogram_fraction"));
    assertEquals(new Function("pi", List.of(), 0, ValueType.SCALAR), Functions.get("pi"));
    assertEquals(
        new Function("scalar", List.of(ValueType.VECTOR), 0, ValueType.SCALAR),
        Functions.get("scalar"));
  }
}

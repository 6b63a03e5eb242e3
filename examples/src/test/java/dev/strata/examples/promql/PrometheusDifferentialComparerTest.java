package dev.strata.examples.promql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.examples.promql.ResponseComparer.Order;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The differential test's comparison finds what it must find, and only that. */
class PrometheusDifferentialComparerTest {
  private static String vector(String... samples) {
    return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
        + String.join(",", samples) + "]}}";
  }

  private static String sample(String instance, String value) {
    return "{\"metric\":{\"instance\":\"" + instance + "\"},\"value\":[1700000000.5,\"" + value + "\"]}";
  }

  private static String matrix(String... points) {
    return "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
        + "{\"metric\":{},\"values\":[" + String.join(",", points) + "]}]}}";
  }

  private static List<String> categories(String prometheus, String strata, Order order) {
    return ResponseComparer.compare(prometheus, strata, order).stream().map(Difference::category).toList();
  }

  @Test
  void valuesWithinARelativeBillionthNaNAndInfinitiesMatch() {
    assertEquals(List.of(), categories(vector(sample("a", "1.0000000001"), sample("b", "NaN")),
        vector(sample("b", "NaN"), sample("a", "1")), Order.IGNORED));
    assertEquals(List.of("values"), categories(vector(sample("a", "1.000001")),
        vector(sample("a", "1")), Order.IGNORED));
    assertEquals(List.of("values"), categories(vector(sample("a", "+Inf")),
        vector(sample("a", "-Inf")), Order.IGNORED));
    assertEquals(List.of("series"), categories(vector(sample("a", "1")),
        vector(sample("b", "1")), Order.IGNORED));
  }

  @Test
  void orderedResultsMayOnlySwapEqualValues() {
    String expected = vector(sample("a", "3"), sample("b", "2"), sample("c", "2"));
    assertEquals(List.of(), categories(expected,
        vector(sample("a", "3"), sample("c", "2"), sample("b", "2")), Order.BY_VALUE));
    assertEquals(List.of("order"), categories(expected,
        vector(sample("b", "2"), sample("a", "3"), sample("c", "2")), Order.BY_VALUE));
  }

  @Test
  void matrixPointsAndTimestampsMustMatchExactly() {
    assertEquals(List.of(), categories(matrix("[1.5,\"1\"]"), matrix("[1.5,\"1\"]"), Order.EXACT));
    assertEquals(List.of("timestamp format"), categories(matrix("[1.5,\"1\"]"),
        matrix("[1.500,\"1\"]"), Order.EXACT));
    assertEquals(List.of("value format"), categories(matrix("[1,\"1e-07\"]"),
        matrix("[1,\"1E-7\"]"), Order.EXACT));
    assertEquals(List.of("points"), categories(matrix("[1,\"1\"]"),
        matrix("[1,\"1\"]", "[2,\"1\"]"), Order.EXACT));
    assertEquals(List.of("timestamps"), categories(matrix("[1,\"1\"]"), matrix("[1.001,\"1\"]"), Order.EXACT));
  }

  @Test
  void errorsCompareByTypeAndReportOtherTextSeparately() {
    String badData = "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"x\"}";
    assertEquals(List.of(Difference.ERROR_TEXT), categories(badData,
        "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"y\"}", Order.IGNORED));
    assertEquals(List.of("errorType"), categories(badData,
        "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"x\"}", Order.IGNORED));
    assertEquals(List.of("status"), categories(badData, vector(), Order.IGNORED));
  }
}

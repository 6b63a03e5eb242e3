package dev.strata.tsdb.textparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link GoFloatFormat} and {@link GoFloatParse} against Go's known outputs. */
class GoFloatTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "0 | 0",
        "1 | 1",
        "-1.5 | -1.5",
        "1027 | 1027",
        "1035.5 | 1035.5",
        "0.1 | 0.1",
        "0.30000000000000004 | 0.30000000000000004",
        "100000 | 100000",
        "123456.7 | 123456.7",
        "999999 | 999999",
        "1e6 | 1e+06",
        "1234567 | 1.234567e+06",
        "123456789 | 1.23456789e+08",
        "0.0001 | 0.0001",
        "0.00012345 | 0.00012345",
        "0.00001 | 1e-05",
        "1.5e-5 | 1.5e-05",
        "1e21 | 1e+21",
        "1e22 | 1e+22",
        "1e23 | 1e+23",
        "1e100 | 1e+100",
        "9223372036854775808 | 9.223372036854776e+18",
        "4.35 | 4.35",
        "0.3333333333333333 | 0.3333333333333333",
        "2e-324 | 0",
        "5e-324 | 5e-324",
        "1e-323 | 1e-323",
        "2.2250738585072014e-308 | 2.2250738585072014e-308",
        "1.7976931348623157e308 | 1.7976931348623157e+308",
        "1700000000.123 | 1.700000000123e+09",
        "9007199254740993 | 9.007199254740992e+15",
        "5e-7 | 5e-07",
        "-123e-20 | -1.23e-18",
      })
  void formatsLikeGo(String input, String expected) {
    assertEquals(expected, GoFloatFormat.format(Double.parseDouble(input)));
  }

  @Test
  void specialValues() {
    assertEquals("NaN", GoFloatFormat.format(Double.NaN));
    assertEquals("NaN", GoFloatFormat.format(GoFloatParse.GO_NAN));
    assertEquals("+Inf", GoFloatFormat.format(Double.POSITIVE_INFINITY));
    assertEquals("-Inf", GoFloatFormat.format(Double.NEGATIVE_INFINITY));
    assertEquals("-0", GoFloatFormat.format(-0.0));
    assertEquals("x=1e+06", GoFloatFormat.append(new StringBuilder("x="), 1e6).toString());
  }

  @Test
  void tiesBetweenShortestCandidatesGoToTheEvenDigit() {
    // 2^50 + 0.25 and + 0.75 are exactly halfway between two 17-digit decimals, both of which
    // read back as the same double.
    assertEquals("1.1258999068426242e+15", GoFloatFormat.format(0x1p50 + 0.25));
    assertEquals("1.1258999068426248e+15", GoFloatFormat.format(0x1p50 + 0.75));
  }

  @Test
  void parsesGoSyntaxOnly() throws Exception {
    assertEquals(1.5, GoFloatParse.parse("1.5"));
    assertEquals(-0.0, GoFloatParse.parse("-0.0e7"));
    assertEquals(1e-5, GoFloatParse.parse("0." + "0".repeat(10004) + "1e100000"), "Go's cap");
    assertEquals(Double.MIN_VALUE, GoFloatParse.parse("4.9406564584124654e-324"));
    assertEquals(0.0, GoFloatParse.parse("2.4703282292062327e-324"), "halfway rounds to even");
    assertEquals(Double.MIN_VALUE, GoFloatParse.parse("2.4703282292062328e-324"));
    assertEquals(
        Double.MAX_VALUE, GoFloatParse.parse("1.7976931348623158e308"), "below the halfway point");
    assertThrows(GoFloatParse.Invalid.class, () -> GoFloatParse.parse("1.7976931348623159e308"));
    assertEquals(
        0.1, GoFloatParse.parse("0.1000000000000000000000000000000000000000000000000000001"));
    for (String bad :
        new String[] {
          "",
          "+",
          "-",
          " 1",
          "1 ",
          "0x10",
          "0X1P0",
          "1_0",
          "Infinity1",
          "nanx",
          "1f",
          "1E",
          "e5",
          "1.5.",
          "١"
        }) {
      assertThrows(GoFloatParse.Invalid.class, () -> GoFloatParse.parse(bad), bad);
    }
  }
}

package dev.strata.tsdb.encoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

class GoFloatFormatTest {
  @Test
  void printsWhatGoPrints() {
    // Outputs of Go's strconv.FormatFloat(v, 'f' | 'e', -1, 64).
    assertEquals("0.1", GoFloatFormat.plain(0.1));
    assertEquals("-2.5", GoFloatFormat.plain(-2.5));
    assertEquals("1000000000000000000000", GoFloatFormat.plain(1e21));
    assertEquals("123456789012345680000", GoFloatFormat.plain(1.2345678901234568e20));
    assertEquals("0.00000015", GoFloatFormat.plain(1.5e-7));
    assertEquals("0.30000000000000004", GoFloatFormat.plain(0.1 + 0.2));
    assertEquals("-0", GoFloatFormat.plain(-0.0));
    assertEquals("NaN", GoFloatFormat.plain(Double.NaN));
    assertEquals("+Inf", GoFloatFormat.plain(Double.POSITIVE_INFINITY));
    assertEquals("-Inf", GoFloatFormat.exponent(Double.NEGATIVE_INFINITY));
    assertEquals("1e-07", GoFloatFormat.exponent(1e-7));
    assertEquals("1.5e+21", GoFloatFormat.exponent(1.5e21));
    assertEquals("1.23456e+05", GoFloatFormat.exponent(123456));
    assertEquals("5e-324", GoFloatFormat.exponent(Double.MIN_VALUE));
    assertEquals("1.7976931348623157e+308", GoFloatFormat.exponent(Double.MAX_VALUE));
    assertEquals("0e+00", GoFloatFormat.exponent(0));
    assertEquals("2e+23", GoFloatFormat.exponent(2e23)); // Java's Double.toString says 2.0E23
  }

  @Test
  void theGeneralFormOfTheTextExpositionFormat() {
    assertEquals("1e+06", GoFloatFormat.general(1e6));
    assertEquals("123456", GoFloatFormat.general(123456));
    assertEquals("1.23456789e+08", GoFloatFormat.general(123456789));
    assertEquals("0.0001", GoFloatFormat.general(0.0001));
    assertEquals("1e-05", GoFloatFormat.general(0.00001));
    assertEquals("-1.5", GoFloatFormat.general(-1.5));
    assertEquals("0", GoFloatFormat.general(0));
    assertEquals("NaN", GoFloatFormat.general(Double.NaN));
  }

  @Test
  void prometheusSampleValuesAndGoJsonNumbers() {
    assertEquals("1e-07", GoFloatFormat.sampleValue(1e-7));
    assertEquals("0.000001", GoFloatFormat.sampleValue(0.000001));
    assertEquals("1e+21", GoFloatFormat.sampleValue(1e21));
    assertEquals("999999999999999900000", GoFloatFormat.sampleValue(9.999999999999999e20));
    assertEquals("0", GoFloatFormat.sampleValue(0));
    assertEquals("1e-7", GoFloatFormat.jsonNumber(1e-7));
    assertEquals("1e+21", GoFloatFormat.jsonNumber(1e21));
    assertEquals("1435781451.781", GoFloatFormat.jsonNumber(1435781451.781));
  }

  /** The plain form's fast paths (from Java's own digits) against the exponent form's digits. */
  @Property(tries = 3000)
  void plainAndExponentFormsHaveTheSameDigits(
      @ForAll @DoubleRange(min = -2e7, max = 2e7) double v) {
    assertSameDigits(v);
  }

  @Property(tries = 3000)
  void plainAndExponentFormsHaveTheSameDigitsUpTo1e21(
      @ForAll @DoubleRange(min = -1e21, max = 1e21) double v) {
    assertSameDigits(v);
    assertSameDigits(v * 1e-13); // and between 1e-6 and 1e-3, where Java writes an exponent
  }

  private static void assertSameDigits(double v) {
    if (v == 0) {
      return;
    }
    String e = GoFloatFormat.exponent(v);
    String mantissa = e.substring(e.charAt(0) == '-' ? 1 : 0, e.indexOf('e')).replace(".", "");
    String plain = GoFloatFormat.plain(v).replace("-", "").replace(".", "")
        .replaceFirst("^0+", "").replaceFirst("0+$", "");
    assertEquals(mantissa.replaceFirst("0+$", ""), plain, v + ": " + GoFloatFormat.plain(v) + " vs " + e);
    assertEquals(v, Double.parseDouble(GoFloatFormat.plain(v)));
  }

  @Property(tries = 3000)
  void readsBackAndIsShortest(@ForAll double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return;
    }
    assertEquals(v, Double.parseDouble(GoFloatFormat.plain(v)));
    String e = GoFloatFormat.exponent(v);
    assertEquals(v, Double.parseDouble(e));
    if (v == 0) {
      return;
    }
    // No decimal with one digit fewer reads back as v.
    String mantissa = e.substring(e.charAt(0) == '-' ? 1 : 0, e.indexOf('e')).replace(".", "");
    int n = mantissa.length();
    if (n > 1) {
      BigDecimal exact = new BigDecimal(Math.abs(v));
      for (RoundingMode mode : new RoundingMode[] {RoundingMode.FLOOR, RoundingMode.CEILING}) {
        BigDecimal shorter = exact.round(new MathContext(n - 1, mode));
        assertNotEquals(Math.abs(v), Double.parseDouble(shorter.toString()), e + " vs " + shorter);
      }
    }
  }
}

package dev.strata.tsdb.encoding;

import com.fasterxml.jackson.core.io.schubfach.DoubleToDecimal;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Doubles printed as Go prints them, for output that must match Prometheus byte for byte: the
 * shortest decimal that reads back as the same double (and of two such, the closer), as {@code
 * strconv.FormatFloat(v, fmt, -1, 64)} gives it in its {@code 'f'} and {@code 'e'} forms.
 *
 * <p>The digits come from the Schubfach algorithm (Jackson's port; Java 17's own {@code
 * Double.toString} is not always shortest). Schubfach as Java specifies it prefers two digits to
 * one when two are closer; Go takes the one digit, so that case is checked here.
 */
public final class GoFloatFormat {
  private GoFloatFormat() {}

  /** {@code FormatFloat(v, 'f', -1, 64)}: {@code 0.1}, {@code 123456789012345680000}, {@code NaN}, {@code +Inf}. */
  public static String plain(double v) {
    return appendPlain(new StringBuilder(24), v).toString();
  }

  /** Appends {@link #plain}{@code (v)} to {@code out}, without a String in between where it can. */
  public static StringBuilder appendPlain(StringBuilder out, double v) {
    String special = special(v);
    if (special != null) {
      return out.append(special);
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return v == 0 && Double.doubleToRawLongBits(v) < 0 ? out.append("-0") : out.append((long) v);
    }
    double abs = Math.abs(v);
    if (v < 0) {
      out.append('-');
    }
    if (abs < Double.MIN_NORMAL) {
      return appendPlain(out, Decimal.of(abs));
    }
    String java = DoubleToDecimal.toString(abs);
    int e = java.indexOf('E');
    if (e < 0) {
      // Java writes 1e-3 <= |v| < 1e7 without an exponent, digit for digit as Go's 'f' form.
      return out.append(java);
    }
    // "d.dddE±x": the digits are the first and those after the point, the exponent follows E.
    int exponent = Integer.parseInt(java, e + 1, java.length(), 10);
    int end = e;
    while (end > 2 && java.charAt(end - 1) == '0') {
      end--; // "1.50E9": trailing zeros of the fraction carry nothing
    }
    int fraction = end - 2; // digits after the point
    if (exponent >= 0) {
      out.append(java.charAt(0));
      int beforePoint = Math.min(fraction, exponent);
      out.append(java, 2, 2 + beforePoint);
      for (int k = fraction; k < exponent; k++) {
        out.append('0');
      }
      if (fraction > exponent) {
        out.append('.').append(java, 2 + exponent, end);
      }
    } else {
      out.append("0.");
      for (int k = -exponent - 1; k > 0; k--) {
        out.append('0');
      }
      out.append(java.charAt(0)).append(java, 2, end);
    }
    return out;
  }

  // The general path, for the rare subnormals: |v| from its shortest digits.
  private static StringBuilder appendPlain(StringBuilder out, Decimal d) {
    String digits = d.digits;
    if (d.exponent >= 0) {
      int intLen = d.exponent + 1;
      if (digits.length() <= intLen) {
        out.append(digits).append("0".repeat(intLen - digits.length()));
      } else {
        out.append(digits, 0, intLen).append('.').append(digits, intLen, digits.length());
      }
    } else {
      out.append("0.").append("0".repeat(-d.exponent - 1)).append(digits);
    }
    return out;
  }

  /** {@code FormatFloat(v, 'e', -1, 64)}: {@code 1e-07}, {@code 1.5e+21}, at least two exponent digits. */
  public static String exponent(double v) {
    String special = special(v);
    if (special != null) {
      return special;
    }
    StringBuilder out = new StringBuilder(24);
    if (v < 0 || (v == 0 && Double.doubleToRawLongBits(v) < 0)) {
      out.append('-');
    }
    if (v == 0) {
      return out.append("0e+00").toString();
    }
    Decimal d = Decimal.of(v);
    out.append(d.digits.charAt(0));
    if (d.digits.length() > 1) {
      out.append('.').append(d.digits, 1, d.digits.length());
    }
    int e = d.exponent;
    out.append('e').append(e < 0 ? '-' : '+');
    int abs = Math.abs(e);
    if (abs < 10) {
      out.append('0');
    }
    return out.append(abs).toString();
  }

  /**
   * {@code FormatFloat(v, 'g', -1, 64)}, the text exposition format's values: the {@code 'e'} form
   * when the decimal exponent is below -4 or at least 6 ({@code 1e+06}), {@code 'f'} otherwise.
   */
  public static String general(double v) {
    String special = special(v);
    if (special != null) {
      return special;
    }
    if (v == 0) {
      return plain(v);
    }
    int exp = Decimal.of(v).exponent;
    return exp < -4 || exp >= 6 ? exponent(v) : plain(v);
  }

  /**
   * A sample value in Prometheus's JSON ({@code jsonutil.MarshalValue}): the {@code 'e'} form below
   * 1e-6 and from 1e21 on, the {@code 'f'} form otherwise.
   */
  public static String sampleValue(double v) {
    return appendSampleValue(new StringBuilder(24), v).toString();
  }

  /** Appends {@link #sampleValue}{@code (v)} to {@code out}. */
  public static StringBuilder appendSampleValue(StringBuilder out, double v) {
    double abs = Math.abs(v);
    return abs != 0 && (abs < 1e-6 || abs >= 1e21) && !Double.isNaN(v) && !Double.isInfinite(v)
        ? out.append(exponent(v)) : appendPlain(out, v);
  }

  /**
   * A float64 as Go's {@code encoding/json} writes a number: like {@link #sampleValue}, but a
   * negative exponent loses its leading zero ({@code 1e-7}). Not for NaN or infinities.
   */
  public static String jsonNumber(double v) {
    String s = sampleValue(v);
    int n = s.length();
    if (n >= 4 && s.charAt(n - 4) == 'e' && s.charAt(n - 3) == '-' && s.charAt(n - 2) == '0') {
      return s.substring(0, n - 2) + s.charAt(n - 1);
    }
    return s;
  }

  private static String special(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    return null;
  }

  /** |v| = d.ddd × 10^exponent, with {@code digits} the shortest that reads back as v. */
  private record Decimal(String digits, int exponent) {
    static Decimal of(double v) {
      double abs = Math.abs(v);
      Decimal d = parse(DoubleToDecimal.toString(abs));
      // Only a subnormal has so few bits that a one-digit decimal can round to it while Java
      // prefers a closer two-digit one: normal doubles carry ~16 digits.
      if (d.digits.length() == 2 && abs < Double.MIN_NORMAL) {
        Decimal one = oneDigit(abs);
        if (one != null) {
          return one;
        }
      }
      return d;
    }

    // Java's form: "123.45", "0.00123", "1.0E-7", "4.9E-324".
    private static Decimal parse(String s) {
      int e = s.indexOf('E');
      int exp = e < 0 ? 0 : Integer.parseInt(s.substring(e + 1));
      String mantissa = e < 0 ? s : s.substring(0, e);
      int dot = mantissa.indexOf('.');
      String all = mantissa.substring(0, dot) + mantissa.substring(dot + 1);
      int pointAfter = dot; // digits before the point
      int lead = 0;
      while (lead < all.length() - 1 && all.charAt(lead) == '0') {
        lead++;
      }
      int end = all.length();
      while (end > lead + 1 && all.charAt(end - 1) == '0') {
        end--;
      }
      return new Decimal(all.substring(lead, end), exp + pointAfter - 1 - lead);
    }

    // The closer of the one-digit decimals on either side of abs that read back as abs, or null.
    private static Decimal oneDigit(double abs) {
      BigDecimal exact = new BigDecimal(abs);
      BigDecimal best = null;
      for (RoundingMode mode : new RoundingMode[] {RoundingMode.FLOOR, RoundingMode.CEILING}) {
        BigDecimal c = exact.round(new MathContext(1, mode));
        if (c.signum() != 0 && Double.parseDouble(c.toString()) == abs
            && (best == null || c.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0)) {
          best = c;
        }
      }
      if (best == null) {
        return null;
      }
      BigDecimal unscaled = best.stripTrailingZeros();
      String digits = unscaled.unscaledValue().toString();
      return new Decimal(digits.substring(0, 1), unscaled.precision() - unscaled.scale() - 1);
    }
  }
}

package dev.strata.tsdb.textparse;

import dev.strata.tsdb.labels.Labels;
import java.math.BigDecimal;
import java.util.Random;

/** Test support: writes OpenMetrics text and makes up the pieces that go into it. */
final class OpenMetricsText {

  private static final String NAME_START = "abcxyzABCXYZ_:";
  private static final String NAME_PART = NAME_START + "0189";
  private static final String[] VALUE_PIECES = {
    "a",
    "Z",
    " ",
    "\\",
    "\"",
    "\n",
    "{",
    "}",
    ",",
    "=",
    "#",
    "\t",
    "\u0000",
    "\u00e9",
    "\u4e2d",
    "\ud83d\ude00",
    "\u2028",
    "\u007f",
    "\ufffd",
    "0",
    "_total",
    "\\n",
    "x y"
  };

  private OpenMetricsText() {}

  /** {@code labels} as OpenMetrics series text: the metric name, then the other labels. */
  static StringBuilder appendSeries(StringBuilder out, Labels labels) {
    out.append(labels.metricName());
    if (labels.size() > 1) {
      out.append('{');
      boolean first = true;
      for (int i = 0; i < labels.size(); i++) {
        if (labels.name(i).equals(Labels.METRIC_NAME)) {
          continue;
        }
        if (!first) {
          out.append(',');
        }
        first = false;
        out.append(labels.name(i)).append("=\"");
        appendEscaped(out, labels.value(i));
        out.append('"');
      }
      out.append('}');
    }
    return out;
  }

  /** Escapes a label value: backslash, double quote and newline, nothing else. */
  static StringBuilder appendEscaped(StringBuilder out, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        case '\n' -> out.append("\\n");
        default -> out.append(c);
      }
    }
    return out;
  }

  static String metricName(Random r) {
    StringBuilder sb = new StringBuilder();
    sb.append(NAME_START.charAt(r.nextInt(NAME_START.length())));
    for (int n = r.nextInt(8); n > 0; n--) {
      sb.append(NAME_PART.charAt(r.nextInt(NAME_PART.length())));
    }
    return sb.toString();
  }

  static String labelName(Random r) {
    String start = NAME_START.replace(":", "");
    String part = NAME_PART.replace(":", "");
    StringBuilder sb = new StringBuilder();
    sb.append(start.charAt(r.nextInt(start.length())));
    for (int n = r.nextInt(6); n > 0; n--) {
      sb.append(part.charAt(r.nextInt(part.length())));
    }
    return sb.toString();
  }

  /** A label value made of awkward pieces, possibly empty. */
  static String labelValue(Random r) {
    StringBuilder sb = new StringBuilder();
    for (int n = r.nextInt(6); n > 0; n--) {
      if (r.nextInt(4) == 0) {
        sb.appendCodePoint(randomCodePoint(r));
      } else {
        sb.append(VALUE_PIECES[r.nextInt(VALUE_PIECES.length)]);
      }
    }
    return sb.toString();
  }

  private static int randomCodePoint(Random r) {
    while (true) {
      int cp = r.nextInt(4) == 0 ? r.nextInt(0x110000) : r.nextInt(0x3000);
      if (cp != 0 && (cp < 0xD800 || cp > 0xDFFF)) {
        return cp;
      }
    }
  }

  /** A random double of any kind: all bit patterns, small integers, short decimals. */
  static double anyDouble(Random r) {
    return switch (r.nextInt(6)) {
      case 0 -> Double.longBitsToDouble(r.nextLong());
      case 1 -> r.nextInt(2000) - 1000;
      case 2 -> (r.nextInt(2_000_000) - 1_000_000) / 1000.0;
      case 3 -> r.nextDouble() * Math.pow(10, r.nextInt(40) - 20);
      case 4 ->
          new double[] {
                0.0,
                -0.0,
                Double.NaN,
                Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY,
                Double.MIN_VALUE,
                Double.MAX_VALUE,
                Double.MIN_NORMAL,
                0x1p50 + 0.25,
                0x1p50 + 0.75,
                0.1 + 0.2,
                1e21,
                123456789.0
              }
              [r.nextInt(13)];
      default -> Double.longBitsToDouble(r.nextLong() & 0x800FFFFFFFFFFFFFL); // subnormal
    };
  }

  /** {@code v} written one of the ways Prometheus accepts. */
  static String valueText(double v, Random r) {
    if (Double.isNaN(v)) {
      return new String[] {"NaN", "nan", "NAN"}[r.nextInt(3)];
    }
    if (Double.isInfinite(v)) {
      String s = new String[] {"Inf", "inf", "Infinity", "INF"}[r.nextInt(4)];
      return (v < 0 ? "-" : r.nextBoolean() ? "+" : "") + s;
    }
    return switch (r.nextInt(4)) {
      case 0 -> GoFloatFormat.format(v);
      case 1 -> Double.toString(v).replace("Infinity", "Inf");
      case 2 -> v == 0 ? (1 / v < 0 ? "-0" : "0") : new BigDecimal(v).toString();
      default -> String.format(java.util.Locale.ROOT, "%.17e", v);
    };
  }
}

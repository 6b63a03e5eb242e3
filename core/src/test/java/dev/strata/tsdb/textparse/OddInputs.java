package dev.strata.tsdb.textparse;

import java.util.List;

/**
 * Corpora of inputs at the edges of what Prometheus 2.42 accepts, checked against promtool by
 * {@link OpenMetricsInteropTest}. Characters up to U+00FF stand for single bytes, so that the
 * corpora can hold NULs, invalid UTF-8 and (written byte by byte) valid UTF-8.
 */
final class OddInputs {

  private OddInputs() {}

  private static final String EOF = "# EOF\n";

  /** Inputs promtool accepts, each with samples to compare. */
  static final List<String> VALID =
      List.of(
          "m 1 1\n# EOF",
          "m{} 1 1\nm{a=\"\"} 2 2\nm{a=\"\",a=\"x\"} 3 3\nm{__name__=\"\"} 4 4\n" + EOF,
          "m{a=\"x\u0000y\"} 1 1\nm{a=\"x\"\u0000} 1 1\nm{a=\"x\"\u0000\u0000} 1 1\n"
              + "m{a=\"\\\u0000\"\"} 1 1\nm{a=\"\u0000\"} 1 1\n"
              + "n{a=\"\u0000\u0000\"} 1 1\n"
              + EOF,
          "# HELP m x\n\u0000m 1 1\n# H\u0000ELP \u0000m x\nm 2 2\n# E\u0000OF\n\u0000\u0000",
          "m{a=\"\\t\\x\\\\\\\"\\n\",b=\"\\\\n\",c=\"\\\\\\\\\"} 1 1\n" + EOF,
          "a_total 1 1 # {} 2\na_bucket{le=\"+Inf\"} 1 1 # {x=\"y\",z=\"\"} NaN 1.5\n"
              + "b_total 1 1 # {x=\"1\",x=\"2\"} 1\n"
              + "c_total{q=\"w\"} 2 2 # {id=\"\\\"\u00c3\u00a9\"} -Inf 1e-3\n"
              + EOF,
          "# TYPE m counter\n# TYPE m gauge\n# TYPE m histogram\n# TYPE m gaugehistogram\n"
              + "# TYPE m summary\n# TYPE m info\n# TYPE m stateset\n# TYPE m unknown\n"
              + "# UNIT m_seconds seconds\n# UNIT m \n# HELP m \n# HELP m \\t\\q \u00c3\u00a9\n"
              + "m 1 1\n# TYPE m counter\n"
              + EOF,
          "a +Inf 1\nb -inf 2\nc nAn 3\nd Infinity 4\ne 1e-400 5\nf -0 6\ng .5 7\nh 5. 8\n"
              + "i +1 9\nj 007 10\nk 1E5 11\nl -.0e-7 12\nm 0."
              + "0".repeat(10004)
              + "1e100000 13\n"
              + EOF,
          "a 1 1e3\nb 1 +5\nc 1 .5\nd 1 1.009\ne 1 0\nf 1 5.\ng 1 1E1\nh 1 -0\ni 1 0.0001\n" + EOF,
          "m{a=\"\u00c3\u00a9\u00f0\u009f\u0098\u0080 \u00e4\u00b8\u00ad\"} 1 1\n"
              + "a:b:c 1 1\n_ 1 1\n: 1 1\n__name__ 1 1\nm{__x__=\"y\",_=\"z\"} 1 1\n"
              + EOF,
          "m{a=\"" + "x".repeat(20000) + "\"} 1 1\n" + EOF);

  /** Inputs promtool rejects. */
  static final List<String> INVALID =
      List.of(
          "",
          "m 1 1\n",
          "m 1 1",
          "m 1 1\n# EOF\n\n",
          "m 1 1\n# EOF\nm 1 2\n",
          "# EOF\n# EOF\n",
          "m 1 1\n# EOF \n",
          "m 1 1\n# EOF\r\n",
          "m 1 1\r\n" + EOF,
          "# hello\nm 1 1\n" + EOF,
          "#\n" + EOF,
          "#hello\n" + EOF,
          "\nm 1 1\n" + EOF,
          " m 1 1\n" + EOF,
          "m 1\n" + EOF,
          "m 1 1\nm{a=\"b\"} 2\n" + EOF,
          "m{a=\"1\",a=\"2\"} 1 1\n" + EOF,
          "m{__name__=\"n\"} 1 1\n" + EOF,
          "m{a=\"1\",} 1 1\n" + EOF,
          "m{,a=\"1\"} 1 1\n" + EOF,
          "m{a=\"1\" b=\"2\"} 1 1\n" + EOF,
          "m{a=\"1\"b=\"2\"} 1 1\n" + EOF,
          "m{a=1} 1 1\n" + EOF,
          "m{a='1'} 1 1\n" + EOF,
          "m{a = \"1\"} 1 1\n" + EOF,
          "m{a=\"\\\n\"} 1 1\n" + EOF,
          "m{a=\"1} 1 1\n" + EOF,
          "m{a=\"\u00ff\"} 1 1\n" + EOF,
          "m{a=\"\u00ed\u00a0\u0080\"} 1 1\n" + EOF,
          "m{a=\"\u00c0\u00af\"} 1 1\n" + EOF,
          "m{a=\"\u00f4\u0090\u0080\u0080\"} 1 1\n" + EOF,
          "m{a=\"\u00e4\u00b8\"} 1 1\n" + EOF,
          "1m 1 1\n" + EOF,
          "m- 1 1\n" + EOF,
          "m{1a=\"x\"} 1 1\n" + EOF,
          "m{a:b=\"x\"} 1 1\n" + EOF,
          "m{a=\u0000\"x\"} 1 1\n" + EOF,
          "m 1\u0000 1\n" + EOF,
          "m{}{} 1 1\n" + EOF,
          "m {a=\"1\"} 1 1\n" + EOF,
          "m 1 1 1\n" + EOF,
          "m  1 1\n" + EOF,
          "m 1  1\n" + EOF,
          "m 1 1 \n" + EOF,
          "m \n" + EOF,
          "m\n" + EOF,
          "m abc 1\n" + EOF,
          "m 0x1p3 1\n" + EOF,
          "m 0x10 1\n" + EOF,
          "m 1_000 1\n" + EOF,
          "m 1e400 1\n" + EOF,
          "m -1e400 1\n" + EOF,
          "m +NaN 1\n" + EOF,
          "m -nan 1\n" + EOF,
          "m infinit 1\n" + EOF,
          "m 1e 1\n" + EOF,
          "m . 1\n" + EOF,
          "m 1d 1\n" + EOF,
          "m 1 NaN\n" + EOF,
          "m 1 Inf\n" + EOF,
          "m 1 -Infinity\n" + EOF,
          "m 1 abc\n" + EOF,
          "m 1 1e400\n" + EOF,
          "m 1 0x1p3\n" + EOF,
          "# TYPE m foo\nm 1 1\n" + EOF,
          "# TYPE m Counter\nm 1 1\n" + EOF,
          "# TYPE m untyped\nm 1 1\n" + EOF,
          "# TYPE m counter \nm 1 1\n" + EOF,
          "# TYPE m\nm 1 1\n" + EOF,
          "# TYPE 1m counter\nm 1 1\n" + EOF,
          "# HELP m\nm 1 1\n" + EOF,
          "# HELP m x\u00ff\nm 1 1\n" + EOF,
          "# HELPm x\nm 1 1\n" + EOF,
          "# UNIT m_seconds bytes\nm 1 1\n" + EOF,
          "# UNIT seconds seconds\nm 1 1\n" + EOF,
          "# UNIT mseconds seconds\nm 1 1\n" + EOF,
          "m 1 1\n# HELP m x",
          "m 1 1 # {} 1\n" + EOF,
          "m_count 1 1 # {} 1\n" + EOF,
          "a_total 1 1 # x\n" + EOF,
          "a_total 1 1 #{} 1\n" + EOF,
          "a_total 1 1 # {} x\n" + EOF,
          "a_total 1 1 # {} \n" + EOF,
          "a_total 1 1 # {}\n" + EOF,
          "a_total 1 1 # {} 1 NaN\n" + EOF,
          "a_total 1 1 # {} 1 2 3\n" + EOF,
          "a_total 1 1 # {a=\"\u0000\"} 1\n" + EOF,
          "a_total 1 1 # {a=\"\u00ff\"} 1\n" + EOF,
          "a_total 1 1 # {a=\"1\",} 1\n" + EOF,
          "a_total 1 1 # {a=1} 1\n" + EOF,
          "a_total 1 1 # {} 1",
          "a_total 1 1 # {} 1 2");
}

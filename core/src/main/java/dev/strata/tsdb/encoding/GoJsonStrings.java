package dev.strata.tsdb.encoding;

/**
 * A string as Go's {@code encoding/json} writes it (and jsoniter's standard-library-compatible
 * mode, which Prometheus's HTTP API uses): {@code <}, {@code >}, {@code &}, U+2028 and U+2029
 * escaped for embedding in HTML, control characters other than newline, carriage return and tab
 * as six-character escapes with lower-case hex digits, a lone surrogate (no UTF-8 form) as
 * U+FFFD, as Go turns invalid UTF-8 into it.
 */
public final class GoJsonStrings {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private GoJsonStrings() {}

  /** Appends {@code s}, quoted and escaped. */
  public static void append(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x7F) {
        switch (c) {
          case '"' -> out.append("\\\"");
          case '\\' -> out.append("\\\\");
          case '<', '>', '&' -> unicodeEscape(c, out);
          default -> out.append(c);
        }
      } else if (c < 0x20) {
        switch (c) {
          case '\n' -> out.append("\\n");
          case '\r' -> out.append("\\r");
          case '\t' -> out.append("\\t");
          default -> unicodeEscape(c, out);
        }
      } else if (c == '\u2028' || c == '\u2029') {
        unicodeEscape(c, out);
      } else if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        out.append(c).append(s.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        out.append("\\ufffd");
      } else {
        out.append(c);
      }
    }
    out.append('"');
  }

  private static void unicodeEscape(char c, StringBuilder out) {
    out.append("\\u")
        .append(HEX[(c >> 12) & 15])
        .append(HEX[(c >> 8) & 15])
        .append(HEX[(c >> 4) & 15])
        .append(HEX[c & 15]);
  }
}

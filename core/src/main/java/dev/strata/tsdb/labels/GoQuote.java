package dev.strata.tsdb.labels;

/**
 * Quotes strings exactly as Go's {@code strconv.Quote} does, which is how Prometheus prints label
 * values ({@code promtool tsdb dump}, {@code Labels.String()}) and matchers.
 *
 * <p>The rules: backslash and double quote get a backslash; printable characters stay as they are;
 * {@code \a \b \f \n \r \t \v} use their short escapes; other characters below U+0020 and U+007F
 * become {@code \xhh}; any other non-printable character becomes <code>&#92;uhhhh</code>, or {@code
 * \Uhhhhhhhh} above the BMP. Hex digits are lower case.
 *
 * <p>"Printable" is Go's {@code unicode.IsPrint}: general categories L, M, N, P and S, plus the
 * ASCII space. Java's {@link Character#getType} gives the same categories for the same Unicode
 * version. Prometheus 2.42 (Go 1.19) uses Unicode 13.0, and so does Java 17; on a later JDK,
 * characters assigned after Unicode 13.0 are left as they are where Prometheus 2.42 escapes them.
 *
 * <p>Go strings are bytes and may hold invalid UTF-8, which Go prints byte by byte as {@code \xhh}.
 * The Java counterpart is an unpaired surrogate: it is printed as the three bytes of its
 * generalized UTF-8 encoding, which is what Go would print for those bytes.
 */
public final class GoQuote {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private static final int PRINTABLE_TYPES =
      1 << Character.UPPERCASE_LETTER
          | 1 << Character.LOWERCASE_LETTER
          | 1 << Character.TITLECASE_LETTER
          | 1 << Character.MODIFIER_LETTER
          | 1 << Character.OTHER_LETTER
          | 1 << Character.NON_SPACING_MARK
          | 1 << Character.ENCLOSING_MARK
          | 1 << Character.COMBINING_SPACING_MARK
          | 1 << Character.DECIMAL_DIGIT_NUMBER
          | 1 << Character.LETTER_NUMBER
          | 1 << Character.OTHER_NUMBER
          | 1 << Character.CONNECTOR_PUNCTUATION
          | 1 << Character.DASH_PUNCTUATION
          | 1 << Character.START_PUNCTUATION
          | 1 << Character.END_PUNCTUATION
          | 1 << Character.INITIAL_QUOTE_PUNCTUATION
          | 1 << Character.FINAL_QUOTE_PUNCTUATION
          | 1 << Character.OTHER_PUNCTUATION
          | 1 << Character.MATH_SYMBOL
          | 1 << Character.CURRENCY_SYMBOL
          | 1 << Character.MODIFIER_SYMBOL
          | 1 << Character.OTHER_SYMBOL;

  private GoQuote() {}

  /** {@code s} in double quotes with Go's escapes. */
  public static String quote(String s) {
    return appendQuoted(new StringBuilder(s.length() + 2), s).toString();
  }

  /**
   * Appends {@code s} in double quotes with Go's escapes to {@code out}, and returns {@code out}.
   */
  public static StringBuilder appendQuoted(StringBuilder out, String s) {
    out.append('"');
    int n = s.length();
    int i = 0;
    while (i < n) {
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x7F) {
        if (c == '"' || c == '\\') {
          out.append('\\');
        }
        out.append(c);
        i++;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        appendRune(out, Character.toCodePoint(c, s.charAt(i + 1)));
        i += 2;
      } else if (Character.isSurrogate(c)) {
        appendByteEscape(out, 0xE0 | c >> 12);
        appendByteEscape(out, 0x80 | (c >> 6) & 0x3F);
        appendByteEscape(out, 0x80 | c & 0x3F);
        i++;
      } else {
        appendRune(out, c);
        i++;
      }
    }
    return out.append('"');
  }

  /** Whether Go's {@code strconv.IsPrint} holds for {@code codePoint} (see the class comment). */
  public static boolean isPrint(int codePoint) {
    return codePoint == ' ' || (PRINTABLE_TYPES >>> Character.getType(codePoint) & 1) != 0;
  }

  private static void appendRune(StringBuilder out, int r) {
    if (isPrint(r)) {
      out.appendCodePoint(r);
      return;
    }
    switch (r) {
      case 0x07 -> out.append("\\a");
      case '\b' -> out.append("\\b");
      case '\f' -> out.append("\\f");
      case '\n' -> out.append("\\n");
      case '\r' -> out.append("\\r");
      case '\t' -> out.append("\\t");
      case 0x0B -> out.append("\\v");
      default -> {
        if (r < ' ' || r == 0x7F) {
          appendByteEscape(out, r);
        } else if (r < 0x10000) {
          out.append("\\u");
          appendHex(out, r, 4);
        } else {
          out.append("\\U");
          appendHex(out, r, 8);
        }
      }
    }
  }

  private static void appendByteEscape(StringBuilder out, int b) {
    out.append("\\x");
    appendHex(out, b, 2);
  }

  private static void appendHex(StringBuilder out, int v, int digits) {
    for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
      out.append(HEX[v >>> shift & 0xF]);
    }
  }
}

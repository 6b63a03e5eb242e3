package dev.strata.tsdb.textparse;

import dev.strata.tsdb.labels.GoQuote;
import java.nio.charset.StandardCharsets;

/** Byte classes and small helpers shared by the OpenMetrics lexing code. */
final class Lexing {

  private Lexing() {}

  static final int END = -1; // at() past the last byte of the input

  // Byte classes for names.
  static final byte METRIC_START = 1;
  static final byte METRIC_PART = 2;
  static final byte LABEL_START = 4;
  static final byte LABEL_PART = 8;
  static final byte[] CLASSES = new byte[256];

  static {
    for (int c = 0; c < 256; c++) {
      boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
      boolean digit = c >= '0' && c <= '9';
      int k = 0;
      if (letter || c == ':') {
        k |= METRIC_START | METRIC_PART;
      }
      if (digit) {
        k |= METRIC_PART;
      }
      if (letter) {
        k |= LABEL_START | LABEL_PART;
      }
      if (digit) {
        k |= LABEL_PART;
      }
      CLASSES[c] = (byte) k;
    }
  }

  static boolean endsWith(byte[] b, int from, int to, String suffix) {
    int n = suffix.length();
    if (to - from < n) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (b[to - n + i] != suffix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  static String describe(int c) {
    if (c == END) {
      return "the end of the input";
    }
    return switch (c) {
      case '\n' -> "the end of the line";
      case ' ' -> "a space";
      case 0 -> "a NUL byte";
      default -> c > ' ' && c < 0x7F ? "'" + (char) c + "'" : String.format("byte 0x%02x", c);
    };
  }

  static String quote(byte[] b, int from, int to) {
    int n = Math.min(to - from, 64);
    String s = new String(b, from, n, StandardCharsets.UTF_8);
    return GoQuote.quote(s) + (n < to - from ? "..." : "");
  }
}

package dev.strata.tsdb.labels;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Test helper: decodes a double-quoted Go string literal, inverting {@link GoQuote}. */
final class GoUnquote {
  private GoUnquote() {}

  static String unquote(String q) {
    if (q.length() < 2 || q.charAt(0) != '"' || q.charAt(q.length() - 1) != '"') {
      throw new IllegalArgumentException("not quoted: " + q);
    }
    // Go literals denote bytes; \x escapes may form UTF-8 sequences with their neighbours.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String s = q.substring(1, q.length() - 1);
    for (int i = 0; i < s.length(); ) {
      char c = s.charAt(i);
      if (c != '\\') {
        int cp = s.codePointAt(i);
        out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
        i += Character.charCount(cp);
        continue;
      }
      char e = s.charAt(i + 1);
      i += 2;
      switch (e) {
        case 'a' -> out.write(7);
        case 'b' -> out.write(8);
        case 'f' -> out.write(12);
        case 'n' -> out.write(10);
        case 'r' -> out.write(13);
        case 't' -> out.write(9);
        case 'v' -> out.write(11);
        case '\\', '"' -> out.write(e);
        case 'x' -> {
          out.write(Integer.parseInt(s.substring(i, i + 2), 16));
          i += 2;
        }
        case 'u', 'U' -> {
          int n = e == 'u' ? 4 : 8;
          int cp = Integer.parseInt(s.substring(i, i + n), 16);
          out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
          i += n;
        }
        default -> throw new IllegalArgumentException("bad escape \\" + e + " in " + q);
      }
    }
    return new String(out.toByteArray(), StandardCharsets.UTF_8);
  }
}

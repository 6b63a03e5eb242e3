package dev.strata.tsdb.textparse;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns the raw bytes of names and quoted values into strings: UTF-8 validation with Go's rules,
 * Prometheus's unescaping, and interning so that label sets built from one input share their
 * strings.
 *
 * <p>Unescaping is Prometheus's: {@code \\}, {@code \"} and {@code \n} are replaced, scanning left
 * to right; any other backslash stays as it is, together with the byte after it ({@code "\t"} is a
 * backslash and a {@code t}). Only the miss path of the series cache comes here, so clarity wins
 * over speed. Not thread-safe.
 */
final class LabelText {

  // Interning pays while strings repeat; an input with millions of distinct values should not
  // keep them all alive through this map.
  private static final int MAX_INTERNED = 1 << 16;

  private final Map<String, String> interned = new HashMap<>();
  private byte[] scratch = new byte[64];

  /** Whether {@code [from, to)} is valid UTF-8 as Go's {@code utf8.Valid} sees it. */
  static boolean isValidUtf8(byte[] b, int from, int to) {
    int i = from;
    while (i < to) {
      int c = b[i] & 0xFF;
      if (c < 0x80) {
        i++;
        continue;
      }
      int need;
      int lo = 0x80;
      int hi = 0xBF;
      if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
      } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        if (c == 0xE0) {
          lo = 0xA0; // overlong
        } else if (c == 0xED) {
          hi = 0x9F; // surrogates
        }
      } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        if (c == 0xF0) {
          lo = 0x90; // overlong
        } else if (c == 0xF4) {
          hi = 0x8F; // above U+10FFFF
        }
      } else {
        return false;
      }
      if (i + need >= to) {
        return false; // truncated sequence
      }
      int second = b[i + 1] & 0xFF;
      if (second < lo || second > hi) {
        return false;
      }
      for (int k = 2; k <= need; k++) {
        int cont = b[i + k] & 0xFF;
        if (cont < 0x80 || cont > 0xBF) {
          return false;
        }
      }
      i += need + 1;
    }
    return true;
  }

  /** An interned string of ASCII bytes {@code [from, to)}: names, already checked by the lexer. */
  String ascii(byte[] b, int from, int to) {
    return intern(new String(b, from, to - from, StandardCharsets.ISO_8859_1));
  }

  /**
   * The interned value of raw bytes {@code [from, to)}, unescaped; the caller has checked that they
   * are valid UTF-8.
   */
  String value(byte[] b, int from, int to) {
    boolean ascii = true;
    boolean escaped = false;
    for (int i = from; i < to; i++) {
      byte c = b[i];
      if (c < 0) {
        ascii = false;
      } else if (c == '\\') {
        escaped = true;
      }
    }
    if (escaped) {
      int n = unescape(b, from, to);
      return decode(scratch, 0, n, ascii);
    }
    return decode(b, from, to, ascii);
  }

  /** The help text of raw bytes {@code [from, to)}, unescaped as label values are; not interned. */
  String help(byte[] b, int from, int to) {
    int n = unescape(b, from, to);
    return new String(scratch, 0, n, StandardCharsets.UTF_8);
  }

  private String decode(byte[] b, int from, int to, boolean ascii) {
    if (from == to) {
      return "";
    }
    return intern(
        new String(
            b, from, to - from, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8));
  }

  // Unescapes [from, to) into scratch and returns the length.
  private int unescape(byte[] b, int from, int to) {
    if (scratch.length < to - from) {
      scratch = new byte[Math.max(to - from, scratch.length * 2)];
    }
    byte[] out = scratch;
    int n = 0;
    int i = from;
    while (i < to) {
      byte c = b[i];
      if (c == '\\' && i + 1 < to) {
        byte next = b[i + 1];
        if (next == '\\' || next == '"') {
          out[n++] = next;
          i += 2;
          continue;
        }
        if (next == 'n') {
          out[n++] = '\n';
          i += 2;
          continue;
        }
      }
      out[n++] = c;
      i++;
    }
    return n;
  }

  private String intern(String s) {
    String known = interned.putIfAbsent(s, s);
    if (known != null) {
      return known;
    }
    if (interned.size() > MAX_INTERNED) {
      interned.clear();
    }
    return s;
  }
}

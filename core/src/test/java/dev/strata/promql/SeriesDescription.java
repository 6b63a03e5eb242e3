package dev.strata.promql;

import dev.strata.tsdb.labels.Labels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The series notation of Prometheus's PromQL test scripts: {@code metric{l="v"} 0+10x100 _ stale
 * 1-2x3 Inf}. Values are written in items separated by spaces: a number ({@code Inf}, {@code NaN}
 * included), {@code stale}, {@code _} (no sample), {@code _xN} (N missing samples), {@code vxN} (N
 * + 1 copies of v) or {@code v+dxN} / {@code v-dxN} (N + 1 values from v in steps of d).
 */
record SeriesDescription(Labels labels, List<Double> values) {

  /** A value of {@link #values()} that stands for "no sample at this step". */
  static final Double OMITTED = null;

  static SeriesDescription parse(String line) {
    Cursor c = new Cursor(line.trim());
    Map<String, String> labels = new LinkedHashMap<>();
    int nameStart = c.pos;
    while (c.more() && isNameChar(c.peek())) {
      c.pos++;
    }
    String name = line.trim().substring(nameStart, c.pos);
    if (c.more() && c.peek() == '{') {
      c.pos++;
      while (true) {
        c.skipSpaces();
        if (c.peek() == '}') {
          c.pos++;
          break;
        }
        int ls = c.pos;
        while (isNameChar(c.peek())) {
          c.pos++;
        }
        String label = c.s.substring(ls, c.pos);
        c.skipSpaces();
        c.expect('=');
        c.skipSpaces();
        labels.put(label, c.quoted());
        c.skipSpaces();
        if (c.peek() == ',') {
          c.pos++;
        }
      }
    }
    if (!name.isEmpty()) {
      labels.put(Labels.METRIC_NAME, name);
    }
    List<Double> values = new ArrayList<>();
    for (String item : c.s.substring(c.pos).trim().split("[ \t]+")) {
      if (!item.isEmpty()) {
        parseItem(item, values);
      }
    }
    return new SeriesDescription(labels.isEmpty() ? Labels.EMPTY : Labels.fromMap(labels), values);
  }

  private static boolean isNameChar(char ch) {
    return ch == '_' || ch == ':' || Character.isLetterOrDigit(ch);
  }

  private static void parseItem(String item, List<Double> out) {
    if (item.startsWith("_")) {
      int times = item.length() == 1 ? 1 : Integer.parseInt(item.substring(2));
      for (int i = 0; i < times; i++) {
        out.add(OMITTED);
      }
      return;
    }
    Cursor c = new Cursor(item);
    double value = c.signedValue();
    if (!c.more()) {
      out.add(value);
      return;
    }
    double delta = 0;
    if (c.peek() == '+' || c.peek() == '-') {
      delta = c.signedValue();
    }
    c.expect('x');
    long times = Long.parseLong(c.s.substring(c.pos));
    for (long i = 0; i <= times; i++) {
      out.add(value);
      value += delta;
    }
  }

  private static final class Cursor {
    final String s;
    int pos;

    Cursor(String s) {
      this.s = s;
    }

    boolean more() {
      return pos < s.length();
    }

    char peek() {
      if (pos >= s.length()) {
        throw new IllegalArgumentException("unexpected end of " + s);
      }
      return s.charAt(pos);
    }

    void expect(char ch) {
      if (peek() != ch) {
        throw new IllegalArgumentException("expected " + ch + " at " + pos + " in " + s);
      }
      pos++;
    }

    void skipSpaces() {
      while (more() && Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
    }

    /** A number, {@code Inf}, {@code NaN} or {@code stale}, with an optional sign. */
    double signedValue() {
      double sign = 1;
      if (peek() == '+' || peek() == '-') {
        sign = peek() == '-' ? -1 : 1;
        pos++;
      }
      int start = pos;
      if (Character.isLetter(peek())) {
        while (more()
            && Character.isLetter(s.charAt(pos))
            && !(s.charAt(pos) == 'x' && pos > start && isKeywordEnd(start))) {
          pos++;
        }
        String word = s.substring(start, pos).toLowerCase(java.util.Locale.ROOT);
        return switch (word) {
          case "inf" -> sign * Double.POSITIVE_INFINITY;
          case "nan" -> Double.NaN;
          case "stale" -> StaleMarker.VALUE;
          default -> throw new IllegalArgumentException("bad value " + word + " in " + s);
        };
      }
      while (more() && (Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '.')) {
        pos++;
      }
      if (more() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
        pos++;
        if (more() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
          pos++;
        }
        while (more() && Character.isDigit(s.charAt(pos))) {
          pos++;
        }
      }
      return sign * Double.parseDouble(s.substring(start, pos));
    }

    // "Infx3" or "NaNx2": the keyword ends where the repetition begins.
    private boolean isKeywordEnd(int start) {
      String w = s.substring(start, pos).toLowerCase(java.util.Locale.ROOT);
      return w.equals("inf") || w.equals("nan") || w.equals("stale");
    }

    String quoted() {
      char q = peek();
      pos++;
      StringBuilder sb = new StringBuilder();
      while (peek() != q) {
        char ch = s.charAt(pos++);
        if (ch == '\\' && q != '`') {
          char e = s.charAt(pos++);
          switch (e) {
            case 'n' -> sb.append('\n');
            case 't' -> sb.append('\t');
            case 'r' -> sb.append('\r');
            case '\\' -> sb.append('\\');
            case '"' -> sb.append('"');
            case '\'' -> sb.append('\'');
            default -> sb.append('\\').append(e);
          }
        } else {
          sb.append(ch);
        }
      }
      pos++;
      return sb.toString();
    }
  }
}

package dev.strata.examples.cli.tsdb;

import dev.strata.tsdb.labels.InvalidRegexException;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.labels.MatchType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses a PromQL series selector, as {@code promtool tsdb dump --match} takes one: {@code
 * up{job="api",code=~"5.."}}, {@code {__name__=~"http_.*"}} or a bare metric name. Only the
 * selector itself: no range, offset or {@code @} modifier, and no functions.
 *
 * <p>As in PromQL, strings may be double-quoted, single-quoted (both with Go's escapes) or
 * back-quoted (raw); a trailing comma inside the braces is allowed; a metric name becomes a
 * {@code __name__} equality matcher placed after the braced ones; and {@code {}} is accepted and
 * yields no matcher at all, which selects nothing (promtool prints no sample for it). Errors read
 * like PromQL's, {@code 1:5: parse error: unexpected end of input inside braces}.
 */
final class SeriesSelector {
  private final String input;
  private int pos;

  private SeriesSelector(String input) {
    this.input = input;
  }

  /**
   * The matchers of {@code selector}.
   *
   * @throws IllegalArgumentException with a PromQL-style message if it is not a series selector
   */
  static List<LabelMatcher> parse(String selector) {
    return new SeriesSelector(selector).selector();
  }

  private List<LabelMatcher> selector() {
    skipSpace();
    String metricName = null;
    if (pos < input.length() && isMetricNameStart(input.charAt(pos))) {
      int start = pos;
      while (pos < input.length() && isMetricNameChar(input.charAt(pos))) {
        pos++;
      }
      metricName = input.substring(start, pos);
      skipSpace();
    }
    List<LabelMatcher> matchers = new ArrayList<>();
    if (pos < input.length() && input.charAt(pos) == '{') {
      pos++;
      matchers(matchers);
      skipSpace();
    } else if (metricName == null) {
      throw error(pos, pos < input.length()
          ? "unexpected character: " + quoteChar(input.charAt(pos))
          : "unexpected end of input");
    }
    if (pos < input.length()) {
      throw error(pos, "unexpected character after the series selector: "
          + quoteChar(input.charAt(pos)));
    }
    if (metricName != null) {
      matchers.add(LabelMatcher.equal(Labels.METRIC_NAME, metricName));
    }
    return matchers;
  }

  // After '{': matchers separated by commas, an optional trailing comma, then '}'.
  private void matchers(List<LabelMatcher> out) {
    skipSpace();
    if (peek() == '}') {
      pos++;
      return;
    }
    while (true) {
      out.add(matcher());
      skipSpace();
      char c = peek();
      if (c == '}') {
        pos++;
        return;
      }
      if (c != ',') {
        throw unexpectedInsideBraces();
      }
      pos++;
      skipSpace();
      if (peek() == '}') {
        pos++;
        return;
      }
    }
  }

  private LabelMatcher matcher() {
    int start = pos;
    if (!isLabelNameStart(peek())) {
      throw unexpectedInsideBraces();
    }
    while (pos < input.length() && isLabelNameChar(input.charAt(pos))) {
      pos++;
    }
    String name = input.substring(start, pos);
    skipSpace();
    MatchType type = operator();
    skipSpace();
    String value = string();
    try {
      return LabelMatcher.of(type, name, value);
    } catch (InvalidRegexException e) {
      throw error(start, e.getMessage()); // PromQL points at the matcher
    }
  }

  private MatchType operator() {
    char c = peek();
    char next = pos + 1 < input.length() ? input.charAt(pos + 1) : 0;
    if (c == '=') {
      pos += next == '~' ? 2 : 1;
      return next == '~' ? MatchType.REGEX : MatchType.EQUAL;
    }
    if (c == '!' && (next == '=' || next == '~')) {
      pos += 2;
      return next == '~' ? MatchType.NOT_REGEX : MatchType.NOT_EQUAL;
    }
    if (pos >= input.length()) {
      throw error(pos, "unexpected end of input inside braces");
    }
    throw error(pos, "expected a label matching operator (=, !=, =~ or !~) but found "
        + quoteChar(c));
  }

  private String string() {
    if (pos >= input.length()) {
      throw error(pos, "unexpected end of input inside braces");
    }
    char quote = input.charAt(pos);
    int start = pos;
    if (quote == '`') {
      int end = input.indexOf('`', pos + 1);
      if (end < 0) {
        throw error(start, "unterminated raw string");
      }
      pos = end + 1;
      return input.substring(start + 1, end);
    }
    if (quote != '"' && quote != '\'') {
      throw error(pos, "expected a quoted label value but found " + quoteChar(quote));
    }
    pos++;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    while (true) {
      if (pos >= input.length() || input.charAt(pos) == '\n') {
        throw error(start, "unterminated quoted string");
      }
      char c = input.charAt(pos);
      if (c == quote) {
        pos++;
        return bytes.toString(StandardCharsets.UTF_8);
      }
      if (c == '\\') {
        escape(quote, bytes);
      } else {
        int cp = input.codePointAt(pos);
        pos += Character.charCount(cp);
        byte[] utf8 = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        bytes.write(utf8, 0, utf8.length);
      }
    }
  }

  // At a backslash: Go's escapes (strconv.Unquote), the quote itself the only quote escapable.
  private void escape(char quote, ByteArrayOutputStream bytes) {
    int start = pos;
    pos++;
    if (pos >= input.length()) {
      throw error(start, "unterminated quoted string");
    }
    char c = input.charAt(pos++);
    switch (c) {
      case 'a' -> bytes.write(7);
      case 'b' -> bytes.write(8);
      case 'f' -> bytes.write(12);
      case 'n' -> bytes.write('\n');
      case 'r' -> bytes.write('\r');
      case 't' -> bytes.write('\t');
      case 'v' -> bytes.write(11);
      case '\\' -> bytes.write('\\');
      case 'x' -> bytes.write(hex(2, start));
      case 'u', 'U' -> {
        int cp = hex(c == 'u' ? 4 : 8, start);
        if (cp > Character.MAX_CODE_POINT || (cp >= 0xD800 && cp <= 0xDFFF)) {
          throw error(start, "invalid escape sequence in quoted string");
        }
        byte[] utf8 = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        bytes.write(utf8, 0, utf8.length);
      }
      case '0', '1', '2', '3', '4', '5', '6', '7' -> {
        int v = c - '0';
        for (int i = 0; i < 2; i++) {
          char d = peek();
          if (d < '0' || d > '7') {
            throw error(start, "invalid escape sequence in quoted string");
          }
          v = v * 8 + (d - '0');
          pos++;
        }
        if (v > 255) {
          throw error(start, "invalid escape sequence in quoted string");
        }
        bytes.write(v);
      }
      default -> {
        if (c != quote) {
          throw error(start, "invalid escape sequence in quoted string: \\" + c);
        }
        bytes.write(c);
      }
    }
  }

  private int hex(int digits, int escapeStart) {
    int v = 0;
    for (int i = 0; i < digits; i++) {
      int d = Character.digit(peek(), 16);
      if (d < 0) {
        throw error(escapeStart, "invalid escape sequence in quoted string");
      }
      v = v * 16 + d;
      pos++;
    }
    return v;
  }

  private IllegalArgumentException unexpectedInsideBraces() {
    if (pos >= input.length()) {
      return error(pos, "unexpected end of input inside braces");
    }
    return error(pos, "unexpected character inside braces: " + quoteChar(input.charAt(pos)));
  }

  private char peek() {
    return pos < input.length() ? input.charAt(pos) : 0;
  }

  private void skipSpace() {
    while (pos < input.length()) {
      char c = input.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  // PromQL counts lines from 1 and columns in bytes from 1.
  private IllegalArgumentException error(int at, String message) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < at && i < input.length(); i++) {
      if (input.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    int column = input.substring(lineStart, Math.min(at, input.length()))
        .getBytes(StandardCharsets.UTF_8).length + 1;
    return new IllegalArgumentException(line + ":" + column + ": parse error: " + message);
  }

  private static String quoteChar(char c) {
    return "'" + c + "'";
  }

  private static boolean isLabelNameStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  private static boolean isLabelNameChar(char c) {
    return isLabelNameStart(c) || (c >= '0' && c <= '9');
  }

  private static boolean isMetricNameStart(char c) {
    return isLabelNameStart(c) || c == ':';
  }

  private static boolean isMetricNameChar(char c) {
    return isLabelNameChar(c) || c == ':';
  }
}

package dev.strata.promql.parser;

import java.nio.charset.StandardCharsets;

/**
 * One problem found in a query: where, and what, without the position prefix. {@link #format}
 * gives Prometheus's full form, {@code 1:8: parse error: unexpected <op:*>}.
 */
public record ParseError(PositionRange positionRange, String message) {

  /**
   * Prometheus's text for this error in {@code query}: line and column are 1-based and, as in Go,
   * the column counts UTF-8 bytes from the start of the line.
   */
  public String format(String query) {
    int pos = positionRange.start();
    String where;
    if (pos < 0 || pos > query.length()) {
      where = "invalid position:";
    } else {
      int line = 1;
      int lineStart = 0;
      for (int i = 0; i < pos; i++) {
        if (query.charAt(i) == '\n') {
          line++;
          lineStart = i + 1;
        }
      }
      int column = query.substring(lineStart, pos).getBytes(StandardCharsets.UTF_8).length + 1;
      where = line + ":" + column + ":";
    }
    return where + " parse error: " + message;
  }
}

package dev.strata.tsdb.textparse;

import java.io.IOException;

/**
 * The input is not OpenMetrics text that Prometheus 2.42 would accept, or lacks something a
 * backfill needs (a timestamp on every sample).
 *
 * <p>The message reads {@code [source: ]line L, column C: reason}; lines and columns count from 1,
 * columns in bytes. Once a parser has thrown this, it throws it again on every further call:
 * nothing read before the error should be kept.
 */
public final class OpenMetricsParseException extends IOException {
  private static final long serialVersionUID = 1L;

  private final long line;
  private final long column;
  private final String reason;

  public OpenMetricsParseException(String source, long line, long column, String reason) {
    super(
        (source == null ? "" : source + ": ")
            + "line "
            + line
            + (column > 0 ? ", column " + column : "")
            + ": "
            + reason);
    this.line = line;
    this.column = column;
    this.reason = reason;
  }

  /** The 1-based line of the problem. */
  public long line() {
    return line;
  }

  /** The 1-based byte column of the problem, or 0 when the problem is with the whole line. */
  public long column() {
    return column;
  }

  /** What is wrong, without the position. */
  public String reason() {
    return reason;
  }
}

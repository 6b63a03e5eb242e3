package dev.strata.promql;

/**
 * A query could not be answered. The {@link ErrorType} says why, in the categories Prometheus's
 * HTTP API reports ({@code bad_data}, {@code execution}, ...), and the message is Prometheus's.
 */
public class QueryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why a query failed; the HTTP layer maps these to Prometheus's status codes. */
  public enum ErrorType {
    /** The query is malformed (HTTP 400). */
    BAD_DATA,
    /** The query is well-formed but its evaluation failed (HTTP 422). */
    EXECUTION,
    /** The query ran longer than its timeout (HTTP 503). */
    TIMEOUT,
    /** The query was interrupted (HTTP 503). */
    CANCELED,
    /** Storage or engine failure (HTTP 500). */
    INTERNAL
  }

  private final ErrorType type;

  public QueryException(ErrorType type, String message) {
    super(message);
    this.type = type;
  }

  public QueryException(ErrorType type, String message, Throwable cause) {
    super(message, cause);
    this.type = type;
  }

  public ErrorType type() {
    return type;
  }

  static QueryException execution(String message) {
    return new QueryException(ErrorType.EXECUTION, message);
  }
}

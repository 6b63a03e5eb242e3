package dev.strata.tier.prometheus;

/**
 * Prometheus answered with a status other than 2xx. Its error text is kept: the API's JSON
 * {@code error} field, or the body as it is for remote read, whose errors are plain text.
 */
public final class PrometheusStatusException extends PrometheusException {
  private static final long serialVersionUID = 1L;

  private final int statusCode;
  private final String error;

  public PrometheusStatusException(String call, String message, int statusCode, String error) {
    super(call, message, null);
    this.statusCode = statusCode;
    this.error = error;
  }

  /** The HTTP status, e.g. 400 for a request Prometheus rejects, 503 while it starts. */
  public int statusCode() {
    return statusCode;
  }

  /** Prometheus's error text, possibly empty. */
  public String error() {
    return error;
  }
}

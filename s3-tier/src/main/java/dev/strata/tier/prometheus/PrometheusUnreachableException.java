package dev.strata.tier.prometheus;

/**
 * Prometheus could not be asked or did not finish answering: the connection was refused or lost,
 * or the answer took longer than the request timeout. Another attempt, or another replica, may
 * succeed.
 */
public final class PrometheusUnreachableException extends PrometheusException {
  private static final long serialVersionUID = 1L;

  public PrometheusUnreachableException(String call, String message, Throwable cause) {
    super(call, message, cause);
  }
}

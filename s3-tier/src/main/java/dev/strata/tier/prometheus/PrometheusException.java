package dev.strata.tier.prometheus;

import java.io.IOException;

/**
 * A call to Prometheus's HTTP API failed. The message names the Prometheus, the call (method and
 * path, e.g. {@code POST /api/v1/read}) and what went wrong. This class itself stands for an
 * answer Strata could not use (not the JSON or protobuf the API promises); the subclasses for
 * Prometheus being out of reach and for an error status.
 */
public class PrometheusException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String call;

  public PrometheusException(String call, String message, Throwable cause) {
    super(message, cause);
    this.call = call;
  }

  /** The call that failed: method and path below the base URL, e.g. {@code GET /-/ready}. */
  public String call() {
    return call;
  }
}

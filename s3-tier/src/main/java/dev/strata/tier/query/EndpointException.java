package dev.strata.tier.query;

import java.util.Objects;

/**
 * A StoreAPI endpoint failed a query that does not accept a partial response; the message names
 * the endpoint, the call and why.
 */
public final class EndpointException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String address;

  EndpointException(String address, String message, Throwable cause) {
    super(message, cause);
    this.address = Objects.requireNonNull(address, "address");
  }

  /** The endpoint that failed, {@code host:port}. */
  public String address() {
    return address;
  }
}

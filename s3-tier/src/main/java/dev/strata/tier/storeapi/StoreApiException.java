package dev.strata.tier.storeapi;

import io.grpc.Status;

/** A StoreAPI call that failed, with the gRPC status the endpoint (or the transport) gave. */
public final class StoreApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Status status;

  StoreApiException(String endpoint, String call, Status status, Throwable cause) {
    super(call + " on StoreAPI endpoint " + endpoint + " failed: " + status.getCode()
        + (status.getDescription() != null ? ": " + status.getDescription() : ""), cause);
    this.status = status;
  }

  /** The gRPC status code, e.g. {@code INVALID_ARGUMENT} for a request the endpoint rejected. */
  public Status.Code code() {
    return status.getCode();
  }
}

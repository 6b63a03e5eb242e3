package dev.strata.tier.storeapi;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** Failures of a StoreAPI call as the gRPC status the caller sees. */
final class StatusMapping {

  private StatusMapping() {}

  static StatusRuntimeException toStatus(RuntimeException e) {
    if (e instanceof StatusRuntimeException s) {
      return s;
    }
    Status status;
    if (e instanceof PartFailedException && !(e.getCause() instanceof IllegalStateException)) {
      // As Thanos's store gateway answers a block it could not read: the request was fine.
      status = Status.ABORTED;
    } else if (e instanceof PartFailedException) {
      // What the piece reads from is away (a sidecar's Prometheus): another replica may answer.
      status = Status.UNAVAILABLE;
    } else if (e instanceof IllegalArgumentException) {
      // A bad request: invalid matcher, missing matchers, empty label name, invalid labels.
      status = Status.INVALID_ARGUMENT;
    } else if (e instanceof IllegalStateException) {
      // The source is closed or closing: another replica may answer.
      status = Status.UNAVAILABLE;
    } else {
      status = Status.INTERNAL;
    }
    String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    return status.withDescription(message).withCause(e).asRuntimeException();
  }
}

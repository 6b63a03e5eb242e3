package dev.strata.tier.query;

import dev.strata.tier.storeapi.StoreApiException;
import dev.strata.tsdb.labels.LabelMatcher;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;

/** Matchers on the StoreAPI's wire, and failures of calls in words. */
final class Wire {

  private Wire() {}

  static List<dev.strata.tier.storeapi.proto.LabelMatcher> toProto(LabelMatcher... matchers) {
    List<dev.strata.tier.storeapi.proto.LabelMatcher> out = new ArrayList<>(matchers.length);
    for (LabelMatcher m : matchers) {
      out.add(dev.strata.tier.storeapi.proto.LabelMatcher.newBuilder()
          .setType(type(m))
          .setName(m.name())
          .setValue(m.value())
          .build());
    }
    return out;
  }

  private static dev.strata.tier.storeapi.proto.LabelMatcher.Type type(LabelMatcher m) {
    switch (m.type()) {
      case EQUAL:
        return dev.strata.tier.storeapi.proto.LabelMatcher.Type.EQ;
      case NOT_EQUAL:
        return dev.strata.tier.storeapi.proto.LabelMatcher.Type.NEQ;
      case REGEX:
        return dev.strata.tier.storeapi.proto.LabelMatcher.Type.RE;
      case NOT_REGEX:
        return dev.strata.tier.storeapi.proto.LabelMatcher.Type.NRE;
      default:
        throw new IllegalArgumentException("unknown matcher type " + m.type());
    }
  }

  /**
   * Why a call failed: the gRPC status of a StoreAPI failure (the caller names the endpoint), or
   * the message of any other.
   */
  static String describe(Throwable e) {
    if (e instanceof StoreApiException && e.getCause() != null) {
      Status status = Status.fromThrowable(e.getCause());
      return status.getCode()
          + (status.getDescription() != null ? ": " + status.getDescription() : "");
    }
    return e.getMessage() != null ? e.getMessage() : e.toString();
  }
}

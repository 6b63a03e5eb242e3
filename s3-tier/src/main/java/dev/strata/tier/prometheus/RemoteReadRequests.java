package dev.strata.tier.prometheus;

import dev.strata.tier.prometheus.proto.Query;
import dev.strata.tier.prometheus.proto.ReadRequest;
import dev.strata.tsdb.labels.LabelMatcher;
import java.util.List;

/** The remote read request Thanos's sidecar sends: one query, streamed chunks preferred. */
final class RemoteReadRequests {

  private RemoteReadRequests() {}

  /** One query over {@code [mint, maxt]} (inclusive), accepting streamed chunks, then samples. */
  static ReadRequest of(long mint, long maxt, List<LabelMatcher> matchers) {
    Query.Builder query = Query.newBuilder().setStartTimestampMs(mint).setEndTimestampMs(maxt);
    for (LabelMatcher m : matchers) {
      query.addMatchers(toProto(m));
    }
    return ReadRequest.newBuilder()
        .addQueries(query)
        .addAcceptedResponseTypes(ReadRequest.ResponseType.STREAMED_XOR_CHUNKS)
        .addAcceptedResponseTypes(ReadRequest.ResponseType.SAMPLES)
        .build();
  }

  static dev.strata.tier.prometheus.proto.LabelMatcher toProto(LabelMatcher m) {
    dev.strata.tier.prometheus.proto.LabelMatcher.Type type =
        switch (m.type()) {
          case EQUAL -> dev.strata.tier.prometheus.proto.LabelMatcher.Type.EQ;
          case NOT_EQUAL -> dev.strata.tier.prometheus.proto.LabelMatcher.Type.NEQ;
          case REGEX -> dev.strata.tier.prometheus.proto.LabelMatcher.Type.RE;
          case NOT_REGEX -> dev.strata.tier.prometheus.proto.LabelMatcher.Type.NRE;
        };
    return dev.strata.tier.prometheus.proto.LabelMatcher.newBuilder()
        .setType(type)
        .setName(m.name())
        .setValue(m.value())
        .build();
  }
}

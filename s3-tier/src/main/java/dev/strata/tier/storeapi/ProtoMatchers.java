package dev.strata.tier.storeapi;

import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.MatchType;
import java.util.ArrayList;
import java.util.List;

/** Label matchers between Strata and the StoreAPI (whose type numbers are Prometheus's order). */
final class ProtoMatchers {

  private ProtoMatchers() {}

  static dev.strata.tier.storeapi.proto.LabelMatcher toProto(LabelMatcher m) {
    return dev.strata.tier.storeapi.proto.LabelMatcher.newBuilder()
        .setType(toProto(m.type()))
        .setName(m.name())
        .setValue(m.value())
        .build();
  }

  static List<dev.strata.tier.storeapi.proto.LabelMatcher> toProto(LabelMatcher... matchers) {
    List<dev.strata.tier.storeapi.proto.LabelMatcher> out = new ArrayList<>(matchers.length);
    for (LabelMatcher m : matchers) {
      out.add(toProto(m));
    }
    return out;
  }

  /**
   * The Strata matcher.
   *
   * @throws IllegalArgumentException for an unknown type or an invalid regular expression
   */
  static LabelMatcher fromProto(dev.strata.tier.storeapi.proto.LabelMatcher m) {
    MatchType type =
        switch (m.getType()) {
          case EQ -> MatchType.EQUAL;
          case NEQ -> MatchType.NOT_EQUAL;
          case RE -> MatchType.REGEX;
          case NRE -> MatchType.NOT_REGEX;
          case UNRECOGNIZED ->
              throw new IllegalArgumentException(
                  "unrecognized label matcher type " + m.getTypeValue());
        };
    return LabelMatcher.of(type, m.getName(), m.getValue());
  }

  static List<LabelMatcher> fromProto(List<dev.strata.tier.storeapi.proto.LabelMatcher> matchers) {
    List<LabelMatcher> out = new ArrayList<>(matchers.size());
    for (dev.strata.tier.storeapi.proto.LabelMatcher m : matchers) {
      out.add(fromProto(m));
    }
    return out;
  }

  private static dev.strata.tier.storeapi.proto.LabelMatcher.Type toProto(MatchType type) {
    return switch (type) {
      case EQUAL -> dev.strata.tier.storeapi.proto.LabelMatcher.Type.EQ;
      case NOT_EQUAL -> dev.strata.tier.storeapi.proto.LabelMatcher.Type.NEQ;
      case REGEX -> dev.strata.tier.storeapi.proto.LabelMatcher.Type.RE;
      case NOT_REGEX -> dev.strata.tier.storeapi.proto.LabelMatcher.Type.NRE;
    };
  }
}

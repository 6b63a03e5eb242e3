package dev.strata.tier.storeapi;

import dev.strata.tier.storeapi.proto.Label;
import dev.strata.tier.storeapi.proto.ZLabelSet;
import dev.strata.tsdb.labels.Labels;
import java.util.ArrayList;
import java.util.List;

/** Label sets between Strata's {@link Labels} and the StoreAPI's repeated {@code Label}. */
final class ProtoLabels {

  private ProtoLabels() {}

  static List<Label> toProto(Labels labels) {
    List<Label> out = new ArrayList<>(labels.size());
    for (int i = 0; i < labels.size(); i++) {
      out.add(Label.newBuilder().setName(labels.name(i)).setValue(labels.value(i)).build());
    }
    return out;
  }

  static ZLabelSet toLabelSet(Labels labels) {
    return ZLabelSet.newBuilder().addAllLabels(toProto(labels)).build();
  }

  /**
   * The labels as a Strata label set, sorted whatever their order on the wire.
   *
   * @throws dev.strata.tsdb.labels.InvalidLabelsException for an invalid name or value
   */
  static Labels fromProto(List<Label> labels) {
    Labels.Builder b = Labels.builder();
    for (Label l : labels) {
      b.set(l.getName(), l.getValue());
    }
    return b.build();
  }
}

package dev.strata.tier.storeapi;

import dev.strata.tier.storeapi.proto.InfoResponse;
import dev.strata.tier.storeapi.proto.ZLabelSet;
import dev.strata.tier.storeapi.proto.info.StoreInfo;
import dev.strata.tier.storeapi.proto.info.TSDBInfo;
import dev.strata.tsdb.labels.Labels;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a server advertises about a {@link StoreSource}, in both Info APIs: the querier asks
 * {@code thanos.info.Info/Info} first and falls back to the older {@code thanos.Store/Info}. The
 * querier sends a request only to stores one of whose label sets the request's matchers accept,
 * so every part's external labels are advertised; they are read anew for every call.
 */
final class StoreInfos {

  private StoreInfos() {}

  /** The answer of {@code thanos.Store/Info}. */
  static InfoResponse storeInfo(StoreSource source) {
    List<StoreSource> parts = source.parts();
    InfoResponse.Builder b =
        InfoResponse.newBuilder()
            .setMinTime(source.minTime())
            .setMaxTime(source.maxTime())
            .setStoreType(source.componentType().storeType())
            .addAllLabelSets(labelSets(parts));
    if (parts.size() == 1) {
      // The deprecated single label set, which only a one-producer store can give.
      b.addAllLabels(ProtoLabels.toProto(parts.get(0).externalLabels()));
    }
    return b.build();
  }

  /**
   * The answer of {@code thanos.info.Info/Info}: a StoreAPI only, without sharding (the server
   * ignores {@code shard_info}, so it must not invite it) but with replica-label removal, and a
   * {@code tsdb_infos} entry per part with the part's own range.
   */
  static dev.strata.tier.storeapi.proto.info.InfoResponse info(StoreSource source) {
    List<StoreSource> parts = source.parts();
    long min = source.minTime();
    long max = source.maxTime();
    StoreInfo.Builder store =
        StoreInfo.newBuilder()
            .setMinTime(min)
            .setMaxTime(max)
            .setSupportsSharding(false)
            .setSupportsWithoutReplicaLabels(true);
    for (StoreSource part : parts) {
      Labels ext = part.externalLabels();
      if (!ext.isEmpty()) {
        // A source that is its own part has just been asked; asking again could differ.
        store.addTsdbInfos(
            TSDBInfo.newBuilder()
                .setLabels(ProtoLabels.toLabelSet(ext))
                .setMinTime(part == source ? min : part.minTime())
                .setMaxTime(part == source ? max : part.maxTime()));
      }
    }
    return dev.strata.tier.storeapi.proto.info.InfoResponse.newBuilder()
        .setComponentType(source.componentType().thanosName())
        .addAllLabelSets(labelSets(parts))
        .setStore(store)
        .build();
  }

  /** The distinct non-empty external label sets of the parts. */
  private static List<ZLabelSet> labelSets(List<StoreSource> parts) {
    Set<Labels> distinct = new LinkedHashSet<>();
    for (StoreSource part : parts) {
      Labels ext = part.externalLabels();
      if (!ext.isEmpty()) {
        distinct.add(ext);
      }
    }
    List<ZLabelSet> out = new ArrayList<>(distinct.size());
    distinct.forEach(l -> out.add(ProtoLabels.toLabelSet(l)));
    return out;
  }
}

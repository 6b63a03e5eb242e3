package dev.strata.tier.storeapi;

import dev.strata.tier.storeapi.proto.InfoResponse;
import dev.strata.tier.storeapi.proto.info.StoreInfo;
import dev.strata.tier.storeapi.proto.info.TSDBInfo;
import dev.strata.tsdb.labels.Labels;

/**
 * What a server advertises about a {@link StoreSource}, in both Info APIs: the querier asks
 * {@code thanos.info.Info/Info} first and falls back to the older {@code thanos.Store/Info}.
 */
final class StoreInfos {

  private StoreInfos() {}

  /** The answer of {@code thanos.Store/Info}. */
  static InfoResponse storeInfo(StoreSource source) {
    Labels ext = source.externalLabels();
    InfoResponse.Builder b =
        InfoResponse.newBuilder()
            .addAllLabels(ProtoLabels.toProto(ext))
            .setMinTime(source.minTime())
            .setMaxTime(source.maxTime())
            .setStoreType(source.componentType().storeType());
    if (!ext.isEmpty()) {
      b.addLabelSets(ProtoLabels.toLabelSet(ext));
    }
    return b.build();
  }

  /**
   * The answer of {@code thanos.info.Info/Info}: a StoreAPI only, without sharding (the server
   * ignores {@code shard_info}, so it must not invite it) but with replica-label removal.
   */
  static dev.strata.tier.storeapi.proto.info.InfoResponse info(StoreSource source) {
    Labels ext = source.externalLabels();
    long min = source.minTime();
    long max = source.maxTime();
    StoreInfo.Builder store =
        StoreInfo.newBuilder()
            .setMinTime(min)
            .setMaxTime(max)
            .setSupportsSharding(false)
            .setSupportsWithoutReplicaLabels(true);
    var b =
        dev.strata.tier.storeapi.proto.info.InfoResponse.newBuilder()
            .setComponentType(source.componentType().thanosName());
    if (!ext.isEmpty()) {
      b.addLabelSets(ProtoLabels.toLabelSet(ext));
      store.addTsdbInfos(
          TSDBInfo.newBuilder()
              .setLabels(ProtoLabels.toLabelSet(ext))
              .setMinTime(min)
              .setMaxTime(max));
    }
    return b.setStore(store).build();
  }
}

package dev.strata.tier.storeapi;

import dev.strata.tier.storeapi.proto.StoreType;

/**
 * What kind of Thanos component a StoreAPI server presents itself as: the name in
 * {@code thanos.info.Info} and the older {@code StoreType} of {@code thanos.Store/Info}.
 */
public enum ComponentType {
  /** Next to a live database, as {@code thanos sidecar} next to Prometheus. */
  SIDECAR("sidecar", StoreType.SIDECAR),
  /** Over blocks in a bucket, as {@code thanos store}. */
  STORE("store", StoreType.STORE),
  QUERY("query", StoreType.QUERY),
  RULE("rule", StoreType.RULE),
  RECEIVE("receive", StoreType.RECEIVE),
  DEBUG("debug", StoreType.DEBUG);

  private final String thanosName;
  private final StoreType storeType;

  ComponentType(String thanosName, StoreType storeType) {
    this.thanosName = thanosName;
    this.storeType = storeType;
  }

  /** The name Thanos uses, e.g. {@code "sidecar"}. */
  public String thanosName() {
    return thanosName;
  }

  StoreType storeType() {
    return storeType;
  }
}

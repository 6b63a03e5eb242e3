/**
 * The Thanos StoreAPI over gRPC: a server ({@link dev.strata.tier.storeapi.StoreServer}) that lets a
 * Thanos querier read Strata's data, and a client ({@link dev.strata.tier.storeapi.StoreClient})
 * that reads any StoreAPI endpoint as a Strata {@link dev.strata.tsdb.storage.Querier}.
 *
 * <p>The layering follows Thanos's {@code pkg/store}: protocol conversions ({@code Proto*}), the
 * rules every store applies to external labels ({@link dev.strata.tier.storeapi.ExternalLabels}),
 * and sources of series behind one interface ({@link dev.strata.tier.storeapi.StoreSource}). The
 * messages are generated from {@code src/main/proto} into {@code dev.strata.tier.storeapi.proto}.
 */
package dev.strata.tier.storeapi;

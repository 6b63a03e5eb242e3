package dev.strata.examples.cli.store;

import dev.strata.tier.objstore.CountingBucket;
import dev.strata.tier.store.BucketCaches;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** What the store gateway reads from the bucket and how well its caches spare it. */
final class BucketMetrics {
  private BucketMetrics() {}

  static void register(PrometheusRegistry registry, CountingBucket bucket, BucketCaches caches) {
    CounterWithCallback.builder().name("strata_bucket_get_requests_total")
        .help("GET and ranged GET requests made to the bucket.")
        .callback(cb -> cb.call(bucket.getRequests())).register(registry);
    CounterWithCallback.builder().name("strata_bucket_fetched_bytes_total")
        .help("Bytes read from the bucket.")
        .callback(cb -> cb.call(bucket.bytesRead())).register(registry);
    CounterWithCallback.builder().name("strata_bucket_cache_hits_total")
        .help("Reads answered by an in-memory cache, by cache (postings, series, chunks: a page"
            + " of a chunk file looked up once per batch of a query).")
        .labelNames("cache")
        .callback(cb -> caches.stats().forEach(s -> cb.call(s.hits(), s.name())))
        .register(registry);
    CounterWithCallback.builder().name("strata_bucket_cache_misses_total")
        .help("Reads a cache could not answer, by cache.").labelNames("cache")
        .callback(cb -> caches.stats().forEach(s -> cb.call(s.misses(), s.name())))
        .register(registry);
    CounterWithCallback.builder().name("strata_bucket_cache_evictions_total")
        .help("Entries evicted to stay within a cache's size, by cache.").labelNames("cache")
        .callback(cb -> caches.stats().forEach(s -> cb.call(s.evictions(), s.name())))
        .register(registry);
    GaugeWithCallback.builder().name("strata_bucket_cache_bytes")
        .help("Bytes a cache holds, by cache.").labelNames("cache")
        .callback(cb -> caches.stats().forEach(s -> cb.call(s.bytes(), s.name())))
        .register(registry);
  }
}

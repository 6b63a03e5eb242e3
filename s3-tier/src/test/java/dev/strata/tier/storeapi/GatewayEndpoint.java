package dev.strata.tier.storeapi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.tier.objstore.Bucket;
import dev.strata.tier.objstore.FilesystemBucket;
import dev.strata.tier.query.EndpointSet;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A store gateway over a filesystem bucket holding some of {@link BucketFixture}'s blocks, and the
 * querier's endpoint set over it, checked once: for tests that read through the querier's pieces.
 */
final class GatewayEndpoint implements AutoCloseable {
  final Bucket bucket;
  final BucketServer gateway;
  final EndpointSet endpoints;

  private GatewayEndpoint(Bucket bucket, BucketServer gateway, EndpointSet endpoints) {
    this.bucket = bucket;
    this.gateway = gateway;
    this.endpoints = endpoints;
  }

  /** Uploads {@code blocks} to a new bucket under {@code dir} and serves it. */
  static GatewayEndpoint start(Path dir, List<BucketFixture.LocalBlock> blocks)
      throws IOException {
    Bucket bucket = FilesystemBucket.open(dir.resolve("bucket"));
    BucketFixture.upload(bucket, blocks);
    BucketServer gateway = BucketServer.start(bucket, dir.resolve("local"), Duration.ZERO);
    EndpointSet endpoints = EndpointSet.builder().endpoint(gateway.target()).start();
    endpoints.update();
    assertEquals(1, endpoints.stores().size(), () -> "" + endpoints.statuses());
    return new GatewayEndpoint(bucket, gateway, endpoints);
  }

  @Override
  public void close() throws Exception {
    endpoints.close();
    gateway.close();
    bucket.close();
  }
}

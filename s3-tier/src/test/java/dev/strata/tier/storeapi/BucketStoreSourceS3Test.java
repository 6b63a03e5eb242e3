package dev.strata.tier.storeapi;

import static dev.strata.tier.storeapi.BucketFixture.END;
import static dev.strata.tier.storeapi.BucketFixture.EU_A;
import static dev.strata.tier.storeapi.BucketFixture.EU_B;
import static dev.strata.tier.storeapi.BucketFixture.H;
import static dev.strata.tier.storeapi.BucketFixture.US;
import static dev.strata.tier.storeapi.BucketServer.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.downsample.AggrType;
import dev.strata.tier.objstore.Bucket;
import dev.strata.tier.objstore.S3Bucket;
import dev.strata.tier.storeapi.proto.Aggr;
import dev.strata.tier.storeapi.proto.AggrChunk;
import dev.strata.tier.testing.LocalS3Server;
import dev.strata.tier.testing.TestTsdb;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same blocks in S3 (S3Proxy on a loopback port): what a store gateway over real object
 * storage answers, ranged GETs and all.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BucketStoreSourceS3Test {
  private static final LabelMatcher ANY = LabelMatcher.regex("__name__", ".+");

  private BucketFixture data;
  private LocalS3Server s3;
  private Bucket bucket;
  private BucketServer gateway;

  @BeforeAll
  void start(@TempDir Path dir) throws IOException {
    data = BucketFixture.create(dir.resolve("blocks"));
    s3 = LocalS3Server.inMemory();
    s3.createBucket("thanos");
    bucket = S3Bucket.open(s3.options("thanos").build());
    data.uploadAll(bucket);
    gateway = BucketServer.start(bucket, dir.resolve("local"), Duration.ZERO);
  }

  @AfterAll
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (bucket != null) {
      bucket.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  @Test
  void everyProducerIsAdvertisedAndItsRawSamplesServed() throws IOException {
    assertEquals(List.of(ProtoLabels.toLabelSet(EU_A), ProtoLabels.toLabelSet(EU_B),
        ProtoLabels.toLabelSet(US)), gateway.info().getLabelSetsList());
    try (StoreClient client = gateway.client(0, END)) {
      assertEquals(data.readRaw(0, END, ANY), TestTsdb.read(client, ANY));
    }
  }

  @Test
  void aggregatesComeFromTheCoarsestBlocksTheWindowAllows() throws IOException {
    Labels load = Labels.of("__name__", "load", "instance", "host-1", "job", "db");
    List<LabelMatcher> m = new java.util.ArrayList<>(List.of(BucketChunks.equalTo(load)));
    m.add(LabelMatcher.equal("replica", "a"));
    Map<Labels, List<AggrChunk>> served = gateway.series(
        request(0, END, m.toArray(LabelMatcher[]::new)).setMaxResolutionWindow(H)
            .addAggregates(Aggr.SUM).addAggregates(Aggr.COUNT).build());
    assertEquals(Map.of(BucketChunks.served(load, EU_A), BucketChunks.expected(
        List.of(data.oneHour1, data.fiveMinutes2, data.raw3), load,
        EnumSet.of(AggrType.COUNT, AggrType.SUM), 0, END)), served);
  }

  @Test
  void labelCallsAndExternalLabelMatchers() {
    try (StoreClient client = gateway.client(0, END)) {
      assertEquals(List.of("eu", "us"), client.labelValues("cluster"));
      assertEquals(1, TestTsdb.read(client, LabelMatcher.equal("cluster", "us"), ANY).size());
      StoreApiException e = assertThrows(StoreApiException.class,
          () -> TestTsdb.read(client, LabelMatcher.equal("replica", "b")));
      assertEquals(Status.Code.INVALID_ARGUMENT, e.code());
      assertTrue(client.warnings().isEmpty());
    }
  }
}

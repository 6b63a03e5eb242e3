package dev.strata.tier.objstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tier.testing.FaultProxy;
import dev.strata.tier.testing.FaultProxy.Fault;
import dev.strata.tier.testing.LocalS3Server;
import dev.strata.tsdb.testing.TempDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * S3 through a proxy that throttles, resets and stalls requests: uploads and reads retry and
 * complete, uploads that cannot complete leave nothing behind, and bad settings fail once, clearly.
 */
class S3FaultTest {
  private static final AtomicInteger BUCKETS = new AtomicInteger();
  static LocalS3Server server;
  FaultProxy proxy;
  TempDirectory tmp;
  String bucketName;

  @BeforeAll
  static void startServer() {
    server = LocalS3Server.inMemory();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void setUp() throws IOException {
    proxy = new FaultProxy(server.port());
    tmp = TempDirectory.create("s3-faults");
    bucketName = "faults-" + BUCKETS.incrementAndGet();
    server.createBucket(bucketName);
  }

  @AfterEach
  void tearDown() {
    proxy.close();
    tmp.close();
  }

  S3Bucket throughProxy() throws IOException {
    return S3Bucket.open(server.options(bucketName, proxy.endpoint())
        .partSize(S3Options.MIN_PART_SIZE).uploadConcurrency(3).maxRetries(8).build());
  }

  Path file(int size, long seed) throws IOException {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    Path f = tmp.path().resolve("f" + seed);
    Files.write(f, b);
    return f;
  }

  static boolean isPart(FaultProxy.Request r) {
    return r.method().equals("PUT") && r.target().contains("partNumber=");
  }

  @Test
  void multipartUploadRetriesThrottlingAndResets() throws IOException {
    Path f = file((int) (3.2 * S3Options.MIN_PART_SIZE), 1);
    try (S3Bucket b = throughProxy()) {
      AtomicInteger parts = new AtomicInteger();
      proxy.plan(r -> {
        if (!isPart(r)) {
          return r.number() % 5 == 4 ? Fault.SLOW_DOWN : Fault.PASS;
        }
        return switch (parts.getAndIncrement() % 4) {
          case 0 -> Fault.SLOW_DOWN;
          case 1 -> Fault.DROP_MID_REQUEST;
          case 2 -> Fault.DROP_BEFORE;
          default -> Fault.PASS;
        };
      });
      b.upload("retried", f);
      proxy.plan(r -> Fault.PASS);
      assertArrayEquals(Files.readAllBytes(f), b.readAll("retried"));
    }
    assertTrue(proxy.faults() >= 10, "faults injected: " + proxy.faults());
    try (var raw = server.rawClient()) {
      assertTrue(raw.listMultipartUploads(r -> r.bucket(bucketName)).uploads().isEmpty());
    }
  }

  @Test
  void singlePutRetries() throws IOException {
    Path f = file(100_000, 2);
    try (S3Bucket b = throughProxy()) {
      AtomicInteger puts = new AtomicInteger();
      proxy.plan(r -> r.method().equals("PUT") && puts.getAndIncrement() < 3
          ? Fault.DROP_MID_REQUEST : Fault.PASS);
      b.upload("small", f);
      assertArrayEquals(Files.readAllBytes(f), b.readAll("small"));
    }
  }

  @Test
  void readsResumeAfterDroppedResponses() throws IOException {
    Path f = file(3_000_000, 3);
    byte[] data = Files.readAllBytes(f);
    try (S3Bucket b = throughProxy()) {
      b.upload("read", f);
      AtomicInteger gets = new AtomicInteger();
      proxy.plan(r -> r.method().equals("GET") && gets.getAndIncrement() % 2 == 0
          ? Fault.DROP_MID_RESPONSE : Fault.PASS);
      try (InputStream in = b.get("read")) {
        assertArrayEquals(data, in.readAllBytes());
      }
      assertArrayEquals(BucketContract.slice(data, 1000, 500_000), b.readRange("read", 1000, 500_000));
      try (InputStream in = b.getRange("read", 7, 2_000_000)) {
        assertArrayEquals(BucketContract.slice(data, 7, 2_000_000), in.readAllBytes());
      }
      assertTrue(gets.get() >= 6, "GETs: " + gets.get());
    }
  }

  @Test
  void stalledRequestsTimeOutAndAreRetried() throws IOException {
    try (S3Bucket b = S3Bucket.open(server.options(bucketName, proxy.endpoint())
        .requestTimeout(Duration.ofMillis(400)).uploadPartTimeout(Duration.ofMillis(400))
        .maxRetries(5).build())) {
      b.upload("t", new byte[] {1, 2, 3});
      AtomicInteger n = new AtomicInteger();
      proxy.delay(Duration.ofSeconds(3)).plan(r -> n.getAndIncrement() < 2 ? Fault.DELAY : Fault.PASS);
      long start = System.nanoTime();
      assertArrayEquals(new byte[] {1, 2, 3}, b.readRange("t", 0, 3));
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(millis < 2_500, "two stalled attempts took " + millis + " ms");
    }
  }

  @Test
  void anUploadThatCannotCompleteLeavesNothing() throws IOException {
    Path f = file((int) (2.5 * S3Options.MIN_PART_SIZE), 4);
    try (S3Bucket b = throughProxy()) {
      proxy.plan(r -> isPart(r) ? Fault.DROP_MID_REQUEST : Fault.PASS);
      IOException e = assertThrows(IOException.class, () -> b.upload("doomed", f));
      assertTrue(e.getMessage().contains("doomed"), e.getMessage());
      proxy.plan(r -> Fault.PASS);
      assertFalse(b.exists("doomed"));
    }
    try (var raw = server.rawClient()) {
      assertTrue(raw.listMultipartUploads(r -> r.bucket(bucketName)).uploads().isEmpty(),
          "the failed upload was aborted");
    }
  }

  @Test
  void wrongCredentialsAreOneClearError() {
    S3Options o = server.options(bucketName).credentials("nobody", "wrong-secret-123", null).build();
    BucketAccessException e = assertThrows(BucketAccessException.class, () -> S3Bucket.open(o));
    assertTrue(e.getMessage().contains("denied") && e.getMessage().contains("secret_key"), e.getMessage());
    assertFalse(fullText(e).contains("wrong-secret-123"));
  }

  @Test
  void aMissingBucketIsOneClearError() {
    BucketAccessException e = assertThrows(BucketAccessException.class,
        () -> S3Bucket.open(server.options("no-such-bucket").build()));
    assertTrue(e.getMessage().contains("no-such-bucket") && e.getMessage().contains("does not exist"),
        e.getMessage());
  }

  @Test
  void aDeadEndpointIsOneClearError() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    S3Options o = server.options(bucketName, URI.create("http://127.0.0.1:" + port)).build();
    BucketAccessException e = assertThrows(BucketAccessException.class, () -> S3Bucket.open(o));
    assertTrue(e.getMessage().contains("cannot connect"), e.getMessage());
  }

  static String fullText(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      sb.append(t).append('\n');
    }
    return sb.toString();
  }
}

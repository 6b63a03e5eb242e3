package dev.strata.tier.objstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tier.testing.LocalS3Server;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bucket contract and multipart uploads against a real S3 server (S3Proxy, in-process). */
class S3BucketTest extends BucketContract {
  private static final AtomicInteger BUCKETS = new AtomicInteger();
  static LocalS3Server server;

  @BeforeAll
  static void startServer() {
    server = LocalS3Server.inMemory();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Override
  protected Bucket newBucket() throws IOException {
    String name = "contract-" + BUCKETS.incrementAndGet();
    server.createBucket(name);
    return S3Bucket.open(server.options(name)
        .partSize(S3Options.MIN_PART_SIZE).uploadConcurrency(3).build());
  }

  String bucketName() {
    return ((S3Bucket) bucket).options().bucket();
  }

  @Test
  void largeFilesGoUpInPartsAndLeaveNoUploadsBehind() throws IOException {
    int size = (int) (2.5 * S3Options.MIN_PART_SIZE) + 17;
    byte[] data = random(size, 11);
    Path f = tmp.path().resolve("big");
    Files.write(f, data);
    bucket.upload("big/file", f);
    bucket.upload("big/stream", new ByteArrayInputStream(data), size);
    assertArrayEquals(data, bucket.readAll("big/file"));
    assertArrayEquals(data, bucket.readAll("big/stream"));
    assertEquals(size, bucket.attributes("big/file").size());
    try (var raw = server.rawClient()) {
      // A multipart object's ETag ends with the part count: it really went up in three parts.
      String etag = raw.headObject(r -> r.bucket(bucketName()).key("big/file")).eTag();
      assertTrue(etag.replace("\"", "").endsWith("-3"), etag);
      assertTrue(raw.listMultipartUploads(r -> r.bucket(bucketName())).uploads().isEmpty());
    }
    // Ranged reads across part boundaries.
    int boundary = (int) S3Options.MIN_PART_SIZE;
    assertArrayEquals(slice(data, boundary - 10, 20), bucket.readRange("big/file", boundary - 10, 20));
    assertArrayEquals(slice(data, size - 3, 3), bucket.readRange("big/file", size - 3, 3));
    try (InputStream in = bucket.getRange("big/file", boundary - 1, boundary + 2L)) {
      assertArrayEquals(slice(data, boundary - 1, boundary + 2), in.readAllBytes());
    }
  }

  @Test
  void checksumsWhenSupportedAlsoWorkWithThisServer() throws IOException {
    try (S3Bucket b = S3Bucket.open(server.options(bucketName())
        .checksumMode(S3Options.ChecksumMode.WHEN_SUPPORTED).sendContentMd5(false)
        .partSize(S3Options.MIN_PART_SIZE).build())) {
      byte[] data = random((int) S3Options.MIN_PART_SIZE + 5, 3);
      Path f = tmp.path().resolve("crc");
      Files.write(f, data);
      b.upload("crc", f);
      assertArrayEquals(data, b.readAll("crc"));
    }
  }

  @Test
  void optionsNeverShowSecrets() {
    String text = server.options("x").build().toString() + new BucketConfig[] {
        BucketConfig.s3(server.options("x").build())}[0];
    assertFalse(text.contains(LocalS3Server.SECRET_KEY), text);
    assertFalse(text.contains(LocalS3Server.ACCESS_KEY), text);
  }
}

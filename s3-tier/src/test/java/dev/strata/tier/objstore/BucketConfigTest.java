package dev.strata.tier.objstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tsdb.testing.TempDirectory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BucketConfigTest {

  @Test
  void readsThanosS3Config() throws Exception {
    BucketConfig c = BucketConfig.parse("""
        type: S3
        config:
          bucket: metrics
          endpoint: 127.0.0.1:9000
          region: eu-west-1
          access_key: AKIDEXAMPLE
          secret_key: s3cr3t
          insecure: true
          signature_version2: false
          put_user_metadata: {}
          http_config:
            idle_conn_timeout: 1m30s
            response_header_timeout: 2m
            insecure_skip_verify: false
          trace:
            enable: false
          part_size: 10485760
          upload_concurrency: 8
          request_timeout: 45s
        prefix: tenant-a/
        """);
    assertEquals(BucketConfig.Type.S3, c.type());
    S3Options o = c.s3Options().orElseThrow();
    assertEquals("metrics", o.bucket());
    assertEquals(URI.create("http://127.0.0.1:9000"), o.endpoint().orElseThrow());
    assertEquals("eu-west-1", o.region());
    assertTrue(o.pathStyle());
    assertTrue(o.hasStaticCredentials());
    assertEquals(10 << 20, o.partSize());
    assertEquals(8, o.uploadConcurrency());
    assertEquals(Duration.ofSeconds(45), o.requestTimeout());
    assertEquals(Duration.ofMinutes(2), o.socketTimeout());
    assertEquals(S3Options.ChecksumMode.WHEN_REQUIRED, o.checksumMode());
    assertEquals("tenant-a", c.prefix());
    assertFalse(c.toString().contains("s3cr3t"));
  }

  @Test
  void awsDefaults() throws Exception {
    S3Options o = BucketConfig.parse("type: s3\nconfig:\n  bucket: b\n  endpoint: s3.amazonaws.com\n  aws_sdk_auth: true\n")
        .s3Options().orElseThrow();
    assertTrue(o.endpoint().isEmpty());
    assertFalse(o.pathStyle());
    assertFalse(o.hasStaticCredentials());
    assertEquals(16 << 20, o.partSize());
  }

  @Test
  void readsFilesystemConfigFromAFile() throws Exception {
    try (TempDirectory tmp = TempDirectory.create("config")) {
      Path f = tmp.path().resolve("objstore.yml");
      Files.writeString(f, "type: FILESYSTEM\nconfig:\n  directory: " + tmp.path().resolve("b") + "\n");
      BucketConfig c = BucketConfig.read(f);
      assertEquals(tmp.path().resolve("b"), c.directory().orElseThrow());
      try (Bucket b = c.open()) {
        b.upload("x", new byte[] {1});
        assertTrue(Files.exists(tmp.path().resolve("b/x")));
      }
      try (Bucket b = c.withPrefix("p/q").open()) {
        b.upload("y", new byte[] {2});
        assertTrue(Files.exists(tmp.path().resolve("b/p/q/y")));
        assertEquals("y", b.list("", true, null, 10).entries().get(0).key());
      }
    }
  }

  static String error(String yaml) {
    return assertThrows(BucketConfigException.class, () -> BucketConfig.parse(yaml)).getMessage();
  }

  @Test
  void malformedConfigsAreOneClearErrorWithoutSecrets() {
    String yaml = "type: S3\nconfig:\n  bucket: b\n  secret_key: top-secret: oops\n";
    String m = error(yaml);
    assertTrue(m.contains("line 4"), m);
    assertFalse(m.contains("top-secret"), m);

    m = error("type: S3\nconfig:\n  bucket: b\n  secret_key: [top-secret]\n  access_key: a\n");
    assertTrue(m.contains("secret_key") && m.contains("string"), m);
    assertFalse(m.contains("top-secret"), m);

    m = error("type: S3\nconfig:\n  bucket: b\n  acess_key: typo\n");
    assertTrue(m.contains("unknown field 'config.acess_key'"), m);

    m = error("type: S3\nconfig:\n  endpoint: x\n");
    assertTrue(m.contains("config.bucket is missing"), m);

    m = error("type: GCS\nconfig:\n  bucket: b\n");
    assertTrue(m.contains("type 'GCS' is not supported"), m);

    m = error("config:\n  bucket: b\n");
    assertTrue(m.contains("'type' is missing"), m);

    m = error("type: S3\nconfig:\n  bucket: b\n  access_key: only-one\n");
    assertTrue(m.contains("must be set together"), m);
    assertFalse(m.contains("only-one"), m);

    m = error("type: S3\nconfig:\n  bucket: b\n  signature_version2: true\n");
    assertTrue(m.contains("signature_version2") && m.contains("does not support"), m);

    m = error("type: S3\nconfig:\n  bucket: b\n  request_timeout: soon\n");
    assertTrue(m.contains("request_timeout") && m.contains("duration"), m);

    m = error("type: FILESYSTEM\nconfig: {}\n");
    assertTrue(m.contains("config.directory is missing"), m);

    m = error("");
    assertTrue(m.contains("empty"), m);
  }

  @Test
  void parsesGoDurations() {
    assertEquals(Duration.ofSeconds(90), BucketConfig.parseDuration("1m30s"));
    assertEquals(Duration.ofMillis(500), BucketConfig.parseDuration("500ms"));
    assertEquals(Duration.ofMillis(1500), BucketConfig.parseDuration("1.5s"));
    assertEquals(Duration.ofHours(2), BucketConfig.parseDuration("2h"));
    assertEquals(Duration.ZERO, BucketConfig.parseDuration("0"));
    assertEquals(null, BucketConfig.parseDuration("5"));
    assertEquals(null, BucketConfig.parseDuration("1m 30s"));
  }
}

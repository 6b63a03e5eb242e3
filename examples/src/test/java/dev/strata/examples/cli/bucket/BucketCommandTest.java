package dev.strata.examples.cli.bucket;

import static dev.strata.examples.cli.StrataCli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.examples.cli.StrataCli.Result;
import dev.strata.tier.objstore.Bucket;
import dev.strata.tier.objstore.BucketConfig;
import dev.strata.tier.testing.LocalS3Server;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo shipping to S3 and the bucket commands reading it back, against a real S3 server
 * (S3Proxy on loopback) through the same configuration file users write.
 */
class BucketCommandTest {
  static LocalS3Server s3;

  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    s3 = LocalS3Server.inMemory();
  }

  @AfterAll
  static void stop() {
    s3.close();
  }

  private Path config(String bucket, String secret) throws Exception {
    Path file = tmp.resolve(bucket + "-" + secret.length() + ".yml");
    Files.writeString(file, "type: S3\nconfig:\n  bucket: " + bucket + "\n  endpoint: "
        + s3.endpoint().getAuthority() + "\n  insecure: true\n  access_key: "
        + LocalS3Server.ACCESS_KEY + "\n  secret_key: " + secret + "\n");
    return file;
  }

  @Test
  void theDemoShipsToS3AndTheBucketCommandsReadIt() throws Exception {
    s3.createBucket("demo");
    Path cfg = config("demo", LocalS3Server.SECRET_KEY);
    Result demo = run("demo", "--data-dir", tmp.resolve("data").toString(), "--hosts", "2",
        "--days", "1", "--objstore.config-file", cfg.toString());
    assertEquals(0, demo.exitCode(), demo.stderr());
    assertTrue(demo.stdout().contains("identical to the local read before shipping"), demo.stdout());
    assertTrue(demo.stdout().matches("(?s).*shipped [1-9]\\d* blocks.*"), demo.stdout());
    assertFalse(Files.exists(tmp.resolve("strata-demo-bucket")), "no filesystem bucket");

    Result ls = run("bucket", "ls", "--objstore.config-file=" + cfg);
    assertEquals(0, ls.exitCode(), ls.stderr());
    List<String> blocks = ls.stdout().lines().filter(l -> l.contains("source=strata-demo")).toList();
    assertFalse(blocks.isEmpty(), ls.stdout());
    assertTrue(ls.stdout().contains(blocks.size() + " blocks, 0 partial, 0 unreadable"), ls.stdout());

    Result verify = run("bucket", "verify", "--objstore.config-file=" + cfg);
    assertEquals(0, verify.exitCode(), verify.stdout() + verify.stderr());
    assertTrue(verify.stdout().contains(blocks.size() + " blocks checked, 0 with problems"), verify.stdout());

    String ulid = blocks.get(0).substring(0, 26);
    Result inspect = run("bucket", "inspect", "--objstore.config-file=" + cfg, ulid);
    assertEquals(0, inspect.exitCode(), inspect.stderr());
    assertTrue(inspect.stdout().contains(ulid), inspect.stdout());

    // One flipped byte in a chunk segment: verify names the block and fails.
    String key = ulid + "/chunks/000001";
    try (Bucket bucket = BucketConfig.read(cfg).open()) {
      byte[] bytes;
      try (InputStream in = bucket.get(key)) {
        bytes = in.readAllBytes();
      }
      bytes[bytes.length / 2] ^= 0x10;
      bucket.upload(key, new ByteArrayInputStream(bytes), bytes.length);
    }
    Result damaged = run("bucket", "verify", "--objstore.config-file=" + cfg, ulid);
    assertEquals(1, damaged.exitCode(), damaged.stdout());
    assertTrue(damaged.stdout().contains(ulid + "  FAILED"), damaged.stdout());
  }

  @Test
  void badConfigurationsGiveOneClearLineEach() throws Exception {
    s3.createBucket("creds");
    String wrongSecret = "not-the-secret-at-all";
    Result creds = run("bucket", "ls", "--objstore.config-file=" + config("creds", wrongSecret));
    assertEquals(2, creds.exitCode(), creds.stdout());
    assertEquals(1, creds.stderr().lines().count(), creds.stderr());
    assertFalse(creds.stderr().contains(wrongSecret), "the secret stays secret: " + creds.stderr());

    Result missing = run("bucket", "ls",
        "--objstore.config-file=" + config("no-such-bucket", LocalS3Server.SECRET_KEY));
    assertEquals(2, missing.exitCode(), missing.stdout());
    assertEquals(1, missing.stderr().lines().count(), missing.stderr());
    assertTrue(missing.stderr().contains("no-such-bucket"), missing.stderr());

    Path typo = tmp.resolve("typo.yml");
    Files.writeString(typo, "type: S3\nconfig:\n  bucket: x\n  endpont: localhost:1\n");
    Result malformed = run("bucket", "ls", "--objstore.config-file=" + typo);
    assertEquals(2, malformed.exitCode(), malformed.stdout());
    assertEquals(1, malformed.stderr().lines().count(), malformed.stderr());
    assertTrue(malformed.stderr().contains("endpont"), malformed.stderr());

    Result demo = run("demo", "--data-dir", tmp.resolve("d").toString(), "--hosts", "1", "--days",
        "1", "--objstore.config-file", typo.toString());
    assertEquals(1, demo.exitCode());
    assertEquals(1, demo.stderr().lines().count(), demo.stderr());
    assertTrue(demo.stderr().contains("endpont"), demo.stderr());
  }

  @Test
  void aMissingFilesystemBucketIsAnErrorNotAnEmptyBucket() throws Exception {
    Path missing = tmp.resolve("no-such-dir");
    Path cfg = Files.writeString(tmp.resolve("fs.yml"),
        "type: FILESYSTEM\nconfig:\n  directory: " + missing + "\n");
    for (String tool : List.of("ls", "inspect", "verify")) {
      Result r = run("bucket", tool, "--objstore.config-file=" + cfg);
      assertEquals(2, r.exitCode(), tool + ": " + r.stdout());
      assertEquals("", r.stdout(), tool);
      assertEquals(1, r.stderr().lines().count(), r.stderr());
      assertTrue(r.stderr().contains("bucket directory " + missing + " does not exist"), r.stderr());
      assertFalse(Files.exists(missing), tool + " must not create the bucket directory");
    }
    Files.createDirectories(missing);
    Result empty = run("bucket", "verify", "--objstore.config-file=" + cfg);
    assertEquals(0, empty.exitCode(), empty.stderr());
    assertTrue(empty.stdout().contains("0 blocks checked, 0 with problems"), empty.stdout());
  }
}

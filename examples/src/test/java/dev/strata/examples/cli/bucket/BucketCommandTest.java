package dev.strata.examples.cli.bucket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.examples.cli.StrataCommand;
import dev.strata.tier.objstore.Bucket;
import dev.strata.tier.objstore.BucketConfig;
import dev.strata.tier.testing.LocalS3Server;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

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

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cli = StrataCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
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
    Run demo = run("demo", "--data-dir", tmp.resolve("data").toString(), "--hosts", "2",
        "--days", "1", "--objstore.config-file", cfg.toString());
    assertEquals(0, demo.exit, demo.err);
    assertTrue(demo.out.contains("identical to the local read before shipping"), demo.out);
    assertTrue(demo.out.matches("(?s).*shipped [1-9]\\d* blocks.*"), demo.out);
    assertFalse(Files.exists(tmp.resolve("strata-demo-bucket")), "no filesystem bucket");

    Run ls = run("bucket", "ls", "--objstore.config-file=" + cfg);
    assertEquals(0, ls.exit, ls.err);
    List<String> blocks = ls.out.lines().filter(l -> l.contains("source=strata-demo")).toList();
    assertFalse(blocks.isEmpty(), ls.out);
    assertTrue(ls.out.contains(blocks.size() + " blocks, 0 partial, 0 unreadable"), ls.out);

    Run verify = run("bucket", "verify", "--objstore.config-file=" + cfg);
    assertEquals(0, verify.exit, verify.out + verify.err);
    assertTrue(verify.out.contains(blocks.size() + " blocks checked, 0 with problems"), verify.out);

    String ulid = blocks.get(0).substring(0, 26);
    Run inspect = run("bucket", "inspect", "--objstore.config-file=" + cfg, ulid);
    assertEquals(0, inspect.exit, inspect.err);
    assertTrue(inspect.out.contains(ulid), inspect.out);

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
    Run damaged = run("bucket", "verify", "--objstore.config-file=" + cfg, ulid);
    assertEquals(1, damaged.exit, damaged.out);
    assertTrue(damaged.out.contains(ulid + "  FAILED"), damaged.out);
  }

  @Test
  void badConfigurationsGiveOneClearLineEach() throws Exception {
    s3.createBucket("creds");
    String wrongSecret = "not-the-secret-at-all";
    Run creds = run("bucket", "ls", "--objstore.config-file=" + config("creds", wrongSecret));
    assertEquals(2, creds.exit, creds.out);
    assertEquals(1, creds.err.lines().count(), creds.err);
    assertFalse(creds.err.contains(wrongSecret), "the secret stays secret: " + creds.err);

    Run missing = run("bucket", "ls",
        "--objstore.config-file=" + config("no-such-bucket", LocalS3Server.SECRET_KEY));
    assertEquals(2, missing.exit, missing.out);
    assertEquals(1, missing.err.lines().count(), missing.err);
    assertTrue(missing.err.contains("no-such-bucket"), missing.err);

    Path typo = tmp.resolve("typo.yml");
    Files.writeString(typo, "type: S3\nconfig:\n  bucket: x\n  endpont: localhost:1\n");
    Run malformed = run("bucket", "ls", "--objstore.config-file=" + typo);
    assertEquals(2, malformed.exit, malformed.out);
    assertEquals(1, malformed.err.lines().count(), malformed.err);
    assertTrue(malformed.err.contains("endpont"), malformed.err);

    Run demo = run("demo", "--data-dir", tmp.resolve("d").toString(), "--hosts", "1", "--days",
        "1", "--objstore.config-file", typo.toString());
    assertEquals(1, demo.exit);
    assertEquals(1, demo.err.lines().count(), demo.err);
    assertTrue(demo.err.contains("endpont"), demo.err);
  }
}

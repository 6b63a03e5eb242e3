package dev.strata.tier.testing;

import dev.strata.tier.objstore.S3Bucket;
import dev.strata.tier.objstore.S3Options;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server for tests and benchmarks: S3Proxy in this JVM on a free 127.0.0.1 port, with
 * SigV4 authentication, storing objects in memory or in a directory.
 */
public final class LocalS3Server implements AutoCloseable {
  public static final String ACCESS_KEY = "strata-access";
  public static final String SECRET_KEY = "strata-secret-key-for-tests";

  private final S3Proxy proxy;
  private final URI endpoint;

  private LocalS3Server(BlobStore store) throws Exception {
    proxy = S3Proxy.builder()
        .blobStore(store)
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        .build();
    proxy.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!"STARTED".equals(proxy.getState())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
      }
      Thread.sleep(10);
    }
    endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  /** A server keeping objects in memory. */
  public static LocalS3Server inMemory() {
    try {
      return new LocalS3Server(new TransientNio2BlobStore());
    } catch (Exception e) {
      throw new IllegalStateException("starting S3Proxy", e);
    }
  }

  /** A server over {@code store}: one that records or delays requests, say. */
  public static LocalS3Server of(BlobStore store) {
    try {
      return new LocalS3Server(store);
    } catch (Exception e) {
      throw new IllegalStateException("starting S3Proxy", e);
    }
  }

  /** A server keeping objects under {@code dir} (one subdirectory per bucket). */
  public static LocalS3Server onDisk(Path dir) {
    try {
      return new LocalS3Server(new FilesystemNio2BlobStore(dir.toString()));
    } catch (Exception e) {
      throw new IllegalStateException("starting S3Proxy", e);
    }
  }

  public URI endpoint() {
    return endpoint;
  }

  public int port() {
    return proxy.getPort();
  }

  /** Options for {@code bucket} on this server, with short retry delays. */
  public S3Options.Builder options(String bucket) {
    return options(bucket, endpoint);
  }

  /** Options for {@code bucket} reached through {@code via} (a fault proxy, say). */
  public S3Options.Builder options(String bucket, URI via) {
    return S3Options.builder(bucket)
        .endpoint(via)
        .pathStyle(true)
        .credentials(ACCESS_KEY, SECRET_KEY, null)
        .retryDelays(Duration.ofMillis(5), Duration.ofMillis(100));
  }

  /** Creates {@code bucket} on the server. */
  public void createBucket(String bucket) {
    try (S3Client c = rawClient()) {
      c.createBucket(r -> r.bucket(bucket));
    }
  }

  /** Creates {@code bucket} and opens it. */
  public S3Bucket bucket(String bucket) throws IOException {
    createBucket(bucket);
    return S3Bucket.open(options(bucket).build());
  }

  /** A plain SDK client, for checking what the server holds independently of Strata's code. */
  public S3Client rawClient() {
    return S3Client.builder()
        .httpClientBuilder(Apache5HttpClient.builder())
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .build();
  }

  @Override
  public void close() {
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("stopping S3Proxy", e);
    }
  }

  /** Thanos's objstore YAML for {@code bucket} on this server, for a command's config file. */
  public String objstoreYaml(String bucket) {
    return "type: S3\nconfig:\n  bucket: " + bucket + "\n  endpoint: "
        + endpoint().getAuthority() + "\n  insecure: true\n  access_key: " + ACCESS_KEY
        + "\n  secret_key: " + SECRET_KEY + "\n";
  }

  /** Runs a server until killed, printing an objstore config for it; for benchmarks by hand. */
  public static void main(String[] args) throws Exception {
    LocalS3Server server = args.length > 0 ? onDisk(Path.of(args[0])) : inMemory();
    String bucket = args.length > 1 ? args[1] : "strata";
    server.createBucket(bucket);
    System.out.print(server.objstoreYaml(bucket));
    System.out.flush();
    Thread.currentThread().join();
  }
}

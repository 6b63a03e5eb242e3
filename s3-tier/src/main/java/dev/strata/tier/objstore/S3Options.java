package dev.strata.tier.objstore;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach an S3 bucket and how to talk to it. Immutable; build with {@link #builder(String)}.
 * {@link #toString()} never shows credentials.
 *
 * <p><b>Checksums.</b> AWS SDK v2 since 2.30 computes a CRC32 of every upload and sends it as an
 * HTTP trailer ({@code aws-chunked} encoding with {@code STREAMING-...-PAYLOAD-TRAILER}), and asks
 * for checksums on downloads, by default ({@code WHEN_SUPPORTED}). AWS accepts that; many
 * S3-compatible servers (older MinIO, Ceph RGW and S3Proxy releases, several hosted services)
 * reject or mis-store such uploads. Strata therefore defaults to {@link ChecksumMode#WHEN_REQUIRED}
 * for both directions, which every S3 implementation understands, and keeps integrity by other
 * means: over HTTPS a {@code Content-MD5} header on every PUT and part ({@link #sendContentMd5()},
 * checked by the server); over plain HTTP the SDK signs every chunk of the payload with SHA-256
 * (SigV4 streaming), which the server checks and which already covers the bytes, so the MD5 (a
 * second pass over the data) is left out there; and the CRC32C checksums that the block formats
 * carry and the readers check. {@link ChecksumMode#WHEN_SUPPORTED} can be chosen
 * for AWS itself.
 */
public final class S3Options {

  /** When the SDK adds flexible checksums to requests and validates them on responses. */
  public enum ChecksumMode {
    /** Only for operations whose API requires one; compatible with every S3 implementation. */
    WHEN_REQUIRED,
    /** Whenever the operation supports one: the SDK default, for AWS S3 itself. */
    WHEN_SUPPORTED
  }

  /** The smallest part S3 accepts (except for the last part of an upload). */
  public static final long MIN_PART_SIZE = 5L << 20;

  /** Parts of at most this many are allowed per upload by S3. */
  public static final int MAX_PARTS = 10_000;

  private final String bucket;
  private final Optional<URI> endpoint;
  private final String region;
  private final boolean pathStyle;
  private final String accessKey;
  private final String secretKey;
  private final String sessionToken;
  private final long partSize;
  private final long multipartThreshold;
  private final int uploadConcurrency;
  private final int maxRetries;
  private final Duration retryBaseDelay;
  private final Duration retryMaxDelay;
  private final Duration connectTimeout;
  private final Duration socketTimeout;
  private final Duration requestTimeout;
  private final Duration uploadPartTimeout;
  private final boolean sendContentMd5;
  private final ChecksumMode checksumMode;
  private final int maxConnections;

  private S3Options(Builder b) {
    this.bucket = b.bucket;
    this.endpoint = Optional.ofNullable(b.endpoint);
    this.region = b.region;
    this.pathStyle = b.pathStyle;
    this.accessKey = b.accessKey;
    this.secretKey = b.secretKey;
    this.sessionToken = b.sessionToken;
    this.partSize = b.partSize;
    this.multipartThreshold = b.multipartThreshold < 0 ? b.partSize : b.multipartThreshold;
    this.uploadConcurrency = b.uploadConcurrency;
    this.maxRetries = b.maxRetries;
    this.retryBaseDelay = b.retryBaseDelay;
    this.retryMaxDelay = b.retryMaxDelay;
    this.connectTimeout = b.connectTimeout;
    this.socketTimeout = b.socketTimeout;
    this.requestTimeout = b.requestTimeout;
    this.uploadPartTimeout = b.uploadPartTimeout;
    this.sendContentMd5 = b.sendContentMd5;
    this.checksumMode = b.checksumMode;
    this.maxConnections = b.maxConnections;
  }

  /** Options for {@code bucket} with the defaults. */
  public static Builder builder(String bucket) {
    return new Builder(bucket);
  }

  public Builder toBuilder() {
    Builder b = new Builder(bucket);
    b.endpoint = endpoint.orElse(null);
    b.region = region;
    b.pathStyle = pathStyle;
    b.accessKey = accessKey;
    b.secretKey = secretKey;
    b.sessionToken = sessionToken;
    b.partSize = partSize;
    b.multipartThreshold = multipartThreshold;
    b.uploadConcurrency = uploadConcurrency;
    b.maxRetries = maxRetries;
    b.retryBaseDelay = retryBaseDelay;
    b.retryMaxDelay = retryMaxDelay;
    b.connectTimeout = connectTimeout;
    b.socketTimeout = socketTimeout;
    b.requestTimeout = requestTimeout;
    b.uploadPartTimeout = uploadPartTimeout;
    b.sendContentMd5 = sendContentMd5;
    b.checksumMode = checksumMode;
    b.maxConnections = maxConnections;
    return b;
  }

  public String bucket() {
    return bucket;
  }

  /** The service URL; empty for AWS's regional endpoint. */
  public Optional<URI> endpoint() {
    return endpoint;
  }

  public String region() {
    return region;
  }

  /** Whether the bucket goes in the path ({@code host/bucket/key}) rather than the host name. */
  public boolean pathStyle() {
    return pathStyle;
  }

  /** Whether static keys are configured; otherwise the SDK's default credential chain is used. */
  public boolean hasStaticCredentials() {
    return accessKey != null;
  }

  String accessKey() {
    return accessKey;
  }

  String secretKey() {
    return secretKey;
  }

  String sessionToken() {
    return sessionToken;
  }

  /** Size of each part of a multipart upload. */
  public long partSize() {
    return partSize;
  }

  /** Objects of at least this size go up in parts. */
  public long multipartThreshold() {
    return multipartThreshold;
  }

  /** Parts of one upload in flight at once. */
  public int uploadConcurrency() {
    return uploadConcurrency;
  }

  /** Retries of a request that failed transiently (throttling, 5xx, broken connections). */
  public int maxRetries() {
    return maxRetries;
  }

  public Duration retryBaseDelay() {
    return retryBaseDelay;
  }

  public Duration retryMaxDelay() {
    return retryMaxDelay;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** Longest wait for the next bytes on an open connection. */
  public Duration socketTimeout() {
    return socketTimeout;
  }

  /** Longest single attempt of a request other than an upload. */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  /** Longest single attempt of a PUT or part upload. */
  public Duration uploadPartTimeout() {
    return uploadPartTimeout;
  }

  /** Whether PUTs carry Content-MD5 when the payload is not signed (HTTPS); see the class doc. */
  public boolean sendContentMd5() {
    return sendContentMd5;
  }

  /** Whether uploads carry a Content-MD5: asked for, and not already covered by payload signing. */
  boolean md5OnUploads() {
    return sendContentMd5 && !endpoint.map(u -> "http".equalsIgnoreCase(u.getScheme())).orElse(false);
  }

  public ChecksumMode checksumMode() {
    return checksumMode;
  }

  public int maxConnections() {
    return maxConnections;
  }

  @Override
  public String toString() {
    return "S3Options[bucket=" + bucket + ", endpoint=" + endpoint.map(URI::toString).orElse("AWS")
        + ", region=" + region + ", pathStyle=" + pathStyle + ", credentials="
        + (hasStaticCredentials() ? "static" : "default chain") + ", partSize=" + partSize
        + ", uploadConcurrency=" + uploadConcurrency + ", maxRetries=" + maxRetries
        + ", checksums=" + checksumMode + "]";
  }

  /** Builds {@link S3Options}; every setter checks its argument. */
  public static final class Builder {
    private final String bucket;
    private URI endpoint;
    private String region = "us-east-1";
    private boolean pathStyle;
    private String accessKey;
    private String secretKey;
    private String sessionToken;
    private long partSize = 16L << 20;
    private long multipartThreshold = -1;
    private int uploadConcurrency = 4;
    private int maxRetries = 10;
    private Duration retryBaseDelay = Duration.ofMillis(100);
    private Duration retryMaxDelay = Duration.ofSeconds(20);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration socketTimeout = Duration.ofSeconds(60);
    private Duration requestTimeout = Duration.ofMinutes(2);
    private Duration uploadPartTimeout = Duration.ofMinutes(10);
    private boolean sendContentMd5 = true;
    private ChecksumMode checksumMode = ChecksumMode.WHEN_REQUIRED;
    private int maxConnections = 64;

    private Builder(String bucket) {
      if (bucket == null || bucket.isBlank()) {
        throw new IllegalArgumentException("bucket name is empty");
      }
      this.bucket = bucket;
    }

    /** The service URL, such as {@code http://127.0.0.1:9000}; null for AWS. */
    public Builder endpoint(URI value) {
      if (value != null && (value.getScheme() == null || value.getHost() == null)) {
        throw new IllegalArgumentException("endpoint " + value + " is not an http(s) URL");
      }
      this.endpoint = value;
      return this;
    }

    public Builder region(String value) {
      this.region = Objects.requireNonNull(value, "region");
      return this;
    }

    public Builder pathStyle(boolean value) {
      this.pathStyle = value;
      return this;
    }

    /** Static credentials; {@code sessionToken} may be null. */
    public Builder credentials(String accessKey, String secretKey, String sessionToken) {
      if (accessKey == null || accessKey.isEmpty() || secretKey == null || secretKey.isEmpty()) {
        throw new IllegalArgumentException("static credentials need both an access key and a secret key");
      }
      this.accessKey = accessKey;
      this.secretKey = secretKey;
      this.sessionToken = sessionToken == null || sessionToken.isEmpty() ? null : sessionToken;
      return this;
    }

    /** Use the SDK's default chain (environment, profile, instance role) instead of static keys. */
    public Builder defaultCredentials() {
      this.accessKey = null;
      this.secretKey = null;
      this.sessionToken = null;
      return this;
    }

    public Builder partSize(long bytes) {
      if (bytes < MIN_PART_SIZE) {
        throw new IllegalArgumentException(
            "part size " + bytes + " is below S3's minimum of " + MIN_PART_SIZE + " bytes");
      }
      this.partSize = bytes;
      return this;
    }

    public Builder multipartThreshold(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("multipart threshold " + bytes + " is below 1");
      }
      this.multipartThreshold = bytes;
      return this;
    }

    public Builder uploadConcurrency(int parts) {
      if (parts < 1) {
        throw new IllegalArgumentException("upload concurrency " + parts + " is below 1");
      }
      this.uploadConcurrency = parts;
      return this;
    }

    public Builder maxRetries(int retries) {
      if (retries < 0) {
        throw new IllegalArgumentException("retry count " + retries + " is negative");
      }
      this.maxRetries = retries;
      return this;
    }

    /** Backoff: the first retry waits up to {@code base}, each later one up to twice as long, capped. */
    public Builder retryDelays(Duration base, Duration max) {
      this.retryBaseDelay = positive(base, "retry base delay");
      this.retryMaxDelay = positive(max, "retry max delay");
      return this;
    }

    public Builder connectTimeout(Duration value) {
      this.connectTimeout = positive(value, "connect timeout");
      return this;
    }

    public Builder socketTimeout(Duration value) {
      this.socketTimeout = positive(value, "socket timeout");
      return this;
    }

    public Builder requestTimeout(Duration value) {
      this.requestTimeout = positive(value, "request timeout");
      return this;
    }

    public Builder uploadPartTimeout(Duration value) {
      this.uploadPartTimeout = positive(value, "upload part timeout");
      return this;
    }

    public Builder sendContentMd5(boolean value) {
      this.sendContentMd5 = value;
      return this;
    }

    public Builder checksumMode(ChecksumMode value) {
      this.checksumMode = Objects.requireNonNull(value, "checksumMode");
      return this;
    }

    public Builder maxConnections(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("max connections " + value + " is below 1");
      }
      this.maxConnections = value;
      return this;
    }

    public S3Options build() {
      return new S3Options(this);
    }

    private static Duration positive(Duration d, String what) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, not " + d);
      }
      return d;
    }
  }
}

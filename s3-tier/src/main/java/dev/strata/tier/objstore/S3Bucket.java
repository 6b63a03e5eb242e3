package dev.strata.tier.objstore;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bucket in S3 or an S3-compatible store, through AWS SDK v2 with the synchronous Apache client.
 *
 * <p>Every request runs through one retry loop (the SDK's own retries are off so that there is a
 * single, visible policy): throttling, 5xx answers, timeouts and broken connections are retried
 * with exponential backoff and full jitter up to {@link S3Options#maxRetries()} times; anything
 * else fails at once with a message saying what to check. Each attempt is bounded by {@link
 * S3Options#requestTimeout()} (uploads by {@link S3Options#uploadPartTimeout()}). Streams returned
 * by {@link #get} and {@link #getRange} resume where they broke off when a connection drops.
 *
 * <p>Objects of at least {@link S3Options#multipartThreshold()} bytes go up as multipart uploads,
 * {@link S3Options#uploadConcurrency()} parts at a time, each part retried on its own; an upload
 * that still fails is aborted so that no parts linger (should the abort itself fail, the parts
 * remain until the bucket's lifecycle rule for incomplete uploads removes them, and a warning names
 * the upload).
 */
public final class S3Bucket implements Bucket {
  private static final Logger LOG = LoggerFactory.getLogger(S3Bucket.class);
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final S3Options options;
  private final S3Client client;
  private final Retrier retrier;
  private final ExecutorService parts;
  private final String name;

  private S3Bucket(S3Options options, S3Client client) {
    this.options = options;
    this.client = client;
    this.retrier = new Retrier(
        options.maxRetries(), options.retryBaseDelay(), options.retryMaxDelay(),
        S3Errors::retryable);
    this.parts = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "strata-s3-upload-" + THREADS.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.name = "s3://" + options.bucket();
  }

  /**
   * Connects to the bucket and checks that it exists and the credentials may read it.
   *
   * @throws BucketAccessException if the bucket is missing, access is denied, or the endpoint does
   *     not answer; the message says which
   */
  public static S3Bucket open(S3Options options) throws IOException {
    S3Bucket bucket = new S3Bucket(options, client(options));
    try {
      bucket.check();
    } catch (IOException | RuntimeException e) {
      bucket.close();
      throw e;
    }
    return bucket;
  }

  private static S3Client client(S3Options o) {
    AwsCredentialsProvider credentials;
    if (o.hasStaticCredentials()) {
      credentials = StaticCredentialsProvider.create(
          o.sessionToken() == null
              ? AwsBasicCredentials.create(o.accessKey(), o.secretKey())
              : AwsSessionCredentials.create(o.accessKey(), o.secretKey(), o.sessionToken()));
    } else {
      credentials = DefaultCredentialsProvider.builder().build();
    }
    var http = Apache5HttpClient.builder()
        .connectionTimeout(o.connectTimeout())
        .socketTimeout(o.socketTimeout())
        .connectionAcquisitionTimeout(o.requestTimeout())
        .maxConnections(o.maxConnections());
    boolean always = o.checksumMode() == S3Options.ChecksumMode.WHEN_SUPPORTED;
    var b = S3Client.builder()
        .httpClientBuilder(http)
        .region(Region.of(o.region()))
        .credentialsProvider(credentials)
        .forcePathStyle(o.pathStyle())
        .requestChecksumCalculation(
            always ? RequestChecksumCalculation.WHEN_SUPPORTED : RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(
            always ? ResponseChecksumValidation.WHEN_SUPPORTED : ResponseChecksumValidation.WHEN_REQUIRED)
        .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()));
    o.endpoint().ifPresent(b::endpointOverride);
    return b.build();
  }

  // A HEAD of the bucket: tells a missing bucket from wrong credentials before anything is written.
  private void check() throws IOException {
    Retrier quick = new Retrier(Math.min(2, options.maxRetries()), options.retryBaseDelay(),
        options.retryMaxDelay(), S3Errors::retryable);
    try {
      quick.run("head bucket", () -> client.headBucket(r -> r.bucket(options.bucket())
          .overrideConfiguration(attempt(options.requestTimeout()))));
    } catch (Exception e) {
      throw S3Errors.translate(e, options, "check bucket", null);
    }
  }

  public S3Options options() {
    return options;
  }

  @Override
  public String name() {
    return name;
  }

  private static AwsRequestOverrideConfiguration attempt(Duration timeout) {
    return AwsRequestOverrideConfiguration.builder().apiCallAttemptTimeout(timeout).build();
  }

  private <T> T run(String what, String key, Retrier.Call<T> call) throws IOException {
    try {
      return retrier.run(what + " " + key, call);
    } catch (Exception e) {
      throw S3Errors.translate(e, options, what, key);
    }
  }

  // ---- uploads ------------------------------------------------------------------------------

  @Override
  public void upload(String key, Path file) throws IOException {
    Keys.check(key);
    long size = Files.size(file);
    if (size < options.multipartThreshold()) {
      putObject(key, new FileSlice(file, 0, size));
    } else {
      new MultipartUpload(this, key).fromFile(file, size);
    }
  }

  @Override
  public void upload(String key, InputStream in, long length) throws IOException {
    Keys.check(key);
    if (length < 0) {
      throw new IllegalArgumentException("negative length " + length);
    }
    if (length < options.multipartThreshold()) {
      byte[] bytes = in.readNBytes((int) length);
      if (bytes.length != length) {
        throw new IOException(
            "upload of " + key + " ended after " + bytes.length + " of " + length + " bytes");
      }
      putObject(key, new BytesSlice(bytes));
    } else {
      new MultipartUpload(this, key).fromStream(in, length);
    }
  }

  void putObject(String key, Slice body) throws IOException {
    String md5 = options.md5OnUploads() ? body.md5() : null;
    run("upload", key, () -> client.putObject(
        r -> r.bucket(options.bucket()).key(key).contentLength(body.length()).contentMD5(md5)
            .overrideConfiguration(attempt(options.uploadPartTimeout())),
        body.requestBody()));
  }

  S3Client client() {
    return client;
  }

  Retrier retrier() {
    return retrier;
  }

  ExecutorService partExecutor() {
    return parts;
  }

  AwsRequestOverrideConfiguration uploadAttempt() {
    return attempt(options.uploadPartTimeout());
  }

  AwsRequestOverrideConfiguration requestAttempt() {
    return attempt(options.requestTimeout());
  }

  /** Bytes to upload, readable again for every retry. */
  interface Slice {
    long length();

    RequestBody requestBody();

    /** Base64 MD5 of the bytes, for {@code Content-MD5}. */
    String md5() throws IOException;
  }

  /** Marks a failure to read the local source: never retried, it will not get better. */
  static final class LocalReadException extends UncheckedIOException {
    private static final long serialVersionUID = 1L;

    LocalReadException(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }

  record FileSlice(Path file, long offset, long length) implements Slice {
    InputStream open() {
      try {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        return new BoundedInputStream(ch, offset, offset + length);
      } catch (IOException e) {
        throw new LocalReadException(e);
      }
    }

    @Override
    public RequestBody requestBody() {
      return RequestBody.fromContentProvider(this::open, length, "application/octet-stream");
    }

    @Override
    public String md5() throws IOException {
      MessageDigest md = md5Digest();
      byte[] buf = new byte[256 << 10];
      try (InputStream in = open()) {
        for (int n; (n = in.read(buf)) > 0; ) {
          md.update(buf, 0, n);
        }
      }
      return Base64.getEncoder().encodeToString(md.digest());
    }
  }

  record BytesSlice(byte[] bytes) implements Slice {
    @Override
    public long length() {
      return bytes.length;
    }

    @Override
    public RequestBody requestBody() {
      return RequestBody.fromContentProvider(
          () -> new ByteArrayInputStream(bytes), bytes.length, "application/octet-stream");
    }

    @Override
    public String md5() {
      return Base64.getEncoder().encodeToString(md5Digest().digest(bytes));
    }
  }

  static MessageDigest md5Digest() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM lacks MD5", e);
    }
  }

  // ---- reads --------------------------------------------------------------------------------

  @Override
  public InputStream get(String key) throws IOException {
    Keys.check(key);
    return ResumingInputStream.open(this, key, 0, -1);
  }

  @Override
  public InputStream getRange(String key, long offset, long length) throws IOException {
    Keys.check(key);
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("range at " + offset + " of " + length + " bytes");
    }
    if (length == 0) {
      return InputStream.nullInputStream();
    }
    return ResumingInputStream.open(this, key, offset, length);
  }

  @Override
  public byte[] readRange(String key, long offset, int length) throws IOException {
    Keys.check(key);
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("range at " + offset + " of " + length + " bytes");
    }
    if (length == 0) {
      return new byte[0];
    }
    // The whole body is read inside the attempt, so a connection dropped midway is retried.
    String range = "bytes=" + offset + "-" + (offset + length - 1);
    try {
      return run("read", key, () -> client.getObject(
          GetObjectRequest.builder().bucket(options.bucket()).key(key).range(range)
              .overrideConfiguration(requestAttempt()).build(),
          ResponseTransformer.toBytes()).asByteArray());
    } catch (RangeNotSatisfiableException e) {
      return new byte[0];
    }
  }

  /** Thrown by {@link S3Errors#translate} for HTTP 416: the range starts past the end. */
  static final class RangeNotSatisfiableException extends IOException {
    private static final long serialVersionUID = 1L;

    RangeNotSatisfiableException(String message) {
      super(message);
    }
  }

  @Override
  public boolean exists(String key) throws IOException {
    try {
      attributes(key);
      return true;
    } catch (ObjectNotFoundException e) {
      return false;
    }
  }

  @Override
  public ObjectAttributes attributes(String key) throws IOException {
    Keys.check(key);
    HeadObjectResponse h = run("stat", key, () -> client.headObject(
        r -> r.bucket(options.bucket()).key(key).overrideConfiguration(requestAttempt())));
    return new ObjectAttributes(h.contentLength(), h.lastModified());
  }

  @Override
  public ListPage list(String prefix, boolean recursive, String pageToken, int maxKeys)
      throws IOException {
    Keys.checkPrefix(prefix);
    Keys.checkPageSize(maxKeys);
    ListObjectsV2Request.Builder req = ListObjectsV2Request.builder()
        .bucket(options.bucket()).maxKeys(maxKeys).overrideConfiguration(requestAttempt());
    if (!prefix.isEmpty()) {
      req.prefix(prefix);
    }
    if (!recursive) {
      req.delimiter("/");
    }
    if (pageToken != null) {
      req.continuationToken(pageToken);
    }
    ListObjectsV2Request request = req.build();
    ListObjectsV2Response resp = run("list", prefix.isEmpty() ? "(all)" : prefix,
        () -> client.listObjectsV2(request));
    // Objects and common prefixes come separately; S3 orders both by key, so merge them.
    List<ListEntry> entries = new ArrayList<>(resp.keyCount() == null ? 16 : resp.keyCount());
    List<S3Object> objects = resp.contents();
    List<CommonPrefix> dirs = resp.commonPrefixes();
    int i = 0;
    int j = 0;
    while (i < objects.size() || j < dirs.size()) {
      boolean takeObject = j >= dirs.size()
          || (i < objects.size()
              && dev.strata.tsdb.labels.Utf8Order.compare(objects.get(i).key(), dirs.get(j).prefix()) < 0);
      if (takeObject) {
        S3Object o = objects.get(i++);
        entries.add(ListEntry.object(o.key(), o.size(), o.lastModified()));
      } else {
        entries.add(ListEntry.directory(dirs.get(j++).prefix()));
      }
    }
    boolean more = Boolean.TRUE.equals(resp.isTruncated()) && resp.nextContinuationToken() != null;
    return new ListPage(entries, more ? Optional.of(resp.nextContinuationToken()) : Optional.empty());
  }

  @Override
  public void delete(String key) throws IOException {
    Keys.check(key);
    run("delete", key, () -> client.deleteObject(
        r -> r.bucket(options.bucket()).key(key).overrideConfiguration(requestAttempt())));
  }

  @Override
  public void close() {
    parts.shutdownNow();
    client.close();
  }

  @Override
  public String toString() {
    return "S3Bucket[" + options + "]";
  }

  /** Runs {@code call} with the bucket's retries and error translation, for the helpers here. */
  <T> T call(String what, String key, Retrier.Call<T> call) throws IOException {
    return run(what, key, call);
  }

  static void checkInterrupted() throws InterruptedIOException {
    if (Thread.currentThread().isInterrupted()) {
      throw new InterruptedIOException("interrupted");
    }
  }

  static Logger log() {
    return LOG;
  }
}

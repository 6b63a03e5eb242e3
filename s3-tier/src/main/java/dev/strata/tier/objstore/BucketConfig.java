package dev.strata.tier.objstore;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An object storage configuration in Thanos's YAML shape ({@code --objstore.config-file}), so one
 * file serves Thanos and Strata:
 *
 * <pre>{@code
 * type: S3
 * config:
 *   bucket: metrics
 *   endpoint: 127.0.0.1:9000
 *   access_key: ...
 *   secret_key: ...
 *   insecure: true
 * prefix: tenant-a        # optional: every key goes under it
 * }</pre>
 *
 * or {@code type: FILESYSTEM} with {@code config: {directory: /var/lib/strata/bucket}}.
 *
 * <p>S3 fields read: {@code bucket, endpoint} (host[:port], or a URL), {@code region, access_key,
 * secret_key, session_token, aws_sdk_auth, insecure, bucket_lookup_type} ({@code auto}: path style
 * for a custom endpoint, virtual hosts for AWS), {@code part_size, disable_multipart, max_retries,
 * send_content_md5}, {@code http_config.response_header_timeout} (socket timeout) and {@code
 * http_config.max_conns_per_host}; Strata adds {@code upload_concurrency}, {@code
 * request_timeout}, {@code connect_timeout} and {@code checksum_mode} ({@code when_required} or
 * {@code when_supported}, see {@link S3Options}). Thanos fields Strata does not implement are
 * accepted while they hold Thanos's defaults and rejected otherwise, so nothing is silently
 * ignored; unknown fields are rejected as typos.
 *
 * <p>Errors name the field and never quote a credential, nor the YAML around a syntax error (it
 * could be one).
 */
public final class BucketConfig {

  /** The kinds of store. */
  public enum Type {
    S3,
    FILESYSTEM
  }

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static final Set<String> SECRET_FIELDS = Set.of("access_key", "secret_key", "session_token");

  private static final Set<String> S3_FIELDS = Set.of(
      "bucket", "endpoint", "region", "access_key", "secret_key", "session_token", "aws_sdk_auth",
      "insecure", "bucket_lookup_type", "part_size", "disable_multipart", "max_retries",
      "send_content_md5", "http_config", "upload_concurrency", "request_timeout",
      "connect_timeout", "checksum_mode",
      // Thanos fields accepted only at their defaults:
      "disable_dualstack", "signature_version2", "put_user_metadata", "trace",
      "list_objects_version", "sse_config", "sts_endpoint");

  private static final Set<String> HTTP_FIELDS = Set.of(
      "idle_conn_timeout", "response_header_timeout", "insecure_skip_verify",
      "tls_handshake_timeout", "expect_continue_timeout", "max_idle_conns",
      "max_idle_conns_per_host", "max_conns_per_host", "tls_config", "disable_compression",
      "transport");

  private final Type type;
  private final S3Options s3;
  private final Path directory;
  private final String prefix;

  private BucketConfig(Type type, S3Options s3, Path directory, String prefix) {
    this.type = type;
    this.s3 = s3;
    this.directory = directory;
    this.prefix = prefix;
  }

  /** A configuration for the S3 bucket {@code options} describes. */
  public static BucketConfig s3(S3Options options) {
    return new BucketConfig(Type.S3, Objects.requireNonNull(options, "options"), null, "");
  }

  /** A configuration for a bucket in a local directory. */
  public static BucketConfig filesystem(Path directory) {
    return new BucketConfig(Type.FILESYSTEM, null, Objects.requireNonNull(directory, "directory"), "");
  }

  /** This configuration with every key under {@code prefix} (no leading or trailing slash). */
  public BucketConfig withPrefix(String value) {
    return new BucketConfig(type, s3, directory, PrefixedBucket.normalize(value));
  }

  public Type type() {
    return type;
  }

  /** The S3 options, for {@link Type#S3}. */
  public Optional<S3Options> s3Options() {
    return Optional.ofNullable(s3);
  }

  /** The directory, for {@link Type#FILESYSTEM}. */
  public Optional<Path> directory() {
    return Optional.ofNullable(directory);
  }

  /** Prefix of every key; empty for none. */
  public String prefix() {
    return prefix;
  }

  /**
   * Opens the bucket for reading: it must exist, an S3 bucket (checked to be readable too) as a
   * filesystem bucket's directory.
   *
   * @throws BucketAccessException if the bucket is missing or cannot be read; the message says which
   */
  public Bucket openExisting() throws IOException {
    return prefixed(type == Type.S3 ? S3Bucket.open(s3) : FilesystemBucket.openExisting(directory));
  }

  /**
   * Opens the bucket for writing: a filesystem bucket's directory is created if missing, and
   * {@code whenCreated} hears of it; an S3 bucket must exist (Strata never creates one).
   */
  public Bucket openOrCreate(Consumer<Path> whenCreated) throws IOException {
    return prefixed(type == Type.S3
        ? S3Bucket.open(s3) : FilesystemBucket.openOrCreate(directory, whenCreated));
  }

  /**
   * Opens the bucket, creating a missing filesystem directory silently: the behaviour before
   * readers and writers were told apart, kept for existing callers. Prefer {@link #openExisting} or
   * {@link #openOrCreate}.
   */
  public Bucket open() throws IOException {
    return openOrCreate(created -> {});
  }

  private Bucket prefixed(Bucket b) {
    return prefix.isEmpty() ? b : new PrefixedBucket(b, prefix);
  }

  /** Reads the YAML file {@code file}. */
  public static BucketConfig read(Path file) throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new BucketConfigException("objstore config file " + file + " does not exist");
    }
    try {
      return parse(text);
    } catch (BucketConfigException e) {
      throw new BucketConfigException("objstore config file " + file + ": " + e.getMessage());
    }
  }

  /** Parses YAML text. */
  public static BucketConfig parse(String yaml) throws BucketConfigException {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new BucketConfigException("not valid YAML" + where(e));
    } catch (IOException e) {
      throw new BucketConfigException("not valid YAML: " + e.getClass().getSimpleName());
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw new BucketConfigException("the objstore config is empty");
    }
    if (!root.isObject()) {
      throw new BucketConfigException("the objstore config must be a mapping with 'type' and 'config'");
    }
    checkFields(root, Set.of("type", "config", "prefix"), "");
    String type = text(root, "type", "").trim();
    JsonNode config = root.path("config");
    if (!config.isMissingNode() && !config.isNull() && !config.isObject()) {
      throw new BucketConfigException("'config' must be a mapping");
    }
    String prefix = PrefixedBucket.normalize(text(root, "prefix", ""));
    BucketConfig parsed = switch (type.toUpperCase(java.util.Locale.ROOT)) {
      case "S3" -> s3(parseS3(config));
      case "FILESYSTEM" -> filesystem(parseFilesystem(config));
      case "" -> throw new BucketConfigException("'type' is missing: use S3 or FILESYSTEM");
      default -> throw new BucketConfigException(
          "type '" + type + "' is not supported: use S3 or FILESYSTEM");
    };
    return prefix.isEmpty() ? parsed : parsed.withPrefix(prefix);
  }

  // Line and column of a YAML error and the parser's complaint, without the offending text.
  private static String where(JsonProcessingException e) {
    String problem = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof org.yaml.snakeyaml.error.MarkedYAMLException m) {
        problem = m.getProblem();
        if (m.getProblemMark() != null) {
          return " at line " + (m.getProblemMark().getLine() + 1) + ", column "
              + (m.getProblemMark().getColumn() + 1) + (problem == null ? "" : ": " + problem);
        }
      }
    }
    JsonLocation at = e.getLocation();
    return at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
  }

  private static Path parseFilesystem(JsonNode config) throws BucketConfigException {
    checkFields(config, Set.of("directory"), "config.");
    String dir = text(config, "directory", "");
    if (dir.isBlank()) {
      throw new BucketConfigException("config.directory is missing for type FILESYSTEM");
    }
    return Path.of(dir);
  }

  private static S3Options parseS3(JsonNode c) throws BucketConfigException {
    checkFields(c, S3_FIELDS, "config.");
    String bucket = text(c, "bucket", "");
    if (bucket.isBlank()) {
      throw new BucketConfigException("config.bucket is missing for type S3");
    }
    S3Options.Builder b = S3Options.builder(bucket);
    boolean insecure = bool(c, "insecure", false);
    String endpoint = text(c, "endpoint", "").trim();
    String region = text(c, "region", "");
    URI uri = endpoint.isEmpty() ? null : endpointUri(endpoint, insecure);
    if (!region.isEmpty()) {
      b.region(region);
    }
    boolean aws = uri == null || uri.getHost().endsWith("amazonaws.com");
    if (uri != null && !uri.getHost().equals("s3.amazonaws.com")) {
      b.endpoint(uri);
    }
    String lookup = text(c, "bucket_lookup_type", "auto");
    switch (lookup) {
      case "auto", "" -> b.pathStyle(!aws);
      case "path" -> b.pathStyle(true);
      case "virtual-hosted" -> b.pathStyle(false);
      default -> throw new BucketConfigException(
          "config.bucket_lookup_type '" + lookup + "' is not auto, path or virtual-hosted");
    }
    String access = text(c, "access_key", "");
    String secret = text(c, "secret_key", "");
    boolean sdkAuth = bool(c, "aws_sdk_auth", false);
    if (!sdkAuth && (!access.isEmpty() || !secret.isEmpty())) {
      if (access.isEmpty() || secret.isEmpty()) {
        throw new BucketConfigException(
            "config.access_key and config.secret_key must be set together (or neither, for the"
                + " AWS default credentials)");
      }
      b.credentials(access, secret, text(c, "session_token", ""));
    } else {
      b.defaultCredentials();
    }
    long partSize = number(c, "part_size", 0);
    if (partSize > 0) {
      if (partSize < S3Options.MIN_PART_SIZE) {
        throw new BucketConfigException("config.part_size " + partSize
            + " is below S3's minimum part size of " + S3Options.MIN_PART_SIZE + " bytes");
      }
      b.partSize(partSize);
    }
    if (bool(c, "disable_multipart", false)) {
      b.multipartThreshold(Long.MAX_VALUE);
    }
    long retries = number(c, "max_retries", -1);
    if (retries > 0) {
      b.maxRetries((int) Math.min(retries, 100));
    }
    b.sendContentMd5(bool(c, "send_content_md5", true));
    long concurrency = number(c, "upload_concurrency", 0);
    if (concurrency > 0) {
      b.uploadConcurrency((int) Math.min(concurrency, 64));
    }
    duration(c, "request_timeout").ifPresent(b::requestTimeout);
    duration(c, "connect_timeout").ifPresent(b::connectTimeout);
    String mode = text(c, "checksum_mode", "when_required");
    try {
      b.checksumMode(S3Options.ChecksumMode.valueOf(mode.toUpperCase(java.util.Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      throw new BucketConfigException(
          "config.checksum_mode '" + mode + "' is not when_required or when_supported");
    }
    JsonNode http = c.path("http_config");
    if (!http.isMissingNode() && !http.isNull()) {
      checkFields(http, HTTP_FIELDS, "config.http_config.");
      duration(http, "response_header_timeout").ifPresent(b::socketTimeout);
      long conns = number(http, "max_conns_per_host", 0);
      if (conns > 0) {
        b.maxConnections((int) Math.min(conns, 1024));
      }
      requireDefault(http, "insecure_skip_verify", "config.http_config.");
      requireDefault(http, "tls_config", "config.http_config.");
      requireDefault(http, "transport", "config.http_config.");
    }
    for (String f : new String[] {"disable_dualstack", "signature_version2", "put_user_metadata",
        "trace", "sse_config", "sts_endpoint"}) {
      requireDefault(c, f, "config.");
    }
    String listVersion = text(c, "list_objects_version", "");
    if (!listVersion.isEmpty() && !listVersion.equals("v2")) {
      throw new BucketConfigException(
          "config.list_objects_version '" + listVersion + "' is not supported: Strata lists with v2");
    }
    return b.build();
  }

  private static URI endpointUri(String endpoint, boolean insecure) throws BucketConfigException {
    String url = endpoint.contains("://") ? endpoint : (insecure ? "http://" : "https://") + endpoint;
    try {
      URI uri = new URI(url);
      if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
        throw new BucketConfigException("config.endpoint '" + endpoint + "' is not host[:port] or an http(s) URL");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new BucketConfigException("config.endpoint '" + endpoint + "' is not host[:port] or an http(s) URL");
    }
  }

  private static void checkFields(JsonNode node, Set<String> known, String path)
      throws BucketConfigException {
    if (node.isMissingNode() || node.isNull()) {
      return;
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!known.contains(f)) {
        throw new BucketConfigException("unknown field '" + path + f + "'; known fields: "
            + String.join(", ", new java.util.TreeSet<>(known)));
      }
    }
  }

  // A Thanos setting Strata does not implement: fine while empty, an error otherwise.
  private static void requireDefault(JsonNode node, String field, String path)
      throws BucketConfigException {
    JsonNode v = node.get(field);
    if (v == null || v.isNull() || isDefault(v)) {
      return;
    }
    throw new BucketConfigException("'" + path + field + "' is set, but Strata does not support it;"
        + " remove it or leave it at its default");
  }

  private static boolean isDefault(JsonNode v) {
    if (v.isBoolean()) {
      return !v.booleanValue();
    }
    if (v.isNumber()) {
      return v.asDouble() == 0;
    }
    if (v.isTextual()) {
      return v.textValue().isEmpty();
    }
    if (v.isContainerNode()) {
      for (JsonNode child : v) {
        if (!isDefault(child)) {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  private static String text(JsonNode node, String field, String dflt) throws BucketConfigException {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.isValueNode() || v.isBinary()) {
      throw new BucketConfigException("'" + field + "' must be a string");
    }
    return v.asText();
  }

  private static boolean bool(JsonNode node, String field, boolean dflt) throws BucketConfigException {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    if (v.isTextual() && (v.textValue().equals("true") || v.textValue().equals("false"))) {
      return Boolean.parseBoolean(v.textValue());
    }
    throw new BucketConfigException("'" + field + "' must be true or false"
        + (SECRET_FIELDS.contains(field) ? "" : ", not '" + v.asText() + "'"));
  }

  private static long number(JsonNode node, String field, long dflt) throws BucketConfigException {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (v.canConvertToLong() && v.isIntegralNumber() && v.longValue() >= 0) {
      return v.longValue();
    }
    throw new BucketConfigException("'" + field + "' must be a whole number of at least 0, not '"
        + v.asText() + "'");
  }

  private static final Pattern GO_DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

  private static Optional<Duration> duration(JsonNode node, String field) throws BucketConfigException {
    JsonNode v = node.get(field);
    if (v == null || v.isNull() || (v.isTextual() && v.textValue().isEmpty())) {
      return Optional.empty();
    }
    Duration d = parseDuration(v.asText());
    if (d == null) {
      throw new BucketConfigException("'" + field + "' must be a duration such as 30s, 1m30s or"
          + " 500ms, not '" + v.asText() + "'");
    }
    return d.isZero() ? Optional.empty() : Optional.of(d);
  }

  /** Parses a Go duration ({@code 1h2m3.5s}, {@code 250ms}, {@code 0}); null if malformed. */
  static Duration parseDuration(String text) {
    String s = text.trim();
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = GO_DURATION_PART.matcher(s);
    double nanos = 0;
    int at = 0;
    while (at < s.length()) {
      if (!m.find(at) || m.start() != at) {
        return null;
      }
      double value = Double.parseDouble(m.group(1));
      nanos += value * switch (m.group(2)) {
        case "ns" -> 1;
        case "us", "µs" -> 1e3;
        case "ms" -> 1e6;
        case "s" -> 1e9;
        case "m" -> 60e9;
        default -> 3600e9;
      };
      at = m.end();
    }
    return at == 0 ? null : Duration.ofNanos((long) nanos);
  }

  @Override
  public String toString() {
    return "BucketConfig[" + type + ", "
        + (type == Type.S3 ? s3.toString() : directory.toString())
        + (prefix.isEmpty() ? "" : ", prefix=" + prefix) + "]";
  }
}

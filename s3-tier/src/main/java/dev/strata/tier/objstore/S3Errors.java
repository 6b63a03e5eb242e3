package dev.strata.tier.objstore;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Sorts S3 failures into the retryable and the final ones, and turns the final ones into
 * exceptions whose messages say what to check. Messages name the bucket, endpoint and key, never
 * credentials.
 */
final class S3Errors {
  private static final Set<String> THROTTLING = Set.of(
      "SlowDown", "Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequests",
      "RequestTimeout", "RequestThrottled", "ServiceUnavailable", "InternalError");

  private static final Set<String> DENIED = Set.of(
      "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken",
      "InvalidToken", "InvalidSecurity", "AllAccessDisabled");

  private S3Errors() {}

  static boolean retryable(Throwable e) {
    if (causedBy(e, S3Bucket.LocalReadException.class)) {
      return false;
    }
    if (e instanceof AwsServiceException s) {
      int status = s.statusCode();
      String code = code(s);
      return status >= 500 || status == 429 || status == 408
          || (code != null && THROTTLING.contains(code));
    }
    if (e instanceof ApiCallAttemptTimeoutException || e instanceof ApiCallTimeoutException) {
      return true;
    }
    if (e instanceof SdkClientException) {
      return causedBy(e, IOException.class);
    }
    if (e instanceof ObjectNotFoundException || e instanceof BucketAccessException
        || e instanceof S3Bucket.RangeNotSatisfiableException
        || e instanceof java.io.InterruptedIOException) {
      return false;
    }
    return e instanceof IOException; // a response body that broke off while being read
  }

  private static String code(AwsServiceException s) {
    return s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorCode();
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  /** The exception to throw for the final failure {@code e} of {@code what} on {@code key}. */
  static IOException translate(Exception e, S3Options o, String what, String key) {
    if (e instanceof IOException io) {
      return io;
    }
    String bucket = "bucket " + o.bucket() + " at " + endpoint(o);
    String subject = key == null ? bucket : key + " in " + bucket;
    if (e instanceof AwsServiceException s) {
      int status = s.statusCode();
      String code = code(s);
      if (status == 416 || "InvalidRange".equals(code)) {
        return new S3Bucket.RangeNotSatisfiableException("range past the end of " + subject);
      }
      if ("NoSuchBucket".equals(code) || (key == null && status == 404)) {
        return new BucketAccessException(
            bucket + " does not exist: create it, or correct 'bucket' in the objstore config", e);
      }
      if ("NoSuchKey".equals(code) || status == 404) {
        return key == null
            ? new IOException(what + " of " + subject + " failed: not found", e)
            : new ObjectNotFoundException("s3://" + o.bucket(), key);
      }
      if (status == 403 || (code != null && DENIED.contains(code))) {
        return new BucketAccessException(
            "access to " + bucket + " was denied" + (code == null ? "" : " (" + code + ")")
                + ": check access_key and secret_key (or the AWS default credentials) and the"
                + " bucket's permissions", e);
      }
      if (status == 301 || "PermanentRedirect".equals(code)
          || "AuthorizationHeaderMalformed".equals(code)) {
        return new BucketAccessException(
            bucket + " is not in region " + o.region() + ": set 'region' in the objstore config", e);
      }
      String message = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorMessage();
      return new IOException(
          what + " of " + subject + " failed: HTTP " + status + (code == null ? "" : " " + code)
              + (message == null ? "" : ": " + message), e);
    }
    if (e instanceof SdkClientException c) {
      String message = c.getMessage() == null ? "" : c.getMessage();
      if (message.contains("Unable to load credentials")) {
        return new BucketAccessException(
            "no AWS credentials found for " + bucket + ": set access_key and secret_key in the"
                + " objstore config, or provide them through the environment, a profile or an"
                + " instance role", e);
      }
      if (causedBy(c, ConnectException.class) || causedBy(c, UnknownHostException.class)) {
        return new BucketAccessException(
            "cannot connect to the S3 endpoint " + endpoint(o) + " (" + rootMessage(c)
                + "): check 'endpoint' and 'insecure' in the objstore config", e);
      }
      return new IOException(what + " of " + subject + " failed: " + rootMessage(c), e);
    }
    return new IOException(what + " of " + subject + " failed: " + e, e);
  }

  static String endpoint(S3Options o) {
    return o.endpoint().map(Object::toString).orElse("AWS region " + o.region());
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}

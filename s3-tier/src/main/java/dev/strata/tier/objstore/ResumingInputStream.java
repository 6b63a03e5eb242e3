package dev.strata.tier.objstore;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * An object's bytes from S3 that survive a dropped connection: a read that fails re-requests the
 * rest of the range (pinned to the first response's ETag, so a replaced object is an error rather
 * than a splice of two versions), up to the bucket's retry limit.
 */
final class ResumingInputStream extends InputStream {
  private final S3Bucket bucket;
  private final String key;
  private long position;
  private long end; // exclusive; -1 until the first response tells the size
  private String eTag;
  private ResponseInputStream<GetObjectResponse> current;
  private int resumes;
  private boolean closed;

  private ResumingInputStream(S3Bucket bucket, String key, long position, long end) {
    this.bucket = bucket;
    this.key = key;
    this.position = position;
    this.end = end;
  }

  /** Opens {@code [offset, offset + length)}, or from offset to the end if length is negative. */
  static InputStream open(S3Bucket bucket, String key, long offset, long length)
      throws IOException {
    ResumingInputStream s = new ResumingInputStream(bucket, key, offset, length < 0 ? -1 : offset + length);
    s.reopen();
    return s;
  }

  private void reopen() throws IOException {
    GetObjectRequest.Builder req = GetObjectRequest.builder()
        .bucket(bucket.options().bucket()).key(key)
        .overrideConfiguration(bucket.requestAttempt());
    if (position > 0 || end >= 0) {
      req.range("bytes=" + position + "-" + (end >= 0 ? Long.toString(end - 1) : ""));
    }
    if (eTag != null) {
      req.ifMatch(eTag);
    }
    GetObjectRequest request = req.build();
    try {
      current = bucket.call("read", key, () -> bucket.client().getObject(request));
    } catch (S3Bucket.RangeNotSatisfiableException e) {
      end = position; // the range starts at or past the end: nothing to read
      current = null;
      return;
    }
    GetObjectResponse r = current.response();
    if (eTag == null) {
      eTag = r.eTag();
    }
    if (r.contentLength() != null) {
      long responseEnd = position + r.contentLength();
      end = end < 0 ? responseEnd : Math.min(end, responseEnd);
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("stream of " + key + " is closed");
    }
    if (len == 0) {
      return 0;
    }
    while (true) {
      if (end >= 0 && position >= end) {
        return -1;
      }
      if (current == null) {
        reopen();
        continue;
      }
      try {
        int want = end >= 0 ? (int) Math.min(len, end - position) : len;
        int n = current.read(b, off, want);
        if (n < 0) {
          if (end < 0) {
            return -1;
          }
          throw new IOException("connection closed at byte " + position + " of " + end);
        }
        position += n;
        return n;
      } catch (InterruptedIOException e) {
        throw e;
      } catch (IOException e) {
        if (resumes >= bucket.retrier().maxRetries()) {
          throw new IOException("reading " + key + " from " + bucket.name() + " failed at byte "
              + position + " after " + resumes + " resumptions: " + e.getMessage(), e);
        }
        S3Bucket.log().debug("reading {} broke off at byte {} ({}); resuming", key, position,
            e.getMessage());
        Retrier.sleep(bucket.retrier().delayMillis(resumes++));
        abortCurrent();
      }
    }
  }

  private void abortCurrent() {
    if (current != null) {
      current.abort();
      try {
        current.close();
      } catch (IOException | RuntimeException ignored) {
        // aborted: nothing left to release
      }
      current = null;
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      if (end < 0 || position < end) {
        abortCurrent(); // do not drain the rest of a large body just to reuse the connection
      } else if (current != null) {
        try {
          current.close();
        } catch (IOException | RuntimeException ignored) {
          // fully read; closing only returns the connection
        }
        current = null;
      }
    }
  }
}

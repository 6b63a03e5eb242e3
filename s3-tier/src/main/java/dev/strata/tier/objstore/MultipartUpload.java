package dev.strata.tier.objstore;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * One multipart upload: parts go up in parallel (at most {@link S3Options#uploadConcurrency()} at
 * a time, each retried on its own), and the upload is completed once all have, or aborted if any
 * fails for good, so that a failed upload leaves neither an object nor stored parts.
 */
final class MultipartUpload {
  private final S3Bucket bucket;
  private final S3Options options;
  private final String key;

  MultipartUpload(S3Bucket bucket, String key) {
    this.bucket = bucket;
    this.options = bucket.options();
    this.key = key;
  }

  void fromFile(Path file, long size) throws IOException {
    run(size, (offset, length) -> new S3Bucket.FileSlice(file, offset, length));
  }

  void fromStream(InputStream in, long length) throws IOException {
    run(length, (offset, partLength) -> {
      byte[] bytes = in.readNBytes((int) partLength);
      if (bytes.length != partLength) {
        throw new IOException("upload of " + key + " ended after " + (offset + bytes.length)
            + " of " + length + " bytes");
      }
      return new S3Bucket.BytesSlice(bytes);
    });
  }

  @FunctionalInterface
  private interface Slicer {
    S3Bucket.Slice slice(long offset, long length) throws IOException;
  }

  private void run(long size, Slicer slicer) throws IOException {
    long partSize = options.partSize();
    long count = Math.max(1, (size + partSize - 1) / partSize);
    if (count > S3Options.MAX_PARTS) {
      throw new IOException("object " + key + " of " + size + " bytes needs " + count
          + " parts of " + partSize + " bytes, more than S3's " + S3Options.MAX_PARTS
          + ": raise the part size");
    }
    String uploadId = bucket.call("start upload", key, () -> bucket.client().createMultipartUpload(
        r -> r.bucket(options.bucket()).key(key).overrideConfiguration(bucket.requestAttempt()))
        .uploadId());
    try {
      List<CompletedPart> parts = uploadParts(uploadId, size, (int) count, slicer);
      complete(uploadId, parts, size);
    } catch (IOException | RuntimeException | Error e) {
      abort(uploadId, e);
      throw e;
    }
  }

  private List<CompletedPart> uploadParts(String uploadId, long size, int count, Slicer slicer)
      throws IOException {
    CompletedPart[] done = new CompletedPart[count];
    Semaphore permits = new Semaphore(options.uploadConcurrency());
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Future<?>> futures = new ArrayList<>(count);
    try {
      for (int i = 0; i < count && failure.get() == null; i++) {
        long offset = i * options.partSize();
        long length = Math.min(options.partSize(), size - offset);
        permits.acquire();
        S3Bucket.Slice slice;
        try {
          slice = slicer.slice(offset, length);
        } catch (IOException | RuntimeException e) {
          permits.release();
          throw e;
        }
        int index = i;
        futures.add(bucket.partExecutor().submit(() -> {
          try {
            if (failure.get() == null) {
              done[index] = uploadPart(uploadId, index + 1, slice);
            }
          } catch (Throwable t) {
            failure.compareAndSet(null, t);
          } finally {
            permits.release();
          }
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      futures.forEach(f -> f.cancel(true));
      throw new InterruptedIOException("upload of " + key + " interrupted");
    } catch (ExecutionException e) {
      failure.compareAndSet(null, e.getCause());
    }
    Throwable t = failure.get();
    if (t != null) {
      futures.forEach(f -> f.cancel(true));
      if (t instanceof IOException io) {
        throw io;
      }
      if (t instanceof RuntimeException r) {
        throw r;
      }
      if (t instanceof Error err) {
        throw err;
      }
      throw new IOException("upload of " + key + " failed", t);
    }
    return Arrays.asList(done);
  }

  private CompletedPart uploadPart(String uploadId, int number, S3Bucket.Slice slice)
      throws IOException {
    String md5 = options.md5OnUploads() ? slice.md5() : null;
    UploadPartResponse r = bucket.call("upload part " + number + " of", key,
        () -> bucket.client().uploadPart(b -> b.bucket(options.bucket()).key(key)
            .uploadId(uploadId).partNumber(number).contentLength(slice.length()).contentMD5(md5)
            .overrideConfiguration(bucket.uploadAttempt()), slice.requestBody()));
    return CompletedPart.builder().partNumber(number).eTag(r.eTag())
        .checksumCRC32(r.checksumCRC32()).checksumCRC32C(r.checksumCRC32C())
        .checksumCRC64NVME(r.checksumCRC64NVME()).checksumSHA1(r.checksumSHA1())
        .checksumSHA256(r.checksumSHA256()).build();
  }

  private void complete(String uploadId, List<CompletedPart> parts, long size) throws IOException {
    try {
      bucket.call("complete upload of", key, () -> bucket.client().completeMultipartUpload(
          r -> r.bucket(options.bucket()).key(key).uploadId(uploadId)
              .multipartUpload(m -> m.parts(parts))
              .overrideConfiguration(bucket.requestAttempt())));
    } catch (IOException e) {
      // A retry after a completion whose answer was lost finds the upload gone: if the object
      // is there with the right size, the upload did complete.
      var a = bucket.attributesIfExists(key);
      if (a.isPresent() && a.get().size() == size && e.getMessage() != null
          && e.getMessage().contains("NoSuchUpload")) {
        return;
      }
      throw e;
    }
  }

  private void abort(String uploadId, Throwable cause) {
    try {
      bucket.call("abort upload of", key, () -> bucket.client().abortMultipartUpload(
          r -> r.bucket(options.bucket()).key(key).uploadId(uploadId)
              .overrideConfiguration(bucket.requestAttempt())));
    } catch (IOException | RuntimeException e) {
      cause.addSuppressed(e);
      S3Bucket.log().warn("could not abort the failed upload {} of {} in {}; its parts stay until"
          + " the bucket's lifecycle rule removes them", uploadId, key, bucket.name());
    }
  }
}

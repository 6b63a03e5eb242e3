package dev.strata.examples.cli.sidecar;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.Blob;
import org.gaul.s3proxy.blobstore.domain.BlobMetadata;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import org.gaul.s3proxy.blobstore.options.PutOptions;

/**
 * An S3Proxy store that records every object written and can hold the upload of chosen keys until
 * released, so that a test can kill an uploader at a known point of an upload.
 */
final class GatedBlobStore extends ForwardingBlobStore {
  private final List<String> writes = new CopyOnWriteArrayList<>();
  private volatile Predicate<String> held = key -> false;
  private volatile CountDownLatch reached = new CountDownLatch(1);
  private volatile CountDownLatch release = new CountDownLatch(0);

  GatedBlobStore(BlobStore delegate) {
    super(delegate);
  }

  /** From now on, an upload of a key {@code keys} accepts waits until {@link #release()}. */
  void hold(Predicate<String> keys) {
    reached = new CountDownLatch(1);
    release = new CountDownLatch(1);
    held = keys;
  }

  /** Waits until an upload is being held. */
  boolean awaitHeld(long seconds) throws InterruptedException {
    return reached.await(seconds, TimeUnit.SECONDS);
  }

  void release() {
    held = key -> false;
    release.countDown();
  }

  /** Every key written so far, in order, once per write. */
  List<String> writes() {
    return List.copyOf(writes);
  }

  private void gate(String key) {
    if (held.test(key)) {
      reached.countDown();
      try {
        release.await(5, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String putBlob(String container, Blob blob, PutOptions options) {
    String key = blob.getMetadata().name();
    gate(key);
    String etag = super.putBlob(container, blob, options);
    writes.add(key);
    return etag;
  }

  @Override
  public MultipartUpload initiateMultipartUpload(String container, BlobMetadata metadata,
      PutOptions options) {
    gate(metadata.name());
    return super.initiateMultipartUpload(container, metadata, options);
  }

  @Override
  public String completeMultipartUpload(MultipartUpload upload,
      List<org.gaul.s3proxy.blobstore.domain.MultipartPart> parts) {
    String etag = super.completeMultipartUpload(upload, parts);
    writes.add(upload.blobName());
    return etag;
  }
}

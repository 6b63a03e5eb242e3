package dev.strata.tier.objstore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.LongAdder;

/**
 * A bucket that counts the objects and bytes uploaded through it, for progress reports and
 * metrics; everything else passes straight to the bucket it wraps. A count moves when an upload
 * has completed.
 */
public final class CountingBucket extends ForwardingBucket {
  private final LongAdder objectsUploaded = new LongAdder();
  private final LongAdder bytesUploaded = new LongAdder();

  public CountingBucket(Bucket inner) {
    super(inner);
  }

  public long objectsUploaded() {
    return objectsUploaded.sum();
  }

  public long bytesUploaded() {
    return bytesUploaded.sum();
  }

  @Override
  public void upload(String key, Path file) throws IOException {
    long size = Files.size(file);
    inner.upload(key, file);
    uploaded(size);
  }

  @Override
  public void upload(String key, InputStream in, long length) throws IOException {
    inner.upload(key, in, length);
    uploaded(length);
  }

  private void uploaded(long bytes) {
    objectsUploaded.increment();
    bytesUploaded.add(bytes);
  }
}

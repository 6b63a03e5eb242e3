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
public final class CountingBucket implements Bucket {
  private final Bucket inner;
  private final LongAdder objectsUploaded = new LongAdder();
  private final LongAdder bytesUploaded = new LongAdder();

  public CountingBucket(Bucket inner) {
    this.inner = inner;
  }

  public long objectsUploaded() {
    return objectsUploaded.sum();
  }

  public long bytesUploaded() {
    return bytesUploaded.sum();
  }

  @Override
  public String name() {
    return inner.name();
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

  @Override
  public InputStream get(String key) throws IOException {
    return inner.get(key);
  }

  @Override
  public InputStream getRange(String key, long offset, long length) throws IOException {
    return inner.getRange(key, offset, length);
  }

  @Override
  public byte[] readRange(String key, long offset, int length) throws IOException {
    return inner.readRange(key, offset, length);
  }

  @Override
  public boolean exists(String key) throws IOException {
    return inner.exists(key);
  }

  @Override
  public ObjectAttributes attributes(String key) throws IOException {
    return inner.attributes(key);
  }

  @Override
  public ListPage list(String prefix, boolean recursive, String pageToken, int maxKeys)
      throws IOException {
    return inner.list(prefix, recursive, pageToken, maxKeys);
  }

  @Override
  public void delete(String key) throws IOException {
    inner.delete(key);
  }

  @Override
  public void close() {
    inner.close();
  }
}

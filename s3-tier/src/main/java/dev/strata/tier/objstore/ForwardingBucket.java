package dev.strata.tier.objstore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * A bucket that passes every call to another one; a subclass overrides the calls it watches or
 * changes (counting uploads, recording reads).
 */
public abstract class ForwardingBucket implements Bucket {
  protected final Bucket inner;

  protected ForwardingBucket(Bucket inner) {
    this.inner = inner;
  }

  @Override
  public String name() {
    return inner.name();
  }

  @Override
  public void upload(String key, Path file) throws IOException {
    inner.upload(key, file);
  }

  @Override
  public void upload(String key, InputStream in, long length) throws IOException {
    inner.upload(key, in, length);
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

package dev.strata.tier.testing;

import dev.strata.tier.objstore.Bucket;
import dev.strata.tier.objstore.ForwardingBucket;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real bucket that also records what was written and counts the bytes read, so tests can check
 * upload order and how much a reader fetched.
 */
public final class RecordingBucket extends ForwardingBucket {
  private final List<String> uploads = new ArrayList<>();
  private final List<String> ranges = new ArrayList<>();
  private final AtomicLong bytesRead = new AtomicLong();
  private final AtomicLong rangeRequests = new AtomicLong();

  public RecordingBucket(Bucket inner) {
    super(inner);
  }

  public synchronized List<String> uploads() {
    return List.copyOf(uploads);
  }

  /** Ranged reads since the last {@link #clear()}, as {@code key@offset+length}. */
  public synchronized List<String> ranges() {
    return List.copyOf(ranges);
  }

  public synchronized void clear() {
    ranges.clear();
    uploads.clear();
    bytesRead.set(0);
    rangeRequests.set(0);
  }

  public long bytesRead() {
    return bytesRead.get();
  }

  public long rangeRequests() {
    return rangeRequests.get();
  }

  private synchronized void record(String key) {
    uploads.add(key);
  }

  @Override
  public void upload(String key, Path file) throws IOException {
    inner.upload(key, file);
    record(key);
  }

  @Override
  public void upload(String key, InputStream in, long length) throws IOException {
    inner.upload(key, in, length);
    record(key);
  }

  @Override
  public InputStream get(String key) throws IOException {
    byte[] b = inner.readAll(key);
    bytesRead.addAndGet(b.length);
    return new java.io.ByteArrayInputStream(b);
  }

  @Override
  public InputStream getRange(String key, long offset, long length) throws IOException {
    rangeRequests.incrementAndGet();
    byte[] b;
    try (InputStream in = inner.getRange(key, offset, length)) {
      b = in.readAllBytes();
    }
    bytesRead.addAndGet(b.length);
    return new java.io.ByteArrayInputStream(b);
  }

  @Override
  public byte[] readRange(String key, long offset, int length) throws IOException {
    rangeRequests.incrementAndGet();
    synchronized (this) {
      ranges.add(key + "@" + offset + "+" + length);
    }
    byte[] b = inner.readRange(key, offset, length);
    bytesRead.addAndGet(b.length);
    return b;
  }
}

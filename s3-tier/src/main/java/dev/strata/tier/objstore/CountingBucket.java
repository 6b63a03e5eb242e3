package dev.strata.tier.objstore;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.LongAdder;

/**
 * A bucket that counts the objects and bytes uploaded through it, and the requests and bytes read,
 * for progress reports and metrics; everything else passes straight to the bucket it wraps. An
 * upload counts when it has completed; a read counts its request at once and its bytes as they
 * are consumed.
 */
public final class CountingBucket extends ForwardingBucket {
  private final LongAdder objectsUploaded = new LongAdder();
  private final LongAdder bytesUploaded = new LongAdder();
  private final LongAdder getRequests = new LongAdder();
  private final LongAdder bytesRead = new LongAdder();

  public CountingBucket(Bucket inner) {
    super(inner);
  }

  public long objectsUploaded() {
    return objectsUploaded.sum();
  }

  public long bytesUploaded() {
    return bytesUploaded.sum();
  }

  /** GET and ranged GET requests made. */
  public long getRequests() {
    return getRequests.sum();
  }

  /** Bytes read from the objects fetched. */
  public long bytesRead() {
    return bytesRead.sum();
  }

  @Override
  public InputStream get(String key) throws IOException {
    getRequests.increment();
    return counted(inner.get(key));
  }

  @Override
  public InputStream getRange(String key, long offset, long length) throws IOException {
    getRequests.increment();
    return counted(inner.getRange(key, offset, length));
  }

  @Override
  public byte[] readRange(String key, long offset, int length) throws IOException {
    getRequests.increment();
    byte[] bytes = inner.readRange(key, offset, length);
    bytesRead.add(bytes.length);
    return bytes;
  }

  private InputStream counted(InputStream in) {
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
          bytesRead.increment();
        }
        return b;
      }

      @Override
      public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n > 0) {
          bytesRead.add(n);
        }
        return n;
      }

      @Override
      public long skip(long n) throws IOException {
        return super.skip(n); // skipped bytes are not handed to the reader
      }
    };
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

package dev.strata.tier.objstore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Reads {@code [position, end)} of a file channel, which it closes. */
final class BoundedInputStream extends InputStream {
  private final FileChannel channel;
  private long position;
  private final long end;

  BoundedInputStream(FileChannel channel, long position, long end) {
    this.channel = channel;
    this.position = position;
    this.end = Math.max(position, end);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (position >= end) {
      return -1;
    }
    int want = (int) Math.min(len, end - position);
    int n = channel.read(ByteBuffer.wrap(b, off, want), position);
    if (n < 0) {
      return -1;
    }
    position += n;
    return n;
  }

  @Override
  public long skip(long n) {
    long skipped = Math.max(0, Math.min(n, end - position));
    position += skipped;
    return skipped;
  }

  @Override
  public int available() {
    return (int) Math.min(Integer.MAX_VALUE, end - position);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}

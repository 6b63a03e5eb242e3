package dev.strata.tsdb.index;

import dev.strata.tsdb.encoding.ByteSink;
import dev.strata.tsdb.encoding.ByteSource;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The index file being written: a {@link ByteSink} in front of a channel, flushed when it grows
 * past {@link #FLUSH_AT}, with a running CRC32C that spans flushes (a postings list or the whole
 * series section can be larger than the buffer) and back-patching of the 4-byte length fields the
 * format puts in front of content of unknown size.
 */
final class IndexOutput implements Closeable {
  static final int FLUSH_AT = 1 << 20;

  private final FileChannel channel;
  private final ByteSink buf = new ByteSink(FLUSH_AT + (64 << 10));
  private final CRC32C crc = new CRC32C();
  private final byte[] copy = new byte[8192];
  private long flushed; // bytes of the file before buf
  private int crcFrom = -1; // start in buf of bytes not yet fed to crc, -1 when not summing

  IndexOutput(Path path) throws IOException {
    this.channel =
        FileChannel.open(
            path,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE);
  }

  /** The file offset the next byte goes to. */
  long position() {
    return flushed + buf.length();
  }

  /** The buffer to encode into; call {@link #maybeFlush()} after each record. */
  ByteSink buffer() {
    return buf;
  }

  void maybeFlush() throws IOException {
    if (buf.length() >= FLUSH_AT) {
      flush();
    }
  }

  /** Zero bytes up to the next multiple of {@code alignment} of the file offset. */
  void padTo(int alignment) {
    buf.padTo(flushed, alignment);
  }

  /** Starts a checksum over everything written from now on. */
  void beginCrc() {
    crc.reset();
    crcFrom = buf.length();
  }

  /** The checksum of everything written since {@link #beginCrc()}. */
  int endCrc() {
    if (crcFrom < 0) {
      throw new IllegalStateException("no checksum in progress");
    }
    crc.update(buf.array(), crcFrom, buf.length() - crcFrom);
    crcFrom = -1;
    return (int) crc.getValue();
  }

  /** Ends the running checksum and appends it. */
  void putCrc() {
    buf.putBE32(endCrc());
  }

  /** Copies {@code len} bytes at {@code pos} of {@code src}, such as a symbol already written. */
  void copyFrom(ByteSource src, long pos, int len) throws IOException {
    while (len > 0) {
      int n = Math.min(len, copy.length);
      src.read(pos, copy, 0, n);
      buf.putBytes(copy, 0, n);
      pos += n;
      len -= n;
      maybeFlush();
    }
  }

  /** Overwrites 4 already written bytes at file offset {@code at}. */
  void patchBE32(long at, int value) throws IOException {
    if (at >= flushed) {
      buf.setBE32((int) (at - flushed), value);
      return;
    }
    ByteBuffer b = ByteBuffer.allocate(4).putInt(0, value);
    while (b.hasRemaining()) {
      channel.write(b, at + b.position());
    }
  }

  void flush() throws IOException {
    if (crcFrom >= 0) {
      crc.update(buf.array(), crcFrom, buf.length() - crcFrom);
      crcFrom = 0;
    }
    buf.writeTo(channel);
    flushed += buf.length();
    buf.clear();
  }

  /** Flushes and forces the content to stable storage. */
  void sync() throws IOException {
    flush();
    channel.force(true);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}

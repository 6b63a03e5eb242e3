package dev.strata.tsdb.textparse;

import dev.strata.tsdb.encoding.ByteSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * OpenMetrics text to be read once or several times: an array, a buffer, a file or any {@link
 * ByteSource}.
 *
 * <p>Each {@link #parser()} is a new pass from the start. Backfilling reads its input several times
 * (promtool once for the time range, then once per block), so the passes of one input share a cache
 * of label sets: after the first pass, a repeated series costs a hash lookup. Arrays and
 * array-backed buffers are parsed in place; files and other sources through a window of {@value
 * #DEFAULT_WINDOW} bytes, so inputs of any size (beyond 2 GiB too) take constant memory besides the
 * cache. A file is read with positional reads rather than mapped: the parser scans every byte once
 * in order, which the page cache serves as fast as a mapping, without the 2 GiB limit of {@link
 * java.nio.MappedByteBuffer} or a process crash if the file is truncated meanwhile.
 *
 * <p>Not thread-safe: use one pass at a time; separate inputs may be used on separate threads.
 */
public final class OpenMetricsInput implements AutoCloseable {

  /** Bytes read at a time from files and other non-array sources. */
  public static final int DEFAULT_WINDOW = 1 << 20;

  private final Source source;
  private final int window;
  private final SeriesCache cache = new SeriesCache();
  private final LabelText text = new LabelText();

  private OpenMetricsInput(Source source, int window) {
    this.source = source;
    this.window = window;
  }

  /** The whole of {@code bytes}, parsed in place; the array must not change while in use. */
  public static OpenMetricsInput of(byte[] bytes) {
    return new OpenMetricsInput(new ArraySource(bytes, 0, bytes.length), DEFAULT_WINDOW);
  }

  /**
   * The bytes of {@code buffer} between its position and limit at this call, which must not change
   * while in use; the buffer's own position and limit are left alone. Heap buffers are parsed in
   * place, direct and read-only ones through a window.
   */
  public static OpenMetricsInput of(ByteBuffer buffer) {
    ByteBuffer b = buffer.duplicate();
    if (b.hasArray()) {
      return new OpenMetricsInput(
          new ArraySource(b.array(), b.arrayOffset() + b.position(), b.remaining()),
          DEFAULT_WINDOW);
    }
    return new OpenMetricsInput(new BufferSource(b.slice()), DEFAULT_WINDOW);
  }

  /** The bytes of {@code source}, read through a window. */
  public static OpenMetricsInput of(ByteSource source) {
    return new OpenMetricsInput(new ByteSourceSource(source), DEFAULT_WINDOW);
  }

  /** The file at {@code path}, read through a window; {@link #close()} closes the file. */
  public static OpenMetricsInput open(Path path) throws IOException {
    return open(path, DEFAULT_WINDOW);
  }

  static OpenMetricsInput open(Path path, int window) throws IOException {
    FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
    try {
      return new OpenMetricsInput(new FileSource(channel, channel.size(), path.toString()), window);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** For tests: the same source through a window of {@code window} bytes, sharing nothing. */
  static OpenMetricsInput windowed(byte[] bytes, int window) {
    return new OpenMetricsInput(
        new BufferSource(ByteBuffer.wrap(bytes).asReadOnlyBuffer()), window);
  }

  /** Size of the input in bytes. */
  public long size() {
    return source.size();
  }

  /** How the input is named in messages (a file's path), or null if it has no name. */
  public String description() {
    return source.description();
  }

  /** A new pass over the input from its first byte. */
  public OpenMetricsParser parser() {
    return new OpenMetricsParser(new Window(source, window), cache, text);
  }

  /**
   * A whole pass that checks the input as promtool's backfill would before writing anything, and
   * returns the range of sample timestamps.
   *
   * @throws OpenMetricsParseException if the input is invalid or a sample has no timestamp
   */
  public TimeRange timeRange() throws IOException {
    OpenMetricsParser p = parser();
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    long samples = 0;
    OpenMetricsParser.Entry e;
    while ((e = p.next()) != OpenMetricsParser.Entry.EOF) {
      if (e != OpenMetricsParser.Entry.SAMPLE) {
        continue;
      }
      if (!p.hasTimestamp()) {
        throw p.missingTimestamp();
      }
      long t = p.timestamp();
      min = Math.min(min, t);
      max = Math.max(max, t);
      samples++;
    }
    // promtool's sentinels: these stand for "no sample" there, whatever the reason.
    if (max == Long.MIN_VALUE) {
      max = 0;
    }
    if (min == Long.MAX_VALUE) {
      min = 0;
    }
    return new TimeRange(min, max, samples, p.line());
  }

  /** Releases the file, if any; parsers of this input must not be used afterwards. */
  @Override
  public void close() throws IOException {
    source.close();
  }

  /** Where the bytes come from. */
  interface Source {
    long size();

    /** The backing array if the whole input is one, else null. */
    default byte[] array() {
      return null;
    }

    default int arrayOffset() {
      return 0;
    }

    /** Reads up to {@code length} bytes at {@code position}; returns the count, at least 1. */
    int read(long position, byte[] dst, int offset, int length) throws IOException;

    /** How to name the input in messages, or null. */
    default String description() {
      return null;
    }

    default void close() throws IOException {}
  }

  private record ArraySource(byte[] bytes, int offset, int length) implements Source {
    @Override
    public long size() {
      return length;
    }

    @Override
    public byte[] array() {
      return bytes;
    }

    @Override
    public int arrayOffset() {
      return offset;
    }

    @Override
    public int read(long position, byte[] dst, int off, int len) {
      System.arraycopy(bytes, offset + (int) position, dst, off, len);
      return len;
    }
  }

  private record BufferSource(ByteBuffer buffer) implements Source {
    @Override
    public long size() {
      return buffer.limit();
    }

    @Override
    public int read(long position, byte[] dst, int off, int len) {
      buffer.get((int) position, dst, off, len);
      return len;
    }
  }

  private record ByteSourceSource(ByteSource source) implements Source {
    ByteSourceSource {
      Objects.requireNonNull(source, "source");
    }

    @Override
    public long size() {
      return source.length();
    }

    @Override
    public int read(long position, byte[] dst, int off, int len) {
      source.read(position, dst, off, len);
      return len;
    }

    @Override
    public String description() {
      return source.description();
    }
  }

  private record FileSource(FileChannel channel, long size, String description) implements Source {
    @Override
    public int read(long position, byte[] dst, int off, int len) throws IOException {
      return channel.read(ByteBuffer.wrap(dst, off, len), position);
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}

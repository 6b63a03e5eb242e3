package dev.strata.tsdb.chunks;

import dev.strata.tsdb.encoding.Varint;
import dev.strata.tsdb.fileutil.FileSync;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Writes the chunk segment files of a block ({@code chunks/000001}, ...) byte for byte as
 * Prometheus 2.42 would for the same chunks handed over in the same per-series groups.
 *
 * <p><b>Where a segment ends.</b> Prometheus does not fill a segment up to the limit; it decides
 * per call, i.e. per series, budgeting every chunk at its data length plus 10 bytes (a 5-byte
 * length field, whatever the real varint length, plus encoding byte and CRC). Reproducing the same
 * files means reproducing that rule exactly, with its quirks:
 *
 * <ul>
 *   <li>While the current segment holds chunks from earlier calls, the series' chunks go into it
 *       as long as the budget of the chunks so far plus the bytes already in the segment stays
 *       within the limit. The first chunk that breaks it starts a new segment, even the series'
 *       first chunk.
 *   <li>In a segment started by this call, a chunk starts a new segment when the budget of the
 *       chunks since the segment began plus the 8-byte header exceeds the limit, except that a
 *       segment always takes at least one chunk (a chunk larger than the limit gets a segment of
 *       its own).
 *   <li>A call, even one with no chunks, creates the first segment if none exists yet; a writer
 *       that never sees a call leaves no file.
 * </ul>
 *
 * Segments therefore stay within the limit unless they hold a single chunk (a chunk that does not
 * fit on its own, or a limit below the header size).
 *
 * <p><b>Durability.</b> A new segment is created under a temporary name, gets its header, and is
 * renamed into place (with a directory sync), so a numbered file always starts with a valid
 * header. A finished segment (on roll-over and on {@link #close()}) is flushed, truncated to the
 * bytes written and fsynced.
 *
 * <p>Not thread-safe; a block has one writer. After an I/O error the writer refuses further
 * writes; the caller discards the block directory.
 */
public final class ChunkSegmentWriter implements Closeable {
  private static final int BUFFER_BYTES = 1 << 20;
  // The budget Prometheus assumes for everything but the data of one chunk.
  private static final int CHUNK_OVERHEAD_ESTIMATE =
      ChunkSegmentFormat.MAX_LENGTH_FIELD_SIZE
          + ChunkSegmentFormat.ENCODING_SIZE
          + ChunkSegmentFormat.CRC_SIZE;

  private final Path dir;
  private final long segmentSize;
  private final byte[] buf = new byte[BUFFER_BYTES];
  private final ByteBuffer bufView = ByteBuffer.wrap(buf);
  private final CRC32C crc = new CRC32C();
  private final ChunkBatch single = new ChunkBatch();
  private final long[] singleRef = new long[1];

  private int bufLen;
  private FileChannel tail;
  private int segmentCount;
  // Bytes in the current segment, header included, as written (buffered or not); 0 before the
  // first segment exists.
  private long segmentBytes;
  private Throwable failure;
  private boolean closed;

  /** A writer with Prometheus's default segment size of 512 MiB. */
  public ChunkSegmentWriter(Path dir) throws IOException {
    this(dir, ChunkSegmentFormat.DEFAULT_SEGMENT_SIZE);
  }

  /**
   * A writer into {@code dir} (created if missing) that rolls over to a new segment around {@code
   * segmentSize} bytes.
   *
   * @throws IllegalArgumentException if {@code segmentSize} is not in {@code [1, 4 GiB]}: chunk
   *     references hold 32-bit offsets
   * @throws FileAlreadyExistsException if {@code dir} already holds segment files, whose numbering
   *     the references of this writer would not match
   */
  public ChunkSegmentWriter(Path dir, long segmentSize) throws IOException {
    if (segmentSize < 1 || segmentSize > ChunkRef.MAX_OFFSET + 1) {
      throw new IllegalArgumentException(
          "segment size " + segmentSize + " is not in [1, " + (ChunkRef.MAX_OFFSET + 1) + "]");
    }
    this.dir = dir;
    this.segmentSize = segmentSize;
    Files.createDirectories(dir);
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        if (ChunkSegmentFormat.sequenceNumber(entry.getFileName().toString()) >= 0) {
          throw new FileAlreadyExistsException(
              entry.toString(), null, "chunk directory already holds segment files");
        }
      }
    }
  }

  public Path directory() {
    return dir;
  }

  public long segmentSize() {
    return segmentSize;
  }

  /** Segment files created so far. */
  public int segmentCount() {
    return segmentCount;
  }

  /**
   * Writes all chunks of one series and stores the reference of chunk {@code i} in {@code
   * refs[i]}.
   *
   * @throws IllegalArgumentException if {@code refs} is shorter than the batch
   * @throws IllegalStateException if the writer is closed or an earlier write failed
   */
  public void write(ChunkBatch series, long[] refs) throws IOException {
    int count = series.size();
    if (refs.length < count) {
      throw new IllegalArgumentException(
          "refs has room for " + refs.length + " references but the batch has " + count + " chunks");
    }
    checkWritable();
    try {
      writeSeries(series, refs);
    } catch (IOException | RuntimeException | Error e) {
      failure = e;
      throw e;
    }
  }

  /** Writes a series that has a single chunk and returns the chunk's reference. */
  public long write(byte encoding, byte[] data, int offset, int length) throws IOException {
    single.clear().add(encoding, data, offset, length);
    try {
      write(single, singleRef);
    } finally {
      single.clear();
    }
    return singleRef[0];
  }

  private void writeSeries(ChunkBatch series, long[] refs) throws IOException {
    // The layout is decided on the state before the call, as Prometheus plans all of a series'
    // batches before writing any.
    long bytesBefore = segmentBytes;
    if (segmentBytes == 0) {
      cut();
    }
    boolean fillingEarlierSegment = bytesBefore > ChunkSegmentFormat.HEADER_SIZE;
    long budget = 0;
    for (int i = 0, count = series.size(); i < count; i++) {
      long estimate = CHUNK_OVERHEAD_ESTIMATE + (long) series.length(i);
      budget += estimate;
      boolean newSegment;
      if (fillingEarlierSegment) {
        newSegment = budget + bytesBefore > segmentSize;
        fillingEarlierSegment = !newSegment;
      } else {
        newSegment = i != 0 && budget + ChunkSegmentFormat.HEADER_SIZE > segmentSize;
      }
      if (newSegment) {
        cut();
        budget = estimate;
      }
      refs[i] = writeChunk(series, i);
    }
  }

  private long writeChunk(ChunkBatch series, int i) throws IOException {
    long offset = segmentBytes;
    if (offset > ChunkRef.MAX_OFFSET) {
      throw new IOException(
          "segment " + ChunkSegmentFormat.path(dir, segmentCount - 1) + " has grown to " + offset
              + " bytes, beyond what a chunk reference can address");
    }
    long ref = ChunkRef.of(segmentCount - 1, offset);
    int length = series.length(i);
    byte encoding = series.encoding(i);

    ensureRoom(ChunkSegmentFormat.MAX_LENGTH_FIELD_SIZE + ChunkSegmentFormat.ENCODING_SIZE);
    int lengthFieldSize = Varint.putUvarint(buf, bufLen, length);
    bufLen += lengthFieldSize;
    buf[bufLen++] = encoding;
    crc.reset();
    crc.update(encoding);
    for (int done = 0; done < length; ) {
      if (bufLen == buf.length) {
        flush();
      }
      int n = Math.min(length - done, buf.length - bufLen);
      series.copy(i, done, buf, bufLen, n);
      crc.update(buf, bufLen, n);
      bufLen += n;
      done += n;
    }
    ensureRoom(ChunkSegmentFormat.CRC_SIZE);
    int sum = (int) crc.getValue();
    buf[bufLen] = (byte) (sum >>> 24);
    buf[bufLen + 1] = (byte) (sum >>> 16);
    buf[bufLen + 2] = (byte) (sum >>> 8);
    buf[bufLen + 3] = (byte) sum;
    bufLen += ChunkSegmentFormat.CRC_SIZE;

    segmentBytes +=
        lengthFieldSize + ChunkSegmentFormat.ENCODING_SIZE + length + ChunkSegmentFormat.CRC_SIZE;
    return ref;
  }

  private void ensureRoom(int n) throws IOException {
    if (buf.length - bufLen < n) {
      flush();
    }
  }

  private void flush() throws IOException {
    bufView.clear().limit(bufLen);
    while (bufView.hasRemaining()) {
      tail.write(bufView);
    }
    bufLen = 0;
  }

  // Finishes the current segment, if any, and starts the next one.
  private void cut() throws IOException {
    finishTail();
    Path target = ChunkSegmentFormat.path(dir, segmentCount);
    Path temp = target.resolveSibling(target.getFileName() + ".tmp");
    FileChannel channel =
        FileChannel.open(
            temp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
    try {
      ByteBuffer header = ByteBuffer.allocate(ChunkSegmentFormat.HEADER_SIZE);
      header.putInt(ChunkSegmentFormat.MAGIC).put(ChunkSegmentFormat.VERSION_1).clear();
      while (header.hasRemaining()) {
        channel.write(header);
      }
      // The channel stays open across the rename: it refers to the file, not to its name.
      FileSync.atomicRename(temp, target);
    } catch (IOException | RuntimeException e) {
      try {
        channel.close();
        Files.deleteIfExists(temp);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    tail = channel;
    segmentCount++;
    segmentBytes = ChunkSegmentFormat.HEADER_SIZE;
  }

  private void finishTail() throws IOException {
    if (tail == null) {
      return;
    }
    FileChannel channel = tail;
    tail = null;
    try (channel) {
      bufView.clear().limit(bufLen);
      while (bufView.hasRemaining()) {
        channel.write(bufView);
      }
      bufLen = 0;
      // Nothing should lie past what was written; make sure of it before the file is final.
      channel.truncate(segmentBytes);
      channel.force(true);
    }
  }

  private void checkWritable() {
    if (closed) {
      throw new IllegalStateException("chunk writer for " + dir + " is closed");
    }
    if (failure != null) {
      throw new IllegalStateException("chunk writer for " + dir + " failed earlier", failure);
    }
  }

  /**
   * Flushes, truncates and fsyncs the last segment. After a failed write, only releases the file.
   */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (failure == null) {
      finishTail();
    } else if (tail != null) {
      tail.close();
      tail = null;
    }
  }
}

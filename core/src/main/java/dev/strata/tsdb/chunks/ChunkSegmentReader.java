package dev.strata.tsdb.chunks;

import dev.strata.tsdb.encoding.CorruptDataException;
import dev.strata.tsdb.fileutil.MappedFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The chunk segment files of one block, memory-mapped, for reading chunks by reference.
 *
 * <p>Opening maps every segment ({@link ChunkSegmentFormat#list}) and checks its header. Chunks are
 * then read through {@link ChunkCursor}s, which locate a chunk's encoding and data inside the
 * mapping without copying, so a decoder such as {@code XorChunkIterator.reset(cursor.source(),
 * cursor.dataPosition(), cursor.dataLength())} reads straight from the page cache.
 *
 * <p>Checksums are not verified on every read: that would touch every byte of every chunk a query
 * merely skips over. {@link #verify(long)} and {@link #verifyAll()} check them on demand (block
 * verification, tools, after a download).
 *
 * <p>Thread-safe: the reader is immutable once open and any number of threads may read through
 * their own cursors. {@link #close()} unmaps every segment, waiting for reads in flight; reading
 * afterwards throws {@link IllegalStateException}.
 */
public final class ChunkSegmentReader implements AutoCloseable {
  private final Path dir;
  private final MappedFile[] segments;
  private final long totalBytes;

  private ChunkSegmentReader(Path dir, MappedFile[] segments) {
    this.dir = dir;
    this.segments = segments;
    long total = 0;
    for (MappedFile segment : segments) {
      total += segment.length();
    }
    this.totalBytes = total;
  }

  /**
   * Maps the segment files of the chunk directory {@code dir} and checks their headers.
   *
   * @throws CorruptDataException if the files are misnumbered, or a header is short, has the wrong
   *     magic number or an unsupported version
   */
  public static ChunkSegmentReader open(Path dir) throws IOException {
    List<Path> paths = ChunkSegmentFormat.list(dir);
    MappedFile[] segments = new MappedFile[paths.size()];
    try {
      for (int i = 0; i < segments.length; i++) {
        segments[i] = MappedFile.open(paths.get(i));
        checkHeader(segments[i]);
      }
    } catch (IOException | RuntimeException e) {
      for (MappedFile segment : segments) {
        if (segment != null) {
          segment.close();
        }
      }
      throw e;
    }
    return new ChunkSegmentReader(dir, segments);
  }

  private static void checkHeader(MappedFile file) {
    String section = "segment header";
    if (file.length() < ChunkSegmentFormat.HEADER_SIZE) {
      throw new CorruptDataException(
          file.description(),
          section,
          0,
          "file has " + file.length() + " bytes, fewer than the "
              + ChunkSegmentFormat.HEADER_SIZE + "-byte header");
    }
    int magic = file.readInt(0);
    if (magic != ChunkSegmentFormat.MAGIC) {
      throw new CorruptDataException(
          file.description(),
          section,
          0,
          String.format(
              "magic number 0x%08X is not the chunk segment magic 0x%08X",
              magic, ChunkSegmentFormat.MAGIC));
    }
    int version = file.readUnsignedByte(4);
    if (version != ChunkSegmentFormat.VERSION_1) {
      throw new CorruptDataException(
          file.description(),
          section,
          4,
          "format version " + version + " is not supported (expected "
              + ChunkSegmentFormat.VERSION_1 + ")");
    }
    // The three padding bytes are not checked: Prometheus ignores them too, so they may carry
    // meaning in a later version without making today's files unreadable.
  }

  /** The chunk directory. */
  public Path directory() {
    return dir;
  }

  public int segmentCount() {
    return segments.length;
  }

  /** The mapped segment with 0-based index {@code index} (file {@code index + 1}). */
  public MappedFile segment(int index) {
    Objects.checkIndex(index, segments.length);
    return segments[index];
  }

  /** Total size of all segment files in bytes. */
  public long totalBytes() {
    return totalBytes;
  }

  /** A new cursor for reading chunks; one per thread. */
  public ChunkCursor cursor() {
    return new ChunkCursor(this);
  }

  /**
   * Checks the CRC of the chunk at {@code ref}.
   *
   * @throws CorruptDataException if the reference is out of range, the chunk is truncated or its
   *     checksum does not match
   */
  public void verify(long ref) {
    cursor().seek(ref).verify();
  }

  /**
   * Reads every chunk of every segment in file order and checks its CRC, so that also bytes no
   * reference points to any more (such as a torn tail) are examined.
   *
   * @return the number of chunks
   * @throws CorruptDataException at the first chunk that is truncated or fails its checksum
   */
  public long verifyAll() {
    ChunkCursor cursor = cursor();
    long chunks = 0;
    for (int i = 0; i < segments.length; i++) {
      cursor.scan(i);
      while (cursor.next()) {
        cursor.verify();
        chunks++;
      }
    }
    return chunks;
  }

  MappedFile segmentForRef(long ref) {
    int index = ChunkRef.segmentIndex(ref);
    if (index < 0 || index >= segments.length) {
      throw new CorruptDataException(
          dir.toString(),
          "chunk reference",
          ChunkRef.offset(ref),
          "reference " + ChunkRef.toString(ref) + " names segment "
              + ChunkSegmentFormat.fileName(Integer.toUnsignedLong(index) + 1)
              + " but the directory has " + segments.length + " segment files");
    }
    return segments[index];
  }

  /** Unmaps all segments once the reads in flight have finished. Idempotent. */
  @Override
  public void close() {
    for (MappedFile segment : segments) {
      segment.close();
    }
  }

  @Override
  public String toString() {
    return "chunk segments of " + dir;
  }
}

package dev.strata.tsdb.block;

import dev.strata.tsdb.chunks.ChunkSegmentReader;
import dev.strata.tsdb.fileutil.FileTrees;
import dev.strata.tsdb.index.IndexReader;
import dev.strata.tsdb.tombstones.TombstoneSet;
import dev.strata.tsdb.tombstones.TombstonesReader;
import dev.strata.tsdb.tombstones.TombstonesWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An immutable block on disk, {@code <ULID>/} with {@code meta.json}, {@code index}, {@code
 * chunks/} and {@code tombstones}, opened for reading.
 *
 * <p>Readers acquire the block ({@link #reader()}) and release it when closed, so a block can be
 * retired (closed, or deleted by retention or compaction) while queries on it drain: files are
 * closed, and the directory deleted, only when the last reader is gone. Deletions add tombstones;
 * the rest of the block never changes.
 */
public final class Block implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Block.class);

  private final Path dir;
  private final IndexReader index;
  private final ChunkSegmentReader chunks;
  private volatile BlockMeta meta;
  private volatile TombstoneSet tombstones;
  private final long filesBytes;

  private int references; // guarded by this
  private boolean retiring; // guarded by this
  private boolean deleteWhenDone; // guarded by this
  private boolean filesClosed; // guarded by this

  private Block(
      Path dir, BlockMeta meta, IndexReader index, ChunkSegmentReader chunks,
      TombstoneSet tombstones, long filesBytes) {
    this.dir = dir;
    this.meta = meta;
    this.index = index;
    this.chunks = chunks;
    this.tombstones = tombstones;
    this.filesBytes = filesBytes;
  }

  /**
   * Opens the block in {@code dir}: reads its meta.json and tombstones and maps its index and chunk
   * segments. Damaged files raise {@link dev.strata.tsdb.encoding.CorruptDataException} naming the
   * file, section and offset.
   */
  public static Block open(Path dir) throws IOException {
    BlockMeta meta = BlockMetaFile.read(dir);
    TombstoneSet tombstones = TombstonesReader.read(dir);
    IndexReader index = IndexReader.open(dir.resolve(BlockFiles.INDEX));
    ChunkSegmentReader chunks;
    try {
      chunks = ChunkSegmentReader.open(dir.resolve(BlockFiles.CHUNKS));
    } catch (IOException | RuntimeException e) {
      index.close();
      throw e;
    }
    return new Block(dir, meta, index, chunks, tombstones, FileTrees.size(dir));
  }

  public Path dir() {
    return dir;
  }

  public BlockMeta meta() {
    return meta;
  }

  public Ulid ulid() {
    return meta.ulid();
  }

  public long minTime() {
    return meta.minTime();
  }

  /** Exclusive end of the block's range. */
  public long maxTime() {
    return meta.maxTime();
  }

  /** Bytes of the block's files on disk when it was opened. */
  public long sizeBytes() {
    return filesBytes;
  }

  public TombstoneSet tombstones() {
    return tombstones;
  }

  /** Acquires the block for reading; close the reader to release it. */
  public BlockQueryReader reader() {
    acquire();
    return new BlockQueryReader(this, index, chunks, tombstones);
  }

  /**
   * Acquires the index and chunk readers directly, for tools that walk the whole block; {@link
   * #release()} must follow.
   */
  public synchronized void acquire() {
    if (retiring) {
      throw new IllegalStateException("block " + meta.ulid() + " is closed");
    }
    references++;
  }

  /** Releases an {@link #acquire()}. */
  public void release() {
    boolean closeNow;
    synchronized (this) {
      references--;
      closeNow = retiring && references == 0 && !filesClosed;
    }
    if (closeNow) {
      closeFiles();
    }
  }

  /** The index, for tools; valid while the block is acquired. */
  public IndexReader index() {
    return index;
  }

  /** The chunk segments, for tools; valid while the block is acquired. */
  public ChunkSegmentReader chunks() {
    return chunks;
  }

  /**
   * Records deleted intervals: writes the tombstones file and meta.json, then lets new readers see
   * them. Readers already open keep the deletions they started with.
   */
  public synchronized void setTombstones(TombstoneSet updated) throws IOException {
    TombstonesWriter.write(dir, updated);
    BlockMeta m = meta.withStats(meta.stats().withNumTombstones(updated.total()));
    BlockMetaFile.write(dir, m);
    tombstones = updated;
    meta = m;
  }

  /** Closes the block once every reader has been released; no new readers are accepted. */
  @Override
  public void close() {
    retire(false);
  }

  /**
   * Deletes the block's directory once every reader has been released; no new readers are
   * accepted. Used by retention and compaction.
   */
  public void delete() {
    retire(true);
  }

  private void retire(boolean delete) {
    boolean closeNow;
    synchronized (this) {
      deleteWhenDone |= delete;
      retiring = true;
      closeNow = references == 0 && !filesClosed;
    }
    if (closeNow) {
      closeFiles();
    }
  }

  private void closeFiles() {
    boolean delete;
    synchronized (this) {
      if (filesClosed) {
        return;
      }
      filesClosed = true;
      delete = deleteWhenDone;
    }
    try {
      index.close();
    } finally {
      chunks.close();
    }
    if (delete) {
      try {
        BlockDirectories.delete(dir);
      } catch (IOException e) {
        LOG.warn("could not delete block directory {}: {}", dir, e.getMessage());
        throw new UncheckedIOException(e);
      }
    }
  }

  @Override
  public String toString() {
    return "Block[" + meta.ulid() + " " + meta.minTime() + ".." + meta.maxTime() + "]";
  }
}

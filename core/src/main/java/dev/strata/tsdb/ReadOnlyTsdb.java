package dev.strata.tsdb;

import dev.strata.tsdb.block.Block;
import dev.strata.tsdb.block.BlockDirectories;
import dev.strata.tsdb.head.Head;
import dev.strata.tsdb.head.HeadOptions;
import dev.strata.tsdb.query.MergeQuerier;
import dev.strata.tsdb.storage.BlockReader;
import dev.strata.tsdb.storage.Querier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A data directory opened for reading only, as Prometheus's {@code OpenDBReadOnly}: the blocks,
 * and the head rebuilt from {@code wal/} if there is one, never written to, never locked, so that
 * the directory of a running Prometheus or a copy of one can be queried. Blocks downsampled by
 * Thanos are opened too but left out of {@link #querier} (their samples are aggregates, not raw
 * values): a reader that knows aggregates picks from {@link #blocks()} and adds {@link
 * #headReaders}. Thread-safe.
 */
public final class ReadOnlyTsdb implements AutoCloseable {
  private static final long HEAD_CHUNK_RANGE = 2 * 3_600_000L;

  private final Path dir;
  private final List<Block> blocks;
  private final Head head; // null without wal/

  private ReadOnlyTsdb(Path dir, List<Block> blocks, Head head) {
    this.dir = dir;
    this.blocks = blocks;
    this.head = head;
  }

  /**
   * Opens {@code dir}'s blocks and WAL.
   *
   * @throws java.nio.file.NoSuchFileException if {@code dir} does not exist
   * @throws java.nio.file.NotDirectoryException if it is not a directory
   */
  public static ReadOnlyTsdb open(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      throw new java.nio.file.NoSuchFileException(dir.toString(), null, "no such directory");
    }
    if (!Files.isDirectory(dir)) {
      throw new java.nio.file.NotDirectoryException(dir.toString());
    }
    List<Block> blocks = new ArrayList<>();
    Head head = null;
    try {
      for (BlockDirectories.BlockDirectory d : BlockDirectories.list(dir)) {
        blocks.add(Block.open(d.path()));
      }
      blocks.sort(Comparator.comparingLong(Block::minTime));
      long maxBlockTime = blocks.stream().mapToLong(Block::maxTime).max().orElse(Long.MIN_VALUE);
      Path wal = dir.resolve("wal");
      if (Files.isDirectory(wal)) {
        head = Head.openReadOnly(wal,
            new HeadOptions(HEAD_CHUNK_RANGE, false, 128 << 20, false, false), maxBlockTime);
      }
    } catch (IOException | RuntimeException e) {
      blocks.forEach(Block::close);
      throw e;
    }
    return new ReadOnlyTsdb(dir, List.copyOf(blocks), head);
  }

  public Path dir() {
    return dir;
  }

  /** The blocks, raw and downsampled, by start time. */
  public List<Block> blocks() {
    return blocks;
  }

  /** A querier over {@code [mint, maxt]} (both inclusive) on the blocks and the WAL's head. */
  public Querier querier(long mint, long maxt) {
    List<BlockReader> readers = new ArrayList<>();
    try {
      for (Block b : blocks) {
        if (b.minTime() <= maxt && b.maxTime() > mint && !isDownsampled(b)) {
          readers.add(b.reader());
        }
      }
      readers.addAll(headReaders(mint, maxt));
    } catch (RuntimeException e) {
      readers.forEach(BlockReader::close);
      throw e;
    }
    return new MergeQuerier(readers, mint, maxt);
  }

  /** A reader of the WAL's head over {@code [mint, maxt]}, if there is a WAL. Close it. */
  public List<BlockReader> headReaders(long mint, long maxt) {
    return head == null ? List.of() : List.of(head.reader(mint, maxt));
  }

  /** Whether Thanos downsampled the block (its samples are aggregates). */
  public static boolean isDownsampled(Block b) {
    return b.meta().thanos().map(t -> t.downsampleResolution() != 0).orElse(false);
  }

  @Override
  public void close() throws IOException {
    try {
      blocks.forEach(Block::close);
    } finally {
      if (head != null) {
        head.close();
      }
    }
  }
}

package dev.strata.examples.cli.tsdb;

import dev.strata.tsdb.block.Block;
import dev.strata.tsdb.block.BlockDesc;
import dev.strata.tsdb.block.BlockDirectories;
import dev.strata.tsdb.block.BlockFiles;
import dev.strata.tsdb.block.BlockMetaFile;
import dev.strata.tsdb.block.Ulid;
import dev.strata.tsdb.gocompat.GoSort;
import dev.strata.tsdb.head.Head;
import dev.strata.tsdb.head.HeadOptions;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A Prometheus data directory opened the way promtool's tools open it ({@code
 * tsdb.OpenDBReadOnly}): nothing on disk changes, not even a damaged WAL tail or a leftover
 * temporary directory.
 *
 * <p>As there, the blocks are the directories named by a ULID with a readable meta.json (others
 * are skipped), ordered by start time (ties in the order Go's sort leaves them); a block whose
 * files cannot be opened fails the whole directory unless a block compacted from it is present;
 * and the head is replayed from {@code wal/} only on demand, keeping only samples at or after the
 * end of the latest block.
 */
final class ReadOnlyDataDir implements AutoCloseable {
  /** Prometheus's default block range, the head's chunk range. */
  private static final long HEAD_CHUNK_RANGE = 2 * 3_600_000L;

  private static final int WAL_SEGMENT_SIZE = 128 << 20;

  private final Path dir;
  private final List<Block> blocks;
  private Head head;

  private ReadOnlyDataDir(Path dir, List<Block> blocks) {
    this.dir = dir;
    this.blocks = blocks;
  }

  /**
   * Opens the blocks of {@code dir}; {@code warnings} hears of the blocks skipped.
   *
   * @throws ToolFailure if {@code dir} does not exist or is not a directory, or a block is damaged
   */
  static ReadOnlyDataDir open(Path dir, Consumer<String> warnings) throws IOException {
    if (!Files.exists(dir)) {
      throw new ToolFailure("opening the db dir: " + dir + ": no such file or directory");
    }
    if (!Files.isDirectory(dir)) {
      throw new ToolFailure("opening the db dir: " + dir + ": not a directory");
    }
    List<Block> opened = new ArrayList<>();
    Map<Ulid, String> corrupted = new LinkedHashMap<>();
    try {
      for (BlockDirectories.BlockDirectory b : BlockDirectories.list(dir)) {
        try {
          BlockMetaFile.read(b.path());
        } catch (IOException | RuntimeException e) {
          // promtool skips a block whose meta.json it cannot read, and says so only in its log.
          warnings.accept("skipping " + b.path() + ": " + ErrorMessages.of(e));
          continue;
        }
        try {
          opened.add(Block.open(b.path()));
        } catch (IOException | RuntimeException e) {
          corrupted.put(b.ulid(), ErrorMessages.of(e));
        }
      }
      for (Block b : opened) {
        for (BlockDesc parent : b.meta().compaction().parents()) {
          corrupted.remove(parent.ulid());
        }
      }
      if (!corrupted.isEmpty()) {
        List<String> messages = new ArrayList<>();
        corrupted.forEach(
            (ulid, message) -> messages.add("corrupted block " + ulid + ": " + message));
        throw new ToolFailure(String.join("; ", messages));
      }
    } catch (IOException | RuntimeException e) {
      opened.forEach(Block::close);
      throw e;
    }
    Block[] byStart = opened.toArray(new Block[0]);
    GoSort.sort(
        new GoSort.Data() {
          @Override
          public boolean less(int i, int j) {
            return byStart[i].minTime() < byStart[j].minTime();
          }

          @Override
          public void swap(int i, int j) {
            Block t = byStart[i];
            byStart[i] = byStart[j];
            byStart[j] = t;
          }
        },
        byStart.length);
    return new ReadOnlyDataDir(dir, List.of(byStart));
  }

  Path dir() {
    return dir;
  }

  /** The blocks, by start time. */
  List<Block> blocks() {
    return blocks;
  }

  /**
   * The end of the last block by start time ({@link Long#MIN_VALUE} without blocks): where the head
   * starts, and the bound promtool compares a dump's end with to decide whether to read the WAL.
   */
  long maxBlockTime() {
    return blocks.isEmpty() ? Long.MIN_VALUE : blocks.get(blocks.size() - 1).maxTime();
  }

  /** The directory's write-ahead log, which may be missing (blocks only, as a backfill writes). */
  Path walDir() {
    return dir.resolve("wal");
  }

  boolean hasWal() {
    return Files.isDirectory(walDir());
  }

  /**
   * The head rebuilt from {@code wal/}, without samples before {@link #maxBlockTime()}; closed with
   * this directory.
   *
   * @throws ToolFailure if there is no {@code wal} directory, which promtool requires too, or the
   *     WAL cannot be read whole
   */
  Head head() throws IOException {
    if (head == null) {
      Path wal = walDir();
      if (!hasWal()) {
        throw new ToolFailure("read WAL: open " + wal + ": no such file or directory");
      }
      WalCheck.requireReadable(wal);
      head = Head.openReadOnly(
          wal, new HeadOptions(HEAD_CHUNK_RANGE, false, WAL_SEGMENT_SIZE, false, false),
          maxBlockTime());
    }
    return head;
  }

  /**
   * Checks the block's index through, CRCs included, before a tool reads its series: promtool's
   * reader checks each series entry's CRC as it reads it, so a damaged block fails there instead of
   * printing what the damage made of it.
   *
   * @throws dev.strata.tsdb.encoding.CorruptDataException naming the file, section and offset
   */
  static void verify(Block block) {
    block.acquire();
    try {
      block.index().verifyAll();
    } finally {
      block.release();
    }
  }

  /**
   * A block's size as promtool reports it: its meta.json, index, chunk segments (files named by a
   * number) and tombstones, and nothing else the directory may hold, such as Thanos's markers.
   */
  static long sizeOf(Path blockDir) throws IOException {
    long size = Files.size(blockDir.resolve(BlockFiles.META_JSON))
        + Files.size(blockDir.resolve(BlockFiles.INDEX));
    Path tombstones = blockDir.resolve(BlockFiles.TOMBSTONES);
    if (Files.exists(tombstones)) {
      size += Files.size(tombstones);
    }
    Path chunks = blockDir.resolve(BlockFiles.CHUNKS);
    if (Files.isDirectory(chunks)) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(chunks)) {
        for (Path f : files) {
          if (f.getFileName().toString().matches("[0-9]+") && Files.isRegularFile(f)) {
            size += Files.size(f);
          }
        }
      }
    }
    return size;
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

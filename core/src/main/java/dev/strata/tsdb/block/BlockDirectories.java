package dev.strata.tsdb.block;

import dev.strata.tsdb.fileutil.FileSync;
import dev.strata.tsdb.fileutil.FileTrees;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The block directories of a data directory, managed as Prometheus 2.42 manages them, so that
 * Prometheus, promtool and Strata can take turns on the same directory.
 *
 * <p>A block is a directory named by its ULID. It is built under {@code <ulid>.tmp-for-creation}
 * and renamed into place once all of it is on disk, and removed by first renaming it to {@code
 * <ulid>.tmp-for-deletion}, so that a crash never leaves a half-written or half-deleted directory
 * under a block name. Leftovers with these suffixes (and the pre-2.21 {@code .tmp}) are what {@link
 * #removeTemporary} cleans up on startup, as Prometheus does when it opens a data directory.
 */
public final class BlockDirectories {

  /** Suffix of a block directory being written. */
  public static final String TMP_FOR_CREATION_SUFFIX = ".tmp-for-creation";

  /** Suffix of a block directory being deleted. */
  public static final String TMP_FOR_DELETION_SUFFIX = ".tmp-for-deletion";

  /** Suffix Prometheus used for both before 2.21; still cleaned up. */
  public static final String LEGACY_TMP_SUFFIX = ".tmp";

  private static final List<String> TMP_SUFFIXES =
      List.of(TMP_FOR_CREATION_SUFFIX, TMP_FOR_DELETION_SUFFIX, LEGACY_TMP_SUFFIX);

  private BlockDirectories() {}

  /** A block directory found in a data directory. */
  public record BlockDirectory(Ulid ulid, Path path) {
    public BlockDirectory {
      Objects.requireNonNull(ulid, "ulid");
      Objects.requireNonNull(path, "path");
    }
  }

  /** Fills a block directory that is still under its temporary name. */
  @FunctionalInterface
  public interface Contents {
    void writeTo(Path dir) throws IOException;
  }

  /** Where the block {@code ulid} lives in {@code dataDir}. */
  public static Path path(Path dataDir, Ulid ulid) {
    return dataDir.resolve(ulid.toString());
  }

  /**
   * The blocks of {@code dataDir}, ascending by ULID: directories (not symbolic links to them, as
   * Prometheus does not follow those either) whose name is a ULID and that hold a {@code
   * meta.json}. A ULID-named directory without one is an unfinished upload or a broken block, which
   * Prometheus skips too; temporary directories never have a ULID name.
   */
  public static List<BlockDirectory> list(Path dataDir) throws IOException {
    List<BlockDirectory> blocks = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dataDir)) {
      for (Path entry : entries) {
        Optional<Ulid> ulid = Ulid.tryParse(entry.getFileName().toString());
        if (ulid.isPresent()
            && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)
            && Files.isRegularFile(entry.resolve(BlockFiles.META_JSON))) {
          blocks.add(new BlockDirectory(ulid.get(), entry));
        }
      }
    }
    blocks.sort(
        Comparator.comparing(BlockDirectory::ulid)
            .thenComparing(b -> b.path().getFileName().toString()));
    return blocks;
  }

  /**
   * Whether {@code name} is a leftover of block creation or deletion: a ULID followed by one of the
   * temporary suffixes.
   */
  public static boolean isTemporary(String name) {
    for (String suffix : TMP_SUFFIXES) {
      if (name.endsWith(suffix)
          && Ulid.tryParse(name.substring(0, name.length() - suffix.length())).isPresent()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Deletes the temporary block directories of {@code dataDir}, which a crash left behind.
   *
   * @return the directories deleted
   */
  public static List<Path> removeTemporary(Path dataDir) throws IOException {
    List<Path> removed = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dataDir)) {
      for (Path entry : entries) {
        if (isTemporary(entry.getFileName().toString())
            && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
          FileTrees.deleteRecursively(entry);
          removed.add(entry);
        }
      }
    }
    if (!removed.isEmpty()) {
      FileSync.directory(dataDir);
    }
    return removed;
  }

  /**
   * Creates the block {@code ulid} in {@code dataDir}: {@code contents} fills {@code
   * <ulid>.tmp-for-creation}, every file and directory in it is synced, and the directory is
   * renamed to {@code <ulid>} with a sync of {@code dataDir}. If anything fails the temporary
   * directory is removed and no block appears.
   *
   * @return the block directory
   * @throws FileAlreadyExistsException if the block already exists
   */
  public static Path create(Path dataDir, Ulid ulid, Contents contents) throws IOException {
    Path target = path(dataDir, ulid);
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new FileAlreadyExistsException(target.toString(), null, "block already exists");
    }
    Path tmp = dataDir.resolve(ulid + TMP_FOR_CREATION_SUFFIX);
    FileTrees.createDirectories(dataDir);
    FileTrees.deleteRecursively(tmp);
    try {
      Files.createDirectory(tmp);
      contents.writeTo(tmp);
      FileSync.syncTree(tmp);
      FileSync.atomicRename(tmp, target);
    } catch (IOException | RuntimeException | Error e) {
      try {
        FileTrees.deleteRecursively(tmp);
      } catch (IOException | RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
    return target;
  }

  /**
   * Deletes a block directory: renames it to {@code <name>.tmp-for-deletion} (durably), then
   * removes that. A crash in between leaves only a temporary directory, never a partial block.
   *
   * @return false if there was no such directory
   * @throws IllegalArgumentException if the directory's name is not a ULID
   */
  public static boolean delete(Path blockDir) throws IOException {
    String name = blockDir.getFileName().toString();
    if (Ulid.tryParse(name).isEmpty()) {
      throw new IllegalArgumentException(blockDir + " is not named by a ULID");
    }
    if (!Files.exists(blockDir, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    Path tmp = blockDir.resolveSibling(name + TMP_FOR_DELETION_SUFFIX);
    FileTrees.deleteRecursively(tmp);
    FileSync.atomicRename(blockDir, tmp);
    FileTrees.deleteRecursively(tmp);
    return true;
  }
}

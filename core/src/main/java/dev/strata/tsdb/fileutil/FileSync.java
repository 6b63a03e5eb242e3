package dev.strata.tsdb.fileutil;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Durability helpers: making renames and new directory entries survive a crash. */
public final class FileSync {
  private static final boolean WINDOWS =
      System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");

  private FileSync() {}

  /**
   * Flushes a directory's entries (files created, renamed or deleted in it) to stable storage. A
   * file's own fsync does not cover the entry that names it; without this a crash can lose a file
   * whose content was synced. Windows cannot open a directory for this and does not need it there,
   * so it is a no-op.
   */
  public static void directory(Path dir) throws IOException {
    if (WINDOWS) {
      return;
    }
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  /**
   * Renames {@code from} to {@code to} atomically (readers see the old name or the new one, never
   * a half-written target) and syncs the target's directory so that the rename is durable.
   */
  public static void atomicRename(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("cannot rename " + from + " to " + to + " atomically", e);
    }
    directory(to.toAbsolutePath().getParent());
  }
}

package dev.strata.tsdb.fileutil;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

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

  /**
   * Replaces a small file so that readers and crashes see either the old content or the new:
   * writes {@code bytes} to {@code tmp}, syncs it, and renames it over {@code target} with a sync
   * of the directory. A leftover {@code tmp} from an earlier crash is overwritten; on failure
   * {@code tmp} is removed and {@code target} is untouched.
   */
  public static void writeAtomically(Path target, Path tmp, byte[] bytes) throws IOException {
    boolean done = false;
    try {
      try (FileChannel ch =
          FileChannel.open(
              tmp,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      atomicRename(tmp, target);
      done = true;
    } finally {
      if (!done) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  /**
   * Syncs every regular file and directory under {@code dir}, and {@code dir} itself, so that the
   * whole tree survives a crash once renamed into place.
   */
  public static void syncTree(Path dir) throws IOException {
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            if (attrs.isRegularFile()) {
              try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                ch.force(true);
              }
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            directory(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}

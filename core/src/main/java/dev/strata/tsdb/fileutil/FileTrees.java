package dev.strata.tsdb.fileutil;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Operations on directory trees. */
public final class FileTrees {
  private FileTrees() {}

  /**
   * Creates {@code dir} and its missing parents, as {@link Files#createDirectories} does, except
   * that a regular file in the way fails with a {@link NotDirectoryException} naming that file, as
   * it is given (relative or not): the JDK says {@link java.nio.file.FileAlreadyExistsException}
   * ("file exists") for {@code dir} itself and passes the system's message on for a parent, where
   * the problem is, as Go's {@code os.MkdirAll} and so Prometheus say, "not a directory".
   */
  public static Path createDirectories(Path dir) throws IOException {
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.exists(p)) {
        if (!Files.isDirectory(p)) {
          throw new NotDirectoryException(p.toString());
        }
        break;
      }
    }
    return Files.createDirectories(dir);
  }

  /** Deletes {@code path} and, for a directory, everything below it. A missing path is fine. */
  public static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(
        path,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            deleteIfPresent(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            deleteIfPresent(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private static void deleteIfPresent(Path p) throws IOException {
    try {
      Files.delete(p);
    } catch (NoSuchFileException ignored) {
      // deleted concurrently: the goal is reached
    }
  }

  /** Total size of the regular files below {@code path}. */
  public static long size(Path path) throws IOException {
    if (!Files.exists(path)) {
      return 0;
    }
    long[] total = {0};
    Files.walkFileTree(
        path,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            total[0] += attrs.size();
            return FileVisitResult.CONTINUE;
          }
        });
    return total[0];
  }
}

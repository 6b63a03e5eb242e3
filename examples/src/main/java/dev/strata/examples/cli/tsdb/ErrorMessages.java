package dev.strata.examples.cli.tsdb;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * One line saying what went wrong, for the tools' stderr. Most exceptions of Strata already carry
 * such a message (a parse error's line and column, a corrupt file's section and offset); the JDK's
 * file exceptions carry only a path, so they get the reason spelled out the way promtool's
 * messages, which come from the operating system, spell it.
 */
public final class ErrorMessages {
  private ErrorMessages() {}

  public static String of(Throwable e) {
    if (e instanceof UncheckedIOException && e.getCause() != null) {
      return of(e.getCause());
    }
    if (e instanceof FileSystemException f) {
      String path = f.getFile();
      String reason =
          e instanceof NoSuchFileException ? "no such file or directory"
              : e instanceof AccessDeniedException ? "permission denied"
              : e instanceof NotDirectoryException ? "not a directory"
              : e instanceof FileAlreadyExistsException ? "file exists"
              : f.getReason() != null ? f.getReason() : e.getClass().getSimpleName();
      return path == null ? reason : path + ": " + reason;
    }
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return e.getClass().getName();
    }
    return message;
  }
}

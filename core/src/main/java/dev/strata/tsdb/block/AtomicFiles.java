package dev.strata.tsdb.block;

import dev.strata.tsdb.fileutil.FileSync;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Replacing a small file so that readers and crashes see either the old content or the new. */
final class AtomicFiles {
  private AtomicFiles() {}

  /**
   * Writes {@code bytes} to {@code tmp}, syncs it, and renames it over {@code target} with a sync
   * of the directory. A leftover {@code tmp} from an earlier crash is overwritten; on failure
   * {@code tmp} is removed and {@code target} is untouched.
   */
  static void write(Path target, Path tmp, byte[] bytes) throws IOException {
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
      FileSync.atomicRename(tmp, target);
      done = true;
    } finally {
      if (!done) {
        Files.deleteIfExists(tmp);
      }
    }
  }
}

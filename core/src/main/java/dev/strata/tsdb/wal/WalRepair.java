package dev.strata.tsdb.wal;

import dev.strata.tsdb.fileutil.FileSync;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts a damaged log back to its last intact record: the damaged segment is truncated where the
 * damaged record starts and every later segment is deleted, since records after a gap cannot be
 * trusted to follow it. What was cut is logged.
 */
public final class WalRepair {
  private static final Logger LOG = LoggerFactory.getLogger(WalRepair.class);

  private WalRepair() {}

  /**
   * Repairs the log in {@code dir} after {@code damage} was found by a {@link WalReader}.
   *
   * @return the number of bytes dropped
   */
  public static long repair(Path dir, WalCorruptionException damage) throws IOException {
    long dropped = 0;
    for (int index : WalFormat.segmentIndexes(dir)) {
      Path p = dir.resolve(WalFormat.segmentName(index));
      if (index > damage.segment()) {
        dropped += Files.size(p);
        Files.delete(p);
        LOG.warn("WAL repair: deleted segment {} after the damage in segment {}", p, damage.segment());
      } else if (index == damage.segment()) {
        long size = Files.size(p);
        if (damage.offset() < size) {
          try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.truncate(damage.offset());
            ch.force(true);
          }
          dropped += size - damage.offset();
          LOG.warn(
              "WAL repair: cut segment {} at offset {}, dropping {} bytes ({})",
              p, damage.offset(), size - damage.offset(), damage.getMessage());
        }
      }
    }
    FileSync.directory(dir);
    return dropped;
  }
}

package dev.strata.examples.cli.tsdb;

import dev.strata.tsdb.wal.WalCorruptionException;
import dev.strata.tsdb.wal.WalReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Reads a WAL through once before the head is rebuilt from it, so that a WAL the head cannot read
 * whole fails the tool. Strata's read-only replay stops at the first damaged record with a warning
 * and keeps what came before, which suits a server starting up; promtool's read-only open fails
 * instead, and a dump that silently left out the rest of the WAL would mislead. This includes
 * Prometheus's Snappy-compressed records, which Strata does not read.
 */
final class WalCheck {
  private static final String CHECKPOINT_PREFIX = "checkpoint.";

  private WalCheck() {}

  /**
   * Reads the newest checkpoint and the segments after it, as replay does.
   *
   * @throws ToolFailure naming the file and offset of the first damaged record
   */
  static void requireReadable(Path walDir) throws IOException {
    int checkpoint = latestCheckpoint(walDir);
    try {
      if (checkpoint >= 0) {
        readAll(WalReader.open(walDir.resolve(checkpointName(checkpoint))));
      }
      readAll(WalReader.open(walDir, checkpoint + 1, Integer.MAX_VALUE));
    } catch (WalCorruptionException e) {
      throw new ToolFailure("read WAL: " + e.getMessage(), e);
    }
  }

  private static void readAll(WalReader reader) throws IOException {
    try (reader) {
      while (reader.next()) {
        // the reader checks each fragment's CRC and type
      }
    }
  }

  private static int latestCheckpoint(Path walDir) throws IOException {
    int best = -1;
    try (Stream<Path> entries = Files.list(walDir)) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        String name = p.getFileName().toString();
        if (name.matches("checkpoint\\.[0-9]{8}") && Files.isDirectory(p)) {
          best = Math.max(best, Integer.parseInt(name.substring(CHECKPOINT_PREFIX.length())));
        }
      }
    }
    return best;
  }

  private static String checkpointName(int index) {
    return String.format("%s%08d", CHECKPOINT_PREFIX, index);
  }
}

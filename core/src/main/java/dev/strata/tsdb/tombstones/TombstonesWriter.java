package dev.strata.tsdb.tombstones;

import dev.strata.tsdb.encoding.ByteSink;
import dev.strata.tsdb.fileutil.FileSync;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes a block's {@code tombstones} file ({@link TombstonesFormat}) as Prometheus 2.42 does.
 *
 * <p>Series come in ascending reference order, each with its intervals ascending. Prometheus writes
 * series in its hash map's iteration order, which is random, so its files match these byte for byte
 * when they have at most one series with deletions (always the case for the empty file every new
 * block gets) and otherwise differ only in the order of series.
 */
public final class TombstonesWriter {
  private TombstonesWriter() {}

  /** The file content for {@code tombstones}. */
  public static byte[] encode(TombstoneSet tombstones) {
    ByteSink sink = new ByteSink();
    sink.putBE32(TombstonesFormat.MAGIC).putByte(TombstonesFormat.VERSION_1);
    tombstones.forEach(
        (ref, intervals) -> {
          for (int i = 0; i < intervals.size(); i++) {
            sink.putUvarint(ref).putVarint(intervals.minTime(i)).putVarint(intervals.maxTime(i));
          }
        });
    sink.putCrc32cOf(TombstonesFormat.HEADER_SIZE);
    return sink.toByteArray();
  }

  /**
   * Writes {@code blockDir/tombstones} by way of {@code tombstones.tmp}: the temporary file is
   * synced and renamed over the old one with a directory sync, so readers and crashes see either
   * the old deletions or the new ones.
   *
   * @return the size of the file
   */
  public static long write(Path blockDir, TombstoneSet tombstones) throws IOException {
    byte[] bytes = encode(tombstones);
    Path target = blockDir.resolve(TombstonesFormat.FILE_NAME);
    Path tmp = blockDir.resolve(TombstonesFormat.TMP_FILE_NAME);
    FileSync.writeAtomically(target, tmp, bytes);
    return bytes.length;
  }
}

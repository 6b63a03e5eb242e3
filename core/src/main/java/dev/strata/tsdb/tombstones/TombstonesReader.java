package dev.strata.tsdb.tombstones;

import dev.strata.tsdb.encoding.ByteArraySource;
import dev.strata.tsdb.encoding.ByteCursor;
import dev.strata.tsdb.encoding.ByteSource;
import dev.strata.tsdb.encoding.CorruptDataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Reads a block's {@code tombstones} file ({@link TombstonesFormat}).
 *
 * <p>Checks run in the order that gives the most useful message: size, magic, version, checksum,
 * then the entries, so a damaged file is reported as a checksum mismatch rather than as whatever
 * garbage the damage decodes to. Entries may come in any order and repeat a series (Prometheus
 * writes them in its hash map's random order); they are merged per series.
 *
 * <p>An entry whose end lies before its start deletes nothing and is dropped. Prometheus can write
 * one when its delete API is called with the bounds reversed; it keeps it, but it matches no sample
 * there either.
 */
public final class TombstonesReader {
  private TombstonesReader() {}

  /**
   * Reads {@code blockDir/tombstones}. A block without the file has no deletions, as in Prometheus.
   *
   * @throws CorruptDataException if the file does not follow the format
   */
  public static TombstoneSet read(Path blockDir) throws IOException {
    Path file = blockDir.resolve(TombstonesFormat.FILE_NAME);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return TombstoneSet.EMPTY;
    }
    return decode(new ByteArraySource(bytes, file.toString()));
  }

  /**
   * Decodes a whole tombstones file held by {@code source}.
   *
   * @throws CorruptDataException naming the source, the part of the format and the offset
   */
  public static TombstoneSet decode(ByteSource source) {
    long length = source.length();
    if (length < TombstonesFormat.MIN_SIZE) {
      throw new CorruptDataException(
          source.description(),
          "header",
          0,
          "file of " + length + " bytes is shorter than the " + TombstonesFormat.MIN_SIZE
              + " bytes of magic, version and checksum");
    }
    if (length > Integer.MAX_VALUE) {
      throw new CorruptDataException(
          source.description(), "header", 0, "file of " + length + " bytes is larger than 2 GiB");
    }
    byte[] bytes = new byte[(int) length];
    source.read(0, bytes, 0, bytes.length);
    ByteCursor in = new ByteCursor(new ByteArraySource(bytes, source.description()), "magic");

    int magic = in.readBE32();
    if (magic != TombstonesFormat.MAGIC) {
      throw in.corruptAt(
          0, String.format("magic 0x%08X, expected 0x%08X", magic, TombstonesFormat.MAGIC));
    }
    int version = in.section("version").readUnsignedByte();
    if (version != TombstonesFormat.VERSION_1) {
      throw in.corruptAt(4, "version " + version + ", expected " + TombstonesFormat.VERSION_1);
    }
    int end = bytes.length - TombstonesFormat.CRC_SIZE;
    CRC32C crc = new CRC32C();
    crc.update(bytes, TombstonesFormat.HEADER_SIZE, end - TombstonesFormat.HEADER_SIZE);
    int stored = in.range(end, bytes.length, "CRC").readBE32();
    if (stored != (int) crc.getValue()) {
      throw in.corruptAt(
          end,
          String.format(
              "stored CRC32C 0x%08X does not match 0x%08X computed over bytes [%d, %d)",
              stored, (int) crc.getValue(), TombstonesFormat.HEADER_SIZE, end));
    }

    in.range(TombstonesFormat.HEADER_SIZE, end, "tombstone entries");
    TombstoneSet.Builder builder = TombstoneSet.builder();
    while (in.hasRemaining()) {
      long ref = in.readUvarint();
      long min = in.readVarint();
      long max = in.readVarint();
      if (min <= max) {
        builder.add(ref, min, max);
      }
    }
    return builder.build();
  }
}

package dev.strata.tsdb.fileutil;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.strata.tsdb.encoding.ByteCursor;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappedFileTest {

  @TempDir Path dir;

  private Path fileWith(byte[] content) throws IOException {
    Path p = dir.resolve("f" + System.nanoTime());
    Files.write(p, content);
    return p;
  }

  private static byte[] randomBytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  @Test
  void readsMatchTheFileAcrossRegionBoundaries() throws IOException {
    Random random = new Random(42);
    byte[] content = randomBytes(random, 1000);
    ByteBuffer expected = ByteBuffer.wrap(content); // big-endian, like the formats
    // 64-byte regions: most multi-byte reads below straddle a boundary at some position.
    try (MappedFile f = MappedFile.open(fileWith(content), 64)) {
      assertEquals(1000, f.length());
      for (int pos = 0; pos < content.length; pos++) {
        assertEquals(content[pos], f.readByte(pos));
        assertEquals(content[pos] & 0xFF, f.readUnsignedByte(pos));
        if (pos <= content.length - 2) {
          assertEquals(expected.getShort(pos), f.readShort(pos));
          assertEquals(expected.getShort(pos) & 0xFFFF, f.readUnsignedShort(pos));
        }
        if (pos <= content.length - 4) {
          assertEquals(expected.getInt(pos), f.readInt(pos));
          assertEquals(expected.getInt(pos) & 0xFFFF_FFFFL, f.readUnsignedInt(pos));
        }
        if (pos <= content.length - 8) {
          assertEquals(expected.getLong(pos), f.readLong(pos), "long at " + pos);
        }
      }
      for (int i = 0; i < 2000; i++) {
        int pos = random.nextInt(content.length + 1);
        int len = random.nextInt(content.length - pos + 1);
        byte[] got = new byte[len + 3];
        f.read(pos, got, 3, len);
        for (int j = 0; j < len; j++) {
          assertEquals(content[pos + j], got[3 + j]);
        }
        CRC32C crc = new CRC32C();
        crc.update(content, pos, len);
        assertEquals((int) crc.getValue(), f.crc32c(pos, len));
      }
    }
  }

  @Test
  void outOfRangeReadsNameTheFileAndOffset() throws IOException {
    Path p = fileWith(new byte[100]);
    try (MappedFile f = MappedFile.open(p)) {
      assertEquals(p.toString(), f.description());
      IndexOutOfBoundsException e =
          assertThrows(IndexOutOfBoundsException.class, () -> f.readLong(93));
      assertEquals(
          "read of 8 bytes at offset 93 is outside " + p + " (length 100)", e.getMessage());
      assertThrows(IndexOutOfBoundsException.class, () -> f.readByte(100));
      assertThrows(IndexOutOfBoundsException.class, () -> f.readByte(-1));
      assertThrows(IndexOutOfBoundsException.class, () -> f.readInt(Long.MAX_VALUE));
      assertThrows(IndexOutOfBoundsException.class, () -> f.read(50, new byte[60], 0, 51));
      assertThrows(IndexOutOfBoundsException.class, () -> f.read(0, new byte[10], 5, 6));
      assertThrows(IndexOutOfBoundsException.class, () -> f.read(0, new byte[10], 0, -1));
      assertThrows(IndexOutOfBoundsException.class, () -> f.crc32c(1, 100));
      f.read(100, new byte[0], 0, 0); // an empty read at the end is in range
    }
  }

  @Test
  void emptyFile() throws IOException {
    try (MappedFile f = MappedFile.open(fileWith(new byte[0]))) {
      assertEquals(0, f.length());
      f.read(0, new byte[0], 0, 0);
      assertEquals(0, f.crc32c(0, 0));
      assertThrows(IndexOutOfBoundsException.class, () -> f.readByte(0));
    }
  }

  @Test
  void closeUnmapsAtOnceAndLaterReadsFail() throws IOException {
    assertTrue(MappedFile.canUnmap());
    Path p = fileWith(new byte[1 << 16]);
    MappedFile f = MappedFile.open(p);
    boolean canSeeMappings = mappingsOf(p) >= 0; // Linux's /proc shows them
    if (canSeeMappings) {
      assertTrue(mappingsOf(p) > 0, "mapped while open");
    }
    f.close();
    assertTrue(f.isClosed());
    if (canSeeMappings) {
      assertEquals(0, mappingsOf(p), "no mapping left after close");
    }
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> f.readInt(0));
    assertEquals(p + " is closed", e.getMessage());
    assertThrows(IllegalStateException.class, () -> f.read(0, new byte[1], 0, 1));
    f.close(); // idempotent
    Files.delete(p);
  }

  @Test
  void closeWaitsForConcurrentReadsWhichNeverSeeUnmappedMemory() throws Exception {
    Random random = new Random(7);
    byte[] content = randomBytes(random, 1 << 20);
    AtomicLong reads = new AtomicLong();
    for (int round = 0; round < 20; round++) {
      MappedFile f = MappedFile.open(fileWith(content), 1 << 16);
      int threads = 4;
      CountDownLatch started = new CountDownLatch(threads);
      AtomicReference<Throwable> unexpected = new AtomicReference<>();
      List<Thread> readers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int seed = t;
        Thread reader =
            new Thread(
                () -> {
                  Random r = new Random(seed);
                  byte[] buf = new byte[4096];
                  started.countDown();
                  try {
                    while (true) {
                      int pos = r.nextInt(content.length - buf.length);
                      f.read(pos, buf, 0, buf.length);
                      if (buf[0] != content[pos] || buf[4095] != content[pos + 4095]) {
                        throw new AssertionError("wrong bytes at " + pos);
                      }
                      if (f.readLong(pos) != ByteBuffer.wrap(content).getLong(pos)) {
                        throw new AssertionError("wrong long at " + pos);
                      }
                      reads.incrementAndGet();
                    }
                  } catch (IllegalStateException expected) {
                    // closed underneath: the only acceptable way out
                  } catch (Throwable e) {
                    unexpected.compareAndSet(null, e);
                  }
                });
        reader.start();
        readers.add(reader);
      }
      started.await();
      Thread.sleep(2);
      f.close();
      for (Thread reader : readers) {
        reader.join(10_000);
        assertFalse(reader.isAlive());
      }
      if (unexpected.get() != null) {
        fail("reader failed", unexpected.get());
      }
    }
    assertTrue(reads.get() > 0, "the readers did read before the files were closed");
  }

  @Test
  void filesLargerThan2GiB() throws IOException {
    // A sparse file: 3 GiB and a bit, with markers straddling the 1 GiB and 2 GiB region ends.
    Path p = dir.resolve("big");
    long size = (3L << 30) + 100;
    long[] marks = {(1L << 30) - 3, (2L << 30) - 5, (3L << 30) + 90};
    try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw")) {
      raf.setLength(size);
      for (long mark : marks) {
        raf.seek(mark);
        raf.writeLong(0x0102030405060708L ^ mark);
      }
    }
    try (MappedFile f = MappedFile.open(p)) {
      assertEquals(size, f.length());
      for (long mark : marks) {
        assertEquals(0x0102030405060708L ^ mark, f.readLong(mark));
        byte[] got = new byte[12];
        f.read(mark - 2, got, 0, 12);
        byte[] expected = new byte[12];
        ByteBuffer.wrap(expected, 2, 8).putLong(0x0102030405060708L ^ mark);
        assertArrayEquals(expected, got);
        CRC32C crc = new CRC32C();
        crc.update(expected);
        assertEquals((int) crc.getValue(), f.crc32c(mark - 2, 12));
      }
      // A cursor decodes across the boundary too.
      ByteCursor cursor = new ByteCursor(f, "test").range(marks[1], size, "test");
      assertEquals(0x0102030405060708L ^ marks[1], cursor.readBE64());
      assertThrows(IndexOutOfBoundsException.class, () -> f.readLong(size - 7));
    }
    Files.delete(p);
  }

  @Test
  void fileTruncatedUnderTheMappingFailsWithoutCrashing() throws IOException {
    Path p = fileWith(new byte[1 << 20]);
    try (MappedFile f = MappedFile.open(p)) {
      try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw")) {
        raf.setLength(0);
      }
      // The bus error reaches Java as an error that may be raised a little after the access; the
      // JVM must survive it and, when it surfaces inside the read, the file must be named.
      try {
        f.read(500_000, new byte[4096], 0, 4096);
        f.readLong(600_000);
        fail("reading beyond the end of a truncated file succeeded");
      } catch (UncheckedIOException e) {
        assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
      } catch (InternalError e) {
        assertTrue(e.getMessage().contains("unsafe memory access"), e.getMessage());
      }
    }
  }

  private static long mappingsOf(Path p) throws IOException {
    Path maps = Path.of("/proc/self/maps");
    if (!Files.exists(maps)) {
      return -1;
    }
    String name = p.toAbsolutePath().toString();
    return Files.readAllLines(maps).stream().filter(l -> l.endsWith(name)).count();
  }
}

package dev.strata.tsdb.chunks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.strata.tsdb.encoding.CorruptDataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkSegmentReaderTest {

  private static final byte[] HEADER = {(byte) 0x85, (byte) 0xBD, 0x40, (byte) 0xDD, 1, 0, 0, 0};

  @TempDir Path dir;

  @Test
  void segmentsAreNumberedFromOneWithoutGaps() throws IOException {
    Files.write(dir.resolve("000001"), HEADER);
    Files.write(dir.resolve("000003"), HEADER);
    CorruptDataException e =
        assertThrows(CorruptDataException.class, () -> ChunkSegmentReader.open(dir));
    assertEquals(dir.toString(), e.source());
    assertEquals("segment files", e.section());
    assertTrue(e.getMessage().contains("position 2 holds 000003"), e.getMessage());

    Files.move(dir.resolve("000003"), dir.resolve("1"));
    assertThrows(CorruptDataException.class, () -> ChunkSegmentReader.open(dir));
  }

  @Test
  void numericOrderNotNameOrder() throws IOException {
    for (int i = 1; i <= 12; i++) {
      // By name, "10" would come after "000011"; by number it comes before.
      Files.write(dir.resolve(i == 10 ? "10" : ChunkSegmentFormat.fileName(i)), HEADER);
    }
    Files.write(dir.resolve("000013.tmp"), new byte[3]);
    Files.write(dir.resolve("notes"), new byte[3]);
    Files.createDirectory(dir.resolve("0000x"));
    try (ChunkSegmentReader reader = ChunkSegmentReader.open(dir)) {
      assertEquals(12, reader.segmentCount());
      assertEquals(dir.resolve("10"), reader.segment(9).path());
      assertEquals(dir.resolve("000011"), reader.segment(10).path());
      assertEquals(12 * 8, reader.totalBytes());
      assertEquals(0, reader.verifyAll());
    }
  }

  @Test
  void emptyDirectoryHasNoChunks() throws IOException {
    try (ChunkSegmentReader reader = ChunkSegmentReader.open(dir)) {
      assertEquals(0, reader.segmentCount());
      assertEquals(0, reader.verifyAll());
      assertThrows(CorruptDataException.class, () -> reader.cursor().seek(ChunkRef.of(0, 8)));
    }
  }

  @Test
  void cursorContinuesFromASeekAndDescribesTheChunk() throws IOException {
    long[] refs = new long[3];
    try (ChunkSegmentWriter w = new ChunkSegmentWriter(dir)) {
      w.write(new ChunkBatch().add((byte) 1, new byte[] {1}, 0, 1).add((byte) 2, new byte[200], 0, 200)
          .add((byte) 3, new byte[0], 0, 0), refs);
    }
    try (ChunkSegmentReader reader = ChunkSegmentReader.open(dir)) {
      ChunkCursor c = reader.cursor();
      assertThrows(IllegalStateException.class, c::next);
      assertThrows(IllegalStateException.class, c::ref);
      c.seek(refs[1]);
      assertEquals(8 + 7, c.offset());
      assertEquals(8 + 7 + 2 + 1, c.dataPosition());
      assertEquals(200, c.dataLength());
      assertEquals(2, c.encoding());
      assertEquals(8 + 7 + 207, c.endOffset());
      assertTrue(c.next());
      assertEquals(refs[2], c.ref());
      assertEquals(3, c.encoding());
      assertEquals(0, c.dataLength());
      assertFalse(c.next());
      assertEquals(0, c.segmentIndex());
      int crc = c.storedCrc();
      c.verify();
      assertEquals(crc, c.storedCrc());
    }
  }

  @Test
  void concurrentReadersAndADeterministicClose() throws Exception {
    Random random = new Random(5);
    List<Long> refs = new ArrayList<>();
    List<byte[]> data = new ArrayList<>();
    ChunkBatch batch = new ChunkBatch();
    try (ChunkSegmentWriter w = new ChunkSegmentWriter(dir, 64 << 10)) {
      for (int s = 0; s < 300; s++) {
        batch.clear();
        for (int c = 0; c < 4; c++) {
          byte[] d = new byte[random.nextInt(600)];
          random.nextBytes(d);
          data.add(d);
          batch.add((byte) 1, d, 0, d.length);
        }
        long[] out = new long[4];
        w.write(batch, out);
        for (long r : out) {
          refs.add(r);
        }
      }
    }
    ChunkSegmentReader reader = ChunkSegmentReader.open(dir);
    assertTrue(reader.segmentCount() > 3);
    int threads = 4;
    CountDownLatch warmedUp = new CountDownLatch(threads);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicLong reads = new AtomicLong();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int seed = t;
      Thread worker =
          new Thread(
              () -> {
                Random r = new Random(seed);
                ChunkCursor cursor = reader.cursor();
                try {
                  for (long i = 0; ; i++) {
                    int k = r.nextInt(refs.size());
                    cursor.seek(refs.get(k)).verify();
                    byte[] got = new byte[cursor.dataLength()];
                    cursor.source().read(cursor.dataPosition(), got, 0, got.length);
                    if (!Arrays.equals(data.get(k), got)) {
                      throw new AssertionError("chunk " + k + " differs");
                    }
                    reads.incrementAndGet();
                    if (i == 2000) {
                      warmedUp.countDown();
                    }
                  }
                } catch (IllegalStateException closed) {
                  warmedUp.countDown();
                } catch (Throwable e) {
                  failure.compareAndSet(null, e);
                  warmedUp.countDown();
                }
              });
      worker.start();
      workers.add(worker);
    }
    warmedUp.await();
    reader.close();
    for (Thread worker : workers) {
      worker.join(10_000);
      assertFalse(worker.isAlive());
    }
    if (failure.get() != null) {
      fail("reader thread failed", failure.get());
    }
    assertTrue(reads.get() >= threads * 2000L);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> reader.verify(refs.get(0)));
    assertTrue(e.getMessage().endsWith("000001 is closed"), e.getMessage());
    // Nothing maps the files any more: the block can go.
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
    }
    Path maps = Path.of("/proc/self/maps");
    if (Files.exists(maps)) {
      assertFalse(Files.readString(maps).contains(dir.toString()));
    }
  }
}

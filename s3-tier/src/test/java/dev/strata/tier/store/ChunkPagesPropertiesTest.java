package dev.strata.tier.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tsdb.block.Ulid;
import dev.strata.tsdb.encoding.CorruptDataException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Chunks read through {@link ChunkPageReader} and a shared {@link ChunkPageCache} are the bytes
 * of the segment files, whatever the chunk sizes (tiny to larger than a page, straddling page
 * boundaries), the ranges read, the estimate of a chunk's size, and the cache's size (down to
 * none, or a few pages that evict between lookups); and bytes handed out stay as they were.
 */
class ChunkPagesPropertiesTest {
  private static final int PAGE = ChunkPageCache.PAGE_SIZE;
  private static final Ulid BLOCK = Ulid.parse("01ARZ3NDEKTSV4RRFFQ69G5FAV");

  /** Segment files of random chunks; refs as a block's index holds them. */
  private static final class Files {
    final List<byte[]> files = new ArrayList<>();
    final List<Long> refs = new ArrayList<>();
    final List<byte[]> data = new ArrayList<>();
    final List<Byte> encodings = new ArrayList<>();

    Files(Random r, int chunks) {
      int seg = 0;
      ByteArrayOutputStream out = newFile(r);
      for (int i = 0; i < chunks; i++) {
        if (out.size() > 3 * PAGE && r.nextInt(40) == 0) {
          files.add(out.toByteArray());
          out = newFile(r);
          seg++;
        }
        byte[] d = new byte[size(r)];
        r.nextBytes(d);
        byte enc = (byte) (1 + r.nextInt(3));
        refs.add((long) seg << 32 | out.size());
        data.add(d);
        encodings.add(enc);
        writeRecord(out, enc, d);
      }
      files.add(out.toByteArray());
    }

    private static ByteArrayOutputStream newFile(Random r) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] header = new byte[8]; // a segment file's magic, version and padding
      r.nextBytes(header);
      out.writeBytes(header);
      return out;
    }

    // Mostly a few hundred bytes, as chunks are; some tiny, some about a page, some larger.
    private static int size(Random r) {
      switch (r.nextInt(10)) {
        case 0:
          return r.nextInt(4);
        case 1:
          return PAGE - 8 + r.nextInt(16);
        case 2:
          return r.nextInt(3 * PAGE);
        default:
          return 1 + r.nextInt(600);
      }
    }

    long[] sizes() {
      return files.stream().mapToLong(f -> f.length).toArray();
    }

    ChunkPageReader.Fetch fetch(long gap) {
      return (key, ranges) -> {
        byte[] file = files.get(Integer.parseInt(key.substring(key.lastIndexOf('/') + 1)) - 1);
        List<RangeCache.Segment> out = new ArrayList<>();
        for (RangeFetcher.Range m : RangeFetcher.coalesce(ranges, gap)) {
          assertTrue(m.start() >= 0 && m.end() <= file.length, m + " of " + file.length);
          out.add(new RangeCache.Segment(m.start(),
              Arrays.copyOfRange(file, (int) m.start(), (int) m.end())));
        }
        return out;
      };
    }
  }

  static void writeRecord(ByteArrayOutputStream out, byte enc, byte[] d) {
    long v = d.length;
    while (v >= 0x80) {
      out.write((int) (v | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
    out.write(enc);
    out.writeBytes(d);
    CRC32C crc = new CRC32C();
    crc.update(enc);
    crc.update(d);
    int c = (int) crc.getValue();
    out.write(c >>> 24);
    out.write(c >>> 16);
    out.write(c >>> 8);
    out.write(c);
  }

  private static String key(int seg) {
    return BLOCK + "/chunks/" + String.format("%06d", seg + 1);
  }

  @Property(tries = 150)
  void chunksReadAreTheFilesBytes(@ForAll long seed, @ForAll @IntRange(min = 1, max = 400) int chunks,
      @ForAll @IntRange(min = 0, max = 4) int cacheKind) {
    Random r = new Random(seed);
    Files f = new Files(r, chunks);
    long[] cacheSizes = {0, 4L * (PAGE + 64), 4L * (PAGE + 64) + r.nextInt(8 * PAGE),
        64L * PAGE, 1L << 30};
    ChunkPageCache cache = new ChunkPageCache("chunks", cacheSizes[cacheKind]);
    for (int query = 0; query < 6; query++) {
      long estimate = r.nextBoolean() ? 16 + r.nextInt(64) : 1 + r.nextInt(2 * PAGE);
      ChunkPageReader reader = new ChunkPageReader(cache, BLOCK, f.sizes(),
          ChunkPagesPropertiesTest::key, f.fetch(r.nextBoolean() ? 0 : r.nextInt(4 * PAGE)), estimate);
      int from = r.nextInt(chunks);
      int to = from + 1 + r.nextInt(chunks - from);
      List<Object[]> handedOut = new ArrayList<>();
      int i = from;
      while (i < to) {
        // A batch of a few "series", each a run of consecutive chunks, as a cursor reads them.
        reader.clear();
        int batchEnd = Math.min(to, i + 1 + r.nextInt(60));
        long[] refs = new long[batchEnd - i];
        for (int k = 0; k < refs.length; k++) {
          refs[k] = f.refs.get(i + k);
        }
        if (r.nextInt(5) > 0) { // otherwise nothing prefetched: every page read on demand
          ChunkPageReader.PageList missing = new ChunkPageReader.PageList();
          int s = 0;
          while (s < refs.length) {
            int e = Math.min(refs.length, s + 1 + r.nextInt(12));
            reader.want(refs, s, e, missing);
            s = e;
          }
          reader.fetchMissing(missing);
        }
        for (int k = 0; k < refs.length; k++) {
          int c = i + k;
          reader.locate(refs[k]);
          byte[] got = Arrays.copyOfRange(reader.bytes(), reader.dataOffset(),
              reader.dataOffset() + reader.length());
          assertArrayEquals(f.data.get(c), got, "chunk " + c + " at " + Long.toHexString(refs[k]));
          assertEquals((byte) f.encodings.get(c), reader.encoding());
          handedOut.add(new Object[] {reader.bytes(), reader.dataOffset(), c});
        }
        i = batchEnd;
      }
      for (Object[] h : handedOut) {
        byte[] b = (byte[]) h[0];
        int off = (int) h[1];
        byte[] want = f.data.get((int) h[2]);
        assertArrayEquals(want, Arrays.copyOfRange(b, off, off + want.length),
            "chunk " + h[2] + " changed after it was handed out");
      }
      RangeCache.Stats st = cache.stats();
      assertTrue(st.usedBytes() <= Math.max(0, cacheSizes[cacheKind]), st.toString());
    }
  }

  @Example
  void aWarmReadOfCachedPagesFetchesNothing() {
    Files f = new Files(new Random(7), 300);
    ChunkPageCache cache = new ChunkPageCache("chunks", 1L << 30);
    long[] fetched = new long[1];
    ChunkPageReader.Fetch counting = (key, ranges) -> {
      fetched[0] += ranges.size();
      return f.fetch(0).fetch(key, ranges);
    };
    long[] refs = f.refs.stream().mapToLong(Long::longValue).toArray();
    for (int round = 0; round < 2; round++) {
      ChunkPageReader reader = new ChunkPageReader(cache, BLOCK, f.sizes(),
          ChunkPagesPropertiesTest::key, counting, 600);
      ChunkPageReader.PageList missing = new ChunkPageReader.PageList();
      reader.want(refs, 0, refs.length, missing);
      reader.fetchMissing(missing);
      for (long ref : refs) {
        reader.locate(ref); // a chunk larger than estimated brings in its next page here
      }
      if (round == 0) {
        fetched[0] = 0;
      }
    }
    assertEquals(0, fetched[0], "a warm read fetched pages");
  }

  @Example
  void corruptAndTruncatedChunksNameTheFileAndOffset() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[8]);
    byte[] d = new byte[3 * PAGE];
    new Random(1).nextBytes(d);
    writeRecord(out, (byte) 1, d);
    byte[] whole = out.toByteArray();
    byte[] flipped = whole.clone();
    flipped[PAGE + 5] ^= 1;
    byte[] truncated = Arrays.copyOf(whole, whole.length - 10);
    CorruptDataException crc = assertThrows(CorruptDataException.class, () -> read(flipped));
    assertEquals(key(0), crc.source());
    assertEquals(8, crc.offset());
    assertTrue(crc.getMessage().contains("CRC"), crc.getMessage());
    CorruptDataException past = assertThrows(CorruptDataException.class, () -> read(truncated));
    assertEquals(key(0), past.source());
    assertEquals(8, past.offset());
    assertTrue(past.getMessage().contains("past the end"), past.getMessage());
  }

  private static void read(byte[] file) {
    Files f = new Files(new Random(0), 0);
    f.files.set(0, file);
    new ChunkPageReader(new ChunkPageCache("chunks", 1L << 20), BLOCK, f.sizes(),
        ChunkPagesPropertiesTest::key, f.fetch(0), 100).locate(8);
  }
}

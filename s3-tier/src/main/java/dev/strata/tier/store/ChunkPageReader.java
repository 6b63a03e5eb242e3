package dev.strata.tier.store;

import static dev.strata.tier.store.ChunkPageCache.PAGE_MASK;
import static dev.strata.tier.store.ChunkPageCache.PAGE_SHIFT;
import static dev.strata.tier.store.ChunkPageCache.PAGE_SIZE;

import dev.strata.tsdb.block.Ulid;
import dev.strata.tsdb.chunks.ChunkSegmentFormat;
import dev.strata.tsdb.encoding.CorruptDataException;
import dev.strata.tsdb.encoding.Varint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import java.util.zip.CRC32C;

/**
 * One query's reader of the chunks of a block's segment files, a page at a time (see {@link
 * ChunkPageCache}). A batch's chunks are prefetched as the pages they need: each page is looked up
 * in the cache once, and the missing ones are fetched coalesced and cached whole. The pages of the
 * batch stay here until the next batch, so a chunk is located without a cache lookup, and
 * consecutive chunks of a series in the same page without a table lookup either.
 *
 * <p>A chunk record is {@code uvarint length | encoding | data | CRC32C(encoding, data)}, and its
 * CRC is checked every time it is located. A chunk inside one page is read in place; one that
 * straddles pages is assembled into an array of its own (not a reused one: bytes handed to {@link
 * #bytes()} may be decoded after the next chunk is located, when a series' chunks overlap). Pages
 * are never written once filled, so the bytes stay valid as long as a caller keeps them. Not
 * thread-safe.
 */
final class ChunkPageReader {
  /** Fetches ranges of one object, coalescing them; the segments come back in file order. */
  @FunctionalInterface
  interface Fetch {
    List<RangeCache.Segment> fetch(String key, List<RangeFetcher.Range> ranges) throws IOException;
  }

  private final ChunkPageCache cache;
  private final Ulid id;
  private final long[] fileSizes; // by segment index; a segment past its end: size unknown
  private final IntFunction<String> keys;
  private final Fetch fetch;
  private final long chunkEstimate;
  private final ChunkPageCache.Pages[] tables;
  private final WorkingSet.OffsetTable batch = new WorkingSet.OffsetTable(); // (seg, page) -> bytes
  private int batchPages;
  private final CRC32C crc = new CRC32C();
  private final byte[] header = new byte[ChunkSegmentFormat.MAX_LENGTH_FIELD_SIZE + 1];
  private long lastWanted = -1;
  private long curKey = -1;
  private byte[] curPage;
  // The chunk located last: its bytes, where its data starts in them, its length and encoding.
  private byte[] bytes;
  private int dataOffset;
  private int length;
  private byte encoding;

  ChunkPageReader(ChunkPageCache cache, Ulid id, long[] fileSizes, IntFunction<String> keys,
      Fetch fetch, long chunkEstimate) {
    this.cache = cache;
    this.id = id;
    this.fileSizes = fileSizes;
    this.keys = keys;
    this.fetch = fetch;
    this.chunkEstimate = Math.max(16, chunkEstimate);
    this.tables = new ChunkPageCache.Pages[fileSizes.length];
  }

  /** Page number of the page holding file offset {@code offset}. */
  static long pageOf(long offset) {
    return offset >>> PAGE_SHIFT;
  }

  /** Drops the pages of the last batch. */
  void clear() {
    if (batchPages > 0) {
      batch.clear();
      batchPages = 0;
    }
    curKey = -1;
    curPage = null;
    lastWanted = -1;
  }

  /** Pages held for the current batch. */
  int batchPages() {
    return batchPages;
  }

  /**
   * Brings in the pages the chunks {@code refs[from, to)} of one series, in order, probably need:
   * each chunk is estimated to end at the next chunk of its series in the same file, or the block's
   * largest chunk size after its start, whichever is first (a record that turns out longer brings
   * in the page after on demand). The missing pages go to {@code missing}, for {@link
   * #fetchMissing}.
   */
  void want(long[] refs, int from, int to, PageList missing) {
    for (int j = from; j < to; j++) {
      int seg = (int) (refs[j] >>> 32);
      long off = refs[j] & 0xFFFF_FFFFL;
      long end = off + chunkEstimate;
      if (j + 1 < to && (int) (refs[j + 1] >>> 32) == seg) {
        long next = refs[j + 1] & 0xFFFF_FFFFL;
        if (next > off) {
          end = Math.min(end, next);
        }
      }
      end = Math.min(end, fileSize(seg));
      for (long p = pageOf(off), last = pageOf(Math.max(off, end - 1)); p <= last; p++) {
        long key = key(seg, p);
        if (key == lastWanted) {
          continue; // the page of the chunk before: most chunks share it
        }
        lastWanted = key;
        if (batch.get(key) != null || missing.last() == key) {
          continue;
        }
        byte[] hit = cache.get(table(seg), p);
        if (hit != null) {
          hold(key, hit);
        } else {
          missing.add(key);
        }
      }
    }
  }

  /** Fetches the pages {@code missing} lists (coalesced, file by file) and caches them. */
  void fetchMissing(PageList missing) {
    long[] keys = missing.sortedUnique();
    int i = 0;
    while (i < keys.length) {
      int seg = (int) (keys[i] >>> 32);
      int j = i;
      List<RangeFetcher.Range> ranges = new ArrayList<>();
      while (j < keys.length && (int) (keys[j] >>> 32) == seg) {
        long p = keys[j] & 0xFFFF_FFFFL;
        ranges.add(pageRange(seg, p));
        j++;
      }
      List<RangeCache.Segment> fetched = fetchRanges(seg, ranges);
      for (int k = i; k < j; k++) {
        long p = keys[k] & 0xFFFF_FFFFL;
        byte[] page = cut(fetched, pageRange(seg, p));
        if (page != null) {
          hold(keys[k], page);
          cache.put(table(seg), p, page);
        }
      }
      i = j;
    }
    missing.clear();
  }

  /** Locates the chunk at {@code ref} (segment index in the upper 32 bits, offset in the lower). */
  void locate(long ref) {
    int seg = (int) (ref >>> 32);
    long off = ref & 0xFFFF_FFFFL;
    long key = key(seg, pageOf(off));
    byte[] page = key == curKey ? curPage : page(seg, pageOf(off));
    int in = (int) (off & PAGE_MASK);
    // The length's uvarint, decoded here: at most five bytes, all in the page, or assembled.
    int end = Math.min(page.length, in + ChunkSegmentFormat.MAX_LENGTH_FIELD_SIZE);
    long len = 0;
    for (int i = in, shift = 0; i < end; i++, shift += 7) {
      int b = page[i];
      len |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        if (i + 1 + len + 4 < page.length) { // encoding, data and CRC in the page too
          check(page, i + 1, (int) len, seg, off);
          return;
        }
        break;
      }
    }
    assemble(seg, off);
  }

  /** The located chunk's bytes: its data is {@code [dataOffset(), dataOffset() + length())}. */
  byte[] bytes() {
    return bytes;
  }

  int dataOffset() {
    return dataOffset;
  }

  int length() {
    return length;
  }

  byte encoding() {
    return encoding;
  }

  // A chunk that does not fit in its page: its header, then the whole record, gathered.
  private void assemble(int seg, long off) {
    long size = fileSize(seg);
    String key = keys.apply(seg);
    int h = (int) Math.min(header.length, size - off);
    if (h <= 0) {
      throw new CorruptDataException(key, "chunk", off, "chunk starts past the end of the file");
    }
    int got = copy(seg, off, header, h);
    int n = Varint.uvarintLength(header, 0,
        Math.min(got, ChunkSegmentFormat.MAX_LENGTH_FIELD_SIZE));
    if (n <= 0) {
      throw new CorruptDataException(key, "chunk length", off,
          got < h || got < 2 ? "chunk runs past the end of the file" : "malformed chunk length");
    }
    long len = Varint.uvarint(header, 0, n);
    long total = n + 1 + len + 4;
    if (total > Integer.MAX_VALUE - 16 || off + total > size) {
      throw new CorruptDataException(key, "chunk", off, "chunk of " + len
          + " bytes runs past the end of the file ("
          + (size == Long.MAX_VALUE ? "size unknown" : size + " bytes") + ")");
    }
    byte[] record = new byte[(int) total];
    if (copy(seg, off, record, record.length) < record.length) {
      throw new CorruptDataException(key, "chunk", off, "chunk of " + len
          + " bytes runs past the end of the file");
    }
    check(record, n, (int) len, seg, off);
  }

  // Copies up to len bytes of the file from off into dst; fewer only at the end of the file.
  private int copy(int seg, long off, byte[] dst, int len) {
    int done = 0;
    while (done < len) {
      long pos = off + done;
      byte[] page = page(seg, pageOf(pos));
      int in = (int) (pos & PAGE_MASK);
      int k = Math.min(page.length - in, len - done);
      if (k <= 0) {
        return done;
      }
      System.arraycopy(page, in, dst, done, k);
      done += k;
      if (page.length < PAGE_SIZE && done < len) {
        return done; // the file's last page
      }
    }
    return done;
  }

  // Checks the CRC of the record whose length field ends at b[at] and makes it the located chunk.
  private void check(byte[] b, int at, int len, int seg, long off) {
    crc.reset();
    crc.update(b, at, len + 1);
    int c = at + 1 + len;
    int stored = ((b[c] & 0xff) << 24) | ((b[c + 1] & 0xff) << 16) | ((b[c + 2] & 0xff) << 8)
        | (b[c + 3] & 0xff);
    if ((int) crc.getValue() != stored) {
      throw new CorruptDataException(keys.apply(seg), "chunk CRC", off, String.format(
          "stored CRC32C %08x does not match %08x computed", stored, (int) crc.getValue()));
    }
    bytes = b;
    encoding = b[at];
    dataOffset = at + 1;
    length = len;
  }

  // The page, from the batch, else the cache, else fetched alone (not prefetched: a record that
  // ran past its estimate); it becomes the current page.
  private byte[] page(int seg, long p) {
    long key = key(seg, p);
    byte[] page = batch.get(key);
    if (page == null) {
      page = cache.get(table(seg), p);
      if (page == null) {
        RangeFetcher.Range r = pageRange(seg, p);
        if (r.end() <= r.start()) {
          throw new CorruptDataException(keys.apply(seg), "chunk", r.start(),
              "chunk reference past the end of the file (" + fileSize(seg) + " bytes)");
        }
        page = cut(fetchRanges(seg, List.of(r)), r);
        if (page == null) {
          throw new CorruptDataException(keys.apply(seg), "chunk", r.start(),
              "chunk reference past the end of the file");
        }
        cache.put(table(seg), p, page);
      }
      hold(key, page);
    }
    curKey = key;
    curPage = page;
    return page;
  }

  private void hold(long key, byte[] page) {
    batch.put(key, page);
    batchPages++;
  }

  private List<RangeCache.Segment> fetchRanges(int seg, List<RangeFetcher.Range> ranges) {
    String key = keys.apply(seg);
    try {
      return fetch.fetch(key, ranges);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + key + " of block " + id, e);
    }
  }

  // The bytes of r cut out of the fetched segment holding its start (shorter at the end of a
  // file of unknown size), or null if none holds it.
  private static byte[] cut(List<RangeCache.Segment> fetched, RangeFetcher.Range r) {
    int lo = 0;
    int hi = fetched.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      RangeCache.Segment s = fetched.get(mid);
      if (r.start() < s.offset()) {
        hi = mid - 1;
      } else if (r.start() >= s.offset() + s.bytes().length) {
        lo = mid + 1;
      } else {
        int from = (int) (r.start() - s.offset());
        int to = (int) Math.min(s.bytes().length, r.end() - s.offset());
        return from == 0 && to == s.bytes().length ? s.bytes()
            : Arrays.copyOfRange(s.bytes(), from, to);
      }
    }
    return null;
  }

  private RangeFetcher.Range pageRange(int seg, long p) {
    long start = p << PAGE_SHIFT;
    return new RangeFetcher.Range(start, Math.min(start + PAGE_SIZE, fileSize(seg)));
  }

  private long fileSize(int seg) {
    return seg >= 0 && seg < fileSizes.length ? fileSizes[seg] : Long.MAX_VALUE;
  }

  private ChunkPageCache.Pages table(int seg) {
    if (seg < 0 || seg >= tables.length) {
      return cache.pages(id, seg + 1); // a segment the block did not list: not kept here
    }
    ChunkPageCache.Pages t = tables[seg];
    return t != null ? t : (tables[seg] = cache.pages(id, seg + 1));
  }

  private static long key(int seg, long page) {
    return (long) seg << 32 | page;
  }

  /** (segment, page) keys to fetch, collected by {@link #want}. */
  static final class PageList {
    private long[] keys = new long[64];
    private int size;

    void add(long key) {
      if (size == keys.length) {
        keys = Arrays.copyOf(keys, size * 2);
      }
      keys[size++] = key;
    }

    long last() {
      return size == 0 ? -1 : keys[size - 1];
    }

    boolean isEmpty() {
      return size == 0;
    }

    long[] sortedUnique() {
      long[] k = Arrays.copyOf(keys, size);
      Arrays.sort(k);
      int n = 0;
      for (int i = 0; i < k.length; i++) {
        if (n == 0 || k[i] != k[n - 1]) {
          k[n++] = k[i];
        }
      }
      return Arrays.copyOf(k, n);
    }

    void clear() {
      size = 0;
    }
  }
}

package dev.strata.tier.store;

import dev.strata.tsdb.block.Ulid;
import dev.strata.tsdb.chunkenc.XorChunkIterator;
import dev.strata.tsdb.chunks.ChunkSegmentFormat;
import dev.strata.tsdb.encoding.CorruptDataException;
import dev.strata.tsdb.encoding.Varint;
import dev.strata.tsdb.index.ChunkMetas;
import dev.strata.tsdb.index.IndexReader;
import dev.strata.tsdb.index.Postings;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.labels.Utf8Order;
import dev.strata.tsdb.storage.BlockReader;
import dev.strata.tsdb.storage.ChunkSeriesCursor;
import dev.strata.tsdb.tombstones.Intervals;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * One query's view of a {@link BucketBlock}. A select runs in three rounds of ranged reads per
 * batch of series instead of one read per item: the postings lists the matchers need (found in the
 * local header), then the series entries of a batch of refs, then the chunks of those series in
 * the queried range; each round coalesces nearby ranges and fetches them in parallel, and stores
 * the exact items (lists, entries, chunks, the latter CRC-checked) in the caches.
 */
final class BucketBlockReader implements BlockReader {
  private final BucketBlock block;
  private final BucketBlock.State st;
  private final Ulid id;
  private final IndexReader index;
  private final BucketCaches caches;
  private boolean closed;

  BucketBlockReader(BucketBlock block, BucketBlock.State st) {
    this.block = block;
    this.st = st;
    this.id = block.ulid();
    this.index = st.index();
    this.caches = block.options().caches();
  }

  @Override
  public long minTime() {
    return block.meta().minTime();
  }

  @Override
  public long maxTime() {
    return block.meta().maxTime();
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("reader of " + id + " is closed");
    }
  }

  @Override
  public ChunkSeriesCursor select(long mint, long maxt, LabelMatcher... matchers) {
    ensureOpen();
    return new Cursor(postings(matchers), mint, maxt, true);
  }

  @Override
  public void forEachSymbol(Consumer<String> consumer) {
    ensureOpen();
    index.forEachSymbol(consumer);
  }

  @Override
  public List<String> labelNames(LabelMatcher... matchers) {
    ensureOpen();
    if (matchers.length == 0) {
      return index.labelNames();
    }
    TreeSet<String> names = new TreeSet<>(Utf8Order.COMPARATOR);
    Cursor c = new Cursor(postings(matchers), Long.MIN_VALUE, Long.MAX_VALUE, false);
    while (c.next()) {
      Labels l = c.labels();
      for (int i = 0; i < l.size(); i++) {
        names.add(l.name(i));
      }
    }
    return List.copyOf(names);
  }

  @Override
  public List<String> labelValues(String name, LabelMatcher... matchers) {
    ensureOpen();
    if (matchers.length == 0) {
      return index.sortedLabelValues(name);
    }
    TreeSet<String> values = new TreeSet<>(Utf8Order.COMPARATOR);
    Cursor c = new Cursor(postings(matchers), Long.MIN_VALUE, Long.MAX_VALUE, false);
    while (c.next()) {
      String v = c.labels().get(name);
      if (!v.isEmpty()) {
        values.add(v);
      }
    }
    return List.copyOf(values);
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      block.release();
    }
  }

  // ---- postings ------------------------------------------------------------------------------

  /** The postings of a select and the lists fetched for them, which iterating reads. */
  private record PostingsInput(WorkingSet ws, Postings postings) {}

  private PostingsInput postings(LabelMatcher... matchers) {
    WorkingSet ws = new WorkingSet();
    try (var scope = st.source().bind(ws)) {
      if (matchers.length > 0) {
        prefetchPostings(ws, matchers);
      }
      Postings p = matchers.length == 0 ? index.allPostings() : index.postingsForMatchers(matchers);
      return new PostingsInput(ws, p);
    }
  }

  /**
   * The lists the matchers will read, per Prometheus's semantics (as {@code LabelPostings}
   * resolves them): for each matcher the values it accepts, or for one that accepts the empty
   * value the values it rejects, plus the list of all series when every matcher accepts the empty
   * value. Only a prefetch: whatever it misses is read on demand.
   */
  private void prefetchPostings(WorkingSet ws, LabelMatcher... matchers) {
    Set<String> required = new HashSet<>();
    for (LabelMatcher m : matchers) {
      if (!m.matchesEmpty()) {
        required.add(m.name());
      }
    }
    List<RangeFetcher.Range> want = new ArrayList<>();
    for (LabelMatcher m : matchers) {
      if (m.name().isEmpty()) {
        continue;
      }
      long[] offsets = st.header().listOffsets(m.name());
      if (offsets.length == 0 || offsets.length > 200_000) {
        continue;
      }
      List<String> values = index.labelValues(m.name());
      if (values.size() != offsets.length) {
        continue;
      }
      boolean wantAccepted = !m.matchesEmpty();
      for (int k = 0; k < offsets.length; k++) {
        if (m.matches(values.get(k)) == wantAccepted) {
          want.add(st.source().postingsRange(offsets[k]));
        }
      }
    }
    if (required.isEmpty()) {
      long[] all = st.header().listOffsets("");
      if (all.length > 0) {
        want.add(st.source().postingsRange(all[0]));
      }
    }
    fetchItems(ws, want, caches.postings(), BucketIndexSource.INDEX_FILE, block.indexKey(), null);
  }

  /**
   * Takes the ranges from the cache where it has them and fetches the rest, coalesced; every range
   * ends up in {@code ws}, and the fetched ones in {@code cache} (when {@code split} is null as
   * they are, otherwise as the items {@code split} cuts them into).
   */
  private void fetchItems(WorkingSet ws, List<RangeFetcher.Range> want, RangeCache cache, int file,
      String key, ItemSplitter split) {
    List<RangeFetcher.Range> missing = new ArrayList<>();
    for (RangeFetcher.Range r : want) {
      if (split != null) {
        // Whole items, each cached at its own offset: exact lookups.
        RangeCache.Segment have = ws.at(file, r.start());
        if (have != null) {
          continue;
        }
        RangeCache.Segment hit = cache.getAt(id, file, r.start());
        if (hit != null) {
          ws.add(file, hit);
        } else {
          missing.add(r);
        }
        continue;
      }
      if (ws.find(file, r.start(), (int) (r.end() - r.start())) != null) {
        continue;
      }
      RangeCache.Segment hit = cache.get(id, file, r.start(), (int) (r.end() - r.start()));
      if (hit != null && hit.offset() == r.start()) {
        ws.add(file, hit);
      } else {
        missing.add(r);
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    List<RangeCache.Segment> fetched;
    try {
      fetched = block.fetcher().fetch(key, missing);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + key + " from " + block.bucket().name(), e);
    }
    for (RangeCache.Segment s : fetched) {
      ws.add(file, s);
    }
    for (RangeFetcher.Range r : missing) {
      RangeCache.Segment s = holding(fetched, r.start());
      if (s == null) {
        continue;
      }
      int from = (int) (r.start() - s.offset());
      int len = split == null ? (int) Math.min(r.end() - r.start(), s.bytes().length - from)
          : split.itemLength(s.bytes(), from, key, r.start());
      if (len > 0 && from + len <= s.bytes().length) {
        byte[] item = Arrays.copyOfRange(s.bytes(), from, from + len);
        cache.put(id, file, r.start(), item);
        if (split != null) {
          // Whole items are looked up at their own offsets, as cache hits are.
          ws.add(file, new RangeCache.Segment(r.start(), item));
        }
      }
    }
  }

  /** The segment of {@code fetched} (in file order, not overlapping) holding {@code pos}, or null. */
  private static RangeCache.Segment holding(List<RangeCache.Segment> fetched, long pos) {
    int lo = 0;
    int hi = fetched.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      RangeCache.Segment s = fetched.get(mid);
      if (pos < s.offset()) {
        hi = mid - 1;
      } else if (pos >= s.offset() + s.bytes().length) {
        lo = mid + 1;
      } else {
        return s;
      }
    }
    return null;
  }

  /** Length of the item at {@code from}, or -1 if it does not fit in {@code b}. */
  @FunctionalInterface
  interface ItemSplitter {
    int itemLength(byte[] b, int from, String key, long offset);
  }

  // A series entry: uvarint length, body, CRC32C.
  static int seriesEntryLength(byte[] b, int from, String key, long offset) {
    int end = Math.min(b.length, from + Varint.MAX_LEN_32);
    int n = Varint.uvarintLength(b, from, end);
    if (n <= 0) {
      return -1;
    }
    long total = n + Varint.uvarint(b, from, end) + 4;
    return from + total <= b.length ? (int) total : -1;
  }

  // A chunk: uvarint length, encoding, data, CRC32C of encoding and data (checked here).
  static int chunkRecordLength(byte[] b, int from, String key, long offset) {
    int end = Math.min(b.length, from + ChunkSegmentFormat.MAX_LENGTH_FIELD_SIZE);
    int n = Varint.uvarintLength(b, from, end);
    if (n <= 0) {
      return -1;
    }
    long data = Varint.uvarint(b, from, end);
    long total = n + 1 + data + 4;
    if (from + total > b.length) {
      return -1;
    }
    CRC32C crc = new CRC32C();
    crc.update(b, from + n, (int) data + 1);
    int at = from + n + 1 + (int) data;
    int stored = ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8)
        | (b[at + 3] & 0xff);
    if ((int) crc.getValue() != stored) {
      throw new CorruptDataException(key, "chunk CRC", offset,
          String.format("stored CRC32C %08x does not match %08x computed", stored, (int) crc.getValue()));
    }
    return (int) total;
  }

  // ---- series and chunks ---------------------------------------------------------------------

  /** Series of the postings in label order, a batch at a time: entries, then chunks, prefetched. */
  private final class Cursor implements ChunkSeriesCursor {
    private final PostingsInput in;
    private final long mint;
    private final long maxt;
    private final boolean withChunks;
    private final WorkingSet batch = new WorkingSet();
    private final ChunkMetas metas = new ChunkMetas();
    private final long[] refs;
    private int carried; // refs left at the front by the last batch (its chunk budget ran out)
    private Labels[] labels;
    private Intervals[] deleted;
    private int[] chunkFrom;
    private long[] cMin = new long[64];
    private long[] cMax = new long[64];
    private long[] cRef = new long[64];
    private int chunks;
    private int series;
    private int cur = -1;
    private boolean exhausted;
    // The chunk last located: its bytes and where its data lies in them.
    private int located = -1;
    private byte[] locBytes;
    private int locData;
    private int locLen;
    private byte locEncoding;

    Cursor(PostingsInput in, long mint, long maxt, boolean withChunks) {
      this.in = in;
      this.mint = mint;
      this.maxt = maxt;
      this.withChunks = withChunks;
      int n = block.options().seriesBatch();
      this.refs = new long[n];
      this.labels = new Labels[n];
      this.deleted = new Intervals[n];
      this.chunkFrom = new int[n + 1];
    }

    @Override
    public boolean next() {
      ensureOpen();
      while (true) {
        if (++cur < series) {
          located = -1;
          return true;
        }
        if ((exhausted && carried == 0) || !loadBatch()) {
          exhausted = true;
          return false;
        }
        cur = -1;
      }
    }

    private boolean loadBatch() {
      batch.clear();
      series = 0;
      chunks = 0;
      int n = carried;
      carried = 0;
      try (var scope = st.source().bind(in.ws())) {
        while (n < refs.length && in.postings().next()) {
          refs[n++] = in.postings().at();
        }
      }
      if (n == 0) {
        return false;
      }
      long seriesEnd = st.header().toc.labelIndices();
      long estimate = Math.max(32, blockSeriesEstimate());
      List<RangeFetcher.Range> want = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        long at = refs[i] * 16;
        want.add(new RangeFetcher.Range(at, Math.min(seriesEnd, at + estimate)));
      }
      fetchItems(batch, want, caches.series(), BucketIndexSource.INDEX_FILE, block.indexKey(),
          BucketBlockReader::seriesEntryLength);
      try (var scope = st.source().bind(batch)) {
        for (int i = 0; i < n; i++) {
          if (withChunks && chunks >= block.options().chunkBatch()) {
            // The rest waits for the next batch: a batch's chunk bytes stay bounded, whatever
            // the series count or the length of the block.
            carried = n - i;
            System.arraycopy(refs, i, refs, 0, carried);
            break;
          }
          metas.clear();
          Labels l = index.series(refs[i], withChunks ? metas : null);
          if (withChunks) {
            int before = chunks;
            for (int k = 0; k < metas.size(); k++) {
              if (metas.minTime(k) <= maxt && metas.maxTime(k) >= mint) {
                addChunk(metas.minTime(k), metas.maxTime(k), metas.ref(k));
              }
            }
            if (chunks == before) {
              continue;
            }
          }
          labels[series] = l;
          deleted[series] = st.tombstones().get(refs[i]);
          chunkFrom[++series] = chunks;
        }
      }
      if (withChunks && chunks > 0) {
        prefetchChunks();
      }
      return true;
    }

    private void addChunk(long min, long max, long ref) {
      if (chunks == cRef.length) {
        cMin = Arrays.copyOf(cMin, chunks * 2);
        cMax = Arrays.copyOf(cMax, chunks * 2);
        cRef = Arrays.copyOf(cRef, chunks * 2);
      }
      cMin[chunks] = min;
      cMax[chunks] = max;
      cRef[chunks] = ref;
      chunks++;
    }

    private void prefetchChunks() {
      long[] sizes = st.segmentSizes();
      List<List<RangeFetcher.Range>> perSegment = new ArrayList<>();
      for (int s = 0; s < series; s++) {
        for (int j = chunkFrom[s]; j < chunkFrom[s + 1]; j++) {
          int seg = (int) (cRef[j] >>> 32);
          long off = cRef[j] & 0xFFFF_FFFFL;
          long end = off + st.chunkEstimate();
          if (j + 1 < chunkFrom[s + 1] && (int) (cRef[j + 1] >>> 32) == seg) {
            long next = cRef[j + 1] & 0xFFFF_FFFFL;
            if (next > off) {
              end = Math.min(end, next);
            }
          }
          if (seg >= 0 && seg < sizes.length) {
            end = Math.min(end, sizes[seg]);
          }
          while (perSegment.size() <= seg) {
            perSegment.add(new ArrayList<>());
          }
          perSegment.get(seg).add(new RangeFetcher.Range(off, end));
        }
      }
      for (int seg = 0; seg < perSegment.size(); seg++) {
        if (!perSegment.get(seg).isEmpty()) {
          fetchItems(batch, perSegment.get(seg), caches.chunks(), seg + 1, block.chunkKey(seg),
              BucketBlockReader::chunkRecordLength);
        }
      }
    }

    private void locate(int i) {
      int j = chunkFrom[cur] + i;
      if (located == j) {
        return;
      }
      int seg = (int) (cRef[j] >>> 32);
      long off = cRef[j] & 0xFFFF_FFFFL;
      String key = block.chunkKey(seg);
      RangeCache.Segment s = batch.at(seg + 1, off); // a cache hit, at its own offset
      if (s == null) {
        s = batch.find(seg + 1, off, 1); // inside a range fetched whole
      }
      int len = s == null ? -1 : chunkRecordLength(s.bytes(), (int) (off - s.offset()), key, off);
      if (len < 0) {
        // Larger than estimated, or not prefetched: fetch it alone.
        try {
          s = block.fetcher().one(key, new RangeFetcher.Range(off, off + Math.max(
              st.chunkEstimate(), len < 0 && s != null ? s.offset() + s.bytes().length - off + 4096 : 0)));
          len = chunkRecordLength(s.bytes(), 0, key, off);
          if (len < 0) {
            int n = Varint.uvarintLength(s.bytes(), 0, Math.min(s.bytes().length, 5));
            long total = n + 1 + Varint.uvarint(s.bytes(), 0, Math.min(s.bytes().length, 5)) + 4;
            s = block.fetcher().one(key, new RangeFetcher.Range(off, off + total));
            len = chunkRecordLength(s.bytes(), 0, key, off);
          }
        } catch (IOException e) {
          throw new UncheckedIOException("reading " + key + " from " + block.bucket().name(), e);
        }
        if (len < 0) {
          throw new CorruptDataException(key, "chunk", off, "chunk runs past the end of the file");
        }
        // Cached, so that a chunk the prefetch missed is not fetched again by every query.
        caches.chunks().put(id, seg + 1, off, Arrays.copyOfRange(s.bytes(), 0, len));
        batch.add(seg + 1, s);
      }
      byte[] b = s.bytes();
      int from = (int) (off - s.offset());
      int end = Math.min(b.length, from + ChunkSegmentFormat.MAX_LENGTH_FIELD_SIZE);
      int n = Varint.uvarintLength(b, from, end);
      locBytes = b;
      locLen = (int) Varint.uvarint(b, from, end);
      locEncoding = b[from + n];
      locData = from + n + 1;
      located = j;
    }

    @Override
    public Labels labels() {
      return labels[cur];
    }

    @Override
    public int chunkCount() {
      return chunkFrom[cur + 1] - chunkFrom[cur];
    }

    @Override
    public long chunkMinTime(int i) {
      return cMin[chunkFrom[cur] + i];
    }

    @Override
    public long chunkMaxTime(int i) {
      return cMax[chunkFrom[cur] + i];
    }

    @Override
    public byte chunkEncoding(int i) {
      locate(i);
      return locEncoding;
    }

    @Override
    public int chunkLength(int i) {
      locate(i);
      return locLen;
    }

    @Override
    public int chunkVisibleSamples(int i) {
      return -1;
    }

    @Override
    public void readChunk(int i, byte[] dst) {
      locate(i);
      System.arraycopy(locBytes, locData, dst, 0, locLen);
    }

    @Override
    public void decode(int i, XorChunkIterator it) {
      locate(i);
      it.reset(locBytes, locData, locLen);
    }

    @Override
    public Intervals deleted() {
      return deleted[cur];
    }
  }

  private long blockSeriesEstimate() {
    return st.seriesEstimate();
  }
}

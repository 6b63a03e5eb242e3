package dev.strata.tier.store;

import dev.strata.tsdb.block.Ulid;
import dev.strata.tsdb.chunkenc.XorChunkIterator;
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

/**
 * One query's view of a {@link BucketBlock}. A select runs in three rounds of ranged reads per
 * batch of series instead of one read per item: the postings lists the matchers need (found in the
 * local header), then the series entries of a batch of refs, then the pages of the chunk segment
 * files holding those series' chunks in the queried range; each round coalesces nearby ranges and
 * fetches them in parallel. Lists and entries are cached as the exact items they are, chunk files
 * as whole pages ({@link ChunkPageReader}, which checks each chunk's CRC as it reads it).
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

  // ---- series and chunks ---------------------------------------------------------------------

  /** Series of the postings in label order, a batch at a time: entries, then chunks, prefetched. */
  private final class Cursor implements ChunkSeriesCursor {
    private final PostingsInput in;
    private final long mint;
    private final long maxt;
    private final boolean withChunks;
    private final WorkingSet batch = new WorkingSet(); // series entries
    private final ChunkPageReader pages;
    private final ChunkPageReader.PageList missingPages = new ChunkPageReader.PageList();
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
    private int located = -1; // the chunk last located, in pages

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
      this.pages = withChunks ? new ChunkPageReader(caches.chunks(), id, st.segmentSizes(),
          block::chunkKey, block.fetcher()::fetch, st.chunkEstimate()) : null;
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
      if (pages != null) {
        pages.clear();
      }
      located = -1;
      long lastPage = -1;
      int pageEstimate = 0;
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
          if (withChunks
              && (chunks >= block.options().chunkBatch() || pageEstimate >= maxPages())) {
            // The rest waits for the next batch: a batch's chunk bytes stay bounded, whatever
            // the series count, the length of the block or how sparse its chunks are.
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
                long ref = metas.ref(k);
                addChunk(metas.minTime(k), metas.maxTime(k), ref);
                long page =
                    (ref & 0xFFFF_FFFF_0000_0000L) | ChunkPageReader.pageOf(ref & 0xFFFF_FFFFL);
                if (page != lastPage) {
                  lastPage = page;
                  pageEstimate++;
                }
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

    /**
     * Pages a batch may hold: a quarter of a page per chunk of the batch, so that a batch of
     * chunks scattered one to a page (a short range of long series) holds no more than 4 KiB per
     * chunk; chunks laid out together, a few hundred bytes each, never reach it.
     */
    private int maxPages() {
      return Math.max(2, block.options().chunkBatch() / 4);
    }

    private void prefetchChunks() {
      for (int s = 0; s < series; s++) {
        pages.want(cRef, chunkFrom[s], chunkFrom[s + 1], missingPages);
      }
      pages.fetchMissing(missingPages);
    }

    private void locate(int i) {
      int j = chunkFrom[cur] + i;
      if (located != j) {
        pages.locate(cRef[j]);
        located = j;
      }
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
      return pages.encoding();
    }

    @Override
    public int chunkLength(int i) {
      locate(i);
      return pages.length();
    }

    @Override
    public int chunkVisibleSamples(int i) {
      return -1;
    }

    @Override
    public void readChunk(int i, byte[] dst) {
      locate(i);
      System.arraycopy(pages.bytes(), pages.dataOffset(), dst, 0, pages.length());
    }

    /** A page of a chunk file, or a chunk's own array when it straddles pages: never written. */
    @Override
    public byte[] chunkArray(int i) {
      locate(i);
      return pages.bytes();
    }

    @Override
    public int chunkOffset(int i) {
      locate(i);
      return pages.dataOffset();
    }

    @Override
    public void decode(int i, XorChunkIterator it) {
      locate(i);
      it.reset(pages.bytes(), pages.dataOffset(), pages.length());
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

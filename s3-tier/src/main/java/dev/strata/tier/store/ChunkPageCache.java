package dev.strata.tier.store;

import dev.strata.tsdb.block.Ulid;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Chunk segment files held in memory as fixed, aligned pages of {@link #PAGE_SIZE} bytes, up to a
 * byte limit, as Thanos's caching bucket holds chunk objects (in fixed subranges). A warm query
 * looks up a page once for the many chunks it holds instead of once per chunk, and a page is the
 * bytes of the file at its place, whatever chunks a query asks for, so a hit is always the right
 * bytes of the right file of the right block.
 *
 * <p>The hit path takes no lock and allocates nothing: each file of each block has a {@link Pages}
 * table, an array of pages by page number, which a reader finds once per query and then indexes.
 * Inserting and evicting take one lock. Eviction is CLOCK, an approximate LRU: a hit only sets the
 * page's referenced bit; the hand sweeps the resident pages, clearing the bit of referenced ones
 * and evicting the first it finds unreferenced. A page's bytes are never written once it is in a
 * table, so readers may keep referring to them after it is evicted. The limit counts the pages'
 * bytes and a fixed overhead per page, not the tables' slot arrays (a reference per page of a file
 * up to the last one cached; a table goes when its last page does).
 */
final class ChunkPageCache {
  /**
   * Page size: 16 KiB, Thanos's 16,000-byte chunk subranges rounded to a power of two (a shift
   * and a mask locate a page). A page holds about forty chunks of a typical series (a few hundred
   * bytes each), so consecutive chunks of a series share a page; reading a whole page for a single
   * chunk costs little next to a request's latency; and few chunks straddle two pages.
   */
  static final int PAGE_SHIFT = 14;
  static final int PAGE_SIZE = 1 << PAGE_SHIFT;
  static final long PAGE_MASK = PAGE_SIZE - 1;
  // Per-page overhead counted against the limit: the page object, its array header, its slot.
  private static final int PAGE_OVERHEAD = 64;

  /** One cached page: the bytes of page {@code number} of the file {@code table} is for. */
  private static final class Page {
    final Pages table;
    final int number;
    final byte[] bytes;
    boolean referenced; // a racy bit: a lost update only makes eviction a little less exact

    Page(Pages table, int number, byte[] bytes) {
      this.table = table;
      this.number = number;
      this.bytes = bytes;
    }

    long cost() {
      return (long) bytes.length + PAGE_OVERHEAD;
    }
  }

  /** The cached pages of one file of one block, by page number. */
  static final class Pages {
    private final FileKey key;
    // Written under the cache's lock, read without it: a reader sees null (a miss) or a whole
    // page, whose fields are final.
    private volatile Page[] slots = new Page[0];
    private int resident;

    private Pages(FileKey key) {
      this.key = key;
    }

    /** Where a reader of this file looks pages up (a miss if the cache dropped the table). */
    byte[] get(long number) {
      Page[] s = slots;
      Page p = number < s.length ? s[(int) number] : null;
      if (p == null) {
        return null;
      }
      if (!p.referenced) {
        p.referenced = true; // written only when it changes: hits on shared pages stay reads
      }
      return p.bytes;
    }
  }

  private record FileKey(long high, long low, int file) {}

  private final String name;
  private final long maxBytes;
  private final ConcurrentHashMap<FileKey, Pages> tables = new ConcurrentHashMap<>();
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final Object lock = new Object();
  private final ArrayList<Page> clock = new ArrayList<>(); // resident pages, swept by the hand
  private int hand;
  private long used;
  private long rawBytes;
  private long evictions;

  ChunkPageCache(String name, long maxBytes) {
    this.name = name;
    this.maxBytes = maxBytes;
  }

  String name() {
    return name;
  }

  /** The page table of {@code file} of block {@code id}: found once, then indexed per page. */
  Pages pages(Ulid id, int file) {
    return tables.computeIfAbsent(new FileKey(id.high(), id.low(), file), Pages::new);
  }

  /** The cached page {@code number} of {@code table}'s file, or null; counts a hit or a miss. */
  byte[] get(Pages table, long number) {
    byte[] b = table.get(number);
    (b == null ? misses : hits).increment();
    return b;
  }

  /**
   * Caches {@code bytes} as page {@code number} of {@code table}'s file; they must not be written
   * afterwards. Ignored if the page is cached already or would take over a quarter of the limit.
   */
  void put(Pages table, long number, byte[] bytes) {
    long cost = (long) bytes.length + PAGE_OVERHEAD;
    if (maxBytes <= 0 || cost > maxBytes / 4 || number > Integer.MAX_VALUE - 16) {
      return;
    }
    synchronized (lock) {
      Pages current = tables.putIfAbsent(table.key, table);
      if (current != null && current != table) {
        return; // dropped while its reader held it (every page evicted), and made anew since
      }
      Page[] s = table.slots;
      if (number >= s.length) {
        long grown = Math.max(number + 1, Math.min(Integer.MAX_VALUE - 16, 2L * s.length));
        s = Arrays.copyOf(s, (int) grown);
      } else if (s[(int) number] != null) {
        return;
      }
      Page page = new Page(table, (int) number, bytes);
      s[(int) number] = page;
      table.slots = s; // publishes the page (and a grown array)
      table.resident++;
      clock.add(page);
      used += cost;
      rawBytes += bytes.length;
      while (used > maxBytes && !clock.isEmpty()) {
        evictOne();
      }
    }
  }

  // Under the lock: advances the hand to the first unreferenced page and evicts it.
  private void evictOne() {
    while (true) {
      if (hand >= clock.size()) {
        hand = 0;
      }
      Page p = clock.get(hand);
      if (p.referenced) {
        p.referenced = false;
        hand++;
        continue;
      }
      Page last = clock.remove(clock.size() - 1);
      if (last != p) {
        clock.set(hand, last); // order within the ring matters little to CLOCK
      }
      Pages t = p.table;
      t.slots[p.number] = null;
      t.slots = t.slots; // publishes the removal
      if (--t.resident == 0) {
        tables.remove(t.key, t); // a table per block file ever read would otherwise pile up
      }
      used -= p.cost();
      rawBytes -= p.bytes.length;
      evictions++;
      return;
    }
  }

  /** Figures for reports: entries are pages. */
  RangeCache.Stats stats() {
    synchronized (lock) {
      return new RangeCache.Stats(name, clock.size(), used, rawBytes, hits.sum(), misses.sum(),
          evictions);
    }
  }

  void clear() {
    synchronized (lock) {
      for (Page p : clock) {
        p.table.slots[p.number] = null;
      }
      clock.clear();
      tables.clear();
      hand = 0;
      used = 0;
      rawBytes = 0;
    }
  }
}

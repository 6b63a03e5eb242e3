package dev.strata.tsdb.wal;

import static dev.strata.tsdb.wal.WalFormat.LZ4_FLAG;
import static dev.strata.tsdb.wal.WalFormat.PAGE_SIZE;
import static dev.strata.tsdb.wal.WalFormat.RECORD_HEADER_SIZE;
import static dev.strata.tsdb.wal.WalFormat.TYPE_FIRST;
import static dev.strata.tsdb.wal.WalFormat.TYPE_FULL;
import static dev.strata.tsdb.wal.WalFormat.TYPE_LAST;
import static dev.strata.tsdb.wal.WalFormat.TYPE_MIDDLE;

import dev.strata.tsdb.fileutil.FileSync;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.zip.CRC32C;

/**
 * Appends records to the write-ahead log in Prometheus 2.42's segment and page layout.
 *
 * <p>Opening starts a fresh segment after the existing ones, as Prometheus does, so a torn tail
 * left by a crash is never appended to. Records are split into fragments that fill 32 KiB pages;
 * a {@link #log} call ends by writing its last, partial page to the file, so once it returns the
 * records are in the operating system's hands and survive a crash of this process. {@link #sync()}
 * makes them survive a crash of the machine. A record that does not fit in the rest of the current
 * segment starts the next one; a completed segment is synced in the background, off the commit
 * path.
 *
 * <p>Thread-safe: calls are serialised. The page buffer and compression buffers are reused, so
 * logging allocates nothing in steady state.
 */
public final class WalWriter implements Closeable {
  private final Path dir;
  private final int segmentSize;
  private final boolean compress;
  private final WalCompression compression;
  private final CRC32C crc = new CRC32C();

  private final byte[] page = new byte[PAGE_SIZE];
  private int pageAlloc; // bytes of the page filled with fragments
  private int pageFlushed; // bytes of the page already written to the file
  private int donePages; // complete pages in the current segment

  private FileChannel segment;
  private int segmentIndex;
  private boolean closed;
  private CompletableFuture<Void> pendingSync = CompletableFuture.completedFuture(null);

  // One daemon thread syncs completed segments for every log in the process.
  private static final Executor SYNCER =
      Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "strata-wal-sync");
        t.setDaemon(true);
        return t;
      });

  private WalWriter(Path dir, int segmentSize, boolean compress) {
    this.dir = dir;
    this.segmentSize = segmentSize;
    this.compress = compress;
    this.compression = compress ? new WalCompression() : null;
  }

  /**
   * Opens the log in {@code dir} (created if missing) for appending to a new segment after the
   * existing ones.
   *
   * @param segmentSize bytes per segment, a multiple of {@link WalFormat#PAGE_SIZE}
   * @param compress whether to compress records with LZ4 (such a log is readable by Strata only)
   */
  public static WalWriter open(Path dir, int segmentSize, boolean compress) throws IOException {
    if (segmentSize < PAGE_SIZE || segmentSize % PAGE_SIZE != 0) {
      throw new IllegalArgumentException(
          "WAL segment size " + segmentSize + " must be a positive multiple of " + PAGE_SIZE);
    }
    Files.createDirectories(dir);
    List<Integer> existing = WalFormat.segmentIndexes(dir);
    WalWriter w = new WalWriter(dir, segmentSize, compress);
    w.createSegment(existing.isEmpty() ? 0 : existing.get(existing.size() - 1) + 1);
    return w;
  }

  /** The directory of the log. */
  public Path directory() {
    return dir;
  }

  /** Index of the segment being written. */
  public synchronized int currentSegment() {
    return segmentIndex;
  }

  /**
   * Appends one record and writes it out.
   *
   * @throws IOException if the file cannot be written; the log should then be closed and
   *     re-opened, which starts a new segment
   */
  public synchronized void log(byte[] record, int off, int len) throws IOException {
    logOne(record, off, len);
    flushPartialPage();
  }

  /** Appends several records and writes them out together. */
  public synchronized void log(List<byte[]> records) throws IOException {
    for (byte[] r : records) {
      logOne(r, 0, r.length);
    }
    flushPartialPage();
  }

  private void logOne(byte[] rec, int off, int len) throws IOException {
    ensureOpen();
    if (pageFull()) {
      flushPage(true);
    }
    int flags = 0;
    if (compress && len > 0 && compression.compress(rec, off, len)) {
      rec = compression.buffer();
      off = 0;
      len = compression.length();
      flags = LZ4_FLAG;
    }
    // Records never cross segments: move on if this one does not fit in what is left.
    long left =
        (long) (PAGE_SIZE - pageAlloc - RECORD_HEADER_SIZE)
            + (long) (PAGE_SIZE - RECORD_HEADER_SIZE) * (pagesPerSegment() - donePages - 1);
    if (len > left) {
      nextSegment();
    }
    // At least one fragment, so that empty records are written too.
    int done = 0;
    for (int i = 0; i == 0 || done < len; i++) {
      int part = Math.min(len - done, PAGE_SIZE - pageAlloc - RECORD_HEADER_SIZE);
      boolean last = done + part == len;
      int type = i == 0 ? (last ? TYPE_FULL : TYPE_FIRST) : (last ? TYPE_LAST : TYPE_MIDDLE);
      crc.reset();
      crc.update(rec, off + done, part);
      int at = pageAlloc;
      page[at] = (byte) (type | flags);
      page[at + 1] = (byte) (part >>> 8);
      page[at + 2] = (byte) part;
      int c = (int) crc.getValue();
      page[at + 3] = (byte) (c >>> 24);
      page[at + 4] = (byte) (c >>> 16);
      page[at + 5] = (byte) (c >>> 8);
      page[at + 6] = (byte) c;
      System.arraycopy(rec, off + done, page, at + RECORD_HEADER_SIZE, part);
      pageAlloc = at + RECORD_HEADER_SIZE + part;
      done += part;
      if (pageFull()) {
        flushPage(true);
      }
    }
  }

  private int pagesPerSegment() {
    return segmentSize / PAGE_SIZE;
  }

  private boolean pageFull() {
    return PAGE_SIZE - pageAlloc < RECORD_HEADER_SIZE;
  }

  private void flushPartialPage() throws IOException {
    if (pageAlloc > 0) {
      flushPage(false);
    }
  }

  // Writes the unwritten part of the page; a completed page is written to its end (zeros after
  // the last fragment) and the buffer starts over.
  private void flushPage(boolean complete) throws IOException {
    int end = complete ? PAGE_SIZE : pageAlloc;
    ByteBuffer out = ByteBuffer.wrap(page, pageFlushed, end - pageFlushed);
    while (out.hasRemaining()) {
      segment.write(out);
    }
    pageFlushed = end;
    if (complete) {
      Arrays.fill(page, 0, PAGE_SIZE, (byte) 0);
      pageAlloc = 0;
      pageFlushed = 0;
      donePages++;
    }
  }

  /**
   * Completes the current segment (padding its last page), syncs it and starts the next one.
   *
   * @return the index of the new segment; everything logged before is in lower segments
   */
  public synchronized int nextSegment() throws IOException {
    ensureOpen();
    if (pageAlloc > 0) {
      flushPage(true);
    }
    syncInBackground(segment);
    createSegment(segmentIndex + 1);
    return segmentIndex;
  }

  // A completed segment is synced and closed off the commit path, as Prometheus does; sync() and
  // close() wait for it.
  private void syncInBackground(FileChannel completed) {
    CompletableFuture<Void> previous = pendingSync;
    pendingSync = previous.thenRunAsync(() -> {
      try (completed) {
        completed.force(false);
      } catch (IOException e) {
        throw new UncheckedIOException("syncing a completed WAL segment in " + dir + " failed", e);
      }
    }, SYNCER);
  }

  private void awaitBackgroundSync() throws IOException {
    try {
      pendingSync.join();
    } catch (CompletionException e) {
      pendingSync = CompletableFuture.completedFuture(null);
      if (e.getCause() instanceof UncheckedIOException u) {
        throw u.getCause();
      }
      throw new IOException("syncing a completed WAL segment failed", e.getCause());
    }
  }

  private void createSegment(int index) throws IOException {
    Path p = dir.resolve(WalFormat.segmentName(index));
    segment =
        FileChannel.open(
            p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    FileSync.directory(dir);
    segmentIndex = index;
    donePages = 0;
    pageAlloc = 0;
    pageFlushed = 0;
  }

  /** Forces everything logged so far to stable storage. */
  public synchronized void sync() throws IOException {
    ensureOpen();
    awaitBackgroundSync();
    segment.force(false);
  }

  /** Deletes the segments with an index below {@code segment}; the current one is kept. */
  public synchronized void deleteSegmentsBefore(int segment) throws IOException {
    for (int index : WalFormat.segmentIndexes(dir)) {
      if (index < segment && index != segmentIndex) {
        Files.deleteIfExists(dir.resolve(WalFormat.segmentName(index)));
      }
    }
    FileSync.directory(dir);
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("WAL in " + dir + " is closed");
    }
  }

  /** Pads and syncs the current segment and closes it. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    try {
      if (pageAlloc > 0) {
        flushPage(true);
      }
      segment.force(false);
      awaitBackgroundSync();
    } finally {
      closed = true;
      segment.close();
    }
  }
}

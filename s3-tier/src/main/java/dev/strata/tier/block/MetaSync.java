package dev.strata.tier.block;

import dev.strata.tier.objstore.Bucket;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.BlockMetaFile;
import dev.strata.tsdb.block.Ulid;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the blocks of a bucket: one recursive listing, then the meta.json of each complete block,
 * fetched concurrently, or taken from a local cache (a meta.json never changes once uploaded, so a
 * cached copy is good until the block goes). Filters then choose the blocks a reader uses.
 *
 * <p>Thread-safe; each {@link #sync()} is a fresh view of the bucket.
 */
public final class MetaSync {
  private static final Logger LOG = LoggerFactory.getLogger(MetaSync.class);

  private final BucketBlocks blocks;
  private final Optional<Path> cacheDir;
  private final int concurrency;
  private final BlockFilter filter;

  private MetaSync(Builder b) {
    this.blocks = new BucketBlocks(b.bucket);
    this.cacheDir = Optional.ofNullable(b.cacheDir);
    this.concurrency = b.concurrency;
    this.filter = b.filter;
  }

  public static Builder builder(Bucket bucket) {
    return new Builder(bucket);
  }

  /**
   * What a sync found.
   *
   * @param blocks complete blocks that passed the filters, by ULID
   * @param filteredOut complete blocks the filters dropped
   * @param partial block directories without meta.json (uploads in progress or abandoned, or
   *     deletions in progress)
   * @param failed blocks whose meta.json could not be read or decoded, with the reason
   */
  public record Result(
      Map<Ulid, SyncedBlock> blocks, Set<Ulid> filteredOut, Set<Ulid> partial,
      Map<Ulid, String> failed) {
    /** The metas of {@link #blocks()}, oldest first. */
    public List<BlockMeta> metasByTime() {
      List<BlockMeta> out = new ArrayList<>();
      blocks.values().forEach(b -> out.add(b.meta()));
      out.sort((a, b) -> a.minTime() != b.minTime()
          ? Long.compare(a.minTime(), b.minTime()) : a.ulid().compareTo(b.ulid()));
      return out;
    }
  }

  public Result sync() throws IOException {
    BucketListing listing = blocks.list();
    Map<Ulid, SyncedBlock> kept = new TreeMap<>();
    Set<Ulid> dropped = new TreeSet<>();
    Set<Ulid> partial = new TreeSet<>();
    Map<Ulid, String> failed = new TreeMap<>();
    List<BucketListing.Dir> complete = new ArrayList<>();
    for (BucketListing.Dir d : listing.blocks().values()) {
      if (d.hasMeta()) {
        complete.add(d);
      } else {
        partial.add(d.id());
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(
        Math.max(1, Math.min(concurrency, complete.size())), r -> {
          Thread t = new Thread(r, "strata-meta-sync");
          t.setDaemon(true);
          return t;
        });
    try {
      List<Future<SyncedBlock>> futures = new ArrayList<>();
      for (BucketListing.Dir d : complete) {
        futures.add(pool.submit(() -> load(d)));
      }
      for (int i = 0; i < complete.size(); i++) {
        Ulid id = complete.get(i).id();
        try {
          SyncedBlock b = futures.get(i).get();
          if (b == null) {
            partial.add(id); // deleted between listing and reading
          } else if (filter.keep(b)) {
            kept.put(id, b);
          } else {
            dropped.add(id);
          }
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof dev.strata.tier.objstore.BucketAccessException denied) {
            throw denied; // the bucket as a whole is unusable: no point listing the rest
          }
          LOG.warn("block {} in {}: {}", id, blocks.bucket().name(), cause.getMessage());
          failed.put(id, String.valueOf(cause.getMessage()));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("meta sync interrupted");
    } finally {
      pool.shutdownNow();
    }
    pruneCache(listing.blocks().keySet());
    return new Result(Collections.unmodifiableMap(kept), Collections.unmodifiableSet(dropped),
        Collections.unmodifiableSet(partial), Collections.unmodifiableMap(failed));
  }

  private SyncedBlock load(BucketListing.Dir d) throws IOException {
    Optional<BlockMeta> meta = cached(d.id());
    if (meta.isEmpty()) {
      meta = blocks.meta(d.id());
      if (meta.isEmpty()) {
        return null;
      }
      if (!meta.get().ulid().equals(d.id())) {
        throw new IOException("meta.json of directory " + d.id() + " names block " + meta.get().ulid());
      }
      cache(meta.get());
    }
    Optional<DeletionMark> mark = d.hasDeletionMark() ? blocks.deletionMark(d.id()) : Optional.empty();
    return new SyncedBlock(meta.get(), mark, d.hasNoCompactMark(), d.bytes());
  }

  private Optional<BlockMeta> cached(Ulid id) {
    if (cacheDir.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(BlockMetaFile.read(cacheDir.get().resolve(id.toString())));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      LOG.warn("ignoring unreadable cached meta of block {}: {}", id, e.getMessage());
      return Optional.empty();
    }
  }

  private void cache(BlockMeta meta) {
    if (cacheDir.isEmpty()) {
      return;
    }
    try {
      Path dir = cacheDir.get().resolve(meta.ulid().toString());
      Files.createDirectories(dir);
      BlockMetaFile.write(dir, meta);
    } catch (IOException e) {
      LOG.warn("could not cache the meta of block {}: {}", meta.ulid(), e.getMessage());
    }
  }

  private void pruneCache(Set<Ulid> present) {
    if (cacheDir.isEmpty() || !Files.isDirectory(cacheDir.get())) {
      return;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(cacheDir.get())) {
      for (Path p : entries) {
        Optional<Ulid> id = Ulid.tryParse(p.getFileName().toString());
        if (id.isPresent() && !present.contains(id.get())) {
          // Only the file this cache wrote, and its directory if nothing else is in it.
          Files.deleteIfExists(p.resolve(BlockMetaFile.FILE_NAME));
          try {
            Files.deleteIfExists(p);
          } catch (DirectoryNotEmptyException others) {
            LOG.warn("kept {}: it holds files the meta cache did not write", p);
          }
        }
      }
    } catch (IOException e) {
      LOG.warn("could not prune the meta cache {}: {}", cacheDir.get(), e.getMessage());
    }
  }

  /** Builds a {@link MetaSync}. */
  public static final class Builder {
    private final Bucket bucket;
    private Path cacheDir;
    private int concurrency = 16;
    private BlockFilter filter = b -> true;

    private Builder(Bucket bucket) {
      this.bucket = bucket;
    }

    /** Where to keep fetched metas; none by default. */
    public Builder cacheDir(Path dir) {
      this.cacheDir = dir;
      return this;
    }

    /** meta.json files fetched at once. */
    public Builder concurrency(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("concurrency " + n + " is below 1");
      }
      this.concurrency = n;
      return this;
    }

    /** Adds a filter; blocks must pass all. */
    public Builder filter(BlockFilter f) {
      BlockFilter prev = this.filter;
      this.filter = prev.and(f);
      return this;
    }

    public MetaSync build() {
      return new MetaSync(this);
    }
  }
}

package dev.strata.tier.block;

import dev.strata.tier.objstore.Bucket;
import dev.strata.tsdb.block.BlockDirectories;
import dev.strata.tsdb.block.BlockFiles;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.BlockMetaFile;
import dev.strata.tsdb.block.ThanosMeta;
import dev.strata.tsdb.block.Ulid;
import dev.strata.tsdb.fileutil.FileTrees;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships the blocks of a TSDB directory (Prometheus's or a Strata {@code Tsdb}'s) to a bucket, as
 * Thanos's sidecar does: each new block of compaction level 1 is uploaded once, with the external
 * labels in its Thanos section, and recorded in {@value ShipperState#FILE_NAME} in the directory.
 *
 * <p><b>Exactly once, across crashes.</b> A block is uploaded from hard links in {@code
 * thanos/upload/<ULID>/} (so that compaction deleting the block meanwhile does not break the
 * upload), meta.json last, and recorded right after. Killed before meta.json went up, the block is
 * not recorded and is uploaded again (its objects overwritten; never listed as complete
 * meanwhile); killed after, the next sync finds its meta.json in the bucket and records it
 * without uploading again. Nothing is skipped: every unrecorded block is checked.
 *
 * <p>Blocks without samples are not shipped; compacted blocks (level above 1) only with {@link
 * Builder#uploadCompacted}, since the compactor makes those from the shipped ones. Thread-safe;
 * syncs never overlap.
 */
public final class Shipper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Shipper.class);
  static final String UPLOAD_DIR = "thanos/upload";

  private final Path dataDir;
  private final BucketBlocks blocks;
  private final Map<String, String> labels;
  private final String source;
  private final boolean uploadCompacted;
  private final Object syncLock = new Object();
  private ScheduledExecutorService watcher; // guarded by this

  private Shipper(Builder b) {
    this.dataDir = b.dataDir;
    this.blocks = new BucketBlocks(b.bucket);
    this.labels = Map.copyOf(b.labels);
    this.source = b.source;
    this.uploadCompacted = b.uploadCompacted;
  }

  /**
   * A shipper for the TSDB directory {@code dataDir}; {@link Builder#externalLabels} must be set.
   */
  public static Builder builder(Path dataDir, Bucket bucket) {
    return new Builder(dataDir, bucket);
  }

  public Path dataDir() {
    return dataDir;
  }

  public Map<String, String> externalLabels() {
    return labels;
  }

  /** The blocks recorded as shipped. */
  public Set<Ulid> uploaded() throws IOException {
    return ShipperState.read(dataDir).uploaded();
  }

  /**
   * Uploads the blocks not shipped yet, oldest first, recording each as soon as it is in the
   * bucket.
   *
   * @return the number of blocks uploaded by this call
   * @throws IOException if an upload fails; blocks shipped before it stay recorded
   */
  public int sync() throws IOException {
    synchronized (syncLock) {
      Set<Ulid> recorded = ShipperState.read(dataDir).uploaded();
      List<BlockMeta> metas = new ArrayList<>();
      for (BlockDirectories.BlockDirectory d : BlockDirectories.list(dataDir)) {
        try {
          metas.add(BlockMetaFile.read(d.path()));
        } catch (NoSuchFileException e) {
          // removed by compaction or retention meanwhile
        }
      }
      metas.sort(Comparator.comparingLong(BlockMeta::minTime).thenComparing(BlockMeta::ulid));
      // Keep only blocks that are still here, as Thanos does, so the file does not grow forever.
      Set<Ulid> present = new LinkedHashSet<>();
      metas.forEach(m -> present.add(m.ulid()));
      Set<Ulid> shipped = new LinkedHashSet<>();
      recorded.stream().filter(present::contains).forEach(shipped::add);
      int uploadedNow = 0;
      try {
        for (BlockMeta m : metas) {
          if (shipped.contains(m.ulid()) || m.stats().numSamples() == 0
              || (m.compaction().level() > 1 && !uploadCompacted)) {
            continue;
          }
          if (blocks.bucket().exists(BucketBlocks.key(m.ulid(), BlockFiles.META_JSON))) {
            LOG.info("block {} is already in {}; recording it as shipped", m.ulid(), blocks.bucket().name());
          } else {
            if (!upload(m)) {
              continue;
            }
            uploadedNow++;
          }
          shipped.add(m.ulid());
          ShipperState.write(dataDir, new ShipperState(shipped));
        }
      } finally {
        if (!shipped.equals(recorded)) {
          ShipperState.write(dataDir, new ShipperState(shipped));
        }
      }
      return uploadedNow;
    }
  }

  // Uploads from hard links of the block's files; false if the block vanished before it could go.
  private boolean upload(BlockMeta m) throws IOException {
    Path staging = dataDir.resolve(UPLOAD_DIR).resolve(m.ulid().toString());
    FileTrees.deleteRecursively(staging);
    try {
      Path src = BlockDirectories.path(dataDir, m.ulid());
      try {
        link(src, staging);
      } catch (NoSuchFileException e) {
        LOG.info("block {} went away before it could be shipped", m.ulid());
        return false;
      }
      ThanosMeta thanos = m.thanos().orElse(null);
      ThanosMeta section = new ThanosMeta(mergedLabels(thanos), thanos == null
          ? ThanosMeta.RESOLUTION_RAW : thanos.downsampleResolution(), source);
      long start = System.nanoTime();
      try {
        blocks.upload(staging, section);
      } catch (IOException | RuntimeException e) {
        removePartialUpload(m.ulid(), e);
        throw e;
      }
      LOG.info("shipped block {} to {} in {} ms", m.ulid(), blocks.bucket().name(),
          (System.nanoTime() - start) / 1_000_000);
      return true;
    } finally {
      FileTrees.deleteRecursively(staging);
    }
  }

  /**
   * After a failed upload, removes what went up of the block, as Thanos's shipper does, unless its
   * meta.json made it (the failure came after the block was complete). Best effort: what stays is
   * invisible without meta.json, overwritten by the next attempt, and removed by the compactor's
   * clean-up of partial uploads.
   */
  private void removePartialUpload(Ulid id, Exception cause) {
    try {
      if (!blocks.bucket().exists(BucketBlocks.key(id, BlockFiles.META_JSON))) {
        blocks.delete(id);
      }
    } catch (IOException | RuntimeException e) {
      cause.addSuppressed(e);
      LOG.warn("could not remove the partial upload of block {} from {}: {}", id,
          blocks.bucket().name(), e.getMessage());
    }
  }

  private Map<String, String> mergedLabels(ThanosMeta existing) {
    Map<String, String> merged = new TreeMap<>();
    if (existing != null) {
      merged.putAll(existing.labels());
    }
    merged.putAll(labels);
    return merged;
  }

  private static void link(Path src, Path dst) throws IOException {
    Files.createDirectories(dst.resolve(BlockFiles.CHUNKS));
    List<String> files = new ArrayList<>();
    try (DirectoryStream<Path> chunks = Files.newDirectoryStream(src.resolve(BlockFiles.CHUNKS))) {
      for (Path p : chunks) {
        files.add(BlockFiles.CHUNKS + "/" + p.getFileName());
      }
    }
    files.add(BlockFiles.INDEX);
    files.add(BlockFiles.META_JSON);
    if (Files.exists(src.resolve(BlockFiles.TOMBSTONES))) {
      files.add(BlockFiles.TOMBSTONES);
    }
    for (String f : files) {
      Path from = src.resolve(f);
      Path to = dst.resolve(f);
      try {
        Files.createLink(to, from);
      } catch (UnsupportedOperationException | FileSystemException e) {
        if (e instanceof NoSuchFileException) {
          throw (NoSuchFileException) e;
        }
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  /**
   * Syncs every {@code interval} in the background until {@link #close()}; failures are logged and
   * retried at the next tick.
   */
  public void start(Duration interval) {
    synchronized (this) {
      if (watcher != null) {
        throw new IllegalStateException("the shipper is already running");
      }
      watcher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "strata-shipper-" + dataDir.getFileName());
        t.setDaemon(true);
        return t;
      });
      watcher.scheduleWithFixedDelay(() -> {
        try {
          sync();
        } catch (IOException | RuntimeException e) {
          LOG.warn("shipping blocks of {} failed, retrying in {}: {}", dataDir, interval, e.getMessage());
        }
      }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Stops background syncing, letting a sync in progress finish its current block. */
  @Override
  public void close() {
    ScheduledExecutorService w;
    synchronized (this) {
      w = watcher;
    }
    if (w != null) {
      w.shutdown();
      try {
        w.awaitTermination(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Builds a {@link Shipper}. */
  public static final class Builder {
    private final Path dataDir;
    private final Bucket bucket;
    private Map<String, String> labels = Map.of();
    private String source = ThanosMeta.SOURCE_SIDECAR;
    private boolean uploadCompacted;

    private Builder(Path dataDir, Bucket bucket) {
      this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
      this.bucket = Objects.requireNonNull(bucket, "bucket");
    }

    /** The external labels identifying this producer, such as {@code cluster} and {@code replica}. */
    public Builder externalLabels(Map<String, String> value) {
      this.labels = Collections.unmodifiableMap(new TreeMap<>(value));
      return this;
    }

    /** The {@code thanos.source} recorded with each block; {@code sidecar} by default. */
    public Builder source(String value) {
      this.source = Objects.requireNonNull(value, "source");
      return this;
    }

    /** Also ship compacted blocks (for a TSDB that compacts on its own and no Thanos compactor). */
    public Builder uploadCompacted(boolean value) {
      this.uploadCompacted = value;
      return this;
    }

    /**
     * @throws IllegalStateException without external labels: blocks from different producers
     *     would be indistinguishable in the bucket, and Thanos refuses such blocks
     */
    public Shipper build() {
      if (labels.isEmpty()) {
        throw new IllegalStateException("the shipper needs external labels (such as cluster and"
            + " replica) to tell this TSDB's blocks from others in the bucket");
      }
      for (Map.Entry<String, String> e : labels.entrySet()) {
        if (e.getKey().isEmpty() || e.getValue().isEmpty()) {
          throw new IllegalStateException("external label '" + e.getKey() + "' has an empty name or value");
        }
      }
      return new Shipper(this);
    }
  }
}

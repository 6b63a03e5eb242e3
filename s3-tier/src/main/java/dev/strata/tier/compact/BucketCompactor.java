package dev.strata.tier.compact;

import dev.strata.downsample.Downsampler;
import dev.strata.downsample.DownsamplingRules;
import dev.strata.downsample.Resolutions;
import dev.strata.tier.block.BlockFilter;
import dev.strata.tier.block.BucketBlocks;
import dev.strata.tier.block.Parallel;
import dev.strata.tier.block.MetaSync;
import dev.strata.tier.block.SyncedBlock;
import dev.strata.tier.objstore.Bucket;
import dev.strata.tsdb.block.Block;
import dev.strata.tsdb.block.BlockDirectories;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.ThanosMeta;
import dev.strata.tsdb.block.Ulid;
import dev.strata.tsdb.block.UlidGenerator;
import dev.strata.tsdb.fileutil.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thanos's compactor over one bucket: each {@link #run() pass} syncs the blocks' metas, compacts
 * every group ({@link GroupCompactor}), downsamples, applies retention and deletes what was marked
 * long enough ago. Thanos requires one compactor per bucket; so does this.
 *
 * <p>Blocks marked for deletion are out of every step at once; blocks younger than the
 * consistency delay (by their ULID's time) are left for a later pass unless a compactor made
 * them, as their upload may still be under way.
 */
public final class BucketCompactor {
  private static final Logger LOG = LoggerFactory.getLogger(BucketCompactor.class);
  /** Partial uploads are removed once this old, at the least: no upload takes that long. */
  private static final Duration PARTIAL_UPLOAD_AGE = Duration.ofHours(48);

  private final BucketBlocks bucket;
  private final CompactorOptions options;
  private final MetaSync sync;
  private final GroupCompactor groups;
  private final UlidGenerator ulids = UlidGenerator.system();

  public BucketCompactor(Bucket bucket, CompactorOptions options) {
    this.bucket = new BucketBlocks(bucket, options.clock(), options.blockFilesConcurrency());
    this.options = options;
    this.sync = MetaSync.builder(bucket)
        .cacheDir(options.scratchDir().resolve("meta-syncer"))
        .filter(BlockFilter.notDeleted(Duration.ZERO))
        .filter(this::consistent)
        .build();
    this.groups = new GroupCompactor(this.bucket, options.scratchDir().resolve("compact"),
        options.verticalCompaction(), options.verticalMerge(), ulids,
        options.blocksFetchConcurrency());
  }

  /**
   * What one pass did.
   *
   * @param compacted blocks made by compaction
   * @param downsampled blocks made by downsampling
   * @param markedForDeletion blocks marked: compacted sources, redundant blocks, expired ones
   * @param deleted blocks deleted after the delete delay
   * @param partialUploadsRemoved abandoned uploads removed
   * @param bytesDownloaded bytes read from the bucket to compact and downsample
   * @param bytesUploaded bytes of the blocks uploaded
   */
  public record Pass(List<BlockMeta> compacted, List<BlockMeta> downsampled,
      List<Ulid> markedForDeletion, List<Ulid> deleted, List<Ulid> partialUploadsRemoved,
      long bytesDownloaded, long bytesUploaded) {}

  /**
   * One pass over the bucket.
   *
   * @throws CompactionHaltedException if a group's blocks overlap and vertical compaction is off;
   *     nothing of that group was changed, other groups may have been compacted
   */
  public Pass run() throws IOException {
    FileTrees.deleteRecursively(options.scratchDir().resolve("compact"));
    FileTrees.deleteRecursively(options.scratchDir().resolve("downsample"));
    MetaSync.Result synced = sync.sync();
    Set<Ulid> noCompact = new HashSet<>();
    synced.blocks().forEach((id, b) -> {
      if (b.noCompact()) {
        noCompact.add(id);
      }
    });
    List<CompactionGroup> grouped = CompactionGroup.of(synced.blocks().values(),
        options.replicaLabels());
    LOG.info("compaction pass: {} blocks in {} groups ({} partial, {} unreadable)",
        synced.blocks().size(), grouped.size(), synced.partial().size(), synced.failed().size());

    List<BlockMeta> compacted = new ArrayList<>();
    List<Ulid> marked = new ArrayList<>();
    List<BlockMeta> all = new ArrayList<>();
    long down = 0;
    long up = 0;
    for (GroupCompactor.Outcome outcome : Parallel.map(grouped, options.compactConcurrency(),
        "strata-compact-group", g -> groups.compact(g, noCompact::contains),
        CompactionHaltedException.class::isInstance)) {
      compacted.addAll(outcome.created());
      marked.addAll(outcome.marked());
      all.addAll(outcome.blocks());
      down += outcome.bytesDownloaded();
      up += outcome.bytesUploaded();
    }

    List<BlockMeta> downsampled = new ArrayList<>();
    if (options.downsampling()) {
      long[] bytes = downsample(all, downsampled);
      down += bytes[0];
      up += bytes[1];
    }
    marked.addAll(applyRetention(all));
    BucketBlocks.CleanupResult cleaned = bucket.cleanUp(options.deleteDelay(),
        max(options.consistencyDelay(), PARTIAL_UPLOAD_AGE));
    return new Pass(compacted, downsampled, marked, cleaned.deleted(),
        cleaned.partialUploads(), down, up);
  }

  // Two rounds, so that a 5m block made in the first can become a 1h block in the second.
  private long[] downsample(List<BlockMeta> blocks, List<BlockMeta> created) throws IOException {
    long down = 0;
    long up = 0;
    for (int round = 0; round < 2; round++) {
      List<DownsamplingRules.Task> tasks = DownsamplingRules.tasks(blocks, b -> false);
      for (Downsampled d : Parallel.map(tasks, options.downsampleConcurrency(),
          "strata-downsample", this::downsample, CompactionHaltedException.class::isInstance)) {
        created.add(d.block);
        blocks.add(d.block);
        down += d.bytesDownloaded;
        up += d.bytesUploaded;
      }
    }
    return new long[] {down, up};
  }

  /** A block made by downsampling, and the bytes moved to make it. */
  private record Downsampled(BlockMeta block, long bytesDownloaded, long bytesUploaded) {}

  private Downsampled downsample(DownsamplingRules.Task task) throws IOException {
    BlockMeta input = task.meta();
    Path dir = options.scratchDir().resolve("downsample").resolve(input.ulid().toString());
    FileTrees.deleteRecursively(dir);
    Files.createDirectories(dir);
    try {
      long started = System.nanoTime();
      Path inputDir = dir.resolve("input");
      long down = bucket.download(input.ulid(), inputDir);
      BlockMeta made;
      try (Block block = Block.open(inputDir)) {
        made = new Downsampler(ulids).run(block, task.resolution(), dir);
      }
      Path madeDir = BlockDirectories.path(dir, made.ulid());
      long up = FileTrees.size(madeDir);
      Map<String, String> labels = input.thanos().map(ThanosMeta::labels).orElse(Map.of());
      BlockMeta uploaded = bucket.upload(madeDir,
          new ThanosMeta(labels, task.resolution(), ThanosMeta.SOURCE_COMPACTOR));
      LOG.info("downsampled block {} to {} as {} in {} ms", input.ulid(),
          Resolutions.format(task.resolution()), uploaded.ulid(),
          (System.nanoTime() - started) / 1_000_000);
      return new Downsampled(uploaded, down, up);
    } finally {
      FileTrees.deleteRecursively(dir);
    }
  }

  /**
   * Retention alone, as Thanos's {@code tools bucket retention}: marks for deletion the blocks past
   * the retention of their resolution, and returns them. Nothing is compacted nor deleted.
   */
  public List<Ulid> applyRetention() throws IOException {
    List<BlockMeta> blocks = new ArrayList<>();
    sync.sync().blocks().values().forEach(b -> blocks.add(b.meta()));
    return applyRetention(blocks);
  }

  private List<Ulid> applyRetention(Collection<BlockMeta> blocks) throws IOException {
    long now = options.clock().millis();
    List<Ulid> marked = new ArrayList<>();
    for (BlockMeta b : blocks) {
      long resolution = Downsampler.resolutionOf(b);
      long keep = options.retentionMillis(resolution);
      if (DownsamplingRules.expired(b, keep, now)) {
        bucket.markForDeletion(b.ulid(), "past the " + Duration.ofMillis(keep)
            + " retention of " + Resolutions.format(resolution) + " blocks");
        marked.add(b.ulid());
        LOG.info("block {} ({}) is past its retention: marked for deletion", b.ulid(),
            Resolutions.format(resolution));
      }
    }
    return marked;
  }

  // Thanos's consistency delay: a block may still be uploading unless a compactor made it.
  private boolean consistent(SyncedBlock b) {
    String source = b.meta().thanos().map(ThanosMeta::source).orElse("");
    if (ThanosMeta.SOURCE_COMPACTOR.equals(source)) {
      return true;
    }
    long age = options.clock().millis() - b.meta().ulid().timestamp();
    return age >= options.consistencyDelay().toMillis();
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}

package dev.strata.tier.compact;

import dev.strata.tier.block.BucketBlocks;
import dev.strata.tsdb.block.Block;
import dev.strata.tsdb.block.BlockDirectories;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.ThanosMeta;
import dev.strata.tsdb.block.Ulid;
import dev.strata.tsdb.block.UlidGenerator;
import dev.strata.tsdb.compact.BlockWriter;
import dev.strata.tsdb.compact.VerticalMerge;
import dev.strata.tsdb.fileutil.FileTrees;
import dev.strata.tsdb.storage.BlockReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compacts one group on the bucket until Thanos's planner has nothing left to merge. Each
 * compaction downloads its sources into the scratch directory, writes the merged block with core's
 * block writer, reads it back whole (every CRC), uploads it ({@code meta.json} last), and only then
 * marks the sources for deletion. The upload and the marking run in the background while the next
 * compaction downloads and merges ({@link BackgroundUpload}); a compaction that needs the block
 * still going up waits for it. A crash at any point leaves either the sources alone (the next
 * pass compacts them again), or the new block beside its unmarked sources, which the next pass
 * finds redundant and marks ({@link #markRedundant}).
 */
final class GroupCompactor {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCompactor.class);
  private static final long HOUR = 3_600_000L;

  /** Thanos's compaction ranges: 1h (the unit), then 2h, 8h, 2d and 14d blocks. */
  static final long[] RANGES = {HOUR, 2 * HOUR, 8 * HOUR, 48 * HOUR, 336 * HOUR};

  private final BucketBlocks bucket;
  private final Path scratch;
  private final boolean verticalCompaction;
  private final VerticalMerge merge;
  private final UlidGenerator ulids;
  private final int blocksFetchConcurrency;
  private final ThanosPlanner planner = new ThanosPlanner(RANGES);

  /** {@code blocksFetchConcurrency}: source blocks of one compaction downloaded at once. */
  GroupCompactor(BucketBlocks bucket, Path scratch, boolean verticalCompaction,
      VerticalMerge merge, UlidGenerator ulids, int blocksFetchConcurrency) {
    this.blocksFetchConcurrency = blocksFetchConcurrency;
    this.bucket = bucket;
    this.scratch = scratch;
    this.verticalCompaction = verticalCompaction;
    this.merge = merge;
    this.ulids = ulids;
  }

  /** What compacting a group did. */
  record Outcome(List<BlockMeta> blocks, List<BlockMeta> created, List<Ulid> marked,
      long bytesDownloaded, long bytesUploaded) {}

  /**
   * Compacts {@code group} until the planner finds nothing to merge.
   *
   * @param noCompact blocks the planner must leave alone
   * @return the group's blocks afterwards, what was created and marked
   * @throws CompactionHaltedException if blocks overlap and vertical compaction is off
   */
  Outcome compact(CompactionGroup group, Predicate<Ulid> noCompact) throws IOException {
    Progress p = new Progress(new ArrayList<>(group.blocks()));
    p.marked.addAll(markRedundant(p.blocks));
    Path groupDir = scratch.resolve(group.key());
    FileTrees.deleteRecursively(groupDir);
    try (BackgroundUpload uploads = new BackgroundUpload("strata-compact-upload")) {
      for (int round = 0; ; round++) {
        if (!verticalCompaction) {
          checkNoOverlap(group, p.blocks);
        }
        List<BlockMeta> plan = planner.plan(p.blocks, noCompact);
        if (plan.isEmpty()) {
          uploads.await().ifPresent(p::uploaded);
          return new Outcome(p.blocks, p.created, p.marked, p.down, p.up);
        }
        if (plan.stream().anyMatch(b -> uploads.isPending(b.ulid()))) {
          uploads.await().ifPresent(p::uploaded); // a source still going up: not in the bucket yet
          continue; // planned again over the uploaded metas
        }
        compactOnce(group, plan, groupDir.resolve(Integer.toString(round)), uploads, p);
      }
    } finally {
      FileTrees.deleteRecursively(groupDir);
    }
  }

  /** A group's blocks as compaction goes, and what it did. */
  private static final class Progress {
    final List<BlockMeta> blocks;
    final List<BlockMeta> created = new ArrayList<>();
    final List<Ulid> marked = new ArrayList<>();
    long down;
    long up;

    Progress(List<BlockMeta> blocks) {
      this.blocks = blocks;
    }

    // The block as uploaded (with its Thanos section) replaces the local meta the planner used.
    void uploaded(BackgroundUpload.Done done) {
      created.add(done.uploaded());
      marked.addAll(done.marked());
      up += done.bytesUploaded();
      blocks.replaceAll(b -> b.ulid().equals(done.uploaded().ulid()) ? done.uploaded() : b);
    }

    // By ULID: a source's meta may have been swapped for its uploaded version since planning.
    void replace(List<BlockMeta> sources, BlockMeta merged) {
      Set<Ulid> gone = new HashSet<>(ulids(sources));
      blocks.removeIf(b -> gone.contains(b.ulid()));
      if (merged != null) {
        blocks.add(merged);
        blocks.sort(Comparator.comparingLong(BlockMeta::minTime).thenComparing(BlockMeta::ulid));
      }
    }
  }

  // Download, merge, verify here; the upload and the marking of the sources go to the background
  // while the caller plans and starts the next compaction.
  private void compactOnce(CompactionGroup group, List<BlockMeta> plan, Path dir,
      BackgroundUpload uploads, Progress p) throws IOException {
    Files.createDirectories(dir);
    boolean handedOver = false;
    try {
      long started = System.nanoTime();
      long fetched = ScratchBlocks.download(bucket, plan, dir, blocksFetchConcurrency);
      p.down += fetched;
      LOG.info("group {}: downloaded {} blocks ({} MiB) in {} ms; merging", group, plan.size(),
          fetched >> 20, millisSince(started));
      long merging = System.nanoTime();
      Optional<BlockMeta> merged = merge(dir, plan);
      if (merged.isEmpty()) {
        p.marked.addAll(markSources(plan, "compacted: nothing of the block was left"));
        p.replace(plan, null);
        LOG.info("group {}: compacted {} into nothing", group, ulids(plan));
        return;
      }
      Path mergedDir = BlockDirectories.path(dir, merged.get().ulid());
      ScratchBlocks.verify(mergedDir);
      long size = FileTrees.size(mergedDir);
      LOG.info("group {}: merged and verified {} ({} MiB) in {} ms; uploading", group,
          merged.get().ulid(), size >> 20, millisSince(merging));
      uploads.submit(merged.get().ulid(), () -> {
        try {
          long uploading = System.nanoTime();
          BlockMeta uploaded = bucket.upload(mergedDir, new ThanosMeta(group.labels(),
              group.resolution(), ThanosMeta.SOURCE_COMPACTOR));
          LOG.info("group {}: uploaded {} in {} ms; marking its {} sources for deletion", group,
              uploaded.ulid(), millisSince(uploading), plan.size());
          List<Ulid> marked = markSources(plan, "compacted into " + uploaded.ulid());
          LOG.info("group {}: compacted {} into {} (level {}, {} samples) in {} ms", group,
              ulids(plan), uploaded.ulid(), uploaded.compaction().level(),
              uploaded.stats().numSamples(), millisSince(started));
          return new BackgroundUpload.Done(uploaded, marked, size);
        } finally {
          FileTrees.deleteRecursively(dir);
        }
      }).ifPresent(p::uploaded);
      handedOver = true;
      p.replace(plan, merged.get());
    } finally {
      if (!handedOver) {
        FileTrees.deleteRecursively(dir);
      }
    }
  }

  private List<Ulid> markSources(List<BlockMeta> plan, String details) throws IOException {
    List<Ulid> marked = new ArrayList<>();
    for (BlockMeta source : plan) {
      bucket.markForDeletion(source.ulid(), details);
      marked.add(source.ulid());
    }
    return marked;
  }

  private static List<Ulid> ulids(List<BlockMeta> blocks) {
    return blocks.stream().map(BlockMeta::ulid).toList();
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  /**
   * Marks for deletion, and removes from {@code blocks}, every block whose sources another block
   * holds too: a compaction that uploaded its block and died before marking its sources. Of blocks
   * with the very same sources, the newest (the greatest ULID) stays.
   */
  List<Ulid> markRedundant(List<BlockMeta> blocks) throws IOException {
    List<Ulid> marked = new ArrayList<>();
    List<BlockMeta> redundant = new ArrayList<>();
    for (BlockMeta b : blocks) {
      Set<Ulid> mine = new HashSet<>(b.compaction().sources());
      for (BlockMeta other : blocks) {
        if (other == b) {
          continue;
        }
        Set<Ulid> theirs = new HashSet<>(other.compaction().sources());
        boolean sameSources = theirs.equals(mine);
        if (theirs.containsAll(mine) && (!sameSources || other.ulid().compareTo(b.ulid()) > 0)) {
          redundant.add(b);
          bucket.markForDeletion(b.ulid(), "its data is in block " + other.ulid());
          marked.add(b.ulid());
          LOG.info("block {} is held whole by block {}: marked for deletion", b.ulid(),
              other.ulid());
          break;
        }
      }
    }
    blocks.removeAll(redundant);
    return marked;
  }

  private static void checkNoOverlap(CompactionGroup group, List<BlockMeta> blocks) {
    for (int i = 1; i < blocks.size(); i++) {
      BlockMeta previous = blocks.get(i - 1);
      for (int j = i; j < blocks.size(); j++) {
        BlockMeta b = blocks.get(j);
        if (b.minTime() >= previous.maxTime()) {
          break; // sorted by minTime: no later block overlaps `previous` either
        }
        throw new CompactionHaltedException("pre compaction overlap check: in group " + group
            + ", block " + previous.ulid() + " [" + previous.minTime() + ", " + previous.maxTime()
            + ") overlaps block " + b.ulid() + " [" + b.minTime() + ", " + b.maxTime() + ");"
            + " this needs a person: remove or mark one of them (no-compact-mark.json), or"
            + " turn on vertical compaction to merge them");
      }
    }
  }

  private Optional<BlockMeta> merge(Path dir, List<BlockMeta> plan) throws IOException {
    List<Block> sources = new ArrayList<>();
    List<BlockReader> readers = new ArrayList<>();
    try {
      for (BlockMeta m : plan) {
        Block b = Block.open(dir.resolve(m.ulid().toString()));
        sources.add(b);
        readers.add(b.reader());
      }
      return BlockWriter.write(dir, BlockMeta.compacted(ulids.next(), plan), readers, merge);
    } finally {
      readers.forEach(BlockReader::close);
      sources.forEach(Block::close);
    }
  }
}

package dev.strata.tier.compact;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.tier.block.BucketBlocks;
import dev.strata.tsdb.block.Block;
import dev.strata.tsdb.block.BlockCompaction;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.BlockStats;
import dev.strata.tsdb.block.ThanosMeta;
import dev.strata.tsdb.block.Ulid;
import dev.strata.tsdb.block.UlidGenerator;
import dev.strata.tsdb.compact.BlockWriter;
import dev.strata.tsdb.fileutil.FileTrees;
import dev.strata.tsdb.index.ChunkMetas;
import dev.strata.tsdb.index.Postings;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.storage.BlockReader;
import dev.strata.tsdb.tombstones.Intervals;
import dev.strata.tsdb.tombstones.TombstoneSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes series (or their samples in some intervals) from a bucket block by writing a new block
 * without them, as Thanos's {@code tools bucket rewrite} does: the block is downloaded, the
 * deletions become tombstones on the local copy, core's block writer writes the block again with
 * them applied (so the new block holds no tombstones, only the data left), the result is read back
 * whole and uploaded with {@code meta.json} last. Only then, and only if asked, is the source
 * marked for deletion; until it is, both blocks are visible and hold the same data but for the
 * deleted part, so run this while no compactor works on the bucket.
 *
 * <p>The new block's meta is Thanos's: a new ULID, the same time range, level, parents, external
 * labels and resolution; {@code compaction.sources} is the new block alone, {@code thanos.source}
 * is {@value #SOURCE}, and a {@code thanos.rewrites} entry records the old sources and the
 * deletions applied.
 */
public final class BlockRewriter {
  private static final Logger LOG = LoggerFactory.getLogger(BlockRewriter.class);

  /** {@code thanos.source} of a rewritten block, as Thanos writes it. */
  public static final String SOURCE = "bucket.rewrite";

  private final BucketBlocks bucket;
  private final Path scratch;
  private final UlidGenerator ulids;

  /**
   * @param scratch where blocks are downloaded and written; each rewrite cleans up after itself
   */
  public BlockRewriter(BucketBlocks bucket, Path scratch, UlidGenerator ulids) {
    this.bucket = bucket;
    this.scratch = scratch;
    this.ulids = ulids;
  }

  /**
   * What a rewrite did, or in a dry run would do.
   *
   * @param source the block rewritten
   * @param before its stats
   * @param after the new block's stats; all zero when nothing was left
   * @param seriesTrimmed series that keep some samples but lost others
   * @param chunksReencoded chunks of the trimmed series in the source, all re-encoded
   * @param rewritten the new block, as uploaded; empty in a dry run, when nothing matched, or when
   *     nothing was left
   * @param newUlid the new block's ULID (also in a dry run, where nothing is uploaded)
   * @param changed whether any deletion applied to the block; if not, nothing is written
   * @param sourceMarked whether the source got a deletion mark
   */
  public record Result(Ulid source, BlockStats before, BlockStats after, long seriesTrimmed,
      long chunksReencoded, Optional<BlockMeta> rewritten, Ulid newUlid, boolean changed,
      boolean sourceMarked) {
    public long seriesRemoved() {
      return before.numSeries() - after.numSeries();
    }

    public long samplesRemoved() {
      return before.numSamples() - after.numSamples();
    }

    /** True if every series was deleted: no block is left to upload. */
    public boolean emptied() {
      return changed && after.numSeries() == 0;
    }
  }

  /**
   * Rewrites block {@code id} without what {@code deletions} match.
   *
   * @param dryRun write the new block locally to count what changes, but upload and mark nothing
   * @param markSource mark the source for deletion once the new block is uploaded (not in a dry
   *     run, and not when nothing matched)
   * @throws IOException naming the block (and the file, for a corrupt one) on failure; the source
   *     is then untouched and no new block is visible
   */
  public Result rewrite(Ulid id, List<DeletionRequest> deletions, boolean dryRun,
      boolean markSource) throws IOException {
    if (deletions.isEmpty()) {
      throw new IllegalArgumentException("nothing to delete: give at least one deletion request");
    }
    BlockMeta meta = bucket.meta(id).orElseThrow(() -> new IOException("block " + id
        + " is not in " + bucket.bucket().name() + " (no meta.json)"));
    ThanosMeta thanos = meta.thanos().orElseThrow(() -> new IOException("block " + id
        + " has no thanos section in its meta.json: not a bucket block"));
    if (thanos.labels().isEmpty()) {
      throw new IOException("block " + id + " has no external labels in its meta.json: the"
          + " rewritten block could not say whose data it is");
    }
    Path dir = scratch.resolve("rewrite-" + id);
    FileTrees.deleteRecursively(dir);
    Files.createDirectories(dir);
    try {
      ScratchBlocks.download(bucket, List.of(meta), dir, 1);
      Ulid newId = ulids.next();
      BlockMeta target = rewrittenMeta(meta, newId);
      Optional<BlockMeta> written;
      Counts counts;
      try (Block block = Block.open(dir.resolve(id.toString()))) {
        counts = applyAsTombstones(block, deletions);
        if (counts.matchedSeries == 0) {
          LOG.info("block {}: no series matches the deletions; left as it is", id);
          return new Result(id, meta.stats(), meta.stats(), 0, 0, Optional.empty(), newId,
              false, false);
        }
        try (BlockReader reader = block.reader()) {
          written = BlockWriter.write(dir, target, List.of(reader));
        }
      }
      BlockStats after = written.map(BlockMeta::stats).orElse(BlockStats.EMPTY);
      if (dryRun) {
        return new Result(id, meta.stats(), after, counts.trimmed, counts.chunks,
            Optional.empty(), newId, true, false);
      }
      Optional<BlockMeta> uploaded = Optional.empty();
      if (written.isPresent()) {
        uploaded = Optional.of(ScratchBlocks.verifyAndUpload(bucket, dir.resolve(newId.toString()),
            rewrittenThanos(thanos, meta, deletions)));
        LOG.info("block {} rewritten into {}", id, newId);
      }
      if (markSource) {
        bucket.markForDeletion(id, uploaded.isPresent() ? "block rewritten into " + newId
            : "block rewritten: every series deleted");
      }
      return new Result(id, meta.stats(), after, counts.trimmed, counts.chunks, uploaded, newId,
          true, markSource);
    } catch (IOException e) {
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      if (message.contains(id.toString())) {
        throw e;
      }
      throw new IOException("block " + id + ": " + message, e);
    } finally {
      FileTrees.deleteRecursively(dir);
    }
  }

  private static final class Counts {
    long matchedSeries;
    long trimmed;
    long chunks;
  }

  /**
   * Adds the deletions to the local copy's tombstones, as Thanos's deletion modifier decides them:
   * a request with intervals deletes those; one without deletes the whole series. Counts the series
   * that keep part of their data, and their chunks.
   */
  private static Counts applyAsTombstones(Block block, List<DeletionRequest> deletions)
      throws IOException {
    Counts counts = new Counts();
    block.acquire();
    try {
      TombstoneSet.Builder added = TombstoneSet.builder();
      ChunkMetas chunks = new ChunkMetas();
      for (DeletionRequest request : deletions) {
        Postings refs = block.index().postingsForMatchers(
            request.matchers().toArray(new LabelMatcher[0]));
        while (refs.next()) {
          chunks.clear();
          block.index().series(refs.at(), chunks);
          if (chunks.isEmpty()) {
            continue;
          }
          if (request.intervals().isEmpty()) {
            added.add(refs.at(), chunks.minTime(0), chunks.maxTime(chunks.size() - 1));
          } else {
            for (DeletionRequest.Interval in : request.intervals()) {
              added.add(refs.at(), in.mint(), in.maxt());
            }
          }
        }
      }
      TombstoneSet requested = added.build();
      for (int i = 0; i < requested.seriesCount(); i++) {
        long ref = requested.ref(i);
        chunks.clear();
        block.index().series(ref, chunks);
        Intervals deleted = requested.intervals(i).union(block.tombstones().get(ref));
        boolean touched = false;
        boolean allGone = true;
        for (int c = 0; c < chunks.size(); c++) {
          touched |= overlaps(deleted, chunks.minTime(c), chunks.maxTime(c));
          allGone &= deleted.covers(chunks.minTime(c), chunks.maxTime(c));
        }
        if (touched) {
          counts.matchedSeries++;
          if (!allGone) {
            counts.trimmed++;
            counts.chunks += chunks.size();
          }
        }
      }
      if (counts.matchedSeries > 0) {
        block.setTombstones(block.tombstones().toBuilder().addAll(requested).build());
      }
    } finally {
      block.release();
    }
    return counts;
  }

  private static boolean overlaps(Intervals deleted, long min, long max) {
    for (int k = 0; k < deleted.size(); k++) {
      if (deleted.minTime(k) <= max && deleted.maxTime(k) >= min) {
        return true;
      }
    }
    return false;
  }

  // Thanos keeps the compaction section but for the sources: the new block is its own source, so
  // that readers do not take it for a duplicate of the old one.
  private static BlockMeta rewrittenMeta(BlockMeta old, Ulid newId) {
    BlockCompaction c = old.compaction();
    BlockCompaction compaction = new BlockCompaction(c.level(), List.of(newId), false,
        c.parents(), false, c.hints(), c.extra());
    return new BlockMeta(newId, old.minTime(), old.maxTime(), BlockStats.EMPTY, compaction,
        Optional.empty(), old.extra());
  }

  private static ThanosMeta rewrittenThanos(ThanosMeta old, BlockMeta oldMeta,
      List<DeletionRequest> deletions) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    Map<String, JsonNode> extra = new LinkedHashMap<>(old.extra());
    ArrayNode rewrites = f.arrayNode();
    JsonNode previous = extra.get("rewrites");
    if (previous != null && previous.isArray()) {
      rewrites.addAll((ArrayNode) previous.deepCopy());
    }
    ObjectNode entry = rewrites.addObject();
    ArrayNode sources = entry.putArray("sources");
    oldMeta.compaction().sources().forEach(s -> sources.add(s.toString()));
    ArrayNode applied = entry.putArray("deletions_applied");
    deletions.forEach(d -> applied.add(d.toThanosJson()));
    extra.put("rewrites", rewrites);
    return new ThanosMeta(old.labels(), old.downsampleResolution(), SOURCE, List.of(), List.of(),
        extra);
  }
}

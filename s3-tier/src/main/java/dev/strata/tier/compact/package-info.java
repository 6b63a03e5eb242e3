/**
 * Compaction, downsampling and retention on a bucket, as Thanos's compactor does them ({@code
 * pkg/compact}): blocks are grouped by external labels and resolution ({@link
 * dev.strata.tier.compact.CompactionGroup}); in each group, blocks that a compacted block already
 * holds are marked for deletion, overlaps halt the compactor unless vertical compaction is on, and
 * Thanos's planner picks blocks to merge, which are downloaded, merged by core's block writer,
 * checked, uploaded ({@code meta.json} last) and only then have their sources marked for deletion
 * ({@link dev.strata.tier.compact.BucketCompactor}). Each step is safe to interrupt: a pass started
 * afresh finds the bucket in a state it knows how to continue from.
 */
package dev.strata.tier.compact;

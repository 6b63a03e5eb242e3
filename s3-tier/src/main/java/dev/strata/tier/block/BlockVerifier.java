package dev.strata.tier.block;

import dev.strata.tier.objstore.Bucket;
import dev.strata.tsdb.block.Block;
import dev.strata.tsdb.block.BlockFiles;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.BlockMetaFile;
import dev.strata.tsdb.block.ThanosMeta;
import dev.strata.tsdb.block.Ulid;
import dev.strata.tsdb.chunks.ChunkCursor;
import dev.strata.tsdb.fileutil.FileTrees;
import dev.strata.tsdb.index.ChunkMetas;
import dev.strata.tsdb.index.Postings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks a block in a bucket end to end: every file its meta.json lists is there with the listed
 * size, and, downloaded, the index passes every check of the index reader (CRCs, order, refs), every
 * chunk's CRC matches, and every chunk reference of the index points at a chunk.
 */
public final class BlockVerifier {
  private BlockVerifier() {}

  /** One thing wrong with a block. */
  public record Problem(String file, String message) {
    @Override
    public String toString() {
      return file + ": " + message;
    }
  }

  /**
   * What the check found.
   *
   * @param series series in the index (0 if it could not be read)
   * @param chunks chunks whose CRC was checked
   * @param bytes bytes downloaded
   */
  public record Report(Ulid id, List<Problem> problems, long series, long chunks, long bytes) {
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  /**
   * Verifies block {@code id}, downloading it into a new directory under {@code scratch}, which is
   * removed afterwards; nothing else in {@code scratch} is touched.
   */
  public static Report verify(Bucket bucket, Ulid id, Path scratch) throws IOException {
    BucketBlocks blocks = new BucketBlocks(bucket);
    List<Problem> problems = new ArrayList<>();
    BlockMeta meta = blocks.meta(id).orElse(null);
    if (meta == null) {
      problems.add(new Problem(BlockFiles.META_JSON, "missing: the block is a partial upload"));
      return new Report(id, problems, 0, 0, 0);
    }
    if (!meta.ulid().equals(id)) {
      problems.add(new Problem(BlockFiles.META_JSON, "names block " + meta.ulid()));
    }
    Map<String, Long> present = blocks.files(id);
    List<ThanosMeta.File> listed = meta.thanos().map(ThanosMeta::files).orElse(List.of());
    if (listed.isEmpty()) {
      problems.add(new Problem(BlockFiles.META_JSON, "has no thanos.files list to check against"));
    }
    for (ThanosMeta.File f : listed) {
      Long size = present.get(f.relPath());
      if (size == null) {
        problems.add(new Problem(f.relPath(), "listed in meta.json but missing"));
      } else if (f.sizeBytes() > 0 && size != f.sizeBytes()) {
        problems.add(new Problem(f.relPath(), "has " + size + " bytes, meta.json lists " + f.sizeBytes()));
      }
    }
    // A directory of its own, never scratch/<id>: the scratch directory may be a data directory
    // holding that very block (the one a sidecar shipped), which must survive the check.
    Files.createDirectories(scratch);
    Path dir = Files.createTempDirectory(scratch, "verify-" + id + "-");
    long bytes = 0;
    long series = 0;
    long chunks = 0;
    try {
      Files.createDirectories(dir.resolve(BlockFiles.CHUNKS));
      for (String rel : present.keySet()) {
        if (rel.equals(BlockFiles.INDEX) || rel.equals(BlockFiles.TOMBSTONES)
            || rel.startsWith(BlockFiles.CHUNKS + "/")) {
          bytes += BucketBlocks.downloadObject(bucket, id + "/" + rel, dir.resolve(rel));
        }
      }
      BlockMetaFile.write(dir, meta);
      if (!present.containsKey(BlockFiles.INDEX)) {
        return new Report(id, problems, 0, 0, bytes); // already reported as missing
      }
      try (Block block = Block.open(dir)) {
        block.acquire();
        try {
          series = block.index().verifyAll();
          chunks = block.chunks().verifyAll();
          ChunkCursor cursor = block.chunks().cursor();
          ChunkMetas metas = new ChunkMetas();
          Postings all = block.index().allPostings();
          while (all.next()) {
            block.index().series(all.at(), metas.clear());
            for (int i = 0; i < metas.size(); i++) {
              cursor.seek(metas.ref(i));
            }
          }
        } finally {
          block.release();
        }
      } catch (RuntimeException e) {
        problems.add(new Problem("index or chunks", e.getMessage()));
      }
      if (series != meta.stats().numSeries() && meta.stats().numSeries() > 0 && problems.isEmpty()) {
        problems.add(new Problem(BlockFiles.INDEX, "holds " + series + " series, meta.json says "
            + meta.stats().numSeries()));
      }
    } finally {
      FileTrees.deleteRecursively(dir);
    }
    return new Report(id, problems, series, chunks, bytes);
  }
}

package dev.strata.tier.compact;

import dev.strata.tier.block.BucketBlocks;
import dev.strata.tier.block.Parallel;
import dev.strata.tsdb.block.Block;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.ThanosMeta;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The steps every job that rebuilds bucket blocks shares (the compactor's merges, the bucket
 * rewrite): download the sources into a scratch directory, then, once the new block is written
 * there, read it back whole and upload it with {@code meta.json} last. Only after that may a caller
 * mark the sources for deletion.
 */
final class ScratchBlocks {
  private ScratchBlocks() {}

  /**
   * Downloads each of {@code sources} into {@code dir/<ULID>}, up to {@code concurrency} at once
   * (Thanos's {@code --compact.blocks-fetch-concurrency}); returns the bytes downloaded.
   */
  static long download(BucketBlocks bucket, List<BlockMeta> sources, Path dir, int concurrency)
      throws IOException {
    long bytes = 0;
    for (long b : Parallel.map(sources, concurrency, "strata-compact-fetch",
        source -> bucket.download(source.ulid(), dir.resolve(source.ulid().toString())))) {
      bytes += b;
    }
    return bytes;
  }

  /**
   * Reads the block in {@code blockDir} back whole (every index entry and chunk CRC), then uploads
   * it with {@code thanos} as its Thanos section, {@code meta.json} last: an upload that fails
   * leaves objects without a {@code meta.json}, which no reader sees and the bucket's cleanup
   * removes once they are older than any upload takes.
   *
   * @return the meta as uploaded
   */
  static BlockMeta verifyAndUpload(BucketBlocks bucket, Path blockDir, ThanosMeta thanos)
      throws IOException {
    verify(blockDir);
    return bucket.upload(blockDir, thanos);
  }

  // Reads the new block back whole before anyone else can: every index entry and chunk CRC.
  static void verify(Path blockDir) throws IOException {
    try (Block b = Block.open(blockDir)) {
      b.acquire();
      try {
        b.index().verifyAll();
        b.chunks().verifyAll();
      } finally {
        b.release();
      }
    }
  }
}

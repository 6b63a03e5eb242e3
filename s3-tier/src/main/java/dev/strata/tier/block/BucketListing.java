package dev.strata.tier.block;

import dev.strata.tier.objstore.Bucket;
import dev.strata.tsdb.block.BlockFiles;
import dev.strata.tsdb.block.Ulid;
import java.io.IOException;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One recursive listing of a bucket, grouped by block: which blocks have a meta.json and which
 * markers, how large their files are and when the newest was written. One listing (a page per
 * thousand objects) tells all that, instead of a few requests per block.
 */
public final class BucketListing {

  /**
   * A block directory as listed.
   *
   * @param bytes total size of its objects
   * @param newest modification time of its newest object
   */
  public record Dir(
      Ulid id, boolean hasMeta, boolean hasDeletionMark, boolean hasNoCompactMark, int objects,
      long bytes, Instant newest) {}

  private final Map<Ulid, Dir> blocks;

  private BucketListing(Map<Ulid, Dir> blocks) {
    this.blocks = Collections.unmodifiableMap(blocks);
  }

  /** Lists {@code bucket}; keys that are not under a ULID directory are ignored. */
  public static BucketListing scan(Bucket bucket) throws IOException {
    Map<Ulid, Dir> out = new TreeMap<>();
    bucket.iterate("", true, e -> {
      String key = e.key();
      int slash = key.indexOf('/');
      if (slash < 0) {
        return;
      }
      Optional<Ulid> id = Ulid.tryParse(key.substring(0, slash));
      if (id.isEmpty()) {
        return;
      }
      String rel = key.substring(slash + 1);
      Dir d = out.getOrDefault(id.get(), new Dir(id.get(), false, false, false, 0, 0, Instant.EPOCH));
      out.put(id.get(), new Dir(id.get(),
          d.hasMeta() || rel.equals(BlockFiles.META_JSON),
          d.hasDeletionMark() || rel.equals(DeletionMark.FILE_NAME),
          d.hasNoCompactMark() || rel.equals(NoCompactMark.FILE_NAME),
          d.objects() + 1, d.bytes() + e.size(), BucketBlocks.newest(d.newest(), e)));
    });
    return new BucketListing(out);
  }

  /** Every block directory, by ULID. */
  public Map<Ulid, Dir> blocks() {
    return blocks;
  }
}

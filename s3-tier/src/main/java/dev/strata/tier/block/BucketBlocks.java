package dev.strata.tier.block;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.strata.tier.objstore.Bucket;
import dev.strata.tier.objstore.ListEntry;
import dev.strata.tier.objstore.ObjectNotFoundException;
import dev.strata.tsdb.block.BlockFiles;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.BlockMetaFile;
import dev.strata.tsdb.block.ThanosMeta;
import dev.strata.tsdb.block.Ulid;
import dev.strata.tsdb.chunks.ChunkSegmentFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blocks in a bucket, laid out as Thanos lays them out: {@code <ULID>/chunks/000001...}, {@code
 * <ULID>/index}, {@code <ULID>/tombstones} when there are any, and {@code <ULID>/meta.json}, with
 * markers beside them.
 *
 * <p><b>A block exists when its meta.json does.</b> Uploads write meta.json last and deletions
 * remove it first, so a reader that sees a meta.json finds every file it lists; a directory
 * without one is an upload in progress, or one that died, and {@link #cleanUp} removes it once it
 * is older than a delay that no live upload takes. Deleting is two-phase too: {@link
 * #markForDeletion} makes readers drop the block, and {@link #cleanUp} removes it after the
 * deletion delay, when queries that had it open are done.
 */
public final class BucketBlocks {
  private static final Logger LOG = LoggerFactory.getLogger(BucketBlocks.class);

  private final Bucket bucket;
  private final Clock clock;
  private final int fileConcurrency;

  public BucketBlocks(Bucket bucket) {
    this(bucket, Clock.systemUTC());
  }

  /** As {@link #BucketBlocks(Bucket)}, with the clock that dates marks and ages uploads. */
  public BucketBlocks(Bucket bucket, Clock clock) {
    this(bucket, clock, 1);
  }

  /**
   * As {@link #BucketBlocks(Bucket, Clock)}, moving up to {@code fileConcurrency} files of a block
   * at once in {@link #upload} and {@link #download} (Thanos's {@code --block-files-concurrency}):
   * a block's chunk segments are 512 MiB each, and one stream at a time rarely fills the link.
   */
  public BucketBlocks(Bucket bucket, Clock clock, int fileConcurrency) {
    if (fileConcurrency < 1) {
      throw new IllegalArgumentException("file concurrency must be at least 1, not " + fileConcurrency);
    }
    this.bucket = bucket;
    this.clock = clock;
    this.fileConcurrency = fileConcurrency;
  }

  public Bucket bucket() {
    return bucket;
  }

  static String key(Ulid id, String file) {
    return id + "/" + file;
  }

  /**
   * Uploads the block in {@code blockDir} with the Thanos section {@code thanos} (its labels,
   * resolution and source; the file list, segment list and index stats are filled in here). Chunk
   * segments, the index and tombstones go first, meta.json last.
   *
   * @return the meta as uploaded
   * @throws IllegalArgumentException if the external labels are empty: Thanos would not know
   *     which producer the block belongs to
   */
  public BlockMeta upload(Path blockDir, ThanosMeta thanos) throws IOException {
    if (thanos.labels().isEmpty()) {
      throw new IllegalArgumentException(
          "a block needs external labels to go to a bucket (it is unclear whose data it is)");
    }
    BlockMeta meta = BlockMetaFile.read(blockDir);
    Ulid id = meta.ulid();
    if (!blockDir.getFileName().toString().startsWith(id.toString())) {
      LOG.warn("block directory {} holds block {}", blockDir, id);
    }
    List<Path> segments = ChunkSegmentFormat.list(blockDir.resolve(BlockFiles.CHUNKS));
    List<ThanosMeta.File> files = new ArrayList<>();
    List<String> segmentNames = new ArrayList<>();
    List<String> toUpload = new ArrayList<>();
    for (Path s : segments) {
      toUpload.add(BlockFiles.CHUNKS + "/" + s.getFileName());
      segmentNames.add(s.getFileName().toString());
    }
    toUpload.add(BlockFiles.INDEX);
    Path tombstones = blockDir.resolve(BlockFiles.TOMBSTONES);
    if (Files.isRegularFile(tombstones) && meta.stats().numTombstones() > 0) {
      toUpload.add(BlockFiles.TOMBSTONES);
    }
    // Data files in any order (meta.json, written after all of them, is what makes the block).
    List<Long> sizes = Parallel.map(toUpload, fileConcurrency, "strata-upload-" + id, rel -> {
      bucket.upload(key(id, rel), blockDir.resolve(rel));
      return Files.size(blockDir.resolve(rel));
    });
    for (int i = 0; i < toUpload.size(); i++) {
      files.add(new ThanosMeta.File(toUpload.get(i), sizes.get(i)));
    }
    files.add(new ThanosMeta.File(BlockFiles.META_JSON, 0));
    files.sort((a, b) -> a.relPath().compareTo(b.relPath()));
    Map<String, JsonNode> extra = new LinkedHashMap<>(thanos.extra());
    extra.putIfAbsent("version", JsonNodeFactory.instance.numberNode(1));
    extra.put(IndexStats.FIELD, IndexStats.compute(blockDir).toJson());
    extra.put("upload_time", JsonNodeFactory.instance.textNode(clock.instant().toString()));
    ThanosMeta section = new ThanosMeta(thanos.labels(), thanos.downsampleResolution(),
        thanos.source(), segmentNames, files, extra);
    BlockMeta uploaded = meta.withThanos(section);
    bucket.upload(key(id, BlockFiles.META_JSON), BlockMetaFile.encode(uploaded));
    return uploaded;
  }

  /** The block's meta.json, or empty if the block has none (absent, partial or being deleted). */
  public Optional<BlockMeta> meta(Ulid id) throws IOException {
    String k = key(id, BlockFiles.META_JSON);
    try {
      return Optional.of(BlockMetaFile.decode(bucket.readAll(k), bucket.name() + "/" + k));
    } catch (ObjectNotFoundException e) {
      return Optional.empty();
    }
  }

  /**
   * Downloads block {@code id} into {@code dir} (created): its data files, then its meta.json, so
   * that a directory holding a meta.json holds the whole block. Markers are not downloaded.
   *
   * @return the bytes downloaded
   * @throws ObjectNotFoundException if the block has no meta.json (absent, partial or being
   *     deleted)
   */
  public long download(Ulid id, Path dir) throws IOException {
    String metaKey = key(id, BlockFiles.META_JSON);
    byte[] meta = bucket.readAll(metaKey); // first: a block without one is not there
    long bytes = meta.length;
    List<String> data = new ArrayList<>();
    for (String rel : files(id).keySet()) {
      if (rel.equals(BlockFiles.INDEX) || rel.equals(BlockFiles.TOMBSTONES)
          || rel.startsWith(BlockFiles.CHUNKS + "/")) {
        data.add(rel);
      }
    }
    for (long b : Parallel.map(data, fileConcurrency, "strata-download-" + id,
        rel -> downloadObject(bucket, key(id, rel), dir.resolve(rel)))) {
      bytes += b;
    }
    Files.createDirectories(dir.resolve(BlockFiles.CHUNKS)); // a block without chunks has one
    Files.write(dir.resolve(BlockFiles.META_JSON), meta);
    return bytes;
  }

  /** Downloads one object into {@code to}, creating its directory; returns its size. */
  public static long downloadObject(Bucket bucket, String key, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    try (java.io.InputStream in = bucket.get(key);
        java.io.OutputStream out = Files.newOutputStream(to)) {
      return in.transferTo(out);
    }
  }

  /** Every object of the block, with sizes, by path relative to the block. */
  public Map<String, Long> files(Ulid id) throws IOException {
    Map<String, Long> out = new TreeMap<>();
    String prefix = id + "/";
    bucket.iterate(prefix, true, e -> out.put(e.key().substring(prefix.length()), e.size()));
    return out;
  }

  /** Marks the block for deletion (once; a second mark keeps the first time). */
  public void markForDeletion(Ulid id, String details) throws IOException {
    String k = key(id, DeletionMark.FILE_NAME);
    if (bucket.exists(k)) {
      return;
    }
    bucket.upload(k, new DeletionMark(id, clock.instant().getEpochSecond(), details).encode());
  }

  /** Marks the block to be left alone by compaction. */
  public void markNoCompact(Ulid id, String reason, String details) throws IOException {
    String k = key(id, NoCompactMark.FILE_NAME);
    if (!bucket.exists(k)) {
      bucket.upload(k, new NoCompactMark(id, clock.instant().getEpochSecond(), reason, details).encode());
    }
  }

  public Optional<DeletionMark> deletionMark(Ulid id) throws IOException {
    String k = key(id, DeletionMark.FILE_NAME);
    try {
      return Optional.of(DeletionMark.decode(bucket.readAll(k), bucket.name() + "/" + k));
    } catch (ObjectNotFoundException e) {
      return Optional.empty();
    }
  }

  public Optional<NoCompactMark> noCompactMark(Ulid id) throws IOException {
    String k = key(id, NoCompactMark.FILE_NAME);
    try {
      return Optional.of(NoCompactMark.decode(bucket.readAll(k), bucket.name() + "/" + k));
    } catch (ObjectNotFoundException e) {
      return Optional.empty();
    }
  }

  /**
   * Removes every object of the block: meta.json first (the block stops existing), then the data,
   * then the deletion mark. Interrupted, it leaves a partial block, which {@link #cleanUp} finishes.
   */
  public void delete(Ulid id) throws IOException {
    bucket.delete(key(id, BlockFiles.META_JSON));
    List<String> rest = new ArrayList<>();
    String prefix = id + "/";
    bucket.iterate(prefix, true, e -> rest.add(e.key()));
    String mark = key(id, DeletionMark.FILE_NAME);
    for (String k : rest) {
      if (!k.equals(mark)) {
        bucket.delete(k);
      }
    }
    bucket.delete(mark);
  }

  /** What {@link #cleanUp} removed. */
  public record CleanupResult(List<Ulid> deleted, List<Ulid> partialUploads) {}

  /**
   * Removes blocks marked for deletion more than {@code deletionDelay} ago, and partial uploads (a
   * block directory without meta.json) whose newest object is older than {@code partialDelay},
   * which must exceed the longest upload of a block.
   */
  public CleanupResult cleanUp(Duration deletionDelay, Duration partialDelay) throws IOException {
    Instant now = clock.instant();
    BucketListing listing = BucketListing.scan(bucket);
    List<Ulid> deleted = new ArrayList<>();
    List<Ulid> partial = new ArrayList<>();
    for (BucketListing.Dir d : listing.blocks().values()) {
      if (d.hasMeta()) {
        if (d.hasDeletionMark()) {
          Optional<DeletionMark> mark = deletionMark(d.id());
          if (mark.isPresent()
              && Instant.ofEpochSecond(mark.get().deletionTime()).plus(deletionDelay).isBefore(now)) {
            delete(d.id());
            deleted.add(d.id());
          }
        }
      } else if (d.newest().plus(partialDelay).isBefore(now)) {
        LOG.info("removing partial upload of block {} from {}", d.id(), bucket.name());
        delete(d.id());
        partial.add(d.id());
      }
    }
    return new CleanupResult(deleted, partial);
  }

  /** The blocks of the bucket (directories named by a ULID), complete or not. */
  public BucketListing list() throws IOException {
    return BucketListing.scan(bucket);
  }

  static Instant newest(Instant a, ListEntry e) {
    Instant t = e.lastModified().orElse(Instant.EPOCH);
    return t.isAfter(a) ? t : a;
  }
}

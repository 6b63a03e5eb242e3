package dev.strata.downsample;

import dev.strata.tsdb.block.Block;
import dev.strata.tsdb.block.BlockDirectories;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.BlockMetaFile;
import dev.strata.tsdb.block.Ulid;
import dev.strata.tsdb.block.UlidGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downsampling and per-resolution retention over a directory of blocks laid out as a Thanos bucket
 * (every block of every resolution side by side), with the Thanos compactor's rules ({@link
 * DownsamplingRules}):
 *
 * <ul>
 *   <li>A raw block spanning at least 40 hours gets a 5-minute copy, a 5-minute block spanning at
 *       least 10 days a 1-hour copy. Shorter blocks wait until compaction makes them longer.
 *   <li>A block is downsampled only if some of its sources (the level-1 blocks it was built from,
 *       from {@code meta.json}'s compaction section) are missing from every block of the target
 *       resolution: a downsampled block keeps its input's sources, so once it exists the input is
 *       never downsampled again, even after compaction rewrote it under a new ULID.
 *   <li>Two passes, so that a 5-minute block made in the first can be turned into a 1-hour block
 *       in the second; then retention, which deletes a block once its end ({@code maxTime},
 *       truncated to seconds) lies more than the retention of its resolution in the past. A
 *       retention of 0 keeps a resolution forever.
 *   <li>Blocks with a {@code no-downsample-mark.json} are not downsampled; blocks with a {@code
 *       deletion-mark.json} are ignored altogether.
 * </ul>
 *
 * <p>The directory must not be a live {@link dev.strata.tsdb.Tsdb}'s data directory: its blocks of
 * several resolutions overlap in time, which the database would take for overlapping raw blocks.
 * Not thread-safe; run one compactor per directory.
 */
public final class DownsamplingCompactor {
  private static final Logger LOG = LoggerFactory.getLogger(DownsamplingCompactor.class);

  /** Marker file that excludes a block from downsampling. */
  public static final String NO_DOWNSAMPLE_MARK = "no-downsample-mark.json";

  /** Marker file of a block that is being deleted. */
  public static final String DELETION_MARK = "deletion-mark.json";

  /**
   * Retention per resolution, in milliseconds; 0 keeps blocks of that resolution forever.
   *
   * @param raw retention of raw blocks; if not 0, at least 40 hours so that raw blocks live long
   *     enough to be downsampled
   * @param fiveMinutes retention of 5-minute blocks; if not 0, at least 10 days for the same reason
   * @param oneHour retention of 1-hour blocks
   */
  public record Retention(long raw, long fiveMinutes, long oneHour) {
    /** Keep everything. */
    public static final Retention FOREVER = new Retention(0, 0, 0);

    public Retention {
      if (raw < 0 || fiveMinutes < 0 || oneHour < 0) {
        throw new IllegalArgumentException("retention is negative: " + raw + ", " + fiveMinutes
            + ", " + oneHour);
      }
      if (raw != 0 && raw < Resolutions.MIN_SPAN_FOR_FIVE_MINUTES) {
        throw new IllegalArgumentException("raw retention of " + raw + " ms is shorter than the 40"
            + " hours a raw block must span before it is downsampled to 5m");
      }
      if (fiveMinutes != 0 && fiveMinutes < Resolutions.MIN_SPAN_FOR_ONE_HOUR) {
        throw new IllegalArgumentException("5m retention of " + fiveMinutes + " ms is shorter"
            + " than the 10 days a 5m block must span before it is downsampled to 1h");
      }
    }

    /** The retention of blocks of {@code resolution}. */
    public long of(long resolution) {
      if (resolution == Resolutions.RAW) {
        return raw;
      }
      if (resolution == Resolutions.FIVE_MINUTES) {
        return fiveMinutes;
      }
      return oneHour;
    }
  }

  /** A block to downsample and the resolution to downsample it to. */
  public record Task(Path dir, BlockMeta meta, long resolution) {}

  /** What a {@link #run()} did. */
  public record Report(List<BlockMeta> created, List<Ulid> deleted) {}

  private final Path dir;
  private final Retention retention;
  private final Downsampler downsampler;
  private final LongSupplier clock;

  /**
   * A compactor for the blocks in {@code dir}, naming new blocks with {@code ulids} and judging
   * retention by {@code clock} (Unix milliseconds).
   */
  public DownsamplingCompactor(
      Path dir, Retention retention, UlidGenerator ulids, LongSupplier clock) {
    this.dir = Objects.requireNonNull(dir, "dir");
    this.retention = Objects.requireNonNull(retention, "retention");
    this.downsampler = new Downsampler(ulids);
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A compactor on the system clock and ULID generator. */
  public DownsamplingCompactor(Path dir, Retention retention) {
    this(dir, retention, UlidGenerator.system(), System::currentTimeMillis);
  }

  /** Two passes of downsampling, then retention. */
  public Report run() throws IOException {
    List<BlockMeta> created = new ArrayList<>();
    for (int pass = 0; pass < 2; pass++) {
      for (Task task : plan()) {
        created.add(downsample(task));
      }
    }
    return new Report(created, applyRetention());
  }

  /** The blocks one pass of downsampling would process now, ascending by ULID. */
  public List<Task> plan() throws IOException {
    List<Candidate> blocks = blocks();
    Map<Ulid, Path> dirs = new HashMap<>();
    List<BlockMeta> metas = new ArrayList<>();
    for (Candidate b : blocks) {
      dirs.put(b.meta.ulid(), b.dir);
      metas.add(b.meta);
    }
    List<Task> tasks = new ArrayList<>();
    for (DownsamplingRules.Task t : DownsamplingRules.tasks(metas,
        m -> Files.exists(dirs.get(m.ulid()).resolve(NO_DOWNSAMPLE_MARK)))) {
      tasks.add(new Task(dirs.get(t.meta().ulid()), t.meta(), t.resolution()));
    }
    return tasks;
  }

  private BlockMeta downsample(Task task) throws IOException {
    long start = System.nanoTime();
    BlockMeta meta;
    try (Block block = Block.open(task.dir)) {
      meta = downsampler.run(block, task.resolution, dir);
    }
    LOG.info("downsampled block {} to {} as {} in {} ms", task.meta.ulid(),
        Resolutions.format(task.resolution), meta.ulid(), (System.nanoTime() - start) / 1_000_000);
    return meta;
  }

  /** Deletes the blocks past the retention of their resolution; returns their ULIDs. */
  public List<Ulid> applyRetention() throws IOException {
    long now = clock.getAsLong();
    List<Ulid> deleted = new ArrayList<>();
    for (Candidate b : blocks()) {
      if (DownsamplingRules.expired(b.meta, retention.of(Downsampler.resolutionOf(b.meta)), now)) {
        LOG.info("deleting block {}: it ended at {} ms, more than the {} ms retention of {} ago",
            b.meta.ulid(), b.meta.maxTime(), retention.of(Downsampler.resolutionOf(b.meta)),
            Resolutions.format(Downsampler.resolutionOf(b.meta)));
        BlockDirectories.delete(b.dir);
        deleted.add(b.meta.ulid());
      }
    }
    return deleted;
  }

  private record Candidate(Path dir, BlockMeta meta) {}

  private List<Candidate> blocks() throws IOException {
    List<Candidate> out = new ArrayList<>();
    for (BlockDirectories.BlockDirectory b : BlockDirectories.list(dir)) {
      if (Files.exists(b.path().resolve(DELETION_MARK))) {
        continue;
      }
      out.add(new Candidate(b.path(), BlockMetaFile.read(b.path())));
    }
    return out;
  }
}

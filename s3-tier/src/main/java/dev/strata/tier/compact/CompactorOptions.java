package dev.strata.tier.compact;

import dev.strata.downsample.Resolutions;
import dev.strata.tsdb.compact.VerticalMerge;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * What a {@link BucketCompactor} does, immutable; built with {@link #builder}. The defaults are
 * Thanos v0.34's: consistency delay 30m, delete delay 48h, downsampling on, every resolution kept
 * for ever, no deduplication, no vertical compaction.
 */
public final class CompactorOptions {
  private final Path scratchDir;
  private final Set<String> replicaLabels;
  private final boolean verticalCompaction;
  private final VerticalMerge verticalMerge;
  private final boolean downsampling;
  private final Duration consistencyDelay;
  private final Duration deleteDelay;
  private final Duration retentionRaw;
  private final Duration retentionFiveMinutes;
  private final Duration retentionOneHour;
  private final int compactConcurrency;
  private final int blocksFetchConcurrency;
  private final int blockFilesConcurrency;
  private final int downsampleConcurrency;
  private final Clock clock;

  private CompactorOptions(Builder b) {
    this.scratchDir = b.scratchDir;
    this.replicaLabels = Set.copyOf(b.replicaLabels);
    // As in Thanos: replica labels put replicas' overlapping blocks in one group, to be merged.
    this.verticalCompaction = b.verticalCompaction || !b.replicaLabels.isEmpty();
    this.verticalMerge = b.verticalMerge;
    this.downsampling = b.downsampling;
    this.consistencyDelay = b.consistencyDelay;
    this.deleteDelay = b.deleteDelay;
    this.retentionRaw = b.retentionRaw;
    this.retentionFiveMinutes = b.retentionFiveMinutes;
    this.retentionOneHour = b.retentionOneHour;
    this.compactConcurrency = b.compactConcurrency;
    this.blocksFetchConcurrency = b.blocksFetchConcurrency;
    this.blockFilesConcurrency = b.blockFilesConcurrency;
    this.downsampleConcurrency = b.downsampleConcurrency;
    this.clock = b.clock;
  }

  /** Options with {@code scratchDir} as the local space blocks are downloaded to and built in. */
  public static Builder builder(Path scratchDir) {
    return new Builder(scratchDir);
  }

  public Path scratchDir() {
    return scratchDir;
  }

  /** Labels that tell HA replicas apart: dropped from the groups, so replicas compact together. */
  public Set<String> replicaLabels() {
    return replicaLabels;
  }

  /**
   * Whether overlapping blocks of a group are merged (otherwise they halt the compactor): when
   * asked for, and whenever replica labels are given, as in Thanos.
   */
  public boolean verticalCompaction() {
    return verticalCompaction;
  }

  /** How overlapping blocks' samples are merged (Thanos's {@code --deduplication.func}). */
  public VerticalMerge verticalMerge() {
    return verticalMerge;
  }

  public boolean downsampling() {
    return downsampling;
  }

  /** How old a block (by its ULID's time) must be before it is used, unless a compactor made it. */
  public Duration consistencyDelay() {
    return consistencyDelay;
  }

  /** How long a block marked for deletion stays, for readers that still have it open. */
  public Duration deleteDelay() {
    return deleteDelay;
  }

  /** The retention of blocks of {@code resolution}, in milliseconds; 0 keeps them for ever. */
  public long retentionMillis(long resolution) {
    if (resolution == Resolutions.RAW) {
      return retentionRaw.toMillis();
    }
    if (resolution == Resolutions.FIVE_MINUTES) {
      return retentionFiveMinutes.toMillis();
    }
    return retentionOneHour.toMillis();
  }

  /** Groups compacted at once. */
  public int compactConcurrency() {
    return compactConcurrency;
  }

  /** Source blocks of one compaction downloaded at once. */
  public int blocksFetchConcurrency() {
    return blocksFetchConcurrency;
  }

  /** Files of one block downloaded or uploaded at once. */
  public int blockFilesConcurrency() {
    return blockFilesConcurrency;
  }

  /** Blocks downsampled at once. */
  public int downsampleConcurrency() {
    return downsampleConcurrency;
  }

  public Clock clock() {
    return clock;
  }

  /** Builds {@link CompactorOptions}. */
  public static final class Builder {
    private final Path scratchDir;
    private Set<String> replicaLabels = Set.of();
    private boolean verticalCompaction;
    private VerticalMerge verticalMerge = VerticalMerge.ONE_TO_ONE;
    private boolean downsampling = true;
    private Duration consistencyDelay = Duration.ofMinutes(30);
    private Duration deleteDelay = Duration.ofHours(48);
    private Duration retentionRaw = Duration.ZERO;
    private Duration retentionFiveMinutes = Duration.ZERO;
    private Duration retentionOneHour = Duration.ZERO;
    private int compactConcurrency = 1;
    private int blocksFetchConcurrency = 1;
    private int blockFilesConcurrency = 1;
    private int downsampleConcurrency = 1;
    private Clock clock = Clock.systemUTC();

    private Builder(Path scratchDir) {
      this.scratchDir = Objects.requireNonNull(scratchDir, "scratchDir");
    }

    public Builder replicaLabels(Set<String> value) {
      this.replicaLabels = Objects.requireNonNull(value, "replicaLabels");
      return this;
    }

    public Builder verticalCompaction(boolean value) {
      this.verticalCompaction = value;
      return this;
    }

    /** {@link VerticalMerge#PENALTY} deduplicates replicas as the querier does. */
    public Builder verticalMerge(VerticalMerge value) {
      this.verticalMerge = Objects.requireNonNull(value, "verticalMerge");
      return this;
    }

    public Builder downsampling(boolean value) {
      this.downsampling = value;
      return this;
    }

    public Builder consistencyDelay(Duration value) {
      this.consistencyDelay = nonNegative(value, "consistency delay");
      return this;
    }

    public Builder deleteDelay(Duration value) {
      this.deleteDelay = nonNegative(value, "delete delay");
      return this;
    }

    /** Retention per resolution; {@link Duration#ZERO} keeps blocks of that resolution. */
    public Builder retention(Duration raw, Duration fiveMinutes, Duration oneHour) {
      this.retentionRaw = nonNegative(raw, "raw retention");
      this.retentionFiveMinutes = nonNegative(fiveMinutes, "5m retention");
      this.retentionOneHour = nonNegative(oneHour, "1h retention");
      return this;
    }

    /** Groups compacted at once (Thanos's {@code --compact.concurrency}, 1 by default). */
    public Builder compactConcurrency(int value) {
      this.compactConcurrency = positive(value, "compaction concurrency");
      return this;
    }

    /**
     * Source blocks of one compaction downloaded at once (Thanos's {@code
     * --compact.blocks-fetch-concurrency}, 1 by default).
     */
    public Builder blocksFetchConcurrency(int value) {
      this.blocksFetchConcurrency = positive(value, "blocks fetch concurrency");
      return this;
    }

    /**
     * Files of one block downloaded or uploaded at once (Thanos's {@code
     * --block-files-concurrency}, 1 by default).
     */
    public Builder blockFilesConcurrency(int value) {
      this.blockFilesConcurrency = positive(value, "block files concurrency");
      return this;
    }

    /** Blocks downsampled at once (Thanos's {@code --downsample.concurrency}, 1 by default). */
    public Builder downsampleConcurrency(int value) {
      this.downsampleConcurrency = positive(value, "downsampling concurrency");
      return this;
    }

    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * @throws IllegalArgumentException if downsampling is on and a retention would delete blocks
     *     before they can be downsampled (raw under 40h, 5m under 10d), as Thanos refuses it
     */
    public CompactorOptions build() {
      if (downsampling) {
        if (!retentionRaw.isZero()
            && retentionRaw.toMillis() < Resolutions.MIN_SPAN_FOR_FIVE_MINUTES) {
          throw new IllegalArgumentException("raw retention of " + retentionRaw.toHours()
              + "h is under 40h: raw blocks would be deleted before they span the 40h needed to"
              + " downsample them to 5m; raise it or disable downsampling");
        }
        if (!retentionFiveMinutes.isZero()
            && retentionFiveMinutes.toMillis() < Resolutions.MIN_SPAN_FOR_ONE_HOUR) {
          throw new IllegalArgumentException("5m retention of " + retentionFiveMinutes.toDays()
              + "d is under 10d: 5m blocks would be deleted before they span the 10d needed to"
              + " downsample them to 1h; raise it or disable downsampling");
        }
      }
      return new CompactorOptions(this);
    }

    private static int positive(int n, String what) {
      if (n < 1) {
        throw new IllegalArgumentException(what + " " + n + " is below 1");
      }
      return n;
    }

    private static Duration nonNegative(Duration d, String what) {
      if (d.isNegative()) {
        throw new IllegalArgumentException(what + " " + d + " is negative");
      }
      return d;
    }
  }
}

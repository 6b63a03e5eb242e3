package dev.strata.tsdb;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Tsdb} stores data. Immutable; build with {@link #builder()}. Defaults follow
 * Prometheus 2.42: 2 h blocks, 15 days of retention, 128 MiB WAL segments.
 */
public final class TsdbOptions {
  /** What happens to a sample older than the newest sample of its series. */
  public enum OutOfOrderPolicy {
    /** Refuse it with an exception naming the series and both timestamps (the default). */
    REJECT,
    /** Drop it silently and count it ({@code Tsdb.stats().droppedOutOfOrder()}). */
    DROP
  }

  /** When a commit's WAL records reach stable storage. */
  public enum WalSyncPolicy {
    /**
     * Written to the operating system before the commit returns: survives a crash of the process,
     * not of the machine. Segments are synced when completed. Prometheus's behaviour; the default.
     */
    OS_BUFFERED,
    /** Forced to disk before the commit returns: survives a power loss, costs a sync per commit. */
    EVERY_COMMIT
  }

  private final Duration blockRange;
  private final Duration maxBlockRange; // null: derived from the retention, as Prometheus
  private final Duration retentionTime;
  private final long retentionBytes;
  private final int walSegmentSize;
  private final boolean walCompression;
  private final WalSyncPolicy walSyncPolicy;
  private final OutOfOrderPolicy outOfOrderPolicy;
  private final boolean automaticCompaction;

  private TsdbOptions(Builder b) {
    this.blockRange = b.blockRange;
    this.maxBlockRange = b.maxBlockRange;
    this.retentionTime = b.retentionTime;
    this.retentionBytes = b.retentionBytes;
    this.walSegmentSize = b.walSegmentSize;
    this.walCompression = b.walCompression;
    this.walSyncPolicy = b.walSyncPolicy;
    this.outOfOrderPolicy = b.outOfOrderPolicy;
    this.automaticCompaction = b.automaticCompaction;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The default options. */
  public static TsdbOptions defaults() {
    return builder().build();
  }

  public Duration blockRange() {
    return blockRange;
  }

  /**
   * The largest block compaction makes: a tenth of the retention time, at most 31 days (31 days
   * when blocks are kept forever), unless set; never below {@link #blockRange()}. Equal to it, the
   * blocks cut from the head are never merged, which a process shipping them to a bucket needs.
   */
  public Duration maxBlockRange() {
    if (maxBlockRange != null) {
      return maxBlockRange;
    }
    Duration month = Duration.ofDays(31);
    Duration derived = retentionTime.isZero() || retentionTime.dividedBy(10).compareTo(month) > 0
        ? month : retentionTime.dividedBy(10);
    return derived.compareTo(blockRange) < 0 ? blockRange : derived;
  }

  public Duration retentionTime() {
    return retentionTime;
  }

  /** Maximum bytes of blocks (and WAL) to keep; 0 means no size limit. */
  public long retentionBytes() {
    return retentionBytes;
  }

  public int walSegmentSize() {
    return walSegmentSize;
  }

  public boolean walCompression() {
    return walCompression;
  }

  public WalSyncPolicy walSyncPolicy() {
    return walSyncPolicy;
  }

  public OutOfOrderPolicy outOfOrderPolicy() {
    return outOfOrderPolicy;
  }

  /** Whether compaction and retention run by themselves (else only on {@code Tsdb.compact()}). */
  public boolean automaticCompaction() {
    return automaticCompaction;
  }

  public Builder toBuilder() {
    Builder b = new Builder()
        .blockRange(blockRange)
        .retentionTime(retentionTime)
        .retentionBytes(retentionBytes)
        .walSegmentSize(walSegmentSize)
        .walCompression(walCompression)
        .walSyncPolicy(walSyncPolicy)
        .outOfOrderPolicy(outOfOrderPolicy)
        .automaticCompaction(automaticCompaction);
    b.maxBlockRange = maxBlockRange;
    return b;
  }

  @Override
  public String toString() {
    return "TsdbOptions{blockRange=" + blockRange + ", maxBlockRange=" + maxBlockRange()
        + ", retentionTime=" + retentionTime
        + ", retentionBytes=" + retentionBytes + ", walSegmentSize=" + walSegmentSize
        + ", walCompression=" + walCompression + ", walSyncPolicy=" + walSyncPolicy
        + ", outOfOrderPolicy=" + outOfOrderPolicy
        + ", automaticCompaction=" + automaticCompaction + "}";
  }

  /** Builds {@link TsdbOptions}; every setter checks its argument. */
  public static final class Builder {
    private Duration blockRange = Duration.ofHours(2);
    private Duration maxBlockRange;
    private Duration retentionTime = Duration.ofDays(15);
    private long retentionBytes;
    private int walSegmentSize = 128 << 20;
    private boolean walCompression;
    private WalSyncPolicy walSyncPolicy = WalSyncPolicy.OS_BUFFERED;
    private OutOfOrderPolicy outOfOrderPolicy = OutOfOrderPolicy.REJECT;
    private boolean automaticCompaction = true;

    private Builder() {}

    /** Range of the blocks cut from the head (default 2 h); at least one second. */
    public Builder blockRange(Duration range) {
      Objects.requireNonNull(range, "range");
      if (range.toMillis() < 1000) {
        throw new IllegalArgumentException("block range must be at least 1s, got " + range);
      }
      this.blockRange = range;
      return this;
    }

    /**
     * The largest block compaction makes, as Prometheus's {@code --storage.tsdb.max-block-duration}
     * (default: a tenth of the retention time, at most 31 days). Equal to the block range, blocks
     * are cut from the head but never merged: what a shipper uploading them needs, since merged
     * blocks would hold the same samples again.
     */
    public Builder maxBlockRange(Duration range) {
      Objects.requireNonNull(range, "range");
      if (range.toMillis() < 1000) {
        throw new IllegalArgumentException("max block range must be at least 1s, got " + range);
      }
      this.maxBlockRange = range;
      return this;
    }

    /** How long blocks are kept (default 15 days); zero keeps them forever. */
    public Builder retentionTime(Duration retention) {
      Objects.requireNonNull(retention, "retention");
      if (retention.isNegative()) {
        throw new IllegalArgumentException("retention time must not be negative: " + retention);
      }
      this.retentionTime = retention;
      return this;
    }

    /** Maximum bytes on disk (blocks and WAL); the oldest blocks go first. 0 = no limit. */
    public Builder retentionBytes(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("retention size must not be negative: " + bytes);
      }
      this.retentionBytes = bytes;
      return this;
    }

    /** WAL segment size in bytes: a multiple of 32 KiB (default 128 MiB). */
    public Builder walSegmentSize(int bytes) {
      if (bytes < 32 * 1024 || bytes % (32 * 1024) != 0) {
        throw new IllegalArgumentException(
            "WAL segment size must be a positive multiple of 32 KiB, got " + bytes);
      }
      this.walSegmentSize = bytes;
      return this;
    }

    /**
     * Compress WAL records with LZ4 (default off). Saves disk and I/O; such a WAL cannot be read
     * by Prometheus's tools (blocks are unaffected).
     */
    public Builder walCompression(boolean compress) {
      this.walCompression = compress;
      return this;
    }

    public Builder walSyncPolicy(WalSyncPolicy policy) {
      this.walSyncPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    public Builder outOfOrderPolicy(OutOfOrderPolicy policy) {
      this.outOfOrderPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Run compaction and retention in the background (the default). Turned off, they run only when
     * {@code Tsdb.compact()} is called: for applications that schedule them, and for tests.
     */
    public Builder automaticCompaction(boolean enabled) {
      this.automaticCompaction = enabled;
      return this;
    }

    /**
     * @throws IllegalArgumentException if a max block range was set below the block range
     */
    public TsdbOptions build() {
      if (maxBlockRange != null && maxBlockRange.compareTo(blockRange) < 0) {
        throw new IllegalArgumentException("max block range " + maxBlockRange
            + " is below the block range " + blockRange);
      }
      return new TsdbOptions(this);
    }
  }
}

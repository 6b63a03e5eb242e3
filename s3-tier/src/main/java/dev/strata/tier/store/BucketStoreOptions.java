package dev.strata.tier.store;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/** How a {@link BucketStore} reads blocks from a bucket. Immutable; see {@link #builder(Path)}. */
public final class BucketStoreOptions {
  private final Path localDir;
  private final BucketCaches caches;
  private final long gapBytes;
  private final int fetchConcurrency;
  private final int seriesBatch;
  private final int chunkBatch;
  private final Duration ignoreDeletionMarksDelay;

  private BucketStoreOptions(Builder b) {
    this.localDir = b.localDir;
    this.caches = b.caches;
    this.gapBytes = b.gapBytes;
    this.fetchConcurrency = b.fetchConcurrency;
    this.seriesBatch = b.seriesBatch;
    this.chunkBatch = b.chunkBatch;
    this.ignoreDeletionMarksDelay = b.ignoreDeletionMarksDelay;
  }

  /** Options keeping index headers and meta.json copies under {@code localDir}. */
  public static Builder builder(Path localDir) {
    return new Builder(localDir);
  }

  public Path localDir() {
    return localDir;
  }

  public BucketCaches caches() {
    return caches;
  }

  /** Ranges closer than this are fetched as one. */
  public long gapBytes() {
    return gapBytes;
  }

  /** Ranged GETs in flight at once per query. */
  public int fetchConcurrency() {
    return fetchConcurrency;
  }

  /** Chunks fetched together at most; see {@link Builder#chunkBatch}. */
  public int chunkBatch() {
    return chunkBatch;
  }

  /** Series whose entries and chunks are fetched together. */
  public int seriesBatch() {
    return seriesBatch;
  }

  /** How long a block marked for deletion is still served after its mark. */
  public Duration ignoreDeletionMarksDelay() {
    return ignoreDeletionMarksDelay;
  }

  /** Builds {@link BucketStoreOptions}. */
  public static final class Builder {
    private final Path localDir;
    private BucketCaches caches = BucketCaches.defaults();
    private long gapBytes = 64 << 10;
    private int fetchConcurrency = 8;
    private int seriesBatch = 4096;
    private int chunkBatch = 8192;
    private Duration ignoreDeletionMarksDelay = Duration.ZERO;

    private Builder(Path localDir) {
      this.localDir = Objects.requireNonNull(localDir, "localDir");
    }

    public Builder caches(BucketCaches value) {
      this.caches = Objects.requireNonNull(value, "caches");
      return this;
    }

    /**
     * The gap below which two ranges are read as one: larger means fewer requests and more bytes.
     * 64 KiB by default (a request costs about as much time as that many bytes on a fast link).
     */
    public Builder gapBytes(long value) {
      if (value < 0) {
        throw new IllegalArgumentException("gap " + value + " is negative");
      }
      this.gapBytes = value;
      return this;
    }

    public Builder fetchConcurrency(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("fetch concurrency " + value + " is below 1");
      }
      this.fetchConcurrency = value;
      return this;
    }

    public Builder seriesBatch(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("series batch " + value + " is below 1");
      }
      this.seriesBatch = value;
      return this;
    }

    /**
     * Chunks fetched together at most (more only when one series alone has more): with the series
     * batch, what bounds a query's memory per block, whatever the block's length. 8192 by default,
     * about 2 MiB of chunk data.
     */
    public Builder chunkBatch(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("chunk batch " + value + " is below 1");
      }
      this.chunkBatch = value;
      return this;
    }

    /**
     * How long a block marked for deletion is still served after the time in its mark; then the
     * next sync drops it. Zero (the default) drops a marked block at the first sync that sees the
     * mark. {@code thanos store --ignore-deletion-marks-delay} is 24 hours by default, so that a
     * compactor's replacement block is seen before the blocks it replaces go.
     */
    public Builder ignoreDeletionMarksDelay(Duration value) {
      Objects.requireNonNull(value, "ignoreDeletionMarksDelay");
      if (value.isNegative()) {
        throw new IllegalArgumentException("deletion mark delay " + value + " is negative");
      }
      this.ignoreDeletionMarksDelay = value;
      return this;
    }

    public BucketStoreOptions build() {
      return new BucketStoreOptions(this);
    }
  }
}

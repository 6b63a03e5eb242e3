package dev.strata.tier.compact;

/**
 * The bucket is in a state the compactor must not touch without a person: blocks of one group
 * overlap and vertical compaction is off. Thanos's compactor then stays up doing nothing ("halted")
 * until someone looks; so does Strata's.
 */
public final class CompactionHaltedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CompactionHaltedException(String message) {
    super(message);
  }
}

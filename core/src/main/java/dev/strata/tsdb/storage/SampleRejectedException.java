package dev.strata.tsdb.storage;

import dev.strata.tsdb.labels.Labels;

/** A sample that cannot be stored, with the series and the reason in the message. */
public class SampleRejectedException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Why a sample was refused. */
  public enum Reason {
    /** Older than the newest sample of its series. */
    OUT_OF_ORDER,
    /** The newest sample's timestamp with a different value. */
    DUPLICATE_TIMESTAMP,
    /** Older than what the head still accepts. */
    TOO_OLD
  }

  private final transient Labels series;
  private final long timestamp;
  private final Reason reason;

  public SampleRejectedException(String message, Labels series, long timestamp, Reason reason) {
    super(message);
    this.series = series;
    this.timestamp = timestamp;
    this.reason = reason;
  }

  /** Why the sample was refused, for callers that treat the reasons differently. */
  public Reason reason() {
    return reason;
  }

  /** The series the sample was for. */
  public Labels series() {
    return series;
  }

  /** The rejected sample's timestamp. */
  public long timestamp() {
    return timestamp;
  }

  /** A sample older than the newest sample of its series. */
  public static SampleRejectedException outOfOrder(Labels series, long t, long newest) {
    return new SampleRejectedException(
        "out-of-order sample for " + series + ": timestamp " + t
            + " is older than the series' newest sample at " + newest,
        series, t, Reason.OUT_OF_ORDER);
  }

  /** A sample with the same timestamp as the newest one but a different value. */
  public static SampleRejectedException duplicate(Labels series, long t) {
    return new SampleRejectedException(
        "duplicate sample for " + series + " at timestamp " + t
            + " with a different value than the one already stored",
        series, t, Reason.DUPLICATE_TIMESTAMP);
  }

  /** A sample older than what the head still accepts (its data is already in blocks). */
  public static SampleRejectedException tooOld(Labels series, long t, long minValid) {
    return new SampleRejectedException(
        "sample for " + series + " at timestamp " + t
            + " is too old: the database accepts samples from " + minValid + " on",
        series, t, Reason.TOO_OLD);
  }
}

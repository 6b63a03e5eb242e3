package dev.strata.tsdb.storage;

import dev.strata.tsdb.labels.Labels;

/** A sample that cannot be stored, with the series and the reason in the message. */
public class SampleRejectedException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final transient Labels series;
  private final long timestamp;

  public SampleRejectedException(String message, Labels series, long timestamp) {
    super(message);
    this.series = series;
    this.timestamp = timestamp;
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
        series, t);
  }

  /** A sample with the same timestamp as the newest one but a different value. */
  public static SampleRejectedException duplicate(Labels series, long t) {
    return new SampleRejectedException(
        "duplicate sample for " + series + " at timestamp " + t
            + " with a different value than the one already stored",
        series, t);
  }

  /** A sample older than what the head still accepts (its data is already in blocks). */
  public static SampleRejectedException tooOld(Labels series, long t, long minValid) {
    return new SampleRejectedException(
        "sample for " + series + " at timestamp " + t
            + " is too old: the database accepts samples from " + minValid + " on",
        series, t);
  }
}

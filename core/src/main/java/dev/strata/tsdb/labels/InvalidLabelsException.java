package dev.strata.tsdb.labels;

/**
 * A label set cannot be built: a label name or value breaks Prometheus's rules, a name occurs
 * twice, or the arguments do not form name/value pairs.
 *
 * <p>The message names the offending label, quoted as Prometheus would print it, so that a user can
 * find it in the input that produced it.
 */
public class InvalidLabelsException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String labelName;

  public InvalidLabelsException(String labelName, String message) {
    super(message);
    this.labelName = labelName;
  }

  /** The name of the offending label, or {@code null} when the problem is not about one label. */
  public String labelName() {
    return labelName;
  }
}

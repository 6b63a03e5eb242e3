package dev.strata.tsdb.labels;

/**
 * Receives the labels of a {@link Labels} in order, from {@link Labels#forEach}.
 *
 * <p>A dedicated interface rather than {@code BiConsumer<String, String>} so that the purpose is
 * visible at call sites and further primitive arguments can be added without boxing.
 */
@FunctionalInterface
public interface LabelConsumer {

  /** Called once per label, in ascending name order; {@code value} is never empty. */
  void accept(String name, String value);
}

package dev.strata.tsdb.dedup;

/**
 * A replica whose values can be raised to hide a counter reset that is not one: replicas of a
 * counter started at different times count from different bases, and reading one after the other
 * would look to {@code rate} like a reset at every switch.
 */
interface CounterAdjustable {
  /**
   * If the current value is below {@code lastEmitted}, adds the difference to this and every
   * following value of the replica (on top of what earlier adjustments added).
   */
  void liftBelow(double lastEmitted);
}

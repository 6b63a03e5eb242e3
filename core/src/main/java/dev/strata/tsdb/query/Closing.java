package dev.strata.tsdb.query;

import java.util.function.Consumer;

/** Closing several resources at once, as queriers over several sources must. */
public final class Closing {
  private Closing() {}

  /**
   * Closes every one of {@code items} with {@code close}, even when some fail; the first failure
   * is rethrown with the later ones suppressed in it.
   */
  public static <T> void closeAll(Iterable<T> items, Consumer<? super T> close) {
    RuntimeException first = null;
    for (T item : items) {
      try {
        close.accept(item);
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}

package dev.strata.tsdb.index;

import dev.strata.tsdb.labels.LabelMatcher;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What an inverted index answers per label, from which {@link #forMatchers} selects series the way
 * Prometheus 2.42 does. Implemented by block indexes and by the head, so that both select exactly
 * the same series for the same matchers.
 */
public interface LabelPostings {

  /** Series whose label {@code m.name()} is set to a value {@code m} accepts. */
  Postings accepted(LabelMatcher m);

  /** Series whose label {@code m.name()} is set to a value {@code m} rejects. */
  Postings rejected(LabelMatcher m);

  /** Every series. */
  Postings all();

  /**
   * Series matching all {@code matchers} (none when there are no matchers):
   *
   * <ul>
   *   <li>a matcher that accepts "" also selects series without the label, so it cannot be
   *       answered from the label's lists alone: it becomes a subtraction of the lists of the
   *       values it rejects, from the other matchers' result or from all series;
   *   <li>a matcher that rejects "" needs the label set, and selects from the lists of the values
   *       it accepts; a negative one of that kind ({@code foo!=""}) takes the values its inverse
   *       rejects;
   *   <li>a negative matcher on a label that another matcher requires ({@code foo=~".+",
   *       foo!="x"}) only subtracts the values it rejects.
   * </ul>
   */
  static Postings forMatchers(LabelPostings index, LabelMatcher... matchers) {
    if (matchers.length == 0) {
      return Postings.empty();
    }
    Set<String> mustBeSet = new HashSet<>();
    for (LabelMatcher m : matchers) {
      if (!m.matchesEmpty()) {
        mustBeSet.add(m.name());
      }
    }
    List<Postings> its = new ArrayList<>();
    List<Postings> notIts = new ArrayList<>();
    for (LabelMatcher m : matchers) {
      if (mustBeSet.contains(m.name())) {
        boolean negative = m.type().isNegative();
        if (negative && m.matchesEmpty()) {
          // foo!="x" next to a matcher requiring foo: drop the series with foo="x".
          notIts.add(index.accepted(m.inverse()));
        } else {
          Postings p = negative ? index.rejected(m.inverse()) : index.accepted(m);
          if (Postings.isEmpty(p)) {
            return Postings.empty();
          }
          its.add(p);
        }
      } else {
        // Accepts "": every series but those whose value it rejects.
        notIts.add(index.rejected(m));
      }
    }
    if (its.isEmpty()) {
      its.add(index.all());
    }
    Postings result = Postings.intersect(its);
    for (Postings drop : notIts) {
      result = Postings.without(result, drop);
    }
    return result;
  }
}

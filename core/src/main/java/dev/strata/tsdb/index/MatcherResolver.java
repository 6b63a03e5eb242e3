package dev.strata.tsdb.index;

import dev.strata.tsdb.encoding.ByteCursor;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.labels.MatchType;
import dev.strata.tsdb.labels.Utf8Order;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.roaringbitmap.IntIterator;
import org.roaringbitmap.RoaringBitmap;

/**
 * Answers label matchers from a block index: the per-label lookups behind {@link
 * LabelPostings#forMatchers}, which holds the Prometheus semantics shared with the head.
 *
 * Values come from the postings offset table: a literal or a regex with a known finite set of
 * values is looked up directly, any other regex is tested against the label's values starting at
 * its literal prefix. The empty label name, which the index uses for the list of all series, has no
 * values here, so a matcher on it behaves as on any label no series has.
 */
final class MatcherResolver {
  private MatcherResolver() {}

  static Postings postingsForMatchers(IndexReader r, LabelMatcher... matchers) {
    return LabelPostings.forMatchers(
        new LabelPostings() {
          @Override
          public Postings accepted(LabelMatcher m) {
            return MatcherResolver.accepted(r, m);
          }

          @Override
          public Postings rejected(LabelMatcher m) {
            return MatcherResolver.rejected(r, m);
          }

          @Override
          public Postings all() {
            return r.allPostings();
          }
        },
        matchers);
  }

  /** Series whose label {@code m.name()} has a value {@code m} accepts (absent labels excluded). */
  static Postings accepted(IndexReader r, LabelMatcher m) {
    if (m.name().isEmpty()) {
      return Postings.empty();
    }
    if (m.type() == MatchType.EQUAL) {
      return m.value().isEmpty() ? Postings.empty() : r.postingsSorted(m.name(), new String[] {m.value()}, 1);
    }
    Optional<List<String>> set = m.setMatches();
    if (set.isPresent()) {
      String[] values = set.get().stream().filter(v -> !v.isEmpty()).toArray(String[]::new);
      Arrays.sort(values, Utf8Order.COMPARATOR); // already sorted by contract; cheap to be sure
      return r.postingsSorted(m.name(), values, values.length);
    }
    return collect(r, m.name(), m.prefix(), m, false);
  }

  /** Series whose label {@code m.name()} is set to a value {@code m} rejects. */
  static Postings rejected(IndexReader r, LabelMatcher m) {
    if (m.name().isEmpty()) {
      return Postings.empty();
    }
    return collect(r, m.name(), "", m, true);
  }

  // The union of the lists of the values of `name` from `prefix` on for which m.matches != invert.
  private static Postings collect(
      IndexReader r, String name, String prefix, LabelMatcher m, boolean invert) {
    PostingsTable t = r.postingsTable();
    int idx = t.nameIndex(name);
    if (idx < 0) {
      return Postings.empty();
    }
    Scratch s = r.scratch();
    long[][] offsets = {new long[16]};
    int[] n = {0};
    t.walk(idx, prefix, s.cursor, s, (value, off) -> {
      if (!value.startsWith(prefix)) {
        return false;
      }
      if (m.matches(value) != invert) {
        if (n[0] == offsets[0].length) {
          offsets[0] = Arrays.copyOf(offsets[0], n[0] * 2);
        }
        offsets[0][n[0]++] = off;
      }
      return true;
    });
    return r.merge(offsets[0], n[0], s.cursor);
  }

  /** Values of {@code name} among the series matching {@code matchers}, in order. */
  static List<String> labelValues(IndexReader r, String name, LabelMatcher... matchers) {
    PostingsTable t = r.postingsTable();
    int idx = name.isEmpty() ? -1 : t.nameIndex(name);
    if (idx < 0) {
      return List.of();
    }
    RoaringBitmap matching = new RoaringBitmap();
    Postings.addTo(postingsForMatchers(r, matchers), matching);
    if (matching.isEmpty()) {
      return List.of();
    }
    if (matching.getLongCardinality() <= t.valueCount(idx)) {
      // Fewer series than values: read the label off each series.
      TreeSet<String> values = new TreeSet<>(Utf8Order.COMPARATOR);
      for (IntIterator it = matching.getIntIterator(); it.hasNext(); ) {
        Labels labels = r.series(Integer.toUnsignedLong(it.next()), null);
        String v = labels.get(name);
        if (!v.isEmpty()) {
          values.add(v);
        }
      }
      return new ArrayList<>(values);
    }
    // Otherwise keep each value whose list meets the matching series.
    Scratch s = r.scratch();
    ByteCursor lists = new ByteCursor(r.source(), IndexFormat.POSTINGS, 64);
    List<String> out = new ArrayList<>();
    t.walk(idx, "", s.cursor, s, (value, off) -> {
      MappedPostings p = r.openList(off, lists);
      while (p.next()) {
        if (matching.contains((int) p.at())) {
          out.add(value);
          break;
        }
      }
      return true;
    });
    return out;
  }
}

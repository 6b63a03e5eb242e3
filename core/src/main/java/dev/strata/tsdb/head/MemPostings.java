package dev.strata.tsdb.head;

import dev.strata.tsdb.index.LabelPostings;
import dev.strata.tsdb.index.Postings;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.labels.MatchType;
import dev.strata.tsdb.labels.Utf8Order;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.roaringbitmap.RoaringBitmap;

/**
 * The head's inverted index: for every label pair, the bitmap of series references holding it,
 * plus the bitmap of all series. References are unsigned 32-bit integers here.
 *
 * <p>Readers get copies or freshly computed bitmaps, never the live ones, so a query's postings do
 * not change under it while series come and go.
 */
final class MemPostings implements LabelPostings {
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final HashMap<String, HashMap<String, RoaringBitmap>> byName = new HashMap<>();
  private final RoaringBitmap all = new RoaringBitmap();

  void add(int ref, Labels labels) {
    lock.writeLock().lock();
    try {
      all.add(ref);
      for (int i = 0; i < labels.size(); i++) {
        byName
            .computeIfAbsent(labels.name(i), k -> new HashMap<>())
            .computeIfAbsent(labels.value(i), k -> new RoaringBitmap())
            .add(ref);
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  void remove(int ref, Labels labels) {
    lock.writeLock().lock();
    try {
      all.remove(ref);
      for (int i = 0; i < labels.size(); i++) {
        HashMap<String, RoaringBitmap> values = byName.get(labels.name(i));
        if (values == null) {
          continue;
        }
        RoaringBitmap b = values.get(labels.value(i));
        if (b != null) {
          b.remove(ref);
          if (b.isEmpty()) {
            values.remove(labels.value(i));
            if (values.isEmpty()) {
              byName.remove(labels.name(i));
            }
          }
        }
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** A copy of the postings of every series. */
  RoaringBitmap allBitmap() {
    lock.readLock().lock();
    try {
      return all.clone();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The union of the postings of {@code name=value} over {@code values}, as a new bitmap. */
  RoaringBitmap postings(String name, Iterable<String> values) {
    lock.readLock().lock();
    try {
      RoaringBitmap out = new RoaringBitmap();
      HashMap<String, RoaringBitmap> byValue = byName.get(name);
      if (byValue != null) {
        for (String v : values) {
          RoaringBitmap b = byValue.get(v);
          if (b != null) {
            out.or(b);
          }
        }
      }
      return out;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Label names, sorted. */
  List<String> labelNames() {
    lock.readLock().lock();
    try {
      List<String> names = new ArrayList<>(byName.keySet());
      names.sort(Utf8Order.COMPARATOR);
      return names;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Values of {@code name}, sorted. */
  List<String> labelValues(String name) {
    lock.readLock().lock();
    try {
      Map<String, RoaringBitmap> byValue = byName.get(name);
      List<String> values = byValue == null ? new ArrayList<>() : new ArrayList<>(byValue.keySet());
      values.sort(Utf8Order.COMPARATOR);
      return values;
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public Postings accepted(LabelMatcher m) {
    if (m.type() == MatchType.EQUAL) {
      return Postings.of(postings(m.name(), List.of(m.value())));
    }
    if (m.setMatches().isPresent()) {
      return Postings.of(postings(m.name(), m.setMatches().get()));
    }
    return valuesWhere(m, true);
  }

  @Override
  public Postings rejected(LabelMatcher m) {
    return valuesWhere(m, false);
  }

  private Postings valuesWhere(LabelMatcher m, boolean accepted) {
    List<String> values = new ArrayList<>();
    for (String v : labelValues(m.name())) {
      if (m.matches(v) == accepted) {
        values.add(v);
      }
    }
    return Postings.of(postings(m.name(), values));
  }

  @Override
  public Postings all() {
    return Postings.of(allBitmap());
  }
}

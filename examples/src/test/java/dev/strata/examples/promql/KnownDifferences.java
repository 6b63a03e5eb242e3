package dev.strata.examples.promql;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Differences from Prometheus that are known and explained, one a line:
 * {@code evaluation<TAB>query or match[]<TAB>category<TAB>reason}. A listed difference that no
 * longer occurs is an error too, so that the list only ever shrinks to the truth.
 */
final class KnownDifferences {
  private final Map<String, String> reasons = new LinkedHashMap<>();

  static KnownDifferences parse(String text) {
    KnownDifferences known = new KnownDifferences();
    int lineNumber = 0;
    for (String line : text.split("\n")) {
      lineNumber++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] fields = line.split("\t", -1);
      if (fields.length != 4 || fields[3].isBlank()) {
        throw new IllegalArgumentException("line " + lineNumber
            + ": expected evaluation, query, category and reason separated by tabs: " + line);
      }
      known.reasons.put(key(fields[0], fields[1], fields[2]), fields[3]);
    }
    return known;
  }

  static String key(String evaluation, String subject, String category) {
    return evaluation + "\t" + subject + "\t" + category;
  }

  boolean contains(String key) {
    return reasons.containsKey(key);
  }

  Iterable<String> keys() {
    return reasons.keySet();
  }

  int size() {
    return reasons.size();
  }
}

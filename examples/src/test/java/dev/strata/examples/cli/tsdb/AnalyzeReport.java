package dev.strata.examples.cli.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The output of {@code tsdb analyze} split into its header and its titled sections, and the
 * comparison of Strata's report with promtool's.
 *
 * <p>Three of promtool's rankings iterate a Go map, so entries with equal counts come out in a
 * different order on every run, and where the list is cut at the limit, a different subset of them
 * is shown. For those sections the comparison is: the same counts in the same order, the same keys
 * for every count shown whole, and for the count cut by the limit, keys that really have that
 * count (per the full lists). Everything else must be identical.
 */
record AnalyzeReport(List<String> header, Map<String, List<String>> sections) {

  static final Set<String> MAP_ORDERED = Set.of(
      "Label pairs most involved in churning",
      "Label names most involved in churning",
      "Most common label pairs");

  static AnalyzeReport parse(String text) {
    List<String> header = new ArrayList<>();
    Map<String, List<String>> sections = new LinkedHashMap<>();
    List<String> current = header;
    boolean titleNext = false;
    for (String line : text.split("\n", -1)) {
      if (line.isEmpty()) {
        titleNext = true;
        continue;
      }
      if (titleNext) {
        current = new ArrayList<>();
        sections.put(line.substring(0, line.length() - 1), current);
        titleNext = false;
        continue;
      }
      if (current != header && !line.matches("\\d+ .*") && !line.startsWith(" ")
          && !line.startsWith("Fullness")) {
        // A label value with a newline: promtool prints it raw, splitting the entry.
        current.set(current.size() - 1, current.get(current.size() - 1) + "\n" + line);
        continue;
      }
      current.add(line);
    }
    return new AnalyzeReport(header, sections);
  }

  /**
   * Checks that {@code ours} says what {@code theirs} says; {@code oursFull} and {@code
   * theirsFull} are both tools' reports on the same block without a limit.
   */
  static void assertSame(
      AnalyzeReport theirs, AnalyzeReport ours, AnalyzeReport theirsFull, AnalyzeReport oursFull) {
    assertEquals(theirs.header(), ours.header(), "header");
    assertEquals(theirs.sections().keySet(), ours.sections().keySet(), "sections");
    for (String title : theirs.sections().keySet()) {
      List<String> a = theirs.sections().get(title);
      List<String> b = ours.sections().get(title);
      if (!MAP_ORDERED.contains(title)) {
        assertEquals(a, b, title);
        continue;
      }
      assertEquals(
          new HashSet<>(theirsFull.sections().get(title)),
          new HashSet<>(oursFull.sections().get(title)), title + ", all entries");
      assertEquals(counts(a), counts(b), title + ", counts");
      Map<String, Set<String>> full = byCount(oursFull.sections().get(title));
      Map<String, Set<String>> ta = byCount(a);
      Map<String, Set<String>> tb = byCount(b);
      String last = a.isEmpty() ? null : count(a.get(a.size() - 1));
      for (String count : ta.keySet()) {
        if (count.equals(last)) {
          assertTrue(full.get(count).containsAll(ta.get(count)), title + ": " + ta.get(count));
          assertTrue(full.get(count).containsAll(tb.get(count)), title + ": " + tb.get(count));
        } else {
          assertEquals(ta.get(count), tb.get(count), title + ", entries counting " + count);
        }
      }
    }
  }

  private static List<String> counts(List<String> lines) {
    return lines.stream().map(AnalyzeReport::count).toList();
  }

  private static String count(String line) {
    return line.substring(0, line.indexOf(' '));
  }

  private static Map<String, Set<String>> byCount(List<String> lines) {
    Map<String, Set<String>> out = new LinkedHashMap<>();
    for (String line : lines) {
      out.computeIfAbsent(count(line), k -> new HashSet<>())
          .add(line.substring(line.indexOf(' ') + 1));
    }
    return out;
  }
}

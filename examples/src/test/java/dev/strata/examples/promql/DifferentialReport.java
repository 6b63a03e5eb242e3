package dev.strata.examples.promql;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Collects the outcome of every evaluation: counts per category for the summary, and every
 * difference with both servers' answers for the report file.
 */
final class DifferentialReport {
  /** A difference observed for an evaluation. */
  record Observed(Evaluation evaluation, Difference difference) {
    String key() {
      return KnownDifferences.key(evaluation.name(), evaluation.subject(), difference.category());
    }
  }

  private final Set<String> queries = new LinkedHashSet<>();
  private int evaluations;
  private int matches;
  private final List<Observed> observed = new ArrayList<>();

  /**
   * Tallies what Prometheus answered (data, an empty result, an error), so that a run in which
   * both servers answer nothing cannot pass unnoticed.
   */
  private final Map<String, Integer> answers = new TreeMap<>();

  private final List<String> answerLines = new ArrayList<>();

  synchronized void record(Evaluation evaluation, String prometheusAnswer, List<Difference> differences) {
    answers.merge(prometheusAnswer.split(" ", 2)[0], 1, Integer::sum);
    answerLines.add(evaluation.name() + "\t" + evaluation.subject() + "\t" + prometheusAnswer);
    queries.add(evaluation.subject());
    evaluations++;
    if (differences.stream().allMatch(Difference::informational)) {
      matches++;
    }
    differences.forEach(d -> observed.add(new Observed(evaluation, d)));
  }

  /** Differences that fail the test: not informational, and not in the known list. */
  synchronized List<Observed> unexpected(KnownDifferences known) {
    return observed.stream()
        .filter(o -> !o.difference().informational() && !known.contains(o.key()))
        .toList();
  }

  /** Entries of the known list that did not occur. */
  synchronized List<String> stale(KnownDifferences known) {
    Set<String> seen = new LinkedHashSet<>();
    observed.forEach(o -> seen.add(o.key()));
    List<String> stale = new ArrayList<>();
    known.keys().forEach(k -> {
      if (!seen.contains(k)) {
        stale.add(k);
      }
    });
    return stale;
  }

  synchronized String summary(KnownDifferences known, long millis) {
    Map<String, Integer> byCategory = new TreeMap<>();
    int mismatchedEvaluations = 0;
    Set<Evaluation> counted = new LinkedHashSet<>();
    for (Observed o : observed) {
      byCategory.merge(o.difference().category(), 1, Integer::sum);
      if (!o.difference().informational() && counted.add(o.evaluation())) {
        mismatchedEvaluations++;
      }
    }
    StringBuilder sb = new StringBuilder("PromQL differential test against Prometheus 2.42:\n");
    sb.append(String.format("  %d queries/endpoints, %d evaluations, %d match, %d mismatch (%d known, %d unexpected), %.1f s%n",
        queries.size(), evaluations, matches, mismatchedEvaluations,
        observed.stream().filter(o -> known.contains(o.key())).count(),
        unexpected(known).size(), millis / 1000.0));
    sb.append("  Prometheus answered: ").append(answers).append('\n');
    sb.append("  differences by category:\n");
    byCategory.forEach((category, n) -> sb.append(String.format("    %-12s %d%n", category, n)));
    return sb.toString();
  }

  /** Every difference, grouped by category, with the request that shows it. */
  synchronized void write(Path file, KnownDifferences known, String summary) throws IOException {
    Map<String, List<Observed>> byCategory = new TreeMap<>();
    observed.forEach(o -> byCategory.computeIfAbsent(o.difference().category(), c -> new ArrayList<>()).add(o));
    StringBuilder sb = new StringBuilder(summary).append('\n');
    for (Map.Entry<String, List<Observed>> e : byCategory.entrySet()) {
      sb.append("== ").append(e.getKey()).append(" (").append(e.getValue().size()).append(")\n");
      for (Observed o : e.getValue()) {
        sb.append(known.contains(o.key()) ? "[known] " : "").append(o.evaluation().name()).append('\t')
            .append(o.evaluation().subject()).append("\n    ").append(o.evaluation().params())
            .append("\n    ").append(o.difference().detail()).append('\n');
      }
    }
    Files.createDirectories(file.getParent());
    Files.writeString(file, sb);
  }

  /**
   * The unexpected differences as lines of the known-differences file, the reason still to be
   * written, with the observed difference as a start.
   */
  synchronized void writeUnexpected(Path file, KnownDifferences known) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, unexpected(known).stream()
        .map(o -> o.key() + "\tTODO reason; observed: " + o.difference().detail())
        .distinct()
        .toList());
  }

  /** What Prometheus answered to every evaluation, to check that the corpus tests what it means to. */
  synchronized void writeAnswers(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, answerLines.stream().sorted().toList());
  }
}

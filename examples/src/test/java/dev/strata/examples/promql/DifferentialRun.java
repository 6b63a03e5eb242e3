package dev.strata.examples.promql;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.examples.server.ServerProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * One differential run: every evaluation sent to Prometheus and to Strata, the answers compared,
 * the report written under {@code target/}, and the test failed on a difference the known list
 * does not explain or on a listed one that no longer occurs.
 */
final class DifferentialRun {
  private DifferentialRun() {}

  /** Sends every evaluation to both servers ({@code threads} at a time) and compares the answers. */
  static DifferentialReport compare(List<Evaluation> evaluations, ApiClient client,
      ServerProcess prometheus, ServerProcess strata, int threads) throws Exception {
    DifferentialReport report = new DifferentialReport();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> pending = new ArrayList<>();
      for (Evaluation e : evaluations) {
        pending.add(pool.submit(() -> {
          ApiClient.Answer expected = send(client, prometheus, e);
          ApiClient.Answer actual = send(client, strata, e);
          List<Difference> differences = new ArrayList<>();
          if (expected.status() != actual.status()) {
            differences.add(new Difference("http status",
                "Prometheus " + expected.status() + ", Strata " + actual.status()));
          }
          differences.addAll(ResponseComparer.compare(expected.body(), actual.body(), e.order()));
          report.record(e, ResponseComparer.answerKind(expected.body()), differences);
          return null;
        }));
      }
      for (Future<?> f : pending) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    return report;
  }

  private static ApiClient.Answer send(ApiClient client, ServerProcess server, Evaluation e)
      throws Exception {
    return e.get() ? client.get(server.base(), e.path(), e.params())
        : client.post(server.base(), e.path(), e.params());
  }

  /**
   * Writes {@code name}-report.txt, -prometheus-answers.txt and -unexpected.txt under {@code
   * target/}, prints the summary, and fails on what {@code known} does not account for.
   */
  static void writeAndCheck(DifferentialReport report, KnownDifferences known, String summary,
      String name) throws Exception {
    Path reportFile = Path.of(System.getProperty("basedir", "."), "target", name + "-report.txt");
    report.write(reportFile, known, summary);
    report.writeAnswers(reportFile.resolveSibling(name + "-prometheus-answers.txt"));
    report.writeUnexpected(reportFile.resolveSibling(name + "-unexpected.txt"), known);
    System.out.print(summary + "  full report: " + reportFile + "\n");

    List<DifferentialReport.Observed> unexpected = report.unexpected(known);
    List<String> stale = report.stale(known);
    assertTrue(unexpected.isEmpty() && stale.isEmpty(), () -> summary
        + unexpected.size() + " unexpected differences, e.g.:\n"
        + unexpected.stream().limit(20)
            .map(o -> "  " + o.key().replace('\t', ' ') + "\n    " + o.difference().detail())
            .collect(Collectors.joining("\n"))
        + "\n" + stale.size() + " listed differences no longer occur:\n"
        + stale.stream().limit(20).map(k -> "  " + k.replace('\t', ' ')).collect(Collectors.joining("\n")));
  }
}

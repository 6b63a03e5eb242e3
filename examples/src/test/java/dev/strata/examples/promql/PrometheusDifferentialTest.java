package dev.strata.examples.promql;

import dev.strata.examples.server.ServerProcess;
import dev.strata.tsdb.testing.Interop;
import dev.strata.tsdb.testing.Promtool;
import dev.strata.tsdb.testing.TempDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Differential test: the same blocks, written by promtool from generated data, served by a real
 * Prometheus 2.42 and by {@code strata serve}; every query of the corpus (and of the compliance
 * tester's list, when it is beside the repository) is sent to both as instant and range queries,
 * and the metadata endpoints are asked the same questions. Answers must agree, except for the
 * differences listed, with a reason, in {@code differential-known-differences.txt}.
 */
@Interop
class PrometheusDifferentialTest {
  private static final String CORPUS = "/promql/differential-queries.txt";
  private static final String KNOWN_DIFFERENCES = "/promql/differential-known-differences.txt";
  private static final int REQUEST_THREADS = 2;
  private static final long HOUR_MS = 3_600_000L;

  private static final ApiClient CLIENT = new ApiClient();
  private static TempDirectory work;
  private static long endMs;
  private static ServerProcess prometheus;
  private static ServerProcess strata;

  @BeforeAll
  static void startServers() throws Exception {
    work = TempDirectory.create("promql-differential");
    // A whole hour, one to two hours ago: recent enough for Prometheus's retention, and the same
    // all hour long.
    endMs = System.currentTimeMillis() / HOUR_MS * HOUR_MS - HOUR_MS;
    Path blocks = createBlocks(work.path());
    Path prometheusData = Servers.copy(blocks, work.path().resolve("prometheus-data"));
    Path strataData = Servers.copy(blocks, work.path().resolve("strata-data"));
    Servers.prometheus(work.path(), prometheusData,
        "global:\n  scrape_interval: 1m\n  evaluation_interval: 1m\n", CLIENT, p -> prometheus = p);
    Servers.strata(work.path(), strataData, CLIENT, s -> strata = s);
  }

  @AfterAll
  static void stopServers() throws Exception {
    // Strata, Prometheus, then the directory; each even if one before it fails.
    Servers.closeAll(strata, prometheus, work);
  }

  @Test
  void answersAsPrometheusDoes() throws Exception {
    long started = System.nanoTime();
    QueryTemplates corpus = QueryTemplates.parse(resource(CORPUS));
    KnownDifferences known = KnownDifferences.parse(resource(KNOWN_DIFFERENCES));
    EvaluationPlan plan = new EvaluationPlan(endMs);

    List<String> queries = corpus.expandAll();
    Set<String> complianceQueries = new LinkedHashSet<>(corpus.expand(ComplianceQueryList.templates()));
    complianceQueries.removeAll(queries);
    List<Evaluation> evaluations = new ArrayList<>();
    queries.forEach(q -> evaluations.addAll(plan.full(q)));
    queries.forEach(q -> evaluations.add(plan.formatQuery(q)));
    complianceQueries.forEach(q -> evaluations.addAll(plan.compliance(q)));
    evaluations.addAll(plan.metadata());
    evaluations.addAll(plan.parameterChecks());

    DifferentialReport report =
        DifferentialRun.compare(evaluations, CLIENT, prometheus, strata, REQUEST_THREADS);
    String summary = report.summary(known, (System.nanoTime() - started) / 1_000_000)
        + "  (" + queries.size() + " corpus queries, " + complianceQueries.size()
        + " more from the compliance tester's list)\n";
    DifferentialRun.writeAndCheck(report, known, summary, "promql-differential");
  }

  // The oracle's own tool turns the generated text into blocks.
  private static Path createBlocks(Path dir) throws Exception {
    Path input = dir.resolve("data.om");
    Files.writeString(input, DifferentialData.generate(endMs));
    Path blocks = dir.resolve("blocks");
    Promtool.run(dir, "tsdb", "create-blocks-from", "openmetrics", input.toString(), blocks.toString())
        .assertSuccess();
    return blocks;
  }

  private static String resource(String name) {
    try (InputStream in = PrometheusDifferentialTest.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

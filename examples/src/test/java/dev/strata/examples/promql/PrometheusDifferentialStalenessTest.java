package dev.strata.examples.promql;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.examples.server.ServerProcess;
import dev.strata.tsdb.testing.Interop;
import dev.strata.tsdb.testing.TempDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Differential test over data only a scraping Prometheus writes: staleness markers, for series
 * that leave a scrape, change a label, or whose target fails. A Prometheus scrapes a flapping
 * target every second into a WAL; then a second Prometheus (no scraping) and {@code strata serve}
 * answer the same queries over copies of that directory.
 */
@Interop
class PrometheusDifferentialStalenessTest {
  private static final String CORPUS = "/promql/differential-staleness-queries.txt";
  private static final String KNOWN_DIFFERENCES = "/promql/differential-staleness-known-differences.txt";
  private static final int SCRAPES = 16;

  private static final ApiClient CLIENT = new ApiClient();
  private static TempDirectory work;
  private static FlappingTarget target;
  private static ServerProcess recorder;
  private static ServerProcess prometheus;
  private static ServerProcess strata;
  private static long firstMs;
  private static long lastMs;

  @BeforeAll
  static void recordAndStartServers() throws Exception {
    work = TempDirectory.create("promql-differential-staleness");
    target = FlappingTarget.start();
    Path recorded = work.path().resolve("recorded");
    firstMs = System.currentTimeMillis();
    Servers.prometheus(work.path(), recorded, "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
        + "scrape_configs:\n  - job_name: flap\n    static_configs:\n      - targets: ['127.0.0.1:"
        + target.port() + "']\n", CLIENT, p -> recorder = p);
    long deadline = System.nanoTime() + 90_000_000_000L;
    while (target.scrapes() < SCRAPES && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertTrue(target.scrapes() >= SCRAPES, "Prometheus scraped the target only " + target.scrapes() + " times");
    recorder.close();
    lastMs = System.currentTimeMillis();
    Path copy = Servers.copy(recorded, work.path().resolve("copy"));
    Files.deleteIfExists(copy.resolve("lock"));
    Servers.prometheus(work.path(), recorded, "global:\n  scrape_interval: 1m\n", CLIENT, p -> prometheus = p);
    Servers.strata(work.path(), copy, CLIENT, s -> strata = s);
  }

  @AfterAll
  static void stopServers() throws Exception {
    // Strata, the two Prometheus servers, the target, then the directory; each even if one
    // before it fails.
    Servers.closeAll(strata, prometheus, recorder, target, work);
  }

  @Test
  void answersAsPrometheusDoesAroundStalenessMarkers() throws Exception {
    long started = System.nanoTime();
    List<String> queries = QueryTemplates.parse(resource(CORPUS)).expandAll();
    KnownDifferences known = KnownDifferences.parse(resource(KNOWN_DIFFERENCES));
    List<Evaluation> evaluations = new ArrayList<>();
    for (String q : queries) {
      // Every 700 ms while scraping, so that evaluations fall before, on and after each sample.
      for (long t = firstMs; t <= lastMs + 2_000; t += 700) {
        evaluations.add(instant("instant@during-scrapes", q, t));
      }
      for (long after : new long[] {30_000, 4 * 60_000, 5 * 60_000 + 500, 6 * 60_000}) {
        evaluations.add(instant("instant@after-scrapes", q, lastMs + after));
      }
      evaluations.add(range("range@1s", q, firstMs, lastMs + 6 * 60_000, "1"));
      evaluations.add(range("range@0.7s", q, firstMs + 3, lastMs + 3_000, "0.7"));
    }

    DifferentialReport report = DifferentialRun.compare(evaluations, CLIENT, prometheus, strata, 2);
    String summary = report.summary(known, (System.nanoTime() - started) / 1_000_000)
        .replace("PromQL differential test", "PromQL differential test (staleness)");
    DifferentialRun.writeAndCheck(report, known, summary, "promql-differential-staleness");
  }

  private static Evaluation instant(String name, String query, long timeMs) {
    return new Evaluation(name, query, "/api/v1/query",
        List.of(Map.entry("query", query), Map.entry("time", seconds(timeMs))), false,
        ResponseComparer.Order.IGNORED);
  }

  private static Evaluation range(String name, String query, long startMs, long endMs, String step) {
    return new Evaluation(name, query, "/api/v1/query_range",
        List.of(Map.entry("query", query), Map.entry("start", seconds(startMs)),
            Map.entry("end", seconds(endMs)), Map.entry("step", step)),
        false, ResponseComparer.Order.EXACT);
  }

  private static String seconds(long ms) {
    return String.format("%d.%03d", ms / 1000, ms % 1000);
  }

  private static String resource(String name) {
    try (InputStream in = PrometheusDifferentialStalenessTest.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

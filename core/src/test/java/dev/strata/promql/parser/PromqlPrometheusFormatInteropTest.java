package dev.strata.promql.parser;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.tsdb.testing.Interop;
import dev.strata.tsdb.testing.PrometheusServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against a real Prometheus 2.42: {@code /api/v1/format_query} formats random well-typed trees and
 * the corpus's valid queries exactly as {@link Printer#pretty} does, and rejects the invalid ones
 * with the message {@link PromqlParser#parse} gives.
 */
@Interop
class PromqlPrometheusFormatInteropTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void formatQueryAgrees(@TempDir Path dir) throws Exception {
    AtomicInteger port = new AtomicInteger();
    Path data = Files.createDirectories(dir.resolve("data"));
    try (PrometheusServer server =
        PrometheusServer.start(
            dir,
            data,
            p -> {
              port.set(p);
              return "global:\n  scrape_interval: 1m\n";
            })) {
      URI endpoint = URI.create("http://127.0.0.1:" + port.get() + "/api/v1/format_query");
      List<String> queries = new ArrayList<>(PromqlGoldenCasesTest.corpus());
      ExprArbitraries.any().sampleStream().limit(300).map(Printer::print).forEach(queries::add);
      List<String> mismatches = new ArrayList<>();
      for (String query : queries) {
        String expected = prometheusAnswer(endpoint, query);
        String actual;
        try {
          actual = Printer.pretty(PromqlParser.parse(query));
        } catch (PromqlParseException e) {
          actual = "invalid parameter \"query\": " + e.getMessage();
        }
        if (!expected.equals(actual)) {
          mismatches.add(
              PromqlGoldenCasesTest.goLiteral(query)
                  + "\n    prometheus: " + expected + "\n    strata:     " + actual);
        }
      }
      assertTrue(
          mismatches.isEmpty(),
          mismatches.size() + " of " + queries.size() + " differ:\n" + String.join("\n", mismatches));
    }
  }

  /** The formatted query, or the error message. */
  private String prometheusAnswer(URI endpoint, String query) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode body = JSON.readTree(response.body());
    return "success".equals(body.path("status").asText())
        ? body.path("data").asText()
        : body.path("error").asText();
  }
}

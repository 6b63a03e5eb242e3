package dev.strata.promql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.tsdb.labels.GoQuote;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The recorded verdicts of Prometheus 2.42 on a corpus of valid and invalid queries ({@code
 * parse-verdicts.txt}): each must be accepted, or rejected with the very same message.
 */
class PromqlGoldenCasesTest {
  private static final String RESOURCE = "parse-verdicts.txt";

  /** A query, Prometheus's verdict, and for a valid query how Prometheus formats it (else null). */
  record Case(String query, String verdict, String formatted) {}

  static List<Case> cases() {
    try (InputStream in = PromqlGoldenCasesTest.class.getResourceAsStream(RESOURCE)) {
      List<String> lines =
          new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
      List<Case> cases = new ArrayList<>();
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).startsWith("\"")) {
          String verdict = lines.get(i + 1);
          if (!verdict.startsWith("=> ")) {
            throw new IllegalStateException(RESOURCE + " line " + (i + 2) + ": no verdict");
          }
          String formatted = null;
          if (i + 2 < lines.size() && lines.get(i + 2).startsWith("~> ")) {
            formatted = StringSyntax.unquote(lines.get(i + 2).substring(3));
          }
          cases.add(new Case(StringSyntax.unquote(lines.get(i)), verdict.substring(3), formatted));
        }
      }
      return cases;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> corpus() {
    return cases().stream().map(Case::query).toList();
  }

  /** "OK", or the parse error's message. */
  static String verdict(String query) {
    try {
      PromqlParser.parse(query);
      return "OK";
    } catch (PromqlParseException e) {
      return e.getMessage();
    }
  }

  static String goLiteral(String s) {
    return GoQuote.quote(s);
  }

  static List<Arguments> arguments() {
    return cases().stream().map(c -> Arguments.of(goLiteral(c.query()), c)).toList();
  }

  static List<Arguments> formattedArguments() {
    return cases().stream()
        .filter(c -> c.formatted() != null)
        .map(c -> Arguments.of(goLiteral(c.query()), c))
        .toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("arguments")
  void sameVerdictAsPrometheus(String label, Case c) {
    assertEquals(c.verdict(), verdict(c.query()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("formattedArguments")
  void formattedAsPrometheusFormats(String label, Case c) {
    assertEquals(c.formatted(), Printer.pretty(PromqlParser.parse(c.query())));
  }
}

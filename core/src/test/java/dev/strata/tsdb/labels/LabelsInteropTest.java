package dev.strata.tsdb.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tsdb.testing.Interop;
import dev.strata.tsdb.testing.Promtool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prometheus 2.42 itself as the oracle: a block made by {@code promtool tsdb create-blocks-from
 * openmetrics} and printed by {@code promtool tsdb dump} shows how Prometheus orders label sets and
 * quotes values, and {@code dump --match} how it evaluates regex matchers.
 */
@Interop
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LabelsInteropTest {

  private static final String[] TRICKY = {
    "plain",
    "with space",
    "quote\"inside",
    "back\\slash",
    "new\nline",
    "tab\there",
    "\u0001\u001f\u007f",
    "\u0007\b\f\r\u000b",
    "caf\u00e9",
    "\u4e2d\u6587",
    "\ud83d\ude00",
    "\u00a0nbsp",
    "\u00adsoft",
    "\u2028\u2029",
    "\ue000",
    "\uffff\ufffe\ufeff",
    "\u0080\u009f",
    "\udb40\udc01",
    "\udbff\udfff",
    "\ud800\udc00",
    "a\u0301",
    "\u3000",
    "x\ud83c\udff3\ufe0f\u200d\ud83c\udf08",
    "\u0663\u0664"
  };

  // Short values over a small alphabet, so that the regexes below match some and not others.
  private static final String[] ALPHABET = {
    "a", "b", "ab", "\u00e9", "\ud83d\ude00", ".", "\n", "x", "A", " ", "_1"
  };

  private Path block;
  private final List<String> trickyValues = new ArrayList<>();
  private final List<String> regexValues = new ArrayList<>();

  @TempDir Path dir;

  @BeforeAll
  void createBlock(@TempDir Path tmp) throws IOException, InterruptedException {
    if (dev.strata.tsdb.testing.PrometheusToolsExtension.findOnPath("promtool").isEmpty()) {
      return; // the extension skips or fails each test
    }
    Random random = new Random(42);
    trickyValues.addAll(List.of(TRICKY));
    for (int i = 0; i < 300; i++) {
      trickyValues.add(randomText(random));
    }
    Set<String> rv = new LinkedHashSet<>();
    while (rv.size() < 120) {
      StringBuilder sb = new StringBuilder();
      int n = 1 + random.nextInt(5);
      for (int k = 0; k < n; k++) {
        sb.append(ALPHABET[random.nextInt(ALPHABET.length)]);
      }
      rv.add(sb.toString());
    }
    regexValues.addAll(rv);

    StringBuilder om = new StringBuilder("# TYPE q gauge\n");
    for (String v : new LinkedHashSet<>(trickyValues)) {
      om.append("q{v=\"").append(openMetricsEscape(v)).append("\"} 1 1\n");
    }
    om.append("# TYPE r gauge\n");
    for (String v : regexValues) {
      om.append("r{v=\"").append(openMetricsEscape(v)).append("\"} 1 1\n");
    }
    om.append("# EOF\n");
    Path input = tmp.resolve("input.om");
    Files.writeString(input, om, StandardCharsets.UTF_8);
    block = tmp.resolve("db");
    Promtool.run(
            tmp,
            "tsdb",
            "create-blocks-from",
            "openmetrics",
            "--quiet",
            input.toString(),
            block.toString())
        .assertSuccess();
    Files.createDirectories(block.resolve("wal"));
  }

  @Test
  void dumpPrintsLabelsExactlyAsToStringInCompareOrder() throws Exception {
    List<String> lines = dump("{__name__=\"q\"}");
    List<Labels> expected = new ArrayList<>();
    for (String v : new TreeSet<>(trickyValues)) {
      expected.add(Labels.of("__name__", "q", "v", v));
    }
    expected.sort(null);
    assertEquals(expected.size(), lines.size());
    for (int i = 0; i < lines.size(); i++) {
      assertEquals(expected.get(i).toString(), lines.get(i), "series " + i);
    }
  }

  @Test
  void regexMatchersSelectWhatPrometheusSelects() throws Exception {
    List<String> regexes =
        new ArrayList<>(
            List.of(
                ".*",
                ".+",
                "a.*",
                ".*b",
                ".*a.*",
                "(?s).*",
                "(?s:.+)",
                "a|b|ab",
                "a|",
                "",
                "\\.",
                "a.b",
                "a.+",
                "[ab]+",
                "[^ab]+",
                "\\w+",
                "\\W",
                "\\s",
                "\\S+",
                "[[:alpha:]]+",
                "[[:^alpha:]]*",
                "\\pL+",
                "\\p{Greek}|\\pN",
                "(?i)A+",
                "(?i)\u00c9",
                "(?m)a$\\n^b",
                "a$\\n",
                "(?m)^\\n$",
                ".\\b.",
                "\\B",
                "\\x41|\\x{1F600}",
                "\\12",
                "[\\d_]+",
                "_\\d",
                "a{2}",
                "a{,2}",
                "(a|b){2,3}",
                "\\Qa.\\E.*",
                "(?P<x>a)b",
                "(?U)a+?",
                "[^\\n]*",
                "\\p{So}",
                "\\pC",
                "[\u00e9\ud83d\ude00]+",
                "\ud83d\ude00.*",
                ".*\ud83d\ude00",
                "x|\\.|\\n"));
    RegexFastPathPropertiesTest.patterns().sampleStream().limit(30).forEach(regexes::add);
    int someSelected = 0;
    int notAllSelected = 0;
    for (String regex : regexes) {
      String selector = "{__name__=\"r\", v=~" + GoQuote.quote(regex) + "}";
      Set<String> selected = new TreeSet<>(dump(selector));
      LabelMatcher m = LabelMatcher.regex("v", regex);
      Set<String> ours = new TreeSet<>();
      for (String v : regexValues) {
        if (m.matches(v)) {
          ours.add(Labels.of("__name__", "r", "v", v).toString());
        }
      }
      assertEquals(selected, ours, "regex " + GoQuote.quote(regex));
      someSelected += selected.isEmpty() ? 0 : 1;
      notAllSelected += selected.size() < regexValues.size() ? 1 : 0;
    }
    // The comparison means something only if the regexes split the values both ways.
    assertTrue(someSelected > regexes.size() / 2, "selected: " + someSelected);
    assertTrue(notAllSelected > regexes.size() / 2, "not all selected: " + notAllSelected);
  }

  @Test
  void invalidRegexesAreInvalidForBoth() throws Exception {
    for (String regex :
        List.of("a(b", "a**", "\\1", "(?x)a", "[z-a]", "\\p{Latn}", "a{1001}", "\\Z", "(?=a)")) {
      String selector = "{__name__=\"r\", v=~" + GoQuote.quote(regex) + "}";
      Promtool.Result r =
          Promtool.run(dir, "tsdb", "dump", "--match=" + selector, block.toString());
      assertNotEquals(0, r.exitCode(), regex + ": " + r.stdout());
      assertTrue(r.stderr().contains("error parsing regexp"), r.stderr());
      assertThrows(InvalidRegexException.class, () -> LabelMatcher.regex("v", regex));
    }
  }

  // Label sets as dumped, without the sample value and timestamp.
  private List<String> dump(String selector) throws IOException, InterruptedException {
    Promtool.Result r =
        Promtool.run(dir, "tsdb", "dump", "--match=" + selector, block.toString()).assertSuccess();
    List<String> out = new ArrayList<>();
    for (String line : r.stdout().split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      int end = line.lastIndexOf("} ");
      out.add(line.substring(0, end + 1));
    }
    return out;
  }

  private static String openMetricsEscape(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  // Non-empty text of random code points from all planes, with some ASCII.
  private static String randomText(Random random) {
    StringBuilder sb = new StringBuilder();
    int n = 1 + random.nextInt(6);
    for (int i = 0; i < n; i++) {
      int cp;
      switch (random.nextInt(4)) {
        case 0 -> cp = 0x20 + random.nextInt(0x5F);
        case 1 -> cp = random.nextInt(0x10000);
        case 2 -> cp = 0x10000 + random.nextInt(0x20000);
        default -> cp = random.nextInt(Character.MAX_CODE_POINT + 1);
      }
      if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE || cp == 0) {
        cp = 'z';
      }
      sb.appendCodePoint(cp);
    }
    return sb.toString();
  }
}

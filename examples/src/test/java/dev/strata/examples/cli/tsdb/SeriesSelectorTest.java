package dev.strata.examples.cli.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.MatchType;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesSelectorTest {

  private static String render(String selector) {
    StringBuilder sb = new StringBuilder();
    for (LabelMatcher m : SeriesSelector.parse(selector)) {
      sb.append(m.name()).append(m.type().operator()).append('[').append(m.value()).append("] ");
    }
    return sb.toString().trim();
  }

  @Test
  void parsesSelectors() {
    assertEquals("__name__=[up]", render("up"));
    assertEquals("a=[b] __name__=[x]", render("x{a=\"b\"}"));
    assertEquals("__name__=~[(?s:.*)]", render("{__name__=~'(?s:.*)'}"));
    assertEquals("__name__=[x] a=~[b.*]", render("{__name__=\"x\",a=~\"b.*\"}"));
    assertEquals("a!=[1] b!~[2|3] __name__=[job:rate5m]",
        render(" job:rate5m { a != \"1\" , b!~'2|3', } "));
    assertEquals("a=[\\d+]", render("{a=`\\d+`}"));
    assertEquals("a=[\"q\" \n\t\u00e9\u00e9\u00e9 \u0007]",
        render("{a=\"\\\"q\\\" \\n\\t\\u00e9\\xc3\\xa9\\303\\251 \\a\"}"));
    assertEquals("a=[it's]", render("{a='it\\'s'}"));
    assertEquals("", render("{}"));
    assertEquals("", render("{ }"));
    List<LabelMatcher> m = SeriesSelector.parse("{a=~\"x|y\"}");
    assertEquals(MatchType.REGEX, m.get(0).type());
    assertTrue(m.get(0).matches("y") && !m.get(0).matches("xy"));
  }

  @Test
  void rejectsWhatPromqlRejects() {
    assertEquals("1:5: parse error: unexpected end of input inside braces",
        assertThrows(IllegalArgumentException.class, () -> SeriesSelector.parse("foo{"))
            .getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> SeriesSelector.parse("{a=~\"(\"}")).getMessage().startsWith("1:2: parse error: "));
    for (String bad : new String[] {"", "{,}", "{a}", "{a=b}", "{a=\"b\"", "x[5m]", "x offset 1m",
        "{a=\"b\"}}", "{1a=\"b\"}", "{a==\"b\"}", "{a=\"\\q\"}", "{a=\"\\\"}", "{a='\\\"'}",
        "sum(x)", "{a=\"b\" c=\"d\"}"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> SeriesSelector.parse(bad), bad);
      assertTrue(e.getMessage().matches("\\d+:\\d+: parse error: .+"), e.getMessage());
    }
  }
}

package dev.strata.tier.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.strata.tsdb.labels.LabelMatcher;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Times, selectors and forms as Prometheus's HTTP API parses them. */
class ApiParamsTest {

  @Test
  void timesAreSecondsWithMillisecondFractions() {
    assertEquals("1700000000.123", ApiParams.time(1_700_000_000_123L));
    assertEquals("0.000", ApiParams.time(0));
    assertEquals("-1.500", ApiParams.time(-1500));
    assertEquals("-62167219200.000", ApiParams.time(PrometheusStoreSource.UNBOUNDED_MIN_TIME));
  }

  @Test
  void timesBeyondWhatTheApiAcceptsAreClampedToItsBounds() {
    // Go's time.Unix(math.MaxInt64/1000 - 62135596801, ...) and its mirror: Prometheus's own
    // defaults for an absent end and start.
    assertEquals("9223309901257974.000", ApiParams.time(Long.MAX_VALUE));
    assertEquals("-9223309901257974.000", ApiParams.time(Long.MIN_VALUE));
  }

  @Test
  void matchersArePrintedAsOneSelector() {
    assertEquals(
        "{__name__=\"up\",job=~\"api|db\",path!~\"/a\\\"b\"}",
        ApiParams.selector(
            List.of(
                LabelMatcher.notRegex("path", "/a\"b"),
                LabelMatcher.equal("__name__", "up"),
                LabelMatcher.regex("job", "api|db"))));
    assertThrows(IllegalArgumentException.class, () -> ApiParams.selector(List.of()));
  }

  @Test
  void formsAndPathSegmentsArePercentEncoded() {
    assertEquals(
        "match%5B%5D=%7Ba%3D%22b+c%22%7D&start=1.000",
        ApiParams.form(List.of(Map.entry("match[]", "{a=\"b c\"}"), Map.entry("start", "1.000"))));
    assertEquals("a%20b%2Fc", ApiParams.pathSegment("a b/c"));
  }
}

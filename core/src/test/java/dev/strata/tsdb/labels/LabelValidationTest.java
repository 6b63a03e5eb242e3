package dev.strata.tsdb.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LabelValidationTest {

  @Test
  void labelNames() {
    for (String ok : new String[] {"a", "_", "__name__", "__reserved", "A1_b2", "le", "Z"}) {
      assertTrue(LabelValidation.isValidLabelName(ok), ok);
    }
    for (String bad : new String[] {"", "1a", "a-b", "a:b", "a b", "é", "a.b", "\u0000"}) {
      assertFalse(LabelValidation.isValidLabelName(bad), bad);
    }
  }

  @Test
  void metricNames() {
    for (String ok : new String[] {"up", ":x", "a:b_c:1", "_", "job:rate5m:sum"}) {
      assertTrue(LabelValidation.isValidMetricName(ok), ok);
    }
    for (String bad : new String[] {"", "1up", "a-b", "a b", "a.b", "ü"}) {
      assertFalse(LabelValidation.isValidMetricName(bad), bad);
    }
  }

  @Test
  void labelValues() {
    assertTrue(LabelValidation.isValidLabelValue(""));
    assertTrue(LabelValidation.isValidLabelValue("any text \n\u0000 \ud83d\ude00"));
    assertFalse(LabelValidation.isValidLabelValue("\ud83d"));
    assertFalse(LabelValidation.isValidLabelValue("\ude00\ud83d"));
  }

  @Test
  void messagesNameTheOffendingLabel() {
    InvalidLabelsException name =
        assertThrows(InvalidLabelsException.class, () -> Labels.of("job", "x", "bad-name", "y"));
    assertEquals(
        "invalid label name \"bad-name\": a label name must start with a letter or '_' and"
            + " contain only ASCII letters, digits and '_'",
        name.getMessage());
    assertEquals("bad-name", name.labelName());

    InvalidLabelsException metric =
        assertThrows(InvalidLabelsException.class, () -> Labels.of("__name__", "http-requests"));
    assertEquals(
        "invalid metric name \"http-requests\" (the value of label __name__): a metric name must"
            + " start with a letter, '_' or ':' and contain only ASCII letters, digits, '_' and"
            + " ':'",
        metric.getMessage());
    assertEquals("__name__", metric.labelName());

    InvalidLabelsException value =
        assertThrows(InvalidLabelsException.class, () -> Labels.of("path", "a\ud800b"));
    assertEquals(
        "label \"path\" has a value that is not valid Unicode: unpaired surrogate U+D800 at index"
            + " 1",
        value.getMessage());

    InvalidLabelsException control =
        assertThrows(InvalidLabelsException.class, () -> Labels.of("a\nb", "x"));
    assertTrue(
        control.getMessage().startsWith("invalid label name \"a\\nb\""), control.getMessage());
  }

  @Test
  void validateChecksTrustedSets() {
    LabelValidation.validate(Labels.fromSortedTrusted(new String[] {"__name__", "up"}));
    assertThrows(
        InvalidLabelsException.class,
        () -> LabelValidation.validate(Labels.fromSortedTrusted(new String[] {"__name__", "1up"})));
  }
}

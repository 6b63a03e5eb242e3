package dev.strata.tsdb.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelsTest {

  @Test
  void sortsByNameAndDropsEmptyValues() {
    Labels l = Labels.of("job", "api", "__name__", "up", "env", "", "instance", "h:9090");
    assertEquals(3, l.size());
    assertEquals("__name__", l.name(0));
    assertEquals("instance", l.name(1));
    assertEquals("job", l.name(2));
    assertEquals("h:9090", l.value(1));
    assertEquals("{__name__=\"up\", instance=\"h:9090\", job=\"api\"}", l.toString());
    assertFalse(l.has("env"));
    assertEquals("", l.get("env"));
    assertEquals("up", l.metricName());
  }

  @Test
  void upperCaseNamesSortBeforeUnderscore() {
    Labels l = Labels.of("a", "1", "__name__", "m", "Z", "2");
    assertEquals(List.of("Z", "__name__", "a"), names(l));
  }

  @Test
  void emptyLabelSets() {
    assertSame(Labels.EMPTY, Labels.of());
    assertSame(Labels.EMPTY, Labels.of("a", ""));
    assertSame(Labels.EMPTY, Labels.fromMap(Map.of()));
    assertSame(Labels.EMPTY, Labels.builder().build());
    assertEquals("{}", Labels.EMPTY.toString());
    assertEquals(0xef46db3751d8e999L, Labels.EMPTY.hash());
    assertTrue(Labels.EMPTY.isEmpty());
    assertEquals("", Labels.EMPTY.metricName());
  }

  @Test
  void rejectsDuplicateNamesEvenWithAnEmptyValue() {
    InvalidLabelsException e =
        assertThrows(
            InvalidLabelsException.class, () -> Labels.of("job", "a", "x", "1", "job", "b"));
    assertEquals("duplicate label name \"job\"", e.getMessage());
    assertEquals("job", e.labelName());
    assertThrows(InvalidLabelsException.class, () -> Labels.of("job", "", "job", "b"));
  }

  @Test
  void rejectsOddArgumentsAndNulls() {
    InvalidLabelsException e = assertThrows(InvalidLabelsException.class, () -> Labels.of("a"));
    assertTrue(e.getMessage().contains("odd number of strings (1)"), e.getMessage());
    assertThrows(NullPointerException.class, () -> Labels.of("a", null));
    assertThrows(NullPointerException.class, () -> Labels.of(null, "x"));
  }

  @Test
  void validatesOnEveryPublicConstructionPath() {
    assertThrows(InvalidLabelsException.class, () -> Labels.of("1a", "x"));
    assertThrows(InvalidLabelsException.class, () -> Labels.fromMap(Map.of("a-b", "x")));
    assertThrows(InvalidLabelsException.class, () -> Labels.builder().set("a b", "x"));
    assertThrows(InvalidLabelsException.class, () -> Labels.of("__name__", "a-b"));
    assertThrows(InvalidLabelsException.class, () -> Labels.of("v", "bad\ud800"));
    assertThrows(InvalidLabelsException.class, () -> Labels.builder().set("v", "\udc00"));
  }

  @Test
  void fromMapEqualsOf() {
    Map<String, String> m = new HashMap<>();
    m.put("b", "2");
    m.put("a", "1");
    m.put("c", "");
    Labels l = Labels.fromMap(m);
    assertEquals(Labels.of("a", "1", "b", "2"), l);
    assertEquals(Map.of("a", "1", "b", "2"), l.toMap());
    assertEquals(List.of("a", "b"), new ArrayList<>(l.toMap().keySet()));
  }

  @Test
  void trustedPathAdoptsTheArray() {
    Labels l = Labels.fromSortedTrusted(new String[] {"__name__", "up", "job", "x"});
    assertEquals(Labels.of("job", "x", "__name__", "up"), l);
    assertSame(Labels.EMPTY, Labels.fromSortedTrusted(new String[0]));
  }

  @Test
  void trustedPathChecksItsContractUnderAssertions() {
    boolean assertionsOn = false;
    assert assertionsOn = true;
    org.junit.jupiter.api.Assumptions.assumeTrue(assertionsOn, "needs -ea");
    assertThrows(
        AssertionError.class, () -> Labels.fromSortedTrusted(new String[] {"b", "1", "a", "2"}));
    assertThrows(AssertionError.class, () -> Labels.fromSortedTrusted(new String[] {"a", ""}));
    assertThrows(
        AssertionError.class, () -> Labels.fromSortedTrusted(new String[] {"a", "1", "a", "2"}));
  }

  @Test
  void builderSetsReplacesAndRemoves() {
    Labels base = Labels.of("__name__", "up", "job", "api", "instance", "a");
    Labels derived =
        base.toBuilder().set("job", "web").set("zone", "eu").remove("instance", "absent").build();
    assertEquals(Labels.of("__name__", "up", "job", "web", "zone", "eu"), derived);
    assertEquals(Labels.of("__name__", "up", "job", "api", "instance", "a"), base);
    assertEquals(
        Labels.of("__name__", "up"), base.toBuilder().set("job", "").set("instance", "").build());
    Labels.Builder b = Labels.builder().set("b", "2").set("a", "1");
    assertEquals("1", b.get("a"));
    assertEquals("", b.get("z"));
    Labels first = b.build();
    b.set("c", "3");
    assertEquals(Labels.of("a", "1", "b", "2"), first);
    assertEquals(Labels.of("a", "1", "b", "2", "c", "3"), b.build());
    assertSame(Labels.EMPTY, b.clear().build());
  }

  @Test
  void builderGrowsPastItsInitialCapacity() {
    Labels.Builder b = Labels.builder();
    for (int i = 99; i >= 0; i--) {
      b.set("l" + i, "v" + i);
    }
    Labels l = b.build();
    assertEquals(100, l.size());
    assertEquals("v42", l.get("l42"));
    assertEquals("l0", l.name(0));
    assertEquals("l99", l.name(99));
  }

  @Test
  void dropMetricName() {
    Labels l = Labels.of("__name__", "up", "A", "1", "job", "x");
    assertEquals(Labels.of("A", "1", "job", "x"), l.dropMetricName());
    Labels noName = Labels.of("job", "x");
    assertSame(noName, noName.dropMetricName());
    assertSame(Labels.EMPTY, Labels.of("__name__", "up").dropMetricName());
  }

  @Test
  void compareFollowsPrometheus() {
    Labels a = Labels.of("a", "1");
    Labels ab = Labels.of("a", "1", "b", "1");
    Labels a2 = Labels.of("a", "2");
    Labels b = Labels.of("b", "0");
    assertTrue(a.compareTo(ab) < 0);
    assertTrue(ab.compareTo(a2) < 0);
    assertTrue(a2.compareTo(b) < 0);
    assertEquals(0, ab.compareTo(Labels.of("b", "1", "a", "1")));
    // Value order is UTF-8 byte order, not UTF-16 order.
    assertTrue(Labels.of("a", "\ue000").compareTo(Labels.of("a", "\ud83d\ude00")) < 0);
  }

  @Test
  void indexAccessIsBoundsChecked() {
    Labels l = Labels.of("a", "1");
    assertThrows(IndexOutOfBoundsException.class, () -> l.name(1));
    assertThrows(IndexOutOfBoundsException.class, () -> l.value(-1));
  }

  @Test
  void getOnLargeSetsUsesTheSortedOrder() {
    Labels.Builder b = Labels.builder();
    for (int i = 0; i < 40; i++) {
      b.set("n" + (char) ('A' + i % 26) + i / 26, "v" + i);
    }
    Labels l = b.build();
    for (int i = 0; i < 40; i++) {
      assertEquals("v" + i, l.get("n" + (char) ('A' + i % 26) + i / 26));
    }
    assertFalse(l.has("nz"));
    assertFalse(l.has("a"));
  }

  @Test
  void toStringQuotesValuesLikeGo() {
    Labels l =
        Labels.of(
            "__name__", "m", "a", "x\"y\\z", "b", "tab\there\nnl", "c", "\u0001\u00a0\ud83d\ude00");
    assertEquals(
        "{__name__=\"m\", a=\"x\\\"y\\\\z\", b=\"tab\\there\\n"
            + "nl\", c=\"\\x01\\u00a0\ud83d\ude00\"}",
        l.toString());
  }

  @Test
  void hashIsPrometheusHash() {
    // name 0xFF value 0xFF for each label, XXH64 seed 0.
    Labels l = Labels.of("__name__", "up", "job", "api");
    byte[] b = Xxh64Test.encoded(new String[] {"__name__", "up", "job", "api"});
    assertEquals(Xxh64.hash(b, 0, b.length), l.hash());
    assertNotEquals(l.hash(), Labels.of("__name__", "up", "job", "apj").hash());
  }

  @Test
  void forEachVisitsInOrder() {
    StringBuilder sb = new StringBuilder();
    Labels.of("b", "2", "a", "1").forEach((n, v) -> sb.append(n).append(v).append(';'));
    assertEquals("a1;b2;", sb.toString());
  }

  private static List<String> names(Labels l) {
    List<String> out = new ArrayList<>();
    l.forEach((n, v) -> out.add(n));
    return out;
  }
}

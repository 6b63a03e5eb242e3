package dev.strata.tsdb.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class LabelsPropertiesTest {

  @Property(tries = 300)
  void constructionSortsAndDropsEmptyValues(
      @ForAll("labelMaps") Map<String, String> m, @ForAll long seed) {
    Labels l = Labels.of(shuffledPairs(m, seed));
    TreeMap<String, String> expected = new TreeMap<>(Utf8Order.COMPARATOR);
    m.forEach(
        (k, v) -> {
          if (!v.isEmpty()) {
            expected.put(k, v);
          }
        });
    assertEquals(expected.size(), l.size());
    int i = 0;
    for (Map.Entry<String, String> e : expected.entrySet()) {
      assertEquals(e.getKey(), l.name(i));
      assertEquals(e.getValue(), l.value(i));
      assertEquals(e.getValue(), l.get(e.getKey()));
      i++;
    }
    m.forEach((k, v) -> assertEquals(v, l.get(k)));
  }

  @Property(tries = 200)
  void allConstructionPathsAgree(@ForAll("labelMaps") Map<String, String> m, @ForAll long seed) {
    Labels viaOf = Labels.of(shuffledPairs(m, seed));
    Labels viaMap = Labels.fromMap(m);
    Labels.Builder b = Labels.builder();
    m.forEach(b::set);
    Labels viaBuilder = b.build();
    List<String> trusted = new ArrayList<>();
    viaOf.forEach(
        (n, v) -> {
          trusted.add(n);
          trusted.add(v);
        });
    Labels viaTrusted = Labels.fromSortedTrusted(trusted.toArray(new String[0]));
    for (Labels other : List.of(viaMap, viaBuilder, viaTrusted)) {
      assertEquals(viaOf, other);
      assertEquals(viaOf.hashCode(), other.hashCode());
      assertEquals(viaOf.hash(), other.hash());
      assertEquals(0, viaOf.compareTo(other));
      assertEquals(viaOf.toString(), other.toString());
    }
  }

  @Property(tries = 200)
  void rejectsAnyDuplicateName(@ForAll("labelMaps") Map<String, String> m, @ForAll long seed) {
    if (m.isEmpty()) {
      return;
    }
    String[] pairs = shuffledPairs(m, seed);
    String[] withDup = Arrays.copyOf(pairs, pairs.length + 2);
    withDup[pairs.length] = pairs[0];
    withDup[pairs.length + 1] = "other";
    InvalidLabelsException e = assertThrows(InvalidLabelsException.class, () -> Labels.of(withDup));
    assertEquals(pairs[0], e.labelName());
  }

  @Property(tries = 500)
  void compareToMatchesNaiveUtf8Model(
      @ForAll("labelSets") Labels a, @ForAll("labelSets") Labels b) {
    assertEquals(Integer.signum(naiveCompare(a, b)), Integer.signum(a.compareTo(b)));
    assertEquals(-Integer.signum(a.compareTo(b)), Integer.signum(b.compareTo(a)));
    assertEquals(a.compareTo(b) == 0, a.equals(b));
  }

  @Property(tries = 300)
  void equalsAndHashCodeContract(@ForAll("labelSets") Labels a, @ForAll("labelSets") Labels b) {
    Labels copy = a.toBuilder().build();
    assertEquals(a, copy);
    assertEquals(a.hashCode(), copy.hashCode());
    assertEquals(a.hash(), copy.hash());
    if (a.equals(b)) {
      assertEquals(a.hashCode(), b.hashCode());
    } else {
      assertNotEquals(a.toString(), b.toString());
    }
  }

  @Property(tries = 200)
  void hashIsXxh64OfTheUtf8Form(@ForAll("labelSets") Labels l) {
    StringBuilder sb = new StringBuilder();
    List<byte[]> parts = new ArrayList<>();
    l.forEach(
        (n, v) -> {
          parts.add(n.getBytes(StandardCharsets.UTF_8));
          parts.add(v.getBytes(StandardCharsets.UTF_8));
        });
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
      out.write(0xFF);
    }
    byte[] bytes = out.toByteArray();
    assertEquals(Xxh64.hash(bytes, 0, bytes.length), l.hash(), sb.toString());
  }

  @Property(tries = 200)
  void builderRoundTripsAndEdits(
      @ForAll("labelSets") Labels l, @ForAll("names") String name, @ForAll("values") String value) {
    assertEquals(l, l.toBuilder().build());
    Labels set = l.toBuilder().set(name, value).build();
    assertEquals(value, set.get(name));
    assertEquals(
        l.size()
            + (l.has(name) || value.isEmpty() ? 0 : 1)
            - (value.isEmpty() && l.has(name) ? 1 : 0),
        set.size());
    Labels removed = set.toBuilder().remove(name).build();
    assertEquals(l.toBuilder().remove(name).build(), removed);
    for (int i = 1; i < set.size(); i++) {
      assertTrue(Utf8Order.compare(set.name(i - 1), set.name(i)) < 0);
    }
  }

  @Property(tries = 100)
  void toStringRoundTripsThroughAGoStyleUnquoter(@ForAll("labelSets") Labels l) {
    String s = l.toString();
    assertTrue(s.startsWith("{") && s.endsWith("}"));
    for (int i = 0; i < l.size(); i++) {
      String expected = l.name(i) + "=" + GoQuote.quote(l.value(i));
      assertTrue(s.contains(expected), s);
      assertEquals(l.value(i), GoUnquote.unquote(GoQuote.quote(l.value(i))));
    }
  }

  static int naiveCompare(Labels a, Labels b) {
    int n = Math.min(a.size(), b.size());
    for (int i = 0; i < n; i++) {
      int c = bytesCompare(a.name(i), b.name(i));
      if (c != 0) {
        return c;
      }
      c = bytesCompare(a.value(i), b.value(i));
      if (c != 0) {
        return c;
      }
    }
    return a.size() - b.size();
  }

  private static int bytesCompare(String x, String y) {
    return Arrays.compareUnsigned(
        x.getBytes(StandardCharsets.UTF_8), y.getBytes(StandardCharsets.UTF_8));
  }

  private static String[] shuffledPairs(Map<String, String> m, long seed) {
    List<Map.Entry<String, String>> entries = new ArrayList<>(m.entrySet());
    Collections.shuffle(entries, new Random(seed));
    String[] out = new String[entries.size() * 2];
    for (int i = 0; i < entries.size(); i++) {
      out[2 * i] = entries.get(i).getKey();
      out[2 * i + 1] = entries.get(i).getValue();
    }
    return out;
  }

  @Provide
  static Arbitrary<String> names() {
    Arbitrary<String> common =
        Arbitraries.of("job", "instance", "le", "A", "Z", "_", "a", "b", "__meta");
    Arbitrary<String> generated =
        Combinators.combine(
                Arbitraries.strings()
                    .withCharRange('a', 'z')
                    .withCharRange('A', 'Z')
                    .withChars('_')
                    .ofLength(1),
                Arbitraries.strings()
                    .withCharRange('a', 'z')
                    .withCharRange('A', 'Z')
                    .withCharRange('0', '9')
                    .withChars('_')
                    .ofMaxLength(12))
            .as(String::concat);
    return Arbitraries.oneOf(common, generated);
  }

  @Provide
  static Arbitrary<String> values() {
    Arbitrary<String> unicode =
        Arbitraries.integers()
            .between(1, Character.MAX_CODE_POINT)
            .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)
            .list()
            .ofMaxSize(8)
            .map(
                cps -> {
                  StringBuilder sb = new StringBuilder();
                  cps.forEach(sb::appendCodePoint);
                  return sb.toString();
                });
    return Arbitraries.oneOf(
        Arbitraries.just(""),
        Arbitraries.strings().withCharRange('a', 'e').ofMaxLength(3),
        Arbitraries.strings()
            .withChars("a\"\\\n\t\u0000\u00e9\u4e2d\u6587\ue000\uffff")
            .ofMaxLength(8),
        Arbitraries.strings()
            .withChars("x\ud83d\ude00\ud83c\udf0d")
            .ofMaxLength(8)
            .filter(LabelValidation::isValidLabelValue),
        unicode,
        Arbitraries.strings().ascii().ofMinLength(200).ofMaxLength(3000));
  }

  @Provide
  Arbitrary<Map<String, String>> labelMaps() {
    Arbitrary<String> metricNames =
        Arbitraries.of("", "up", "http_requests_total", "job:rate:sum", "Z");
    return Combinators.combine(Arbitraries.maps(names(), values()).ofMaxSize(40), metricNames)
        .as(
            (m, metric) -> {
              Map<String, String> out = new LinkedHashMap<>(m);
              out.put(Labels.METRIC_NAME, metric);
              return out;
            });
  }

  @Provide
  Arbitrary<Labels> labelSets() {
    // Small alphabets make equal and prefix-equal sets likely, so every branch of compareTo runs.
    Arbitrary<Map<String, String>> small =
        Arbitraries.maps(
                Arbitraries.of("a", "b", "c", "Z"),
                Arbitraries.of("", "1", "2", "\ue000", "\ud83d\ude00"))
            .ofMaxSize(4);
    return Arbitraries.oneOf(small, labelMaps()).map(Labels::fromMap);
  }
}

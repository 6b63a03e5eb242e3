package dev.strata.tsdb.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class Utf8OrderTest {

  @Test
  void supplementaryCharactersSortAfterPrivateUseAndSpecials() {
    String emoji = "\ud83d\ude00"; // U+1F600, UTF-8 F0 9F 98 80
    String privateUse = "\ue000"; // UTF-8 EE 80 80
    assertTrue(emoji.compareTo(privateUse) < 0, "UTF-16 order is the opposite");
    assertTrue(Utf8Order.compare(emoji, privateUse) > 0);
    assertTrue(Utf8Order.compare("\uffff", emoji) < 0);
    assertTrue(Utf8Order.compare("\ud7ff", emoji) < 0);
    assertTrue(Utf8Order.compare("a", "ab") < 0);
    assertEquals(0, Utf8Order.compare("same", new String("same")));
  }

  @Property(tries = 2000)
  void agreesWithUtf8ByteComparison(@ForAll("text") String a, @ForAll("text") String b) {
    int expected =
        Arrays.compareUnsigned(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    assertEquals(Integer.signum(expected), Integer.signum(Utf8Order.compare(a, b)));
  }

  @Provide
  static Arbitrary<String> text() {
    // Characters around every boundary that matters: ASCII, 2- and 3-byte forms, the surrogate
    // gap, U+E000..U+FFFF and supplementary planes.
    Arbitrary<String> boundaries =
        Arbitraries.strings()
            .withChars("aAz~\u007f\u0080\u07ff\u0800\u4e2d\ud7ff\ue000\uf8ff\ufffd\uffff")
            .withCharRange('\ud800', '\ud800')
            .ofMaxLength(6)
            .map(Utf8OrderTest::pairSurrogates);
    Arbitrary<String> codePoints =
        Arbitraries.integers()
            .between(0, Character.MAX_CODE_POINT)
            .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)
            .list()
            .ofMaxSize(5)
            .map(
                l ->
                    l.stream()
                        .collect(
                            StringBuilder::new,
                            StringBuilder::appendCodePoint,
                            StringBuilder::append)
                        .toString());
    return Arbitraries.oneOf(boundaries, codePoints);
  }

  // Turns each generated lone high surrogate into a supplementary character (U+10000 or U+10400).
  private static String pairSurrogates(String s) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      sb.append(c);
      if (Character.isHighSurrogate(c)) {
        sb.append(sb.length() % 2 == 0 ? '\udc00' : '\udfff');
      }
    }
    return sb.toString();
  }
}

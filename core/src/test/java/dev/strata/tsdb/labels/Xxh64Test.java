package dev.strata.tsdb.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class Xxh64Test {

  // Published XXH64 vectors (seed 0), as in the test suite of the Go library Prometheus uses.
  @Test
  void publishedVectors() {
    assertHash(0xef46db3751d8e999L, "");
    assertHash(0xd24ec4f1a98c6e5bL, "a");
    assertHash(0x1c330fb2d66be179L, "as");
    assertHash(0x631c37ce72a97393L, "asd");
    assertHash(0x415872f599cea71eL, "asdf");
    // 63 bytes: one stripe, three words, one int and three single bytes.
    assertHash(
        0x02a2e85470d6fd96L, "Call me Ishmael. Some years ago--never mind how long precisely-");
  }

  @Test
  void offsetIsHonoured() {
    byte[] b = "xxabcyy".getBytes(StandardCharsets.US_ASCII);
    assertEquals(Xxh64.hash("abc".getBytes(StandardCharsets.US_ASCII), 0, 3), Xxh64.hash(b, 2, 3));
  }

  @Property(tries = 300)
  void streamingLabelHashEqualsHashOfEncodedBytes(@ForAll("stringLists") String[] strings) {
    byte[] bytes = encoded(strings);
    assertEquals(Xxh64.hash(bytes, 0, bytes.length), Xxh64.hashLabels(strings));
  }

  @Test
  void unpairedSurrogateHashesAsReplacementCharacter() {
    assertEquals(
        Xxh64.hashLabels(new String[] {"a\uFFFDb"}), Xxh64.hashLabels(new String[] {"a\uD800b"}));
  }

  @Provide
  Arbitrary<String[]> stringLists() {
    Arbitrary<String> s =
        Arbitraries.oneOf(
            Arbitraries.strings().ascii().ofMaxLength(40),
            Arbitraries.strings().all().ofMaxLength(40).filter(LabelValidation::isValidLabelValue),
            Arbitraries.strings()
                .withChars("a\u00e9\u4e2d\ud83d\ude00")
                .ofMaxLength(100)
                .filter(LabelValidation::isValidLabelValue));
    return s.array(String[].class).ofMaxSize(12);
  }

  static byte[] encoded(String[] strings) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String s : strings) {
      out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
      out.write(0xFF);
    }
    return out.toByteArray();
  }

  private static void assertHash(long expected, String input) {
    byte[] b = input.getBytes(StandardCharsets.UTF_8);
    assertEquals(expected, Xxh64.hash(b, 0, b.length), input);
  }
}

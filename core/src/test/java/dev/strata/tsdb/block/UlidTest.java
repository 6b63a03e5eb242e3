package dev.strata.tsdb.block;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Checks the text and binary forms against the ulid-creator library, an independent implementation
 * of the same specification, and the ordering against the order of bytes and text.
 */
class UlidTest {

  @Provide
  Arbitrary<Ulid> ulids() {
    Arbitrary<Long> times =
        Arbitraries.oneOf(
            Arbitraries.longs().between(0, Ulid.MAX_TIMESTAMP),
            Arbitraries.of(0L, 1L, 1_700_000_000_000L, Ulid.MAX_TIMESTAMP));
    Arbitrary<Integer> high16 =
        Arbitraries.oneOf(Arbitraries.integers().between(0, 0xFFFF), Arbitraries.of(0, 0xFFFF));
    Arbitrary<Long> low64 =
        Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.of(0L, -1L, Long.MIN_VALUE));
    return Combinators.combine(times, high16, low64).as(Ulid::of);
  }

  @Property(tries = 500)
  void textMatchesTheReferenceImplementationAndRoundTrips(@ForAll("ulids") Ulid ulid) {
    com.github.f4b6a3.ulid.Ulid reference =
        new com.github.f4b6a3.ulid.Ulid(ulid.high(), ulid.low());
    String text = ulid.toString();
    assertEquals(reference.toString(), text);
    assertEquals(Ulid.TEXT_LENGTH, text.length());
    assertEquals(ulid, Ulid.parse(text));
    assertEquals(ulid, Ulid.parse(text.toLowerCase(Locale.ROOT)));
    assertEquals(Optional.of(ulid), Ulid.tryParse(text));
    assertEquals(reference.getTime(), ulid.timestamp());
  }

  @Property(tries = 300)
  void bytesMatchTheReferenceImplementationAndRoundTrip(@ForAll("ulids") Ulid ulid) {
    byte[] bytes = ulid.toBytes();
    assertArrayEquals(new com.github.f4b6a3.ulid.Ulid(ulid.high(), ulid.low()).toBytes(), bytes);
    assertEquals(ulid, Ulid.fromBytes(bytes));
  }

  @Property(tries = 500)
  void orderIsTimeThenRandomnessAsBytesAndText(@ForAll("ulids") Ulid a, @ForAll("ulids") Ulid b) {
    int c = Integer.signum(a.compareTo(b));
    assertEquals(Integer.signum(Arrays.compareUnsigned(a.toBytes(), b.toBytes())), c);
    assertEquals(Integer.signum(a.toString().compareTo(b.toString())), c);
    if (a.timestamp() != b.timestamp()) {
      assertEquals(Long.signum(a.timestamp() - b.timestamp()), c);
    }
    assertEquals(c == 0, a.equals(b));
  }

  @Test
  void timestampAndRandomComeFromTheirBits() {
    Ulid u = Ulid.of(1_700_000_000_000L, 0xABCD, 0x0123_4567_89AB_CDEFL);
    assertEquals(1_700_000_000_000L, u.timestamp());
    assertEquals((1_700_000_000_000L << 16) | 0xABCD, u.high());
    assertEquals(0x0123_4567_89AB_CDEFL, u.low());
    assertEquals("00000000000000000000000000", new Ulid(0, 0).toString());
    assertEquals("7ZZZZZZZZZZZZZZZZZZZZZZZZZ", new Ulid(-1, -1).toString());
    assertEquals(Ulid.MAX_TIMESTAMP, new Ulid(-1, -1).timestamp());
  }

  @Test
  void parseRejectsWrongLength() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Ulid.parse("01ARZ3NDEKTSV4RRFFQ69G5FA"));
    assertEquals(
        "invalid ULID \"01ARZ3NDEKTSV4RRFFQ69G5FA\": 25 characters, expected 26", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Ulid.parse(""));
    assertThrows(IllegalArgumentException.class, () -> Ulid.parse("01ARZ3NDEKTSV4RRFFQ69G5FAVX"));
  }

  @Test
  void parseRejectsLettersOutsideTheAlphabetAndSaysWhere() {
    for (char c : new char[] {'I', 'L', 'O', 'U', 'i', 'l', 'o', 'u', '-', ' ', 'é', '\u0661'}) {
      String text = "01ARZ3NDEK" + c + "SV4RRFFQ69G5FAV";
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Ulid.parse(text));
      assertTrue(e.getMessage().contains("character '" + c + "' at index 10"), e.getMessage());
      assertEquals(Optional.empty(), Ulid.tryParse(text));
    }
  }

  @Test
  void parseRejectsValuesBeyond128Bits() {
    assertEquals(new Ulid(-1, -1), Ulid.parse("7ZZZZZZZZZZZZZZZZZZZZZZZZZ"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Ulid.parse("8ZZZZZZZZZZZZZZZZZZZZZZZZZ"));
    assertTrue(e.getMessage().contains("larger than 128 bits"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Ulid.parse("Z0000000000000000000000000"));
  }

  @Test
  void parseAcceptsWhatPrometheusAcceptsForBlockNames() {
    // A ULID promtool printed for a block it created.
    Ulid u = Ulid.parse("01M8962N0FJNS2CQA16J6NKE3V");
    assertEquals("01M8962N0FJNS2CQA16J6NKE3V", u.toString());
    assertEquals(u, Ulid.parse("01m8962n0fjns2cqa16j6nke3v"));
    assertEquals(u, Ulid.parse(new StringBuilder("01M8962N0FJNS2CQA16J6NKE3V")));
  }

  @Test
  void ofRejectsOutOfRangeParts() {
    assertThrows(IllegalArgumentException.class, () -> Ulid.of(-1, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> Ulid.of(Ulid.MAX_TIMESTAMP + 1, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> Ulid.of(0, 0x10000, 0));
    assertThrows(IllegalArgumentException.class, () -> Ulid.of(0, -1, 0));
    assertThrows(IllegalArgumentException.class, () -> Ulid.fromBytes(new byte[15]));
    assertThrows(
        IllegalArgumentException.class,
        () -> Ulid.fromBytes("0123456789abcdefg".getBytes(StandardCharsets.US_ASCII)));
  }
}

package dev.strata.tsdb.encoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.StringLength;

class Utf8Test {
  @Property
  void encodesAsTheJdkDoes(@ForAll @StringLength(max = 40) String s) {
    assertSame(s);
  }

  @Property
  void encodesAnyCharsIncludingLoneSurrogatesAsTheJdkDoes(
      @ForAll @StringLength(max = 20) @CharRange(from = '\u0000', to = '\uffff') String s) {
    assertSame(s);
  }

  @Example
  void edgeCases() {
    for (String s : new String[] {"", "a", "é", "€", "😀", "\ud83d", "\ude00x", "x\ud83d", "\u07ff\u0800"}) {
      assertSame(s);
    }
  }

  private static void assertSame(String s) {
    byte[] expected = s.getBytes(StandardCharsets.UTF_8);
    assertEquals(expected.length, Utf8.length(s), s);
    byte[] out = new byte[expected.length + 3];
    int n = Utf8.encode(s, out);
    assertArrayEquals(expected, Arrays.copyOf(out, n), s);
  }
}

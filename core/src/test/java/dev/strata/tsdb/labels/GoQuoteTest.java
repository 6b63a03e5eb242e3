package dev.strata.tsdb.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

// Expectations are what Go 1.19's strconv.Quote returns, written out by hand.
class GoQuoteTest {

  @Test
  void plainAscii() {
    assertEquals("\"\"", GoQuote.quote(""));
    assertEquals("\"up\"", GoQuote.quote("up"));
    assertEquals(
        "\"a b ~!@#$%^&*()_+{}|:<>?`-=[];',./\"",
        GoQuote.quote("a b ~!@#$%^&*()_+{}|:<>?`-=[];',./"));
  }

  @Test
  void quoteAndBackslash() {
    assertEquals("\"say \\\"hi\\\"\"", GoQuote.quote("say \"hi\""));
    assertEquals("\"C:\\\\dir\\\\\"", GoQuote.quote("C:\\dir\\"));
    assertEquals("\"it's\"", GoQuote.quote("it's"));
  }

  @Test
  void shortEscapes() {
    assertEquals("\"\\a\\b\\f\\n\\r\\t\\v\"", GoQuote.quote("\u0007\b\f\n\r\t\u000b"));
    assertEquals("\"line1\\nline2\"", GoQuote.quote("line1\nline2"));
  }

  @Test
  void otherControlCharactersUseHexBytes() {
    assertEquals("\"\\x00\\x01\\x1b\\x1f\\x7f\"", GoQuote.quote("\u0000\u0001\u001b\u001f\u007f"));
  }

  @Test
  void nonPrintableUnicodeUsesUEscapes() {
    assertEquals("\"\\u0080\\u009f\"", GoQuote.quote("\u0080\u009f")); // C1 controls
    assertEquals("\"\\u00a0\"", GoQuote.quote("\u00a0")); // no-break space (Zs)
    assertEquals("\"\\u00ad\"", GoQuote.quote("\u00ad")); // soft hyphen (Cf)
    assertEquals("\"\\u2028\\u2029\"", GoQuote.quote("\u2028\u2029")); // line/paragraph sep
    assertEquals("\"\\u3000\"", GoQuote.quote("\u3000")); // ideographic space
    assertEquals("\"\\ue000\"", GoQuote.quote("\ue000")); // private use
    assertEquals("\"\\ufeff\\ufffe\\uffff\"", GoQuote.quote("\ufeff\ufffe\uffff"));
    assertEquals("\"\\U000e0001\"", GoQuote.quote(new String(Character.toChars(0xE0001))));
    assertEquals("\"\\U0010ffff\"", GoQuote.quote(new String(Character.toChars(0x10FFFF))));
    assertEquals("\"\\U000f0000\"", GoQuote.quote(new String(Character.toChars(0xF0000))));
  }

  @Test
  void printableUnicodeStaysAsIs() {
    String s = "caf\u00e9 \u4e2d\u6587 \ud83d\ude00 \u00e9\u0301 \u20ac \u2603 \u0416";
    assertEquals("\"" + s + "\"", GoQuote.quote(s));
    String ancient = new String(Character.toChars(0x10330)); // Gothic letter (Lo)
    assertEquals("\"" + ancient + "\"", GoQuote.quote(ancient));
  }

  @Test
  void unpairedSurrogatesPrintAsTheirBytes() {
    assertEquals("\"a\\xed\\xa0\\x80b\"", GoQuote.quote("a\ud800b"));
    assertEquals("\"\\xed\\xbf\\xbf\"", GoQuote.quote("\udfff"));
  }

  @Test
  void isPrintFollowsGoCategories() {
    assertTrue(GoQuote.isPrint(' '));
    assertTrue(GoQuote.isPrint('~'));
    assertTrue(GoQuote.isPrint(0x0301)); // combining mark
    assertTrue(GoQuote.isPrint(0x1F600));
    assertFalse(GoQuote.isPrint('\t'));
    assertFalse(GoQuote.isPrint(0x2000)); // en quad, a space other than U+0020
    assertFalse(GoQuote.isPrint(0x0378)); // unassigned
    assertFalse(GoQuote.isPrint(0xD800));
  }

  @Test
  void unicodeVersionOfJava17MatchesGo119() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Runtime.version().feature() == 17, "Unicode 13.0 tables only on Java 17");
    assertTrue(GoQuote.isPrint(0x1FAD6)); // teapot, Unicode 13.0
    assertFalse(GoQuote.isPrint(0x1FAE0)); // melting face, Unicode 14.0: escaped by Prometheus 2.42
  }
}

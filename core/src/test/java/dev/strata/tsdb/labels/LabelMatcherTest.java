package dev.strata.tsdb.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LabelMatcherTest {

  private static final Labels WITH_FOO = Labels.of("__name__", "m", "foo", "bar");
  private static final Labels WITHOUT_FOO = Labels.of("__name__", "m");

  @Test
  void absentLabelsAreEmpty() {
    assertTrue(LabelMatcher.equal("foo", "").matches(WITHOUT_FOO));
    assertFalse(LabelMatcher.equal("foo", "").matches(WITH_FOO));
    assertFalse(LabelMatcher.notEqual("foo", "").matches(WITHOUT_FOO));
    assertTrue(LabelMatcher.notEqual("foo", "").matches(WITH_FOO));
    assertTrue(LabelMatcher.regex("foo", ".*").matches(WITHOUT_FOO));
    assertFalse(LabelMatcher.regex("foo", ".+").matches(WITHOUT_FOO));
    assertTrue(LabelMatcher.regex("foo", ".+").matches(WITH_FOO));
    assertFalse(LabelMatcher.notRegex("foo", ".*").matches(WITHOUT_FOO));
    assertTrue(LabelMatcher.notRegex("foo", ".+").matches(WITHOUT_FOO));
    assertTrue(LabelMatcher.regex("foo", "bar|").matches(WITHOUT_FOO));
    assertTrue(LabelMatcher.regex("foo", "").matches(WITHOUT_FOO));
    assertFalse(LabelMatcher.regex("foo", "").matches(WITH_FOO));
  }

  @Test
  void matchesEmpty() {
    assertTrue(LabelMatcher.equal("a", "").matchesEmpty());
    assertFalse(LabelMatcher.equal("a", "x").matchesEmpty());
    assertTrue(LabelMatcher.notEqual("a", "x").matchesEmpty());
    assertTrue(LabelMatcher.regex("a", "x|").matchesEmpty());
    assertTrue(LabelMatcher.regex("a", "x*").matchesEmpty());
    assertFalse(LabelMatcher.regex("a", "x+").matchesEmpty());
    assertTrue(LabelMatcher.notRegex("a", "x+").matchesEmpty());
  }

  @Test
  void regexIsAnchored() {
    LabelMatcher m = LabelMatcher.regex("path", "api");
    assertTrue(m.matches("api"));
    assertFalse(m.matches("/api/v1"));
    assertFalse(LabelMatcher.regex("a", "b|c").matches("bc"));
    assertFalse(LabelMatcher.regex("a", "a|b").matches("ab"));
  }

  @Test
  void toStringLikePrometheus() {
    assertEquals("job=\"api\"", LabelMatcher.equal("job", "api").toString());
    assertEquals("job!=\"\"", LabelMatcher.notEqual("job", "").toString());
    assertEquals("path=~\"/api/.*\"", LabelMatcher.regex("path", "/api/.*").toString());
    assertEquals("ip!~\"10\\\\.0\\\\..*\"", LabelMatcher.notRegex("ip", "10\\.0\\..*").toString());
    assertEquals("v=\"a\\\"b\\n\"", LabelMatcher.equal("v", "a\"b\n").toString());
  }

  @Test
  void ofAndTypes() {
    for (MatchType t : MatchType.values()) {
      LabelMatcher m = LabelMatcher.of(t, "n", "v");
      assertEquals(t, m.type());
      assertEquals("n", m.name());
      assertEquals("v", m.value());
      assertEquals(m.matches("v"), !t.isNegative());
      assertEquals(!m.matches("w"), !t.isNegative());
      assertEquals(m.inverse().inverse(), m);
      assertNotEquals(m.inverse(), m);
      for (String s : List.of("", "v", "w", "vv")) {
        assertEquals(!m.matches(s), m.inverse().matches(s));
      }
    }
    assertEquals("=~", MatchType.REGEX.operator());
    assertEquals("!~", MatchType.NOT_REGEX.toString());
  }

  @Test
  void equality() {
    assertEquals(LabelMatcher.regex("a", "b.*"), LabelMatcher.of(MatchType.REGEX, "a", "b.*"));
    assertEquals(
        LabelMatcher.regex("a", "b.*").hashCode(),
        LabelMatcher.of(MatchType.REGEX, "a", "b.*").hashCode());
    assertNotEquals(LabelMatcher.regex("a", "b"), LabelMatcher.equal("a", "b"));
    assertNotEquals(LabelMatcher.regex("a", "b"), LabelMatcher.regex("x", "b"));
  }

  @Test
  void setMatches() {
    assertEquals(Optional.of(List.of("x")), LabelMatcher.equal("a", "x").setMatches());
    assertEquals(Optional.of(List.of("")), LabelMatcher.equal("a", "").setMatches());
    assertEquals(
        Optional.of(List.of("a", "b", "c")), LabelMatcher.regex("l", "c|a|b|a").setMatches());
    assertEquals(Optional.of(List.of("", "x")), LabelMatcher.regex("l", "x|").setMatches());
    assertEquals(
        Optional.of(List.of("10.0.0.1")), LabelMatcher.regex("l", "10\\.0\\.0\\.1").setMatches());
    assertEquals(
        Optional.of(List.of("GET_total", "POST_total")),
        LabelMatcher.regex("l", "(GET|POST)_total").setMatches());
    assertEquals(
        Optional.of(List.of("api_v1", "api_v2", "api_v3")),
        LabelMatcher.regex("l", "^api_v[1-3]$").setMatches());
    assertEquals(Optional.of(List.of("a", "ab")), LabelMatcher.regex("l", "ab?").setMatches());
    assertEquals(
        Optional.of(List.of("\ue000", "\ud83d\ude00")),
        LabelMatcher.regex("l", "\ud83d\ude00|\ue000").setMatches(),
        "UTF-8 order");
    assertEquals(Optional.empty(), LabelMatcher.regex("l", "a.*").setMatches());
    assertEquals(Optional.empty(), LabelMatcher.regex("l", "(?i)a").setMatches());
    assertEquals(Optional.empty(), LabelMatcher.regex("l", "[a-z]+").setMatches());
    assertEquals(Optional.empty(), LabelMatcher.notRegex("l", "a|b").setMatches());
    assertEquals(Optional.empty(), LabelMatcher.notEqual("l", "a").setMatches());
    assertEquals(Optional.empty(), LabelMatcher.regex("l", "[^a]").setMatches());
    assertEquals(
        Optional.empty(),
        LabelMatcher.regex("l", "[a-z][a-z]").setMatches(),
        "676 values are more than the set limit");
  }

  @Test
  void fastPathsAreChosen() {
    assertEquals(RegexProgram.Kind.SET, RegexProgram.compile("a|b|c").kind());
    assertEquals(RegexProgram.Kind.SET, RegexProgram.compile("literal\\.value").kind());
    assertEquals(RegexProgram.Kind.GLOB, RegexProgram.compile(".*").kind());
    assertEquals(RegexProgram.Kind.GLOB, RegexProgram.compile(".+").kind());
    assertEquals(RegexProgram.Kind.GLOB, RegexProgram.compile("prefix.*").kind());
    assertEquals(RegexProgram.Kind.GLOB, RegexProgram.compile(".*suffix").kind());
    assertEquals(RegexProgram.Kind.GLOB, RegexProgram.compile(".*part.*").kind());
    assertEquals(RegexProgram.Kind.GLOB, RegexProgram.compile("^(?s)a.*b.+c$").kind());
    assertEquals(RegexProgram.Kind.GLOB, RegexProgram.compile("(.*)").kind());
    assertEquals(RegexProgram.Kind.PATTERN, RegexProgram.compile("a.b").kind());
    assertEquals(RegexProgram.Kind.PATTERN, RegexProgram.compile(".+.+").kind());
    assertEquals(RegexProgram.Kind.PATTERN, RegexProgram.compile("a.*(?s:.*)").kind());
  }

  @Test
  void prefix() {
    assertEquals("api", LabelMatcher.equal("a", "api").prefix());
    assertEquals("/api/", LabelMatcher.regex("a", "/api/.*").prefix());
    assertEquals("/api/v", LabelMatcher.regex("a", "/api/v[0-9]+").prefix());
    assertEquals("ab", LabelMatcher.regex("a", "abc|abd").prefix());
    assertEquals("", LabelMatcher.regex("a", "(?i)abc.*").prefix());
    assertEquals("", LabelMatcher.notRegex("a", "abc.*").prefix());
    assertEquals("", LabelMatcher.regex("a", "x|\ud83d\ude00|\ud83d\ude01").prefix());
    // The common UTF-16 prefix of two emoji is half a character: not a prefix to seek to.
    assertEquals("", LabelMatcher.regex("a", "\ud83d\ude00|\ud83d\ude01").prefix());
  }

  @Test
  void stackExhaustionIsReportedNotThrownAsAnError() {
    LabelMatcher m = LabelMatcher.regex("v", "(ab|cd)*");
    assertTrue(m.matches("abcd".repeat(100)));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> m.matches("ab".repeat(1_000_000)));
    assertTrue(e.getMessage().contains("too complex to match a value of 2000000 characters"));
  }

  @Test
  void rejectsInvalidRegexAndNulls() {
    InvalidRegexException e =
        assertThrows(InvalidRegexException.class, () -> LabelMatcher.regex("a", "(unclosed"));
    assertEquals(
        "invalid regular expression \"(unclosed\": missing closing ): `(unclosed`", e.getMessage());
    assertThrows(InvalidRegexException.class, () -> LabelMatcher.notRegex("a", "[z-a]"));
    assertThrows(NullPointerException.class, () -> LabelMatcher.equal(null, "x"));
    assertThrows(NullPointerException.class, () -> LabelMatcher.equal("a", null));
    // Equality matchers take any value, regex syntax included.
    assertTrue(LabelMatcher.equal("a", "(unclosed").matches("(unclosed"));
  }
}

package dev.strata.tsdb.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RE2 semantics where java.util.regex reads the same text differently. Each case states what
 * Prometheus 2.42 answers (checked against promtool for the interop-tested ones).
 */
class GoRegexTest {

  @ParameterizedTest(name = "{0} on {1}")
  @CsvSource(
      delimiter = '~',
      quoteCharacter = '\'',
      value = {
        // . excludes only \n, unless (?s)
        "a.b ~ a\\nb ~ false",
        "a.b ~ a\\rb ~ true",
        "a.b ~ a\\u0085b ~ true",
        "(?s)a.b ~ a\\nb ~ true",
        "(?s:a.)b ~ a\\nb ~ true",
        ".* ~ x\\ny ~ false",
        // $ is the end of text, not before a final newline; (?m) makes both line anchors
        "a$\\n ~ a\\n ~ false",
        "(?m)a$\\n^b ~ a\\nb ~ true",
        "(?m)^a$ ~ a ~ true",
        // \\s has no vertical tab; [[:space:]] does
        "\\s ~ \\u000b ~ false",
        "[\\s] ~ \\u000b ~ false",
        "\\s ~ \\t ~ true",
        "[[:space:]] ~ \\u000b ~ true",
        "\\S ~ \\u000b ~ true",
        // classes: [ and && are literals, ] first is a literal, - after a class is a literal
        "[[] ~ [ ~ true",
        "[]a] ~ ] ~ true",
        "[^]a] ~ b ~ true",
        "[^]a] ~ ] ~ false",
        "[a-c&&b] ~ & ~ true",
        "[\\d-z] ~ - ~ true",
        "[^a] ~ \\n ~ true",
        "[[:^alpha:]] ~ 1 ~ true",
        "[[:^alpha:]] ~ a ~ false",
        "[[:word:]]+ ~ a_1 ~ true",
        // escapes: octal, hex, punctuation
        "\\12 ~ \\n ~ true",
        "\\0 ~ \\u0000 ~ true",
        "\\x41\\x{42} ~ AB ~ true",
        "\\x{1F600} ~ \\uD83D\\uDE00 ~ true",
        "\\a\\f\\v ~ \\u0007\\u000c\\u000b ~ true",
        "\\_\\- ~ _- ~ true",
        // \\Q...\\E, and a repetition after it binds to the last character
        "\\Qa.b\\E ~ a.b ~ true",
        "\\Qa.b\\E ~ axb ~ false",
        "\\Qab\\E* ~ abbb ~ true",
        "\\Qab\\E* ~ a ~ true",
        "\\Qab\\E* ~ abab ~ false",
        // braces that are not a repetition are literals
        "a{,2} ~ a{,2} ~ true",
        "a{2 ~ a{2 ~ true",
        "a{2} ~ aa ~ true",
        "a{01} ~ a{01} ~ true",
        "a{2,}b ~ aaab ~ true",
        // flags: U only changes greediness; i folds Unicode case
        "(?U)a+ ~ aaa ~ true",
        "(?i)abc ~ AbC ~ true",
        "(?i)k ~ \\u212a ~ true",
        "(?i)[^k] ~ K ~ false",
        "(?i:a)b ~ Ab ~ true",
        "(?i:a)b ~ AB ~ false",
        "a(?i)b|c ~ aB ~ true",
        "a(?i)b|c ~ C ~ true",
        "(a(?i)b)c ~ aBc ~ true",
        "(a(?i)b)c ~ aBC ~ false",
        "(?)a ~ a ~ true",
        // ASCII word boundaries
        ".\\bfoo\\b. ~ \\u00e9foo\\u00e9 ~ true",
        "a\\Bb ~ ab ~ true",
        "\\b ~ '' ~ false",
        "\\B ~ '' ~ true",
        // Unicode classes
        "\\pL+ ~ h\\u00e9llo ~ true",
        "\\p{Greek}+ ~ \\u03b1\\u03b2 ~ true",
        "\\p{^Greek} ~ a ~ true",
        "\\PL ~ 1 ~ true",
        "\\pN ~ \\u0663 ~ true",
        "\\pC ~ \\u0378 ~ false",
        "\\pC ~ \\u0001 ~ true",
        "\\p{Any}+ ~ x\\ny ~ true",
        // groups and names
        "(?P<name_1>x)y ~ xy ~ true",
        "(?<n>x)y ~ xy ~ true",
        "(?:a|b)+c ~ abac ~ true",
        "() ~ '' ~ true",
        "a|^b$ ~ b ~ true",
        "^*a ~ a ~ true",
      })
  void matchesLikeRe2(String regex, String input, boolean expected) {
    String re = unescape(regex);
    String value = unescape(input);
    RegexProgram program = RegexProgram.compile(re);
    assertEquals(expected, program.matches(value), () -> re + " (" + program + ") on " + value);
    assertEquals(expected, RegexProgram.javaPattern(re).matcher(value).matches(), "java form");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "a(b | missing closing ): `(b`",
        "a)b | unexpected ): `)b`",
        "[a | missing closing ]: `[a`",
        "*a | missing argument to repetition operator: `*`",
        "{2} | missing argument to repetition operator: `{2}`",
        "a** | invalid nested repetition operator: `**`",
        "a*+ | invalid nested repetition operator: `*+`",
        "a*?? | invalid nested repetition operator: `*??`",
        "a{1001} | invalid repeat count: `{1001}`",
        "a{2,1} | invalid repeat count: `{2,1}`",
        "\\1 | invalid escape sequence: `\\1`",
        "\\8 | invalid escape sequence: `\\8`",
        "\\e | invalid escape sequence: `\\e`",
        "\\Z | invalid escape sequence: `\\Z`",
        "\\C | invalid escape sequence: `\\C`",
        "[\\b] | invalid escape sequence: `\\b`",
        "\\x{110000} | invalid escape sequence: `\\x`",
        "(?x)a | invalid or unsupported Perl syntax: `(?x`",
        "(?i-)a | invalid or unsupported Perl syntax: `(?i-)`",
        "(?=a) | invalid or unsupported Perl syntax: `(?=`",
        "(?<=a)b | invalid or unsupported Perl syntax: `(?<`",
        "(?P=a) | invalid or unsupported Perl syntax: `(?P`",
        "[z-a] | invalid character class range: `z-a`",
        "[[:foo:]] | invalid character class range: `[:foo:]`",
        "\\p{Latn} | invalid character class range: `\\p{Latn}`",
        "\\p{latin} | invalid character class range: `\\p{latin}`",
        "(?P<>a) | invalid named capture: `(?P<>`",
        "(?P<a-b>x) | invalid named capture: `(?P<a-b>`",
        "(?P<a>x)(?P<a>y) | duplicate capture group name: `(?P<a>`",
        "\\x{D800} | surrogate code points are not characters: `\\x{D800}`",
      })
  void rejectsWhatRe2Rejects(String regex, String message) {
    InvalidRegexException e =
        assertThrows(InvalidRegexException.class, () -> RegexProgram.compile(regex));
    assertEquals(
        "invalid regular expression " + GoQuote.quote(regex) + ": " + message, e.getMessage());
    assertEquals(regex, e.regex());
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\\", "(", "(?", "(?i", "(?P<a"})
  void rejectsTruncatedExpressions(String regex) {
    assertThrows(InvalidRegexException.class, () -> RegexProgram.compile(regex));
  }

  @Test
  void rejectsUnpairedSurrogates() {
    assertThrows(InvalidRegexException.class, () -> RegexProgram.compile("a\ud800"));
    assertThrows(InvalidRegexException.class, () -> RegexProgram.compile("[\udc00]"));
  }

  @Test
  void rejectsNestingDeeperThanRe2() {
    String deep = "(".repeat(1001) + "a" + ")".repeat(1001);
    InvalidRegexException e =
        assertThrows(InvalidRegexException.class, () -> RegexProgram.compile(deep));
    assertEquals(
        "invalid regular expression " + GoQuote.quote(deep) + ": expression nests too deeply",
        e.getMessage());
    assertEquals(true, RegexProgram.compile("(".repeat(200) + "a" + ")".repeat(200)).matches("a"));
  }

  @Test
  void deepNestingIsAClearErrorEvenOnASmallThreadStack() throws Exception {
    // RE2's limit of 1000 levels can exceed what a small stack holds for the recursive parser.
    String deep = "(".repeat(1000) + "a" + ")".repeat(1000);
    Throwable[] thrown = new Throwable[1];
    Thread small = new Thread(null, () -> {
      try {
        RegexProgram.compile(deep);
      } catch (Throwable t) {
        thrown[0] = t;
      }
    }, "small-stack", 64 << 10);
    small.start();
    small.join();
    if (thrown[0] != null) { // accepted where the stack sufficed, else reported clearly
      assertEquals(InvalidRegexException.class, thrown[0].getClass(), String.valueOf(thrown[0]));
      assertTrue(thrown[0].getMessage().endsWith(": expression nests too deeply"));
    }
  }

  @Test
  void translationIsPlainJava() {
    // The Java form uses no flags and no ^, $ or . whose meaning depends on them.
    Pattern p = RegexProgram.javaPattern("^a.b$|(?m)c$");
    assertEquals(0, p.flags());
    assertEquals("\\Aa[^\\n]b\\z|c(?![^\\n])", p.pattern());
  }

  // The CSV cells spell \n, \t, \\uXXXX and '' (empty) as escapes.
  static String unescape(String s) {
    if (s.equals("''")) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char n = s.charAt(i + 1);
        if (n == 'n') {
          out.append('\n');
          i++;
          continue;
        }
        if (n == 't') {
          out.append('\t');
          i++;
          continue;
        }
        if (n == 'r') {
          out.append('\r');
          i++;
          continue;
        }
        if (n == 'u' && i + 5 < s.length()) {
          out.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
          i += 5;
          continue;
        }
        if (n == '\\') {
          out.append('\\');
          i++;
          continue;
        }
      }
      out.append(c);
    }
    return out.toString();
  }
}

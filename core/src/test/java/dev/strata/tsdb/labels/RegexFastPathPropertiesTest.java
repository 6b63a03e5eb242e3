package dev.strata.tsdb.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/**
 * The fast paths (sets, globs) and the translated Java pattern agree with the plain anchored regex
 * on arbitrary strings. The generated expressions use only syntax that java.util.regex with
 * UNIX_LINES reads exactly as RE2 does, so that the plain Java regex is an independent oracle.
 */
class RegexFastPathPropertiesTest {

  private static final String[] TOKENS = {
    "a",
    "b",
    "ab",
    "\u00e9",
    "\ud83d\ude00",
    "\\.",
    "\n",
    ".*",
    ".+",
    ".*",
    ".+",
    "(?s:.*)",
    "(?s:.+)",
    ".",
    "(a|b)",
    "(a|\ud83d\ude00|)",
    "[ab]",
    "b?",
    "(?:a.*)",
    "x*"
  };

  @Property(tries = 3000)
  void programAgreesWithPlainAnchoredRegex(
      @ForAll("patterns") String regex, @ForAll("inputs") List<String> inputs) {
    RegexProgram program = RegexProgram.compile(regex);
    Statistics.label("kind").collect(program.kind());
    Pattern plain = Pattern.compile("^(?:" + regex + ")$", Pattern.UNIX_LINES);
    Pattern translated = RegexProgram.javaPattern(regex);
    for (String s : inputs) {
      boolean expected = plain.matcher(s).matches();
      assertEquals(expected, program.matches(s), () -> describe(regex, program, s));
      assertEquals(expected, translated.matcher(s).matches(), () -> describe(regex, program, s));
    }
    List<String> set = program.setMatches();
    if (set != null) {
      for (String v : set) {
        assertTrue(plain.matcher(v).matches(), () -> describe(regex, program, v));
      }
      for (String s : inputs) {
        assertEquals(plain.matcher(s).matches(), set.contains(s));
      }
    }
    for (String s : inputs) {
      if (program.matches(s)) {
        assertTrue(s.startsWith(program.prefix()), () -> describe(regex, program, s));
      }
    }
  }

  @Property(tries = 300)
  void matcherTypesAgreeWithTheProgram(
      @ForAll("patterns") String regex, @ForAll("inputs") List<String> inputs) {
    LabelMatcher re = LabelMatcher.regex("l", regex);
    LabelMatcher notRe = LabelMatcher.notRegex("l", regex);
    Pattern plain = Pattern.compile("^(?:" + regex + ")$", Pattern.UNIX_LINES);
    for (String s : inputs) {
      assertEquals(plain.matcher(s).matches(), re.matches(s));
      assertEquals(!plain.matcher(s).matches(), notRe.matches(s));
    }
    assertEquals(plain.matcher("").matches(), re.matchesEmpty());
  }

  @Test
  void generatorExercisesEveryKind() {
    Map<RegexProgram.Kind, Integer> counts = new EnumMap<>(RegexProgram.Kind.class);
    patterns()
        .sampleStream()
        .limit(2000)
        .forEach(p -> counts.merge(RegexProgram.compile(p).kind(), 1, Integer::sum));
    for (RegexProgram.Kind k : RegexProgram.Kind.values()) {
      assertTrue(counts.getOrDefault(k, 0) > 100, () -> "too few " + k + ": " + counts);
    }
  }

  @Provide
  static Arbitrary<String> patterns() {
    Arbitrary<String> sequence =
        Arbitraries.of(TOKENS).list().ofMinSize(0).ofMaxSize(5).map(l -> String.join("", l));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, sequence),
        net.jqwik.api.Tuple.of(
            2, sequence.list().ofMinSize(2).ofMaxSize(4).map(l -> String.join("|", l))),
        net.jqwik.api.Tuple.of(1, sequence.map(s -> "^" + s + "$")));
  }

  @Provide
  static Arbitrary<List<String>> inputs() {
    Arbitrary<String> s =
        Arbitraries.of("a", "b", "a", "b", "ab", "\u00e9", "\ud83d\ude00", ".", "\n", "x")
            .list()
            .ofMaxSize(7)
            .map(l -> String.join("", l));
    return s.list().ofMinSize(20).ofMaxSize(20);
  }

  private static String describe(String regex, RegexProgram p, String s) {
    return GoQuote.quote(regex) + " as " + p + " on " + GoQuote.quote(s);
  }
}

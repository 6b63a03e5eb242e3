package dev.strata.tsdb.labels;

import dev.strata.tsdb.labels.RegexNode.Alternate;
import dev.strata.tsdb.labels.RegexNode.AnyChar;
import dev.strata.tsdb.labels.RegexNode.Assertion;
import dev.strata.tsdb.labels.RegexNode.AssertionKind;
import dev.strata.tsdb.labels.RegexNode.CharClass;
import dev.strata.tsdb.labels.RegexNode.Concat;
import dev.strata.tsdb.labels.RegexNode.Empty;
import dev.strata.tsdb.labels.RegexNode.Literal;
import dev.strata.tsdb.labels.RegexNode.Repeat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A Prometheus regex, fully anchored, compiled to the cheapest way of deciding it.
 *
 * <ul>
 *   <li>{@link Kind#SET}: the expression accepts finitely many strings (a literal such as {@code
 *       api\.v1}, an alternation {@code a|b|c}, {@code (GET|POST)_total}, {@code [0-3]}): a string
 *       comparison or a hash-set lookup.
 *   <li>{@link Kind#GLOB}: literals separated by {@code .*} or {@code .+} ({@code prefix.*}, {@code
 *       .*suffix}, {@code .*part.*}, {@code .*}, {@code .+}): {@code startsWith}, {@code indexOf}
 *       and {@code endsWith}, leftmost-first, which is exact for wildcards of unbounded length.
 *   <li>{@link Kind#PATTERN}: anything else, with {@link java.util.regex} on the translation of the
 *       parsed expression, after a cheap check of its literal prefix.
 * </ul>
 *
 * <p>Like Prometheus 2.42, {@code .} does not match {@code \n} unless the {@code s} flag is set, so
 * {@code .*} accepts exactly the strings without a newline. Instances are immutable and
 * thread-safe.
 */
final class RegexProgram {

  /** How a program decides. */
  enum Kind {
    SET,
    GLOB,
    PATTERN
  }

  /** Largest finite set that is enumerated rather than matched with a regex. */
  static final int MAX_SET_SIZE = 256;

  private final Kind kind;
  private final String prefix;
  // SET
  private final String single;
  private final Set<String> set;
  private final List<String> sortedSet;
  // GLOB: lits[0] gap[0] lits[1] ... gap[n-2] lits[n-1]; gap[i] is the minimum length, 0 or 1.
  private final String[] lits;
  private final int[] gaps;
  private final boolean wildcardsMatchNewline;
  // PATTERN
  private final Pattern pattern;

  private RegexProgram(
      Kind kind,
      String prefix,
      List<String> sortedSet,
      String[] lits,
      int[] gaps,
      boolean wildcardsMatchNewline,
      Pattern pattern) {
    this.kind = kind;
    this.prefix = prefix;
    this.sortedSet = sortedSet;
    this.single = sortedSet != null && sortedSet.size() == 1 ? sortedSet.get(0) : null;
    this.set = sortedSet != null && sortedSet.size() > 1 ? new HashSet<>(sortedSet) : null;
    this.lits = lits;
    this.gaps = gaps;
    this.wildcardsMatchNewline = wildcardsMatchNewline;
    this.pattern = pattern;
  }

  /**
   * Compiles {@code regex} as Prometheus reads it: RE2 syntax, matched against the whole value.
   *
   * @throws InvalidRegexException if the expression is invalid
   */
  static RegexProgram compile(String regex) {
    try {
      RegexNode node = stripOuterAnchors(GoRegexParser.parse(regex));
      List<String> values = finiteSet(node, MAX_SET_SIZE);
      if (values != null) {
        List<String> sorted = new ArrayList<>(new LinkedHashSet<>(values));
        sorted.sort(Utf8Order.COMPARATOR);
        return new RegexProgram(
            Kind.SET, commonPrefix(sorted), List.copyOf(sorted), null, null, false, null);
      }
      RegexProgram glob = glob(node);
      if (glob != null) {
        return glob;
      }
      return new RegexProgram(
          Kind.PATTERN, literalPrefix(node), null, null, null, false, javaPattern(regex, node));
    } catch (StackOverflowError e) {
      throw tooDeep(regex);
    }
  }

  /** The Java pattern equivalent to the anchored expression, whatever the kind. */
  static Pattern javaPattern(String regex) {
    try {
      return javaPattern(regex, GoRegexParser.parse(regex));
    } catch (StackOverflowError e) {
      throw tooDeep(regex);
    }
  }

  private static Pattern javaPattern(String regex, RegexNode node) {
    StringBuilder java = new StringBuilder();
    node.appendJava(java);
    try {
      return Pattern.compile(java.toString());
    } catch (PatternSyntaxException e) {
      throw new InvalidRegexException(
          regex, "not supported by Strata's regex engine", e.getDescription());
    }
  }

  // The parser, the analyses of the tree, the translation and java.util.regex's compiler all
  // recurse once per nesting level. RE2 allows 1000 levels, which a small thread stack may not
  // hold: the expression is then reported as nesting too deeply, never as a StackOverflowError.
  private static InvalidRegexException tooDeep(String regex) {
    return new InvalidRegexException(regex, "expression nests too deeply", null);
  }

  Kind kind() {
    return kind;
  }

  /** Whether {@code value} matches the whole expression. */
  boolean matches(String value) {
    switch (kind) {
      case SET:
        return single != null ? single.equals(value) : set != null && set.contains(value);
      case GLOB:
        return globMatches(value);
      default:
        return value.startsWith(prefix) && patternMatches(value);
    }
  }

  // java.util.regex recurses for each repetition of a group with alternatives, so a long value can
  // exhaust the stack where RE2 runs in constant space. Report that instead of a StackOverflowError.
  private boolean patternMatches(String value) {
    try {
      return pattern.matcher(value).matches();
    } catch (StackOverflowError e) {
      throw new IllegalStateException(
          "regular expression "
              + GoQuote.quote(pattern.pattern())
              + " is too complex to match a value of "
              + value.length()
              + " characters",
          e);
    }
  }

  /** Every string the expression accepts, distinct and in UTF-8 order, or null if unknown. */
  List<String> setMatches() {
    return sortedSet;
  }

  /** A literal that every accepted string starts with; may be empty. */
  String prefix() {
    return prefix;
  }

  private boolean globMatches(String v) {
    if (!wildcardsMatchNewline && v.indexOf('\n') >= 0) {
      return false;
    }
    String first = lits[0];
    if (!v.startsWith(first)) {
      return false;
    }
    int pos = first.length();
    int last = lits.length - 1;
    for (int i = 1; i < last; i++) {
      int at = v.indexOf(lits[i], pos + gaps[i - 1]);
      if (at < 0) {
        return false;
      }
      pos = at + lits[i].length();
    }
    int at = v.length() - lits[last].length();
    return at >= pos + gaps[last - 1] && v.startsWith(lits[last], at);
  }

  // ^ at the very start and $ at the very end are implied by the anchoring: drop them.
  private static RegexNode stripOuterAnchors(RegexNode node) {
    List<RegexNode> items =
        node instanceof Concat c ? new ArrayList<>(c.items()) : new ArrayList<>(List.of(node));
    while (!items.isEmpty()
        && isAssertion(items.get(0), AssertionKind.BEGIN_TEXT, AssertionKind.BEGIN_LINE)) {
      items.remove(0);
    }
    while (!items.isEmpty()
        && isAssertion(
            items.get(items.size() - 1), AssertionKind.END_TEXT, AssertionKind.END_LINE)) {
      items.remove(items.size() - 1);
    }
    return RegexNode.concat(items);
  }

  private static boolean isAssertion(RegexNode n, AssertionKind a, AssertionKind b) {
    return n instanceof Assertion as && (as.kind() == a || as.kind() == b);
  }

  // The strings `node` accepts if there are at most `limit` of them and they are easy to list.
  static List<String> finiteSet(RegexNode node, int limit) {
    if (node instanceof Literal lit) {
      return lit.fold() ? null : List.of(lit.text());
    }
    if (node instanceof Empty) {
      return List.of("");
    }
    if (node instanceof Alternate alt) {
      Set<String> out = new LinkedHashSet<>();
      for (RegexNode b : alt.branches()) {
        List<String> s = finiteSet(b, limit);
        if (s == null) {
          return null;
        }
        out.addAll(s);
        if (out.size() > limit) {
          return null;
        }
      }
      return new ArrayList<>(out);
    }
    if (node instanceof Concat concat) {
      List<String> acc = List.of("");
      for (RegexNode item : concat.items()) {
        acc = product(acc, finiteSet(item, limit), limit);
        if (acc == null) {
          return null;
        }
      }
      return acc;
    }
    if (node instanceof CharClass cc) {
      long size = cc.size();
      if (cc.fold() || size < 0 || size > limit) {
        return null;
      }
      List<String> out = new ArrayList<>();
      int[] r = cc.ranges();
      for (int i = 0; i < r.length; i += 2) {
        for (int cp = r[i]; cp <= r[i + 1]; cp++) {
          if (cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE) {
            out.add(Character.toString(cp));
          }
        }
      }
      return out;
    }
    if (node instanceof Repeat rep && rep.max() >= 0 && rep.max() <= 8) {
      List<String> sub = finiteSet(rep.sub(), limit);
      if (sub == null) {
        return null;
      }
      Set<String> out = new LinkedHashSet<>();
      List<String> power = List.of("");
      for (int k = 0; k <= rep.max(); k++) {
        if (k >= rep.min()) {
          out.addAll(power);
          if (out.size() > limit) {
            return null;
          }
        }
        if (k < rep.max()) {
          power = product(power, sub, limit);
          if (power == null) {
            return null;
          }
        }
      }
      return new ArrayList<>(out);
    }
    return null;
  }

  private static List<String> product(List<String> a, List<String> b, int limit) {
    if (b == null || (long) a.size() * b.size() > limit) {
      return null;
    }
    List<String> out = new ArrayList<>(a.size() * b.size());
    for (String x : a) {
      for (String y : b) {
        out.add(x + y);
      }
    }
    return out;
  }

  // Literals separated by unbounded wildcards of one kind, or null.
  private static RegexProgram glob(RegexNode node) {
    List<RegexNode> items = node instanceof Concat c ? c.items() : List.of(node);
    List<String> lits = new ArrayList<>();
    List<Integer> gaps = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    Boolean newline = null;
    boolean lastWasWildcard = false;
    for (RegexNode item : items) {
      if (item instanceof Literal lit && !lit.fold()) {
        cur.append(lit.text());
        lastWasWildcard = false;
      } else if (item instanceof Repeat rep
          && rep.sub() instanceof AnyChar any
          && rep.max() == -1
          && rep.min() <= 1) {
        if (newline != null && newline != any.matchesNewline()) {
          return null;
        }
        newline = any.matchesNewline();
        if (lastWasWildcard) {
          int merged = gaps.get(gaps.size() - 1) + rep.min();
          if (merged > 1) {
            return null; // two or more code points are not two or more chars
          }
          gaps.set(gaps.size() - 1, merged);
        } else {
          lits.add(cur.toString());
          cur.setLength(0);
          gaps.add(rep.min());
        }
        lastWasWildcard = true;
      } else {
        return null;
      }
    }
    if (newline == null) {
      return null;
    }
    lits.add(cur.toString());
    if (!newline) {
      for (String l : lits) {
        if (l.indexOf('\n') >= 0) {
          return null;
        }
      }
    }
    int[] g = gaps.stream().mapToInt(Integer::intValue).toArray();
    return new RegexProgram(
        Kind.GLOB, lits.get(0), null, lits.toArray(new String[0]), g, newline, null);
  }

  private static String literalPrefix(RegexNode node) {
    RegexNode first = node instanceof Concat c ? c.items().get(0) : node;
    return first instanceof Literal lit && !lit.fold() ? lit.text() : "";
  }

  private static String commonPrefix(List<String> values) {
    if (values.isEmpty()) {
      return "";
    }
    String p = values.get(0);
    for (String v : values) {
      int n = 0;
      int max = Math.min(p.length(), v.length());
      while (n < max && p.charAt(n) == v.charAt(n)) {
        n++;
      }
      p = p.substring(0, n);
    }
    // Never end inside a surrogate pair.
    if (!p.isEmpty() && Character.isHighSurrogate(p.charAt(p.length() - 1))) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  @Override
  public String toString() {
    return kind
        + (sortedSet != null
            ? " " + sortedSet
            : lits != null ? " " + Arrays.toString(lits) : " " + pattern);
  }
}

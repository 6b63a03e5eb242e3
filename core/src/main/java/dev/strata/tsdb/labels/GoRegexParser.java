package dev.strata.tsdb.labels;

import dev.strata.tsdb.labels.RegexNode.AnyChar;
import dev.strata.tsdb.labels.RegexNode.Assertion;
import dev.strata.tsdb.labels.RegexNode.AssertionKind;
import dev.strata.tsdb.labels.RegexNode.Literal;
import dev.strata.tsdb.labels.RegexNode.Repeat;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses the RE2 syntax Prometheus accepts (Go's {@code regexp/syntax} with Perl flags) into a
 * {@link RegexNode}.
 *
 * <p>Translating text to text would inherit every place where {@code java.util.regex} reads the
 * same characters differently: {@code [[]} (a class in RE2, an error in Java), {@code \1} (octal in
 * RE2, a back-reference in Java), {@code (?U)} (ungreedy in RE2, Unicode classes in Java), {@code
 * \s} (no vertical tab in RE2), {@code $} (end of text in RE2, before a final newline in Java),
 * {@code \b} (ASCII in RE2, Unicode in Java 17), {@code \pC} (without unassigned code points in
 * RE2). Parsing settles each of those once. Constructs RE2 rejects (back-references, look-around,
 * possessive and stacked quantifiers, {@code \Z}, {@code \e}, unknown flags...) are rejected here
 * too, with RE2's wording, so that a matcher Prometheus refuses is refused by Strata as well.
 *
 * <p>Known differences: {@code (?<name>...)} is accepted (RE2 accepts it from Go 1.22, Prometheus
 * 2.42 does not); surrogate code points written as escapes are rejected (RE2 accepts them but they
 * can never match valid UTF-8); Unicode script names are checked against Java's script table.
 */
final class GoRegexParser {

  private static final int MAX_REPEAT = 1000;
  private static final int MAX_DEPTH = 1000;
  private static final int MAX_CODE_POINT = Character.MAX_CODE_POINT;

  private static final int[] DIGIT = {'0', '9'};
  private static final int[] SPACE = {'\t', '\n', '\f', '\r', ' ', ' '};
  private static final int[] WORD = {'0', '9', 'A', 'Z', '_', '_', 'a', 'z'};

  private static final Map<String, int[]> POSIX =
      Map.ofEntries(
          Map.entry("alnum", new int[] {'0', '9', 'A', 'Z', 'a', 'z'}),
          Map.entry("alpha", new int[] {'A', 'Z', 'a', 'z'}),
          Map.entry("ascii", new int[] {0, 0x7F}),
          Map.entry("blank", new int[] {'\t', '\t', ' ', ' '}),
          Map.entry("cntrl", new int[] {0, 0x1F, 0x7F, 0x7F}),
          Map.entry("digit", DIGIT),
          Map.entry("graph", new int[] {'!', '~'}),
          Map.entry("lower", new int[] {'a', 'z'}),
          Map.entry("print", new int[] {' ', '~'}),
          Map.entry("punct", new int[] {'!', '/', ':', '@', '[', '`', '{', '~'}),
          Map.entry("space", new int[] {'\t', '\r', ' ', ' '}),
          Map.entry("upper", new int[] {'A', 'Z'}),
          Map.entry("word", WORD),
          Map.entry("xdigit", new int[] {'0', '9', 'A', 'F', 'a', 'f'}));

  private static final Set<String> CATEGORIES =
      Set.of(
          "C", "Cc", "Cf", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn",
          "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc", "Sk",
          "Sm", "So", "Z", "Zl", "Zp", "Zs");

  private final String re;
  private int pos;
  private int depth;
  private boolean fold;
  private boolean multiLine;
  private boolean dotNewline;
  private final Set<String> groupNames = new HashSet<>();

  private GoRegexParser(String re) {
    this.re = re;
  }

  /**
   * Parses {@code re} as Prometheus would, before its {@code ^(?:...)$} anchoring.
   *
   * @throws InvalidRegexException if RE2 would reject it, or it has a surrogate code point
   */
  static RegexNode parse(String re) {
    GoRegexParser p = new GoRegexParser(re);
    RegexNode node = p.parseAlternation();
    if (p.pos < re.length()) {
      throw p.error("unexpected )", re.substring(p.pos));
    }
    return node;
  }

  private RegexNode parseAlternation() {
    List<RegexNode> branches = new ArrayList<>();
    branches.add(parseConcat());
    while (pos < re.length() && re.charAt(pos) == '|') {
      pos++;
      branches.add(parseConcat());
    }
    return RegexNode.alternate(branches);
  }

  private RegexNode parseConcat() {
    List<RegexNode> items = new ArrayList<>();
    while (pos < re.length()) {
      char c = re.charAt(pos);
      if (c == '|' || c == ')') {
        break;
      }
      RegexNode atom = parseAtom();
      if (atom == null) {
        continue; // a flag group such as (?i)
      }
      int[] rep = repeatAt(pos);
      if (rep == null) {
        items.add(atom);
        continue;
      }
      // A repetition binds to the last character of a multi-character literal (from \Q...\E).
      if (atom instanceof Literal lit && lit.text().codePointCount(0, lit.text().length()) > 1) {
        int last = lit.text().offsetByCodePoints(lit.text().length(), -1);
        items.add(new Literal(lit.text().substring(0, last), lit.fold()));
        atom = new Literal(lit.text().substring(last), lit.fold());
      }
      items.add(parseRepeat(atom, rep));
    }
    return RegexNode.concat(items);
  }

  private RegexNode parseRepeat(RegexNode atom, int[] rep) {
    int start = pos;
    int min = rep[0];
    int max = rep[1];
    if (min < 0 || min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && min > max)) {
      throw error("invalid repeat count", re.substring(start, rep[2]));
    }
    pos = rep[2];
    if (pos < re.length() && re.charAt(pos) == '?') {
      pos++; // non-greedy: the same strings match
    }
    int[] next = repeatAt(pos);
    if (next != null) {
      throw error("invalid nested repetition operator", re.substring(start, next[2]));
    }
    return new Repeat(atom, min, max);
  }

  // The repetition operator at p as {min, max (-1 = none), end}, or null if there is none. A '{'
  // that does not form a valid {n}, {n,} or {n,m} is a literal, as in RE2; counts too large to
  // represent come back as -1 min and are rejected by the caller.
  private int[] repeatAt(int p) {
    if (p >= re.length()) {
      return null;
    }
    switch (re.charAt(p)) {
      case '*':
        return new int[] {0, -1, p + 1};
      case '+':
        return new int[] {1, -1, p + 1};
      case '?':
        return new int[] {0, 1, p + 1};
      case '{':
        break;
      default:
        return null;
    }
    int[] num = new int[2];
    int q = parseCount(p + 1, num);
    if (q < 0) {
      return null;
    }
    int min = num[0];
    int max = min;
    if (q < re.length() && re.charAt(q) == ',') {
      q++;
      if (q < re.length() && re.charAt(q) == '}') {
        max = -1;
      } else {
        q = parseCount(q, num);
        if (q < 0) {
          return null;
        }
        max = num[0];
        if (max < 0) {
          min = -1; // too large
        }
      }
    }
    if (q >= re.length() || re.charAt(q) != '}') {
      return null;
    }
    return new int[] {min, max, q + 1};
  }

  // Decimal count at p into out[0] (-1 if above a million); returns the end, or -1 if there are no
  // digits or a leading zero, which RE2 does not read as a count.
  private int parseCount(int p, int[] out) {
    int q = p;
    long v = 0;
    while (q < re.length() && re.charAt(q) >= '0' && re.charAt(q) <= '9') {
      v = Math.min(v * 10 + (re.charAt(q) - '0'), 1_000_001);
      q++;
    }
    if (q == p || (q - p > 1 && re.charAt(p) == '0')) {
      return -1;
    }
    out[0] = v > 1_000_000 ? -1 : (int) v;
    return q;
  }

  private RegexNode parseAtom() {
    int start = pos;
    char c = re.charAt(pos);
    switch (c) {
      case '(':
        return parseGroup();
      case '[':
        return parseClass();
      case '.':
        pos++;
        return new AnyChar(dotNewline);
      case '^':
        pos++;
        return new Assertion(multiLine ? AssertionKind.BEGIN_LINE : AssertionKind.BEGIN_TEXT);
      case '$':
        pos++;
        return new Assertion(multiLine ? AssertionKind.END_LINE : AssertionKind.END_TEXT);
      case '*':
      case '+':
      case '?':
        throw error("missing argument to repetition operator", String.valueOf(c));
      case '{':
        int[] rep = repeatAt(pos);
        if (rep != null) {
          throw error("missing argument to repetition operator", re.substring(start, rep[2]));
        }
        pos++;
        return new Literal("{", fold);
      case '\\':
        return parseBackslash();
      default:
        return new Literal(Character.toString(literalCodePoint()), fold);
    }
  }

  // The code point at pos, consumed; rejects unpaired surrogates as RE2 rejects invalid UTF-8.
  private int literalCodePoint() {
    int cp = re.codePointAt(pos);
    if (Character.isSurrogate((char) cp) && cp <= 0xFFFF) {
      throw error("invalid UTF-8", re.substring(pos, pos + 1));
    }
    pos += Character.charCount(cp);
    return cp;
  }

  private RegexNode parseGroup() {
    int start = pos;
    pos++;
    if (re.startsWith("?P<", pos)
        || (re.startsWith("?<", pos) && !re.startsWith("?<=", pos) && !re.startsWith("?<!", pos))) {
      int nameStart = pos + (re.charAt(pos + 1) == 'P' ? 3 : 2);
      int end = re.indexOf('>', nameStart);
      if (end < 0) {
        throw error("invalid named capture", re.substring(start));
      }
      String name = re.substring(nameStart, end);
      if (name.isEmpty() || !name.chars().allMatch(GoRegexParser::isWordChar)) {
        throw error("invalid named capture", re.substring(start, end + 1));
      }
      if (!groupNames.add(name)) {
        throw error("duplicate capture group name", re.substring(start, end + 1));
      }
      pos = end + 1;
      return groupBody(start, fold, multiLine, dotNewline);
    }
    if (pos < re.length() && re.charAt(pos) == '?') {
      return parseFlags(start);
    }
    return groupBody(start, fold, multiLine, dotNewline);
  }

  // (?flags) changes the flags until the end of the enclosing group; (?flags:re) only inside.
  private RegexNode parseFlags(int start) {
    pos++;
    boolean f = fold;
    boolean m = multiLine;
    boolean s = dotNewline;
    boolean negate = false;
    boolean sawFlag = false;
    while (pos < re.length()) {
      char c = re.charAt(pos++);
      switch (c) {
        case 'i' -> f = !negate;
        case 'm' -> m = !negate;
        case 's' -> s = !negate;
        case 'U' -> {} // ungreedy: the same strings match
        case '-' -> {
          if (negate) {
            throw error("invalid or unsupported Perl syntax", re.substring(start, pos));
          }
          negate = true;
          sawFlag = false;
          continue;
        }
        case ':', ')' -> {
          if (negate && !sawFlag) {
            throw error("invalid or unsupported Perl syntax", re.substring(start, pos));
          }
          if (c == ')') {
            fold = f;
            multiLine = m;
            dotNewline = s;
            return null;
          }
          return groupBody(start, f, m, s);
        }
        default -> throw error("invalid or unsupported Perl syntax", re.substring(start, pos));
      }
      sawFlag = true;
    }
    throw error("missing closing )", re.substring(start));
  }

  private RegexNode groupBody(int start, boolean f, boolean m, boolean s) {
    if (++depth > MAX_DEPTH) {
      throw error("expression nests too deeply", null);
    }
    boolean savedFold = fold;
    boolean savedMultiLine = multiLine;
    boolean savedDotNewline = dotNewline;
    fold = f;
    multiLine = m;
    dotNewline = s;
    RegexNode body = parseAlternation();
    if (pos >= re.length() || re.charAt(pos) != ')') {
      throw error("missing closing )", re.substring(start));
    }
    pos++;
    fold = savedFold;
    multiLine = savedMultiLine;
    dotNewline = savedDotNewline;
    depth--;
    return body;
  }

  private RegexNode parseBackslash() {
    int start = pos;
    if (pos + 1 >= re.length()) {
      throw error("trailing backslash at end of expression", null);
    }
    char c = re.charAt(pos + 1);
    switch (c) {
      case 'A':
        pos += 2;
        return new Assertion(AssertionKind.BEGIN_TEXT);
      case 'z':
        pos += 2;
        return new Assertion(AssertionKind.END_TEXT);
      case 'b':
        pos += 2;
        return new Assertion(AssertionKind.WORD_BOUNDARY);
      case 'B':
        pos += 2;
        return new Assertion(AssertionKind.NOT_WORD_BOUNDARY);
      case 'Q':
        {
          pos += 2;
          int end = re.indexOf("\\E", pos);
          String text = re.substring(pos, end < 0 ? re.length() : end);
          for (int i = 0; i < text.length(); i++) {
            if (Character.isSurrogate(text.charAt(i))
                && !(Character.isHighSurrogate(text.charAt(i))
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(++i)))) {
              throw error("invalid UTF-8", null);
            }
          }
          pos = end < 0 ? re.length() : end + 2;
          return text.isEmpty() ? new RegexNode.Empty() : new Literal(text, fold);
        }
      case 'd', 'D', 's', 'S', 'w', 'W', 'p', 'P':
        {
          CharClassBuilder cb = new CharClassBuilder();
          addClassEscape(cb);
          return cb.build(false, fold);
        }
      default:
        pos++;
        return new Literal(Character.toString(parseEscape(start)), fold);
    }
  }

  // After a backslash (pos is past it): the escaped code point.
  private int parseEscape(int start) {
    if (pos >= re.length()) {
      throw error("trailing backslash at end of expression", null);
    }
    int c = re.codePointAt(pos);
    pos += Character.charCount(c);
    if (c < 0x80 && !Character.isLetterOrDigit(c)) {
      return c;
    }
    switch (c) {
      case '1', '2', '3', '4', '5', '6', '7':
        if (pos >= re.length() || re.charAt(pos) < '0' || re.charAt(pos) > '7') {
          break; // a back-reference, which RE2 does not have
        }
        // fall through: octal
      case '0':
        {
          int v = c - '0';
          for (int i = 0;
              i < 2 && pos < re.length() && re.charAt(pos) >= '0' && re.charAt(pos) <= '7';
              i++) {
            v = v * 8 + re.charAt(pos++) - '0';
          }
          return v;
        }
      case 'x':
        {
          if (pos < re.length() && re.charAt(pos) == '{') {
            int end = re.indexOf('}', pos);
            String hex = end < 0 ? "" : re.substring(pos + 1, end);
            int v =
                hex.isEmpty() || hex.length() > 8 || !isHex(hex) ? -1 : Integer.parseInt(hex, 16);
            if (v < 0 || v > MAX_CODE_POINT) {
              break;
            }
            pos = end + 1;
            return checkNotSurrogate(v, start);
          }
          if (pos + 2 <= re.length() && isHex(re.substring(pos, pos + 2))) {
            pos += 2;
            return Integer.parseInt(re.substring(pos - 2, pos), 16);
          }
          break;
        }
      case 'a':
        return 7;
      case 'f':
        return '\f';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'v':
        return 0x0B;
      default:
        break;
    }
    throw error("invalid escape sequence", re.substring(start, Math.min(pos, re.length())));
  }

  private int checkNotSurrogate(int cp, int start) {
    if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
      throw error("surrogate code points are not characters", re.substring(start, pos));
    }
    return cp;
  }

  private RegexNode parseClass() {
    int start = pos;
    pos++;
    boolean negated = pos < re.length() && re.charAt(pos) == '^';
    if (negated) {
      pos++;
    }
    CharClassBuilder cb = new CharClassBuilder();
    boolean first = true;
    while (true) {
      if (pos >= re.length()) {
        throw error("missing closing ]", re.substring(start));
      }
      char c = re.charAt(pos);
      if (c == ']' && !first) {
        pos++;
        break;
      }
      first = false;
      int itemStart = pos;
      if (c == '[' && re.startsWith("[:", pos)) {
        int end = re.indexOf(":]", pos + 2);
        if (end >= 0) {
          String name = re.substring(pos + 2, end);
          boolean neg = name.startsWith("^");
          int[] ranges = POSIX.get(neg ? name.substring(1) : name);
          if (ranges == null) {
            throw error("invalid character class range", re.substring(pos, end + 2));
          }
          cb.add(ranges, neg);
          pos = end + 2;
          continue;
        }
      }
      if (c == '\\' && pos + 1 < re.length() && "dDsSwWpP".indexOf(re.charAt(pos + 1)) >= 0) {
        addClassEscape(cb);
        continue;
      }
      int lo = classChar();
      int hi = lo;
      if (pos + 1 < re.length() && re.charAt(pos) == '-' && re.charAt(pos + 1) != ']') {
        pos++;
        hi = classChar();
        if (hi < lo) {
          throw error("invalid character class range", re.substring(itemStart, pos));
        }
      }
      cb.add(new int[] {lo, hi}, false);
    }
    return cb.build(negated, fold);
  }

  private int classChar() {
    if (re.charAt(pos) == '\\') {
      int start = pos++;
      return parseEscape(start);
    }
    return literalCodePoint();
  }

  // \d \D \s \S \w \W \pX \p{Name} \PX \P{Name} at pos.
  private void addClassEscape(CharClassBuilder cb) {
    int start = pos;
    char c = re.charAt(pos + 1);
    pos += 2;
    switch (c) {
      case 'd', 'D' -> cb.add(DIGIT, c == 'D');
      case 's', 'S' -> cb.add(SPACE, c == 'S');
      case 'w', 'W' -> cb.add(WORD, c == 'W');
      default -> {
        boolean negated = c == 'P';
        String name;
        if (pos < re.length() && re.charAt(pos) == '{') {
          int end = re.indexOf('}', pos);
          if (end < 0) {
            throw error("invalid character class range", re.substring(start));
          }
          name = re.substring(pos + 1, end);
          pos = end + 1;
        } else if (pos < re.length()) {
          int cp = re.codePointAt(pos);
          name = Character.toString(cp);
          pos += Character.charCount(cp);
        } else {
          throw error("invalid character class range", re.substring(start));
        }
        if (name.startsWith("^")) {
          negated = !negated;
          name = name.substring(1);
        }
        if (name.equals("Any")) {
          cb.add(new int[] {0, MAX_CODE_POINT}, negated);
          return;
        }
        String java = javaProperty(name);
        if (java == null) {
          throw error("invalid character class range", re.substring(start, pos));
        }
        cb.addJava(negated ? "[^" + java + "]" : "[" + java + "]");
      }
    }
  }

  // The Java class content for an RE2 category or script name, or null if RE2 has no such name.
  private static String javaProperty(String name) {
    if (name.equals("C")) {
      return "\\p{Cc}\\p{Cf}\\p{Co}\\p{Cs}"; // RE2's C has no unassigned code points; Java's does
    }
    if (CATEGORIES.contains(name)) {
      return "\\p{" + name + "}";
    }
    if (name.isEmpty() || !Character.isUpperCase(name.charAt(0))) {
      return null;
    }
    try {
      Character.UnicodeScript script = Character.UnicodeScript.forName(name);
      return script.name().equals(name.toUpperCase(Locale.ROOT))
          ? "\\p{Is" + script.name() + "}"
          : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private InvalidRegexException error(String problem, String fragment) {
    return new InvalidRegexException(re, problem, fragment);
  }

  private static boolean isWordChar(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  private static boolean isHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.digit(s.charAt(i), 16) < 0 || s.charAt(i) > 'f') {
        return false;
      }
    }
    return true;
  }
}

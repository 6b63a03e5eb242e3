package dev.strata.tsdb.labels;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed Go (RE2) regular expression, reduced to what decides whether a whole string matches.
 *
 * <p>Capture groups, group names and greediness do not change that answer, so they are not kept.
 * Flags are resolved at parse time into the nodes they affect (case folding into literals and
 * classes, {@code s} into {@link AnyChar}, {@code m} into the {@link Assertion} kind), so the Java
 * pattern written by {@link #appendJava} carries no flags and no Java construct whose meaning
 * differs from RE2's: {@code .}, {@code ^}, {@code $}, {@code \s} and {@code \b} are all spelled
 * out explicitly.
 */
sealed interface RegexNode {

  /** Appends an equivalent {@link java.util.regex.Pattern} fragment. */
  void appendJava(StringBuilder out);

  /** A run of literal characters; {@code fold} for case-insensitive ({@code (?i)}) text. */
  record Literal(String text, boolean fold) implements RegexNode {
    @Override
    public void appendJava(StringBuilder out) {
      if (fold) {
        out.append("(?iu:");
      }
      text.codePoints().forEach(cp -> appendCodePoint(out, cp));
      if (fold) {
        out.append(')');
      }
    }
  }

  /** {@code .}: any character, or any but {@code \n} unless the {@code s} flag is set. */
  record AnyChar(boolean matchesNewline) implements RegexNode {
    @Override
    public void appendJava(StringBuilder out) {
      out.append(matchesNewline ? "[\\x{0}-\\x{10FFFF}]" : "[^\\n]");
    }
  }

  /**
   * A character class. {@code java} is its Java spelling; {@code ranges}, sorted and disjoint
   * inclusive code point pairs, is its exact content when it has no Unicode property (those are
   * left to Java), else {@code null}.
   */
  record CharClass(String java, boolean fold, int[] ranges) implements RegexNode {
    @Override
    public void appendJava(StringBuilder out) {
      if (fold) {
        out.append("(?iu:").append(java).append(')');
      } else {
        out.append(java);
      }
    }

    /** Number of code points in the class, or -1 when unknown. */
    long size() {
      if (ranges == null) {
        return -1;
      }
      long n = 0;
      for (int i = 0; i < ranges.length; i += 2) {
        n += ranges[i + 1] - ranges[i] + 1L;
      }
      return n;
    }
  }

  /** Items matched one after the other. */
  record Concat(List<RegexNode> items) implements RegexNode {
    @Override
    public void appendJava(StringBuilder out) {
      for (RegexNode item : items) {
        if (item instanceof Alternate) {
          out.append("(?:");
          item.appendJava(out);
          out.append(')');
        } else {
          item.appendJava(out);
        }
      }
    }
  }

  /** Any one of the branches. */
  record Alternate(List<RegexNode> branches) implements RegexNode {
    @Override
    public void appendJava(StringBuilder out) {
      for (int i = 0; i < branches.size(); i++) {
        if (i > 0) {
          out.append('|');
        }
        branches.get(i).appendJava(out);
      }
    }
  }

  /** {@code sub} repeated {@code min} to {@code max} times; {@code max} is -1 for no limit. */
  record Repeat(RegexNode sub, int min, int max) implements RegexNode {
    @Override
    public void appendJava(StringBuilder out) {
      out.append("(?:");
      sub.appendJava(out);
      out.append(')');
      if (min == 0 && max == -1) {
        out.append('*');
      } else if (min == 1 && max == -1) {
        out.append('+');
      } else if (min == 0 && max == 1) {
        out.append('?');
      } else {
        out.append('{').append(min);
        if (max != min) {
          out.append(',');
          if (max >= 0) {
            out.append(max);
          }
        }
        out.append('}');
      }
    }
  }

  /** The zero-width assertions of RE2. */
  enum AssertionKind {
    // Spelled without ^ and $, whose Java meaning depends on line-terminator flags; RE2's word
    // characters are ASCII only, unlike Java 17's \b.
    BEGIN_TEXT("\\A"),
    END_TEXT("\\z"),
    BEGIN_LINE("(?<![^\\n])"),
    END_LINE("(?![^\\n])"),
    WORD_BOUNDARY("(?:(?<=[0-9A-Za-z_])(?![0-9A-Za-z_])|(?<![0-9A-Za-z_])(?=[0-9A-Za-z_]))"),
    NOT_WORD_BOUNDARY("(?:(?<=[0-9A-Za-z_])(?=[0-9A-Za-z_])|(?<![0-9A-Za-z_])(?![0-9A-Za-z_]))");

    final String java;

    AssertionKind(String java) {
      this.java = java;
    }
  }

  /** A zero-width assertion. */
  record Assertion(AssertionKind kind) implements RegexNode {
    @Override
    public void appendJava(StringBuilder out) {
      out.append(kind.java);
    }
  }

  /** Matches the empty string only: an empty expression or branch. */
  record Empty() implements RegexNode {
    @Override
    public void appendJava(StringBuilder out) {
      out.append("(?:)");
    }
  }

  /** The concatenation of {@code items}, flattened, with adjacent literals merged. */
  static RegexNode concat(List<RegexNode> items) {
    List<RegexNode> out = new ArrayList<>(items.size());
    for (RegexNode item : items) {
      if (item instanceof Concat c) {
        for (RegexNode inner : c.items()) {
          addToConcat(out, inner);
        }
      } else {
        addToConcat(out, item);
      }
    }
    if (out.isEmpty()) {
      return new Empty();
    }
    return out.size() == 1 ? out.get(0) : new Concat(List.copyOf(out));
  }

  private static void addToConcat(List<RegexNode> out, RegexNode item) {
    if (item instanceof Empty) {
      return;
    }
    if (item instanceof Literal lit && !out.isEmpty()) {
      RegexNode last = out.get(out.size() - 1);
      if (last instanceof Literal prev && prev.fold() == lit.fold()) {
        out.set(out.size() - 1, new Literal(prev.text() + lit.text(), lit.fold()));
        return;
      }
    }
    out.add(item);
  }

  /** The alternation of {@code branches}, with nested alternations flattened. */
  static RegexNode alternate(List<RegexNode> branches) {
    List<RegexNode> out = new ArrayList<>(branches.size());
    for (RegexNode b : branches) {
      if (b instanceof Alternate a) {
        out.addAll(a.branches());
      } else {
        out.add(b);
      }
    }
    return out.size() == 1 ? out.get(0) : new Alternate(List.copyOf(out));
  }

  /** Appends one code point so that Java reads it literally, inside or outside a class. */
  static void appendCodePoint(StringBuilder out, int cp) {
    if ((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z')) {
      out.append((char) cp);
    } else {
      out.append("\\x{").append(Integer.toHexString(cp)).append('}');
    }
  }
}

package dev.strata.promql;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.strata.tsdb.labels.Labels;
import java.util.List;
import java.util.Map;

/**
 * {@code label_replace} and {@code label_join}. The output labels of a series do not depend on the
 * step, so they are computed once per input series.
 *
 * <p>The regular expression is RE2 (Go's syntax and semantics, capture groups included), through
 * RE2/J; the replacement is expanded as Go's {@code Regexp.Expand} does ({@code $1}, {@code
 * ${name}}, {@code $$}; a reference to a missing group expands to nothing).
 */
final class LabelFunctions {
  private LabelFunctions() {}

  static boolean isValidLabelName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          c == '_'
              || (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  static StepVector labelReplace(
      StepVector in, String dst, String replacement, String src, String regex) {
    Pattern pattern;
    try {
      pattern = Pattern.compile("^(?:" + regex + ")$");
    } catch (PatternSyntaxException e) {
      throw QueryException.execution("invalid regular expression in label_replace(): " + regex);
    }
    if (!isValidLabelName(dst)) {
      throw QueryException.execution("invalid destination label name in label_replace(): " + dst);
    }
    Map<String, Integer> named = pattern.namedGroups();
    return relabel(
        in,
        labels -> {
          String srcVal = orEmpty(labels.get(src));
          Matcher m = pattern.matcher(srcVal);
          if (!m.find()) {
            return labels;
          }
          return LabelSets.with(labels, dst, expand(replacement, srcVal, m, named));
        });
  }

  static StepVector labelJoin(StepVector in, String dst, String sep, List<String> srcLabels) {
    for (String src : srcLabels) {
      if (!isValidLabelName(src)) {
        throw QueryException.execution("invalid source label name in label_join(): " + src);
      }
    }
    if (!isValidLabelName(dst)) {
      throw QueryException.execution("invalid destination label name in label_join(): " + dst);
    }
    return relabel(
        in,
        labels -> {
          StringBuilder sb = new StringBuilder();
          for (int i = 0; i < srcLabels.size(); i++) {
            if (i > 0) {
              sb.append(sep);
            }
            sb.append(orEmpty(labels.get(srcLabels.get(i))));
          }
          return LabelSets.with(labels, dst, sb.toString());
        });
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  /** Maps every series' labels, values unchanged; two values for one label set at a step fail. */
  static StepVector relabel(StepVector in, java.util.function.UnaryOperator<Labels> f) {
    StepVector out = new StepVector(in.steps);
    for (StepSeries s : in.series) {
      int idx = out.output(f.apply(s.labels));
      for (int i = 0; i < in.steps; i++) {
        if (s.present[i]) {
          out.put(idx, i, s.values[i]);
        }
      }
    }
    return out.compact();
  }

  /** Go's {@code Regexp.ExpandString}. */
  static String expand(String template, String src, Matcher m, Map<String, Integer> named) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    int n = template.length();
    while (i < n) {
      int dollar = template.indexOf('$', i);
      if (dollar < 0) {
        break;
      }
      out.append(template, i, dollar);
      i = dollar + 1;
      if (i < n && template.charAt(i) == '$') {
        out.append('$');
        i++;
        continue;
      }
      // Extract a name: ${name} or $name, name made of letters, digits and underscores.
      boolean brace = i < n && template.charAt(i) == '{';
      int start = brace ? i + 1 : i;
      int end = start;
      while (end < n) {
        int cp = template.codePointAt(end);
        if (!Character.isLetter(cp) && !Character.isDigit(cp) && cp != '_') {
          break;
        }
        end += Character.charCount(cp);
      }
      if (end == start || (brace && (end >= n || template.charAt(end) != '}'))) {
        out.append('$'); // malformed: the dollar is literal text
        continue;
      }
      String name = template.substring(start, end);
      i = brace ? end + 1 : end;
      int num = groupNumber(name);
      int group = num >= 0 ? num : named.getOrDefault(name, -1);
      if (group >= 0 && group <= m.groupCount() && m.start(group) >= 0) {
        out.append(src, m.start(group), m.end(group));
      }
    }
    if (i < n) {
      out.append(template, i, n);
    }
    return out.toString();
  }

  private static int groupNumber(String name) {
    int num = 0;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < '0' || c > '9' || num >= 100_000_000) {
        return -1;
      }
      num = num * 10 + (c - '0');
    }
    if (name.charAt(0) == '0' && name.length() > 1) {
      return -1;
    }
    return num;
  }
}

package dev.strata.promql;

import dev.strata.tsdb.labels.Labels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PromQL test script of Prometheus's {@code promql/testdata}: {@code load <interval>} with series
 * lines, {@code clear}, and {@code eval[_fail|_ordered] instant at <duration> <expr>} followed by
 * the expected samples or scalar.
 */
final class PromqlScript {
  private static final Pattern LOAD = Pattern.compile("^load\\s+(.+?)$");
  private static final Pattern EVAL =
      Pattern.compile("^eval(?:_(fail|ordered))?\\s+instant\\s+(?:at\\s+(.+?))?\\s+(.+)$");

  sealed interface Command permits Load, Clear, Eval {}

  /** Samples to add, by series, at multiples of {@code intervalMs} from time 0. */
  record Load(long intervalMs, Map<Labels, List<Double>> series) implements Command {}

  record Clear() implements Command {}

  /** {@code expected} maps labels to value; a scalar expectation has {@code scalar} set instead. */
  record Eval(
      int line,
      String expr,
      long timeMs,
      boolean fail,
      boolean ordered,
      Map<Labels, Expected> expected,
      Double scalar)
      implements Command {}

  record Expected(int position, double value) {}

  static List<Command> parse(List<String> rawLines) {
    List<String> lines = new ArrayList<>();
    for (String l : rawLines) {
      String t = l.trim();
      lines.add(t.startsWith("#") ? "" : t);
    }
    List<Command> cmds = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (l.isEmpty()) {
        continue;
      }
      String word = l.split("[\t ]+", 2)[0].toLowerCase(java.util.Locale.ROOT);
      if (word.equals("clear")) {
        cmds.add(new Clear());
      } else if (word.equals("load")) {
        Matcher m = LOAD.matcher(l);
        if (!m.matches()) {
          throw new IllegalArgumentException("line " + (i + 1) + ": invalid load command");
        }
        Map<Labels, List<Double>> series = new LinkedHashMap<>();
        while (i + 1 < lines.size() && !lines.get(i + 1).isEmpty()) {
          i++;
          SeriesDescription d = SeriesDescription.parse(lines.get(i));
          series.put(d.labels(), d.values());
        }
        cmds.add(new Load(parseDuration(m.group(1)), series));
      } else if (word.startsWith("eval")) {
        Matcher m = EVAL.matcher(l);
        if (!m.matches()) {
          throw new IllegalArgumentException("line " + (i + 1) + ": invalid eval command");
        }
        int line = i + 1;
        Map<Labels, Expected> expected = new LinkedHashMap<>();
        Double scalar = null;
        for (int j = 1; i + 1 < lines.size() && !lines.get(i + 1).isEmpty(); j++) {
          i++;
          String def = lines.get(i);
          Double number = parseNumber(def);
          if (number != null) {
            scalar = number;
            break;
          }
          SeriesDescription d = SeriesDescription.parse(def);
          if (d.values().size() > 1) {
            throw new IllegalArgumentException("line " + (i + 1) + ": more than one value");
          }
          Double v = d.values().isEmpty() ? null : d.values().get(0);
          expected.put(d.labels(), new Expected(j, v == null ? Double.NaN : v));
        }
        cmds.add(
            new Eval(
                line,
                m.group(3),
                parseDuration(m.group(2)),
                "fail".equals(m.group(1)),
                "ordered".equals(m.group(1)),
                expected,
                scalar));
      } else {
        throw new IllegalArgumentException("line " + (i + 1) + ": invalid command " + l);
      }
    }
    return cmds;
  }

  /** Go's {@code strconv.ParseInt(s, 0, 64)}, else {@code ParseFloat}; null if neither parses. */
  static Double parseNumber(String s) {
    try {
      String t = s;
      boolean neg = t.startsWith("-");
      if (t.startsWith("-") || t.startsWith("+")) {
        t = t.substring(1);
      }
      long v;
      if (t.startsWith("0x") || t.startsWith("0X")) {
        v = Long.parseLong(t.substring(2), 16);
      } else if (t.length() > 1 && t.startsWith("0") && t.chars().allMatch(Character::isDigit)) {
        v = Long.parseLong(t.substring(1), 8);
      } else {
        v = Long.parseLong(t);
      }
      return (double) (neg ? -v : v);
    } catch (NumberFormatException e) {
      // fall through to float
    }
    double f = GoFloats.parseFloat(s);
    if (Double.isNaN(f) && !GoFloats.isNaNLiteral(s)) {
      return null;
    }
    return f;
  }

  /** Prometheus's duration notation: {@code 1h30m}, {@code 50m}, {@code 10s}, {@code 100ms}. */
  static long parseDuration(String s) {
    Matcher m = Pattern.compile("(\\d+)(ms|s|m|h|d|w|y)").matcher(s);
    long total = 0;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        throw new IllegalArgumentException("bad duration " + s);
      }
      end = m.end();
      long n = Long.parseLong(m.group(1));
      total +=
          n
              * switch (m.group(2)) {
                case "ms" -> 1L;
                case "s" -> 1000L;
                case "m" -> 60_000L;
                case "h" -> 3_600_000L;
                case "d" -> 86_400_000L;
                case "w" -> 7 * 86_400_000L;
                default -> 365 * 86_400_000L;
              };
    }
    if (end != s.length() || s.isEmpty()) {
      throw new IllegalArgumentException("bad duration " + s);
    }
    return total;
  }
}

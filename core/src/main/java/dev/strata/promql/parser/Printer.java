package dev.strata.promql.parser;

import dev.strata.tsdb.labels.GoQuote;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.MatchType;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a syntax tree back into PromQL text, exactly as Prometheus 2.42 prints it: {@link #print}
 * is its {@code String()} (one line, as in rule files and API error messages) and {@link #pretty}
 * its {@code Prettify} (what {@code /api/v1/format_query} returns).
 */
public final class Printer {
  private static final String METRIC_NAME = "__name__";

  private Printer() {}

  /** One line, e.g. {@code sum by (job) (rate(x[5m] offset 1m))}. */
  public static String print(Expr expr) {
    return DeepRecursion.run(
        () -> {
          StringBuilder out = new StringBuilder();
          append(out, expr);
          return out.toString();
        });
  }

  /** Split over lines and indented where a node's one-line form is longer than 100 bytes. */
  public static String pretty(Expr expr) {
    return DeepRecursion.run(() -> Prettier.pretty(expr, 0));
  }

  private static void append(StringBuilder out, Expr expr) {
    if (expr instanceof AggregateExpr a) {
      out.append(aggregationHead(a)).append('(');
      if (a.op().hasParameter() && a.param() != null) {
        append(out, a.param());
        out.append(", ");
      }
      append(out, a.expr());
      out.append(')');
    } else if (expr instanceof BinaryExpr b) {
      append(out, b.lhs());
      out.append(' ').append(binaryOperator(b)).append(' ');
      append(out, b.rhs());
    } else if (expr instanceof Call c) {
      out.append(c.function().name()).append('(');
      for (int i = 0; i < c.args().size(); i++) {
        if (i > 0) {
          out.append(", ");
        }
        append(out, c.args().get(i));
      }
      out.append(')');
    } else if (expr instanceof MatrixSelector m) {
      VectorSelector vs = m.selector();
      appendSelector(out, vs);
      out.append('[').append(Durations.format(m.rangeMs())).append(']');
      appendAt(out, vs.at());
      appendOffset(out, vs.offsetMs());
    } else if (expr instanceof SubqueryExpr s) {
      append(out, s.expr());
      out.append(subquerySuffix(s));
    } else if (expr instanceof NumberLiteral n) {
      out.append(GoText.formatFloat(n.value()));
    } else if (expr instanceof ParenExpr p) {
      out.append('(');
      append(out, p.expr());
      out.append(')');
    } else if (expr instanceof StringLiteral s) {
      GoQuote.appendQuoted(out, s.value());
    } else if (expr instanceof UnaryExpr u) {
      out.append(u.negate() ? '-' : '+');
      append(out, u.expr());
    } else if (expr instanceof VectorSelector vs) {
      appendSelector(out, vs);
      appendAt(out, vs.at());
      appendOffset(out, vs.offsetMs());
    }
  }

  /** {@code sum}, {@code sum by (a, b) }, {@code sum without () }: what precedes the argument list. */
  static String aggregationHead(AggregateExpr a) {
    String op = a.op().text();
    if (a.without()) {
      return op + " without (" + String.join(", ", a.grouping()) + ") ";
    }
    if (!a.grouping().isEmpty()) {
      return op + " by (" + String.join(", ", a.grouping()) + ") ";
    }
    return op;
  }

  /** The operator with its modifiers, e.g. {@code == bool}, {@code * on (a) group_left (b)}. */
  static String binaryOperator(BinaryExpr b) {
    StringBuilder out = new StringBuilder(b.op().text());
    if (b.returnBool()) {
      out.append(" bool");
    }
    VectorMatching vm = b.matching();
    if (vm != null && (!vm.matchingLabels().isEmpty() || vm.on())) {
      out.append(vm.on() ? " on (" : " ignoring (")
          .append(String.join(", ", vm.matchingLabels()))
          .append(')');
      if (vm.cardinality() == VectorMatching.Cardinality.MANY_TO_ONE
          || vm.cardinality() == VectorMatching.Cardinality.ONE_TO_MANY) {
        out.append(vm.cardinality() == VectorMatching.Cardinality.MANY_TO_ONE
                ? " group_left ("
                : " group_right (")
            .append(String.join(", ", vm.include()))
            .append(')');
      }
    }
    return out.toString();
  }

  /** {@code [range:step] @ t offset d}. */
  static String subquerySuffix(SubqueryExpr s) {
    StringBuilder out = new StringBuilder();
    out.append('[').append(Durations.format(s.rangeMs())).append(':');
    if (s.stepMs() != 0) {
      out.append(Durations.format(s.stepMs()));
    }
    out.append(']');
    appendAt(out, s.at());
    appendOffset(out, s.offsetMs());
    return out.toString();
  }

  /** The name and the matchers other than the name's own, sorted as text, as Prometheus does. */
  private static void appendSelector(StringBuilder out, VectorSelector vs) {
    List<String> shown = new ArrayList<>();
    for (LabelMatcher m : vs.matchers()) {
      boolean isOwnName =
          m.name().equals(METRIC_NAME)
              && m.type() == MatchType.EQUAL
              && m.value().equals(vs.name() == null ? "" : vs.name());
      if (!isOwnName) {
        shown.add(m.toString());
      }
    }
    if (vs.name() != null) {
      out.append(vs.name());
    }
    if (!shown.isEmpty()) {
      shown.sort(Printer::compareAsUtf8);
      out.append('{').append(String.join(",", shown)).append('}');
    }
  }

  private static void appendAt(StringBuilder out, AtModifier at) {
    switch (at.kind()) {
      case TIMESTAMP -> out.append(" @ ").append(secondsWithMillis(at.timestampMs()));
      case START -> out.append(" @ start()");
      case END -> out.append(" @ end()");
      case NONE -> {
        // nothing
      }
    }
  }

  private static void appendOffset(StringBuilder out, long offsetMs) {
    if (offsetMs > 0) {
      out.append(" offset ").append(Durations.format(offsetMs));
    } else if (offsetMs < 0) {
      out.append(" offset -").append(Durations.format(-offsetMs));
    }
  }

  /** {@code %.3f} of the timestamp in seconds, e.g. {@code 1609746000.000}, {@code -1.500}. */
  private static String secondsWithMillis(long ms) {
    String sign = ms < 0 ? "-" : "";
    long abs = Math.abs(ms);
    return sign + (abs / 1000) + "." + String.format("%03d", abs % 1000);
  }

  /** Go sorts strings by their UTF-8 bytes, which is code point order. */
  private static int compareAsUtf8(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}

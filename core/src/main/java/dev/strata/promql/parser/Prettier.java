package dev.strata.promql.parser;

import java.nio.charset.StandardCharsets;

/**
 * Prometheus 2.42's {@code Prettify}: a node whose one-line form fits in 100 bytes stays on one
 * line; a longer one puts its children on their own lines, indented two spaces per level.
 *
 * <p>Two quirks of 2.42 are kept because {@code format_query} clients see them: a subquery that fits
 * is not indented, and a unary operator's operand is trimmed rather than indented.
 */
final class Prettier {
  private static final int MAX_CHARACTERS_PER_LINE = 100;
  private static final String INDENT = "  ";

  private Prettier() {}

  static String pretty(Expr expr, int level) {
    if (expr instanceof AggregateExpr a) {
      if (!needsSplit(a)) {
        return indent(level) + Printer.print(a);
      }
      StringBuilder out = new StringBuilder(indent(level));
      out.append(Printer.aggregationHead(a)).append("(\n");
      if (a.op().hasParameter() && a.param() != null) {
        out.append(pretty(a.param(), level + 1)).append(",\n");
      }
      out.append(pretty(a.expr(), level + 1)).append('\n').append(indent(level)).append(')');
      return out.toString();
    }
    if (expr instanceof BinaryExpr b) {
      if (!needsSplit(b)) {
        return indent(level) + Printer.print(b);
      }
      return pretty(b.lhs(), level + 1)
          + "\n"
          + indent(level)
          + Printer.binaryOperator(b)
          + "\n"
          + pretty(b.rhs(), level + 1);
    }
    if (expr instanceof Call c) {
      if (!needsSplit(c)) {
        return indent(level) + Printer.print(c);
      }
      StringBuilder out = new StringBuilder(indent(level));
      out.append(c.function().name()).append("(\n");
      for (int i = 0; i < c.args().size(); i++) {
        if (i > 0) {
          out.append(",\n");
        }
        out.append(pretty(c.args().get(i), level + 1));
      }
      return out.append('\n').append(indent(level)).append(')').toString();
    }
    if (expr instanceof ParenExpr p) {
      if (!needsSplit(p)) {
        return indent(level) + Printer.print(p);
      }
      return indent(level) + "(\n" + pretty(p.expr(), level + 1) + "\n" + indent(level) + ")";
    }
    if (expr instanceof SubqueryExpr s) {
      if (!needsSplit(s)) {
        return Printer.print(s);
      }
      return pretty(s.expr(), level) + Printer.subquerySuffix(s);
    }
    if (expr instanceof UnaryExpr u) {
      String operand = pretty(u.expr(), level).strip();
      return indent(level) + (u.negate() ? "-" : "+") + operand;
    }
    return indent(level) + Printer.print(expr);
  }

  private static boolean needsSplit(Expr expr) {
    return Printer.print(expr).getBytes(StandardCharsets.UTF_8).length > MAX_CHARACTERS_PER_LINE;
  }

  private static String indent(int level) {
    return INDENT.repeat(level);
  }
}

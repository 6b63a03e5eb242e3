package dev.strata.promql.parser;

import static dev.strata.promql.parser.ValueType.SCALAR;
import static dev.strata.promql.parser.ValueType.STRING;
import static dev.strata.promql.parser.ValueType.VECTOR;

import dev.strata.promql.parser.VectorMatching.Cardinality;
import dev.strata.tsdb.labels.GoQuote;
import dev.strata.tsdb.labels.LabelMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * Prometheus's {@code checkAST}: types of function arguments and aggregation parameters, the rules
 * of binary operators and vector matching, selectors that would select everything. Errors are
 * added in the order Prometheus finds them (children before their parent, an aggregation's
 * expression before its parameter).
 *
 * <p>It also finishes the binary expressions: vector matching is dropped unless both sides are
 * vectors, and set operators become many-to-many, as in Prometheus.
 */
final class TypeChecker {
  private static final String METRIC_NAME = "__name__";

  private final String input;
  private final List<ParseError> errors;

  TypeChecker(String input, List<ParseError> errors) {
    this.input = input;
    this.errors = errors;
  }

  Expr check(Expr node) {
    if (node instanceof AggregateExpr a) {
      return checkAggregate(a);
    } else if (node instanceof BinaryExpr b) {
      return checkBinary(b);
    } else if (node instanceof Call c) {
      return checkCall(c);
    } else if (node instanceof ParenExpr p) {
      return new ParenExpr(check(p.expr()), p.positionRange());
    } else if (node instanceof UnaryExpr u) {
      Expr operand = check(u.expr());
      ValueType type = operand.type();
      if (type != SCALAR && type != VECTOR) {
        error(
            u.positionRange(),
            "unary expression only allowed on expressions of type scalar or instant vector, got "
                + GoQuote.quote(type.documentedName()));
      }
      return new UnaryExpr(u.negate(), operand, u.positionRange());
    } else if (node instanceof SubqueryExpr s) {
      Expr inner = check(s.expr());
      if (inner.type() != VECTOR) {
        error(
            s.positionRange(),
            "subquery is only allowed on instant vector, got "
                + inner.type().resultTypeName()
                + " instead");
      }
      return new SubqueryExpr(
          inner, s.rangeMs(), s.stepMs(), s.offsetMs(), s.at(), s.positionRange());
    } else if (node instanceof MatrixSelector m) {
      checkSelector(m.selector());
      return m;
    } else if (node instanceof VectorSelector v) {
      checkSelector(v);
      return v;
    }
    return node; // number and string literals
  }

  private Expr checkAggregate(AggregateExpr a) {
    Expr expr = expectType(a.expr(), VECTOR, "aggregation expression");
    Expr param = a.param();
    switch (a.op()) {
      case TOPK, BOTTOMK, QUANTILE -> param = expectType(param, SCALAR, "aggregation parameter");
      case COUNT_VALUES -> param = expectType(param, STRING, "aggregation parameter");
      default -> {
        // no parameter
      }
    }
    return new AggregateExpr(
        a.op(), expr, param, a.grouping(), a.without(), a.positionRange());
  }

  private Expr checkBinary(BinaryExpr b) {
    Expr lhs = check(b.lhs());
    Expr rhs = check(b.rhs());
    ValueType lt = lhs.type();
    ValueType rt = rhs.type();
    BinaryOp op = b.op();
    if (b.returnBool() && !op.isComparison()) {
      error(operatorRange(b), "bool modifier can only be used on comparison operators");
    }
    if (op.isComparison() && !b.returnBool() && lt == SCALAR && rt == SCALAR) {
      error(operatorRange(b), "comparisons between scalars must use BOOL modifier");
    }
    VectorMatching matching = b.matching();
    if (matching == null) {
      matching = new VectorMatching(Cardinality.ONE_TO_ONE, List.of(), false, List.of());
    }
    if (op.isSetOperator() && matching.cardinality() == Cardinality.ONE_TO_ONE) {
      matching =
          new VectorMatching(
              Cardinality.MANY_TO_MANY, matching.matchingLabels(), matching.on(), matching.include());
    }
    if (matching.on()) {
      for (String label : matching.matchingLabels()) {
        if (matching.include().contains(label)) {
          error(
              operatorRange(b),
              "label " + GoQuote.quote(label) + " must not occur in ON and GROUP clause at once");
        }
      }
    }
    if (lt != SCALAR && lt != VECTOR) {
      error(lhs.positionRange(), "binary expression must contain only scalar and instant vector types");
    }
    if (rt != SCALAR && rt != VECTOR) {
      error(rhs.positionRange(), "binary expression must contain only scalar and instant vector types");
    }
    if (lt != VECTOR || rt != VECTOR) {
      if (!matching.matchingLabels().isEmpty()) {
        error(b.positionRange(), "vector matching only allowed between instant vectors");
      }
      matching = null;
    } else if (op.isSetOperator()) {
      Cardinality card = matching.cardinality();
      if (card == Cardinality.ONE_TO_MANY || card == Cardinality.MANY_TO_ONE) {
        error(b.positionRange(), "no grouping allowed for " + GoQuote.quote(op.text()) + " operation");
      }
      if (card != Cardinality.MANY_TO_MANY) {
        error(b.positionRange(), "set operations must always be many-to-many");
      }
    }
    if ((lt == SCALAR || rt == SCALAR) && op.isSetOperator()) {
      error(
          b.positionRange(),
          "set operator " + GoQuote.quote(op.text()) + " not allowed in binary scalar expression");
    }
    return new BinaryExpr(op, lhs, rhs, matching, b.returnBool(), b.positionRange());
  }

  private Expr checkCall(Call c) {
    Function f = c.function();
    int declared = f.argTypes().size();
    int given = c.args().size();
    String name = GoQuote.quote(f.name());
    if (f.variadic() == 0) {
      if (declared != given) {
        error(
            c.positionRange(),
            "expected " + declared + " argument(s) in call to " + name + ", got " + given);
      }
    } else {
      int required = declared - 1;
      if (required > given) {
        error(
            c.positionRange(),
            "expected at least " + required + " argument(s) in call to " + name + ", got " + given);
      } else if (f.variadic() > 0 && required + f.variadic() < given) {
        error(
            c.positionRange(),
            "expected at most "
                + (required + f.variadic())
                + " argument(s) in call to "
                + name
                + ", got "
                + given);
      }
    }
    List<Expr> args = new ArrayList<>(c.args());
    for (int i = 0; i < args.size(); i++) {
      int typeIndex = i;
      if (i >= declared) {
        if (f.variadic() == 0) {
          break; // extra arguments of a fixed signature are not type-checked
        }
        typeIndex = declared - 1;
      }
      args.set(
          i, expectType(args.get(i), f.argTypes().get(typeIndex), "call to function " + name));
    }
    return new Call(f, args, c.positionRange());
  }

  private void checkSelector(VectorSelector v) {
    List<LabelMatcher> matchers = v.matchers();
    if (v.name() != null) {
      // The last matcher is the name written before the braces.
      for (LabelMatcher m : matchers.subList(0, matchers.size() - 1)) {
        if (m.name().equals(METRIC_NAME)) {
          error(
              v.positionRange(),
              "metric name must not be set twice: "
                  + GoQuote.quote(v.name())
                  + " or "
                  + GoQuote.quote(m.value()));
        }
      }
      return;
    }
    for (LabelMatcher m : matchers) {
      if (!m.matches("")) {
        return;
      }
    }
    error(v.positionRange(), "vector selector must contain at least one non-empty matcher");
  }

  private Expr expectType(Expr node, ValueType want, String context) {
    Expr checked = check(node);
    ValueType got = checked.type();
    if (got != want) {
      error(
          node.positionRange(),
          "expected type "
              + want.documentedName()
              + " in "
              + context
              + ", got "
              + got.documentedName());
    }
    return checked;
  }

  /** Where the operator of a binary expression stands: after the left side, spaces skipped. */
  private PositionRange operatorRange(BinaryExpr b) {
    int start = b.lhs().positionRange().end();
    while (start < input.length() && Lexer.isSpace(input.charAt(start))) {
      start++;
    }
    int end = b.rhs().positionRange().start();
    return new PositionRange(start, Math.max(start, end));
  }

  private void error(PositionRange where, String message) {
    errors.add(new ParseError(where, message));
  }
}

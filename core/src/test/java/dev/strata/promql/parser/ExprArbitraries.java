package dev.strata.promql.parser;

import dev.strata.promql.parser.VectorMatching.Cardinality;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.MatchType;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Random well-typed PromQL trees, built so that printing them gives text that parses back to the
 * same tree: parentheses are added where precedence would regroup the printed text, and nothing
 * is generated that printing cannot express (a unary minus directly on a number, which the parser
 * folds; {@code ignoring ()} with a group modifier, which printing drops).
 */
final class ExprArbitraries {
  private static final PositionRange NONE = PositionRange.NONE;
  private static final List<String> METRIC_NAMES =
      List.of("foo", "http_requests_total", "a:b:c", "up", "sum", "by", "offset", "start", "and",
          "count_values", "without");
  private static final List<String> LABEL_NAMES =
      List.of("job", "instance", "le", "a", "on", "bool", "sum", "offset", "group_left");
  private static final List<String> LABEL_VALUES =
      List.of("", "api", "a\"b", "back\\slash", "new\nline", "é", "😀", "tab\t", "{}[]");
  private static final List<String> REGEXES = List.of(".*", ".+", "a|b", "[0-9]+", "x(y)?");
  private static final List<String> AGGREGATE_FUNCTIONS =
      List.of("abs", "ceil", "sort", "timestamp", "absent", "histogram_sum", "exp");
  private static final List<String> RANGE_FUNCTIONS =
      List.of("rate", "increase", "delta", "max_over_time", "last_over_time", "changes");

  private ExprArbitraries() {}

  static Arbitrary<Expr> any() {
    return Arbitraries.oneOf(vector(3), scalar(3), matrix(2));
  }

  static Arbitrary<Expr> vector(int depth) {
    if (depth <= 0) {
      return selector().map(v -> (Expr) v);
    }
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, selector().map(v -> (Expr) v)),
        net.jqwik.api.Tuple.of(2, Arbitraries.lazy(() -> binary(depth - 1, true))),
        net.jqwik.api.Tuple.of(2, Arbitraries.lazy(() -> aggregate(depth - 1))),
        net.jqwik.api.Tuple.of(2, Arbitraries.lazy(() -> call(depth - 1))),
        net.jqwik.api.Tuple.of(1, Arbitraries.lazy(() -> unary(vector(depth - 1)))),
        net.jqwik.api.Tuple.of(1, Arbitraries.lazy(() -> paren(vector(depth - 1)))));
  }

  static Arbitrary<Expr> scalar(int depth) {
    if (depth <= 0) {
      return number();
    }
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, number()),
        net.jqwik.api.Tuple.of(2, Arbitraries.lazy(() -> binary(depth - 1, false))),
        net.jqwik.api.Tuple.of(1, Arbitraries.lazy(() -> unary(scalar(depth - 1)))),
        net.jqwik.api.Tuple.of(1, Arbitraries.lazy(() -> paren(scalar(depth - 1)))),
        net.jqwik.api.Tuple.of(1, Arbitraries.lazy(() -> vector(depth - 1))
            .map(v -> (Expr) new Call(Functions.get("scalar"), List.of(v), NONE))),
        net.jqwik.api.Tuple.of(1, Arbitraries.of("time", "pi")
            .map(n -> (Expr) new Call(Functions.get(n), List.of(), NONE))));
  }

  static Arbitrary<Expr> matrix(int depth) {
    Arbitrary<Expr> range =
        Combinators.combine(selector(), duration())
            .as((v, r) -> (Expr) new MatrixSelector(v, r, NONE));
    Arbitrary<Expr> subquery =
        Combinators.combine(
                vector(depth).map(ExprArbitraries::subqueryOperand),
                duration(),
                Arbitraries.oneOf(Arbitraries.just(0L), duration()),
                offset(),
                at())
            .as((e, r, step, off, at) -> (Expr) new SubqueryExpr(e, r, step, off, at, NONE));
    return Arbitraries.oneOf(range, subquery);
  }

  // ---- leaves

  static Arbitrary<VectorSelector> selector() {
    Arbitrary<LabelMatcher> matcher =
        Arbitraries.oneOf(
            Combinators.combine(
                    Arbitraries.of(LABEL_NAMES),
                    Arbitraries.of(MatchType.EQUAL, MatchType.NOT_EQUAL),
                    Arbitraries.of(LABEL_VALUES))
                .as((name, type, value) -> LabelMatcher.of(type, name, value)),
            Combinators.combine(
                    Arbitraries.of(LABEL_NAMES),
                    Arbitraries.of(MatchType.REGEX, MatchType.NOT_REGEX),
                    Arbitraries.of(REGEXES))
                .as((name, type, value) -> LabelMatcher.of(type, name, value)));
    return Combinators.combine(
            Arbitraries.of(METRIC_NAMES).injectNull(0.2),
            matcher.list().ofMaxSize(3),
            offset(),
            at())
        .as(
            (name, matchers, off, at) -> {
              List<LabelMatcher> all = new ArrayList<>(matchers);
              if (name != null) {
                all.add(LabelMatcher.equal("__name__", name));
              } else if (all.stream().allMatch(m -> m.matches(""))) {
                all.add(LabelMatcher.equal("job", "api"));
              }
              return new VectorSelector(name, all, off, at, NONE);
            });
  }

  static Arbitrary<Expr> number() {
    return Arbitraries.oneOf(
            Arbitraries.doubles(),
            Arbitraries.integers().between(-1000, 1000).map(i -> (double) i),
            Arbitraries.of(
                Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e6, 1e-7, -0.0,
                Double.MIN_VALUE, Double.MAX_VALUE))
        .map(v -> new NumberLiteral(v, NONE));
  }

  static Arbitrary<Long> duration() {
    return Arbitraries.oneOf(
        Arbitraries.longs().between(1, 10_000_000_000L),
        Arbitraries.of(1000L, 60_000L, 300_000L, 3_600_000L, 86_400_000L, 604_800_000L,
            31_536_000_000L));
  }

  static Arbitrary<Long> offset() {
    return Arbitraries.oneOf(
        Arbitraries.just(0L), duration(), duration().map(d -> -d));
  }

  static Arbitrary<AtModifier> at() {
    return Arbitraries.oneOf(
        Arbitraries.just(AtModifier.NONE),
        Arbitraries.of(AtModifier.START, AtModifier.END),
        Arbitraries.longs().between(-10_000_000_000_000L, 10_000_000_000_000L).map(AtModifier::at));
  }

  private static Arbitrary<Expr> string() {
    return Arbitraries.of(LABEL_VALUES).map(s -> new StringLiteral(s, NONE));
  }

  // ---- composites

  private static Arbitrary<Expr> paren(Arbitrary<Expr> inner) {
    return inner.map(e -> new ParenExpr(e, NONE));
  }

  private static Arbitrary<Expr> unary(Arbitrary<Expr> operand) {
    return Combinators.combine(Arbitraries.of(true, false), operand)
        .as(
            (negate, e) -> {
              boolean regroups =
                  e instanceof NumberLiteral
                      || (e instanceof BinaryExpr b && b.op() != BinaryOp.POW);
              return new UnaryExpr(negate, regroups ? new ParenExpr(e, NONE) : e, NONE);
            });
  }

  private static Arbitrary<Expr> aggregate(int depth) {
    return Combinators.combine(
            Arbitraries.of(AggregateOp.values()),
            vector(depth),
            scalar(depth),
            string(),
            Arbitraries.of(LABEL_NAMES).list().ofMaxSize(3),
            Arbitraries.of(true, false))
        .as(
            (op, expr, scalarParam, stringParam, grouping, without) -> {
              Expr param =
                  switch (op) {
                    case TOPK, BOTTOMK, QUANTILE -> scalarParam;
                    case COUNT_VALUES -> stringParam;
                    default -> null;
                  };
              return new AggregateExpr(op, expr, param, grouping, without, NONE);
            });
  }

  private static Arbitrary<Expr> call(int depth) {
    Arbitrary<Expr> onVector =
        Combinators.combine(Arbitraries.of(AGGREGATE_FUNCTIONS), vector(depth))
            .as((f, v) -> new Call(Functions.get(f), List.of(v), NONE));
    Arbitrary<Expr> onRange =
        Combinators.combine(Arbitraries.of(RANGE_FUNCTIONS), matrix(Math.max(0, depth - 1)))
            .as((f, m) -> new Call(Functions.get(f), List.of(m), NONE));
    Arbitrary<Expr> optionalArgs =
        Combinators.combine(vector(depth), scalar(depth), Arbitraries.integers().between(0, 2))
            .as(
                (v, s, form) ->
                    switch (form) {
                      case 0 -> new Call(Functions.get("hour"), List.of(), NONE);
                      case 1 -> new Call(Functions.get("round"), List.of(v), NONE);
                      default -> new Call(Functions.get("round"), List.of(v, s), NONE);
                    });
    Arbitrary<Expr> labelJoin =
        Combinators.combine(vector(depth), string().list().ofMinSize(3).ofMaxSize(5))
            .as(
                (v, strings) -> {
                  List<Expr> args = new ArrayList<>();
                  args.add(v);
                  args.addAll(strings);
                  return new Call(Functions.get("label_join"), args, NONE);
                });
    return Arbitraries.oneOf(onVector, onRange, optionalArgs, labelJoin);
  }

  private static Arbitrary<Expr> binary(int depth, boolean vectorResult) {
    Arbitrary<BinaryOp> ops =
        vectorResult
            ? Arbitraries.of(BinaryOp.values())
            : Arbitraries.of(BinaryOp.values()).filter(op -> !op.isSetOperator());
    Arbitrary<Expr> side = Arbitraries.oneOf(vector(depth), scalar(depth));
    return Combinators.combine(
            ops, side, side, Arbitraries.of(true, false), matching(), Arbitraries.of(true, false))
        .as(
            (op, l, r, bool, vm, leftIsVector) -> {
              Expr lhs = l;
              Expr rhs = r;
              boolean bothVectors = op.isSetOperator() || (vectorResult && leftIsVector);
              if (bothVectors || vectorResult) {
                // At least one side (both for set operators) must be a vector.
                if (bothVectors && lhs.type() != ValueType.VECTOR) {
                  lhs = new Call(Functions.get("vector"), List.of(lhs), NONE);
                }
                if ((bothVectors || lhs.type() != ValueType.VECTOR)
                    && rhs.type() != ValueType.VECTOR) {
                  rhs = new Call(Functions.get("vector"), List.of(rhs), NONE);
                }
              } else {
                if (lhs.type() != ValueType.SCALAR) {
                  lhs = new Call(Functions.get("scalar"), List.of(lhs), NONE);
                }
                if (rhs.type() != ValueType.SCALAR) {
                  rhs = new Call(Functions.get("scalar"), List.of(rhs), NONE);
                }
              }
              boolean vectors = lhs.type() == ValueType.VECTOR && rhs.type() == ValueType.VECTOR;
              boolean returnBool =
                  op.isComparison()
                      && (bool || (lhs.type() == ValueType.SCALAR && rhs.type() == ValueType.SCALAR));
              VectorMatching matching = null;
              if (vectors) {
                matching = op.isSetOperator()
                    ? new VectorMatching(Cardinality.MANY_TO_MANY, vm.matchingLabels(), vm.on(), List.of())
                    : vm;
              }
              return new BinaryExpr(
                  op, operand(lhs, op, true), operand(rhs, op, false), matching, returnBool, NONE);
            });
  }

  private static Arbitrary<VectorMatching> matching() {
    Arbitrary<List<String>> labels = Arbitraries.of(LABEL_NAMES).list().ofMaxSize(2).uniqueElements();
    return Combinators.combine(
            Arbitraries.of(Cardinality.ONE_TO_ONE, Cardinality.MANY_TO_ONE, Cardinality.ONE_TO_MANY),
            labels,
            Arbitraries.of(true, false),
            labels)
        .as(
            (card, matchingLabels, on, include) -> {
              if (!on && matchingLabels.isEmpty()) {
                return new VectorMatching(Cardinality.ONE_TO_ONE, List.of(), false, List.of());
              }
              List<String> groupLabels =
                  on ? include.stream().filter(l -> !matchingLabels.contains(l)).toList() : include;
              return card == Cardinality.ONE_TO_ONE
                  ? new VectorMatching(card, matchingLabels, on, List.of())
                  : new VectorMatching(card, matchingLabels, on, groupLabels);
            });
  }

  /** The side of a binary expression, in parentheses where the printed text would regroup. */
  private static Expr operand(Expr e, BinaryOp parent, boolean left) {
    boolean regroups = false;
    if (e instanceof BinaryExpr child) {
      int p = child.op().precedence();
      boolean sameLevelRegroups = left == parent.isRightAssociative();
      regroups = p < parent.precedence() || (p == parent.precedence() && sameLevelRegroups);
    } else if (left && parent == BinaryOp.POW) {
      // "-a ^ b" parses as -(a ^ b), and so does a number printed with a sign: "-1", "+Inf".
      regroups =
          e instanceof UnaryExpr
              || (e instanceof NumberLiteral n && (n.value() < 0 || isNegativeZero(n.value())
                  || n.value() == Double.POSITIVE_INFINITY));
    }
    return regroups ? new ParenExpr(e, NONE) : e;
  }

  private static boolean isNegativeZero(double v) {
    return v == 0 && 1 / v < 0;
  }

  private static Expr subqueryOperand(Expr e) {
    return e instanceof BinaryExpr || e instanceof UnaryExpr ? new ParenExpr(e, NONE) : e;
  }
}

package dev.strata.promql;

import dev.strata.promql.parser.BinaryExpr;
import dev.strata.promql.parser.BinaryOp;
import dev.strata.promql.parser.VectorMatching;
import dev.strata.promql.parser.VectorMatching.Cardinality;
import dev.strata.tsdb.labels.Labels;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Binary operators between scalars and vectors: arithmetic, comparisons (filtering, or 0/1 with
 * {@code bool}) and the set operators, with Prometheus's vector matching. Matching signatures are
 * computed once per series; each step then only compares small integers.
 */
final class BinaryOperations {
  private BinaryOperations() {}

  private static final VectorMatching DEFAULT_ONE_TO_ONE =
      new VectorMatching(Cardinality.ONE_TO_ONE, List.of(), false, List.of());
  private static final VectorMatching DEFAULT_MANY_TO_MANY =
      new VectorMatching(Cardinality.MANY_TO_MANY, List.of(), false, List.of());

  static Evaluated eval(Evaluator ev, BinaryExpr b, Steps steps) {
    Evaluated l = ev.eval(b.lhs(), steps);
    Evaluated r = ev.eval(b.rhs(), steps);
    BinaryOp op = b.op();
    if (l instanceof ScalarSteps ls && r instanceof ScalarSteps rs) {
      double[] out = new double[ls.values().length];
      for (int i = 0; i < out.length; i++) {
        out[i] = scalarBinop(op, ls.values()[i], rs.values()[i]);
      }
      return new ScalarSteps(out);
    }
    if (l instanceof StepVector lv && r instanceof ScalarSteps rs) {
      return vectorScalar(op, lv, rs.values(), false, b.returnBool());
    }
    if (l instanceof ScalarSteps ls && r instanceof StepVector rv) {
      return vectorScalar(op, rv, ls.values(), true, b.returnBool());
    }
    StepVector lv = (StepVector) l;
    StepVector rv = (StepVector) r;
    VectorMatching m = b.matching();
    if (op.isSetOperator()) {
      return setOperation(op, lv, rv, m == null ? DEFAULT_MANY_TO_MANY : m);
    }
    return vectorBinop(op, lv, rv, m == null ? DEFAULT_ONE_TO_ONE : m, b.returnBool());
  }

  static boolean dropsMetricName(BinaryOp op) {
    return switch (op) {
      case ADD, SUB, MUL, DIV, MOD, POW -> true;
      default -> false;
    };
  }

  static double scalarBinop(BinaryOp op, double l, double r) {
    return switch (op) {
      case ADD -> l + r;
      case SUB -> l - r;
      case MUL -> l * r;
      case DIV -> l / r;
      case POW -> goPow(l, r);
      case MOD -> goMod(l, r);
      case ATAN2 -> Math.atan2(l, r);
      case EQL -> l == r ? 1 : 0;
      case NEQ -> l != r ? 1 : 0;
      case GTR -> l > r ? 1 : 0;
      case LSS -> l < r ? 1 : 0;
      case GTE -> l >= r ? 1 : 0;
      case LTE -> l <= r ? 1 : 0;
      default ->
          throw new QueryException(
              QueryException.ErrorType.INTERNAL,
              "operator \"" + op.text() + "\" not allowed for Scalar operations");
    };
  }

  /**
   * Go's {@code math.Pow}, which differs from Java's for a base of 1 or -1 with NaN or infinite
   * exponents.
   */
  static double goPow(double l, double r) {
    if (l == 1 || (l == -1 && Double.isInfinite(r))) {
      return 1;
    }
    return Math.pow(l, r);
  }

  /** Go's {@code math.Mod}: the result has the sign of {@code l}, like Java's {@code %}. */
  static double goMod(double l, double r) {
    return l % r;
  }

  /** Whether a comparison holds, or true for arithmetic (which always keeps the element). */
  private static boolean keeps(BinaryOp op, double l, double r) {
    return switch (op) {
      case EQL -> l == r;
      case NEQ -> l != r;
      case GTR -> l > r;
      case LSS -> l < r;
      case GTE -> l >= r;
      case LTE -> l <= r;
      default -> true;
    };
  }

  /** The element value: the left value for comparisons, the arithmetic result otherwise. */
  private static double elementValue(BinaryOp op, double l, double r) {
    return op.isComparison() ? l : scalarBinop(op, l, r);
  }

  private static StepVector vectorScalar(
      BinaryOp op, StepVector vec, double[] scalar, boolean swap, boolean returnBool) {
    StepVector out = new StepVector(vec.steps);
    boolean dropName = dropsMetricName(op) || returnBool;
    boolean comparison = op.isComparison();
    for (StepSeries s : vec.series) {
      int idx = -1;
      for (int i = 0; i < vec.steps; i++) {
        if (!s.present[i]) {
          continue;
        }
        double lv = s.values[i];
        double rv = scalar[i];
        if (swap) {
          double t = lv;
          lv = rv;
          rv = t;
        }
        double value = elementValue(op, lv, rv);
        boolean keep = keeps(op, lv, rv);
        if (comparison && swap) {
          value = rv; // the vector's value, even when it stands on the right
        }
        if (returnBool) {
          value = keep ? 1 : 0;
          keep = true;
        }
        if (keep) {
          if (idx < 0) {
            idx = out.output(dropName ? s.labels.dropMetricName() : s.labels);
          }
          out.put(idx, i, value);
        }
      }
    }
    return out.compact();
  }

  /** Interns the matching signature of every series of both sides as a small integer. */
  private static final class Signatures {
    final Map<Labels, Integer> ids = new HashMap<>();
    final java.util.ArrayList<Labels> byId = new java.util.ArrayList<>();

    int[] of(StepVector v, VectorMatching m) {
      Set<String> names = new HashSet<>(m.matchingLabels());
      int[] sig = new int[v.series.size()];
      for (int i = 0; i < sig.length; i++) {
        Labels key = matchLabels(v.series.get(i).labels, m.on(), names);
        Integer id = ids.get(key);
        if (id == null) {
          id = byId.size();
          ids.put(key, id);
          byId.add(key);
        }
        sig[i] = id;
      }
      return sig;
    }

    int size() {
      return byId.size();
    }
  }

  /**
   * Prometheus's {@code MatchLabels}: the {@code on} labels, or all but the ignored ones and the
   * name.
   */
  static Labels matchLabels(Labels l, boolean on, Set<String> names) {
    return LabelSets.filter(
        l, name -> on == names.contains(name) && (on || !name.equals(Labels.METRIC_NAME)));
  }

  private static boolean anyAt(StepVector v, int step) {
    for (StepSeries s : v.series) {
      if (s.present[step]) {
        return true;
      }
    }
    return false;
  }

  private static StepVector setOperation(
      BinaryOp op, StepVector lhs, StepVector rhs, VectorMatching m) {
    Signatures sigs = new Signatures();
    int[] lsig = sigs.of(lhs, m);
    int[] rsig = sigs.of(rhs, m);
    int steps = lhs.steps;
    int[] stamp = new int[sigs.size()];
    StepVector out = new StepVector(steps);
    int[] lOut = new int[lhs.series.size()];
    int[] rOut = new int[rhs.series.size()];
    Arrays.fill(lOut, -1);
    Arrays.fill(rOut, -1);
    for (int step = 0; step < steps; step++) {
      int mark = step + 1;
      boolean lAny = anyAt(lhs, step);
      boolean rAny = anyAt(rhs, step);
      switch (op) {
        case AND -> {
          if (!lAny || !rAny) {
            continue;
          }
          markPresent(rhs, rsig, step, stamp, mark);
          for (int i = 0; i < lsig.length; i++) {
            StepSeries s = lhs.series.get(i);
            if (s.present[step] && stamp[lsig[i]] == mark) {
              emit(out, lOut, i, s, step);
            }
          }
        }
        case OR -> {
          markPresent(lhs, lsig, step, stamp, mark);
          for (int i = 0; i < lsig.length; i++) {
            StepSeries s = lhs.series.get(i);
            if (s.present[step]) {
              emit(out, lOut, i, s, step);
            }
          }
          for (int j = 0; j < rsig.length; j++) {
            StepSeries s = rhs.series.get(j);
            if (s.present[step] && (!lAny || stamp[rsig[j]] != mark)) {
              emit(out, rOut, j, s, step);
            }
          }
        }
        case UNLESS -> {
          if (rAny) {
            markPresent(rhs, rsig, step, stamp, mark);
          }
          for (int i = 0; i < lsig.length; i++) {
            StepSeries s = lhs.series.get(i);
            if (s.present[step] && (!rAny || stamp[lsig[i]] != mark)) {
              emit(out, lOut, i, s, step);
            }
          }
        }
        default -> throw new IllegalStateException(op.text());
      }
    }
    return out.compact();
  }

  private static void markPresent(StepVector v, int[] sig, int step, int[] stamp, int mark) {
    for (int i = 0; i < sig.length; i++) {
      if (v.series.get(i).present[step]) {
        stamp[sig[i]] = mark;
      }
    }
  }

  private static void emit(StepVector out, int[] outIndex, int i, StepSeries s, int step) {
    if (outIndex[i] < 0) {
      outIndex[i] = out.output(s.labels);
    }
    out.put(outIndex[i], step, s.values[step]);
  }

  private static StepVector vectorBinop(
      BinaryOp op, StepVector lhsIn, StepVector rhsIn, VectorMatching m, boolean returnBool) {
    Signatures sigs = new Signatures();
    boolean swap = m.cardinality() == Cardinality.ONE_TO_MANY;
    StepVector lhs = swap ? rhsIn : lhsIn;
    StepVector rhs = swap ? lhsIn : rhsIn;
    int[] lsig = sigs.of(lhs, m);
    int[] rsig = sigs.of(rhs, m);
    int steps = lhs.steps;
    int nsig = sigs.size();
    int[] rightStamp = new int[nsig];
    int[] rightAt = new int[nsig];
    int[] matchedStamp = new int[nsig];
    // The output series of each lhs series for the rhs series it last matched: the match is
    // usually the same at every step, so the labels are worked out once.
    int[] lastRhs = new int[lsig.length];
    int[] lastOut = new int[lsig.length];
    Arrays.fill(lastRhs, -1);
    Map<Long, Integer> resultIndex = new HashMap<>();
    // For many-to-one matching: the step and signature that last produced each output series.
    int[] outStamp = new int[16];
    int[] outSig = new int[16];
    Set<String> include = new HashSet<>(m.include());
    Set<String> matching = new HashSet<>(m.matchingLabels());
    StepVector out = new StepVector(steps);
    for (int step = 0; step < steps; step++) {
      if (!anyAt(lhs, step) || !anyAt(rhs, step)) {
        continue;
      }
      int mark = step + 1;
      for (int j = 0; j < rsig.length; j++) {
        StepSeries rs = rhs.series.get(j);
        if (!rs.present[step]) {
          continue;
        }
        int sig = rsig[j];
        if (rightStamp[sig] == mark) {
          String side = swap ? "left" : "right";
          throw QueryException.execution(
              "found duplicate series for the match group "
                  + sigs.byId.get(sig)
                  + " on the "
                  + side
                  + " hand-side of the operation: ["
                  + rs.labels
                  + ", "
                  + rhs.series.get(rightAt[sig]).labels
                  + "];many-to-many matching not allowed: matching labels must be unique on one"
                  + " side");
        }
        rightStamp[sig] = mark;
        rightAt[sig] = j;
      }
      for (int i = 0; i < lsig.length; i++) {
        StepSeries ls = lhs.series.get(i);
        int sig = lsig[i];
        if (!ls.present[step] || rightStamp[sig] != mark) {
          continue;
        }
        int j = rightAt[sig];
        StepSeries rs = rhs.series.get(j);
        double vl = ls.values[step];
        double vr = rs.values[step];
        if (swap) {
          double t = vl;
          vl = vr;
          vr = t;
        }
        double value = elementValue(op, vl, vr);
        boolean keep = keeps(op, vl, vr);
        if (returnBool) {
          value = keep ? 1 : 0;
        } else if (!keep) {
          continue;
        }
        int outIdx;
        if (lastRhs[i] == j) {
          outIdx = lastOut[i];
        } else {
          long pair = ((long) i << 32) | j;
          Integer known = resultIndex.get(pair);
          if (known == null) {
            Labels metric = resultMetric(ls.labels, rs.labels, op, m, matching, include);
            if (returnBool) {
              metric = metric.dropMetricName();
            }
            known = out.output(metric);
            resultIndex.put(pair, known);
          }
          outIdx = known;
          lastRhs[i] = j;
          lastOut[i] = outIdx;
        }
        if (m.cardinality() == Cardinality.ONE_TO_ONE) {
          if (matchedStamp[sig] == mark) {
            throw QueryException.execution(
                "multiple matches for labels: many-to-one matching must be explicit"
                    + " (group_left/group_right)");
          }
          matchedStamp[sig] = mark;
        } else {
          if (outIdx >= outStamp.length) {
            int size = Math.max(outIdx + 1, outStamp.length * 2);
            outStamp = Arrays.copyOf(outStamp, size);
            outSig = Arrays.copyOf(outSig, size);
          }
          if (outStamp[outIdx] == mark && outSig[outIdx] == sig) {
            throw QueryException.execution(
                "multiple matches for labels: grouping labels must ensure unique matches");
          }
          outStamp[outIdx] = mark;
          outSig[outIdx] = sig;
        }
        out.put(outIdx, step, value);
      }
    }
    return out.compact();
  }

  /** Prometheus's {@code resultMetric}: the labels of an element matched between two vectors. */
  private static Labels resultMetric(
      Labels lhs,
      Labels rhs,
      BinaryOp op,
      VectorMatching m,
      Set<String> matching,
      Set<String> include) {
    Labels.Builder b = lhs.toBuilder();
    if (dropsMetricName(op)) {
      b.remove(Labels.METRIC_NAME);
    }
    if (m.cardinality() == Cardinality.ONE_TO_ONE) {
      if (m.on()) {
        for (int i = 0; i < lhs.size(); i++) {
          if (!matching.contains(lhs.name(i))) {
            b.remove(lhs.name(i));
          }
        }
      } else {
        b.remove(m.matchingLabels().toArray(new String[0]));
      }
    }
    Labels result = b.build();
    for (String name : include) {
      result = LabelSets.with(result, name, rhs.get(name)); // an absent label removes it
    }
    return result;
  }
}

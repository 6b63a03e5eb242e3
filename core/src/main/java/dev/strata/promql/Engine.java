package dev.strata.promql;

import dev.strata.promql.parser.Expr;
import dev.strata.promql.parser.ValueType;
import dev.strata.tsdb.labels.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Evaluates PromQL with Prometheus 2.42's semantics over any {@link Queryable}. Thread-safe; at
 * most {@link EngineOptions#maxConcurrency()} queries run at once, the others wait in line within
 * their timeout.
 *
 * <p>Native histograms are out of scope: Strata stores float samples only, and the {@code
 * histogram_count}, {@code histogram_sum} and {@code histogram_fraction} functions return nothing
 * over them, as Prometheus 2.42's do over float samples.
 *
 * <p>Each selector is resolved through the index once per query, for the whole time range it needs,
 * and its samples are decoded once into primitive arrays; a range query steps through them with
 * moving windows instead of selecting again at every step.
 */
public final class Engine {
  private final EngineOptions options;
  private final Semaphore slots;

  public Engine(EngineOptions options) {
    this.options = Objects.requireNonNull(options, "options");
    this.slots = new Semaphore(options.maxConcurrency(), true);
  }

  public Engine() {
    this(EngineOptions.defaults());
  }

  public EngineOptions options() {
    return options;
  }

  /** Parses and evaluates {@code query} at {@code timeMs}. */
  public QueryResult instantQuery(Queryable queryable, String query, long timeMs) {
    return instantQuery(queryable, QueryParsing.parse(query), timeMs);
  }

  /** Evaluates {@code expr} at {@code timeMs}: a scalar, string, instant vector or matrix. */
  public QueryResult instantQuery(Queryable queryable, Expr expr, long timeMs) {
    return instantQuery(queryable, expr, timeMs, QueryOptions.DEFAULTS);
  }

  /** As {@link #instantQuery(Queryable, Expr, long)}, with {@code query}'s settings. */
  public QueryResult instantQuery(
      Queryable queryable, Expr expr, long timeMs, QueryOptions query) {
    return run(queryable, expr, timeMs, timeMs, 0, query);
  }

  /** Parses and evaluates {@code query} at {@code start, start + step, ... <= end}. */
  public QueryResult rangeQuery(
      Queryable queryable, String query, long startMs, long endMs, long stepMs) {
    return rangeQuery(queryable, QueryParsing.parse(query), startMs, endMs, stepMs);
  }

  /**
   * Evaluates {@code expr} at {@code start, start + step, ... <= end}: a matrix sorted by labels.
   * The expression must be a scalar or an instant vector.
   */
  public QueryResult rangeQuery(
      Queryable queryable, Expr expr, long startMs, long endMs, long stepMs) {
    return rangeQuery(queryable, expr, startMs, endMs, stepMs, QueryOptions.DEFAULTS);
  }

  /** As {@link #rangeQuery(Queryable, Expr, long, long, long)}, with {@code query}'s settings. */
  public QueryResult rangeQuery(Queryable queryable, Expr expr, long startMs, long endMs,
      long stepMs, QueryOptions query) {
    if (endMs < startMs) {
      throw new QueryException(
          QueryException.ErrorType.BAD_DATA, "end timestamp must not be before start time");
    }
    if (stepMs <= 0) {
      throw new QueryException(
          QueryException.ErrorType.BAD_DATA,
          "zero or negative query resolution step widths are not accepted. Try a positive integer");
    }
    ValueType type = expr.type();
    if (type != ValueType.SCALAR && type != ValueType.VECTOR) {
      throw new QueryException(
          QueryException.ErrorType.BAD_DATA,
          "invalid expression type \""
              + type.documentedName()
              + "\" for range query, must be Scalar or instant Vector");
    }
    return run(queryable, expr, startMs, endMs, stepMs, query);
  }

  private QueryResult run(
      Queryable queryable, Expr expr, long start, long end, long step, QueryOptions query) {
    Objects.requireNonNull(queryable, "queryable");
    Objects.requireNonNull(expr, "expr");
    long lookbackMs = query.lookbackMs(options);
    long began = System.nanoTime();
    long deadline = began + options.timeout().toNanos();
    try {
      if (!slots.tryAcquire(options.timeout().toNanos(), TimeUnit.NANOSECONDS)) {
        throw new QueryException(
            QueryException.ErrorType.TIMEOUT, "query timed out in query queue");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new QueryException(
          QueryException.ErrorType.CANCELED, "query was canceled in query queue");
    }
    try {
      try {
        return evaluate(queryable, expr, start, end, step, lookbackMs, deadline);
      } catch (StackOverflowError e) {
        // Evaluation recurses once per nesting level; Prometheus takes queries nested thousands
        // deep. Only such queries pay for a thread with a large stack.
        return onLargeStack(
            () -> evaluate(queryable, expr, start, end, step, lookbackMs, deadline));
      }
    } catch (QueryException e) {
      throw e;
    } catch (RuntimeException e) {
      // Whatever else goes wrong is the engine's or the storage's fault, not the query's.
      throw new QueryException(
          QueryException.ErrorType.INTERNAL, String.valueOf(e.getMessage()), e);
    } finally {
      slots.release();
    }
  }

  private QueryResult evaluate(Queryable queryable, Expr expr, long start, long end, long step,
      long lookbackMs, long deadline) {
    QueryTracker tracker = new QueryTracker(deadline, options.maxSamples());
    Evaluator ev = new Evaluator(queryable, options, lookbackMs, tracker, start, end);
    boolean instant = step == 0;
    Steps steps = instant ? Steps.instant(start) : new Steps(start, end, step);
    long evalStart = System.nanoTime();
    Evaluated result = ev.eval(expr, steps);
    Value value = instant ? instantValue(result, start) : rangeValue(result, steps);
    return new QueryResult(value, tracker.warnings(), tracker.stats(System.nanoTime() - evalStart));
  }

  private static final long LARGE_STACK_BYTES = 1L << 30;

  private static QueryResult onLargeStack(java.util.function.Supplier<QueryResult> work) {
    java.util.concurrent.atomic.AtomicReference<Object> outcome =
        new java.util.concurrent.atomic.AtomicReference<>();
    Thread thread =
        new Thread(
            null,
            () -> {
              try {
                outcome.set(work.get());
              } catch (RuntimeException | StackOverflowError e) {
                outcome.set(e);
              }
            },
            "promql-deep-evaluation",
            LARGE_STACK_BYTES);
    thread.start();
    try {
      thread.join();
    } catch (InterruptedException e) {
      thread.interrupt();
      Thread.currentThread().interrupt();
      throw new QueryException(
          QueryException.ErrorType.CANCELED, "query was canceled in expression evaluation");
    }
    Object o = outcome.get();
    if (o instanceof QueryResult r) {
      return r;
    }
    if (o instanceof StackOverflowError) {
      throw new QueryException(
          QueryException.ErrorType.EXECUTION, "query is too deeply nested to evaluate");
    }
    throw (RuntimeException) o;
  }

  private static Value instantValue(Evaluated result, long t) {
    if (result instanceof ScalarSteps s) {
      return new Scalar(t, s.values()[0]);
    } else if (result instanceof StringConstant s) {
      return new StringValue(t, s.value());
    } else if (result instanceof StepVector v) {
      List<Sample> samples = new ArrayList<>(v.series.size());
      for (StepSeries s : v.series) {
        if (s.present[0]) {
          samples.add(new Sample(s.labels, t, s.values[0]));
        }
      }
      return new Vector(samples);
    }
    RangeInput r = (RangeInput) result;
    long end = r.windowEnd()[0];
    long begin = end - r.rangeMs();
    List<Matrix.Series> series = new ArrayList<>(r.series().size());
    for (RawSeries s : r.series()) {
      int from = 0;
      while (from < s.n() && s.t()[from] < begin) {
        from++;
      }
      int to = from;
      while (to < s.n() && s.t()[to] <= end) {
        to++;
      }
      if (to > from) {
        series.add(
            new Matrix.Series(
                s.labels(),
                java.util.Arrays.copyOfRange(s.t(), from, to),
                java.util.Arrays.copyOfRange(s.v(), from, to)));
      }
    }
    return new Matrix(series);
  }

  private static Value rangeValue(Evaluated result, Steps steps) {
    int n = steps.count();
    List<Matrix.Series> series = new ArrayList<>();
    if (result instanceof ScalarSteps s) {
      long[] t = new long[n];
      for (int i = 0; i < n; i++) {
        t[i] = steps.at(i);
      }
      series.add(new Matrix.Series(Labels.EMPTY, t, s.values().clone()));
      return new Matrix(series);
    }
    for (StepSeries s : ((StepVector) result).series) {
      if (s.points == 0) {
        continue;
      }
      long[] t = new long[s.points];
      double[] v = new double[s.points];
      int k = 0;
      for (int i = 0; i < n; i++) {
        if (s.present[i]) {
          t[k] = steps.at(i);
          v[k++] = s.values[i];
        }
      }
      series.add(new Matrix.Series(s.labels, t, v));
    }
    series.sort((a, b) -> a.labels().compareTo(b.labels()));
    return new Matrix(series);
  }
}

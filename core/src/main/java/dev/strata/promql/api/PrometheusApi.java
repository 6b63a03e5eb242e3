package dev.strata.promql.api;

import dev.strata.promql.Engine;
import dev.strata.promql.QueryException;
import dev.strata.promql.QueryOptions;
import dev.strata.promql.QueryResult;
import dev.strata.promql.Queryable;
import dev.strata.promql.SelectHints;
import dev.strata.promql.parser.Expr;
import dev.strata.promql.parser.Printer;
import dev.strata.promql.parser.PromqlParseException;
import dev.strata.promql.parser.PromqlParser;
import dev.strata.tsdb.labels.GoQuote;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.labels.Utf8Order;
import dev.strata.tsdb.storage.Querier;
import dev.strata.tsdb.storage.SeriesSet;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Prometheus 2.42's HTTP API ({@code /api/v1/...}) over any {@link Queryable}, with no HTTP server
 * of its own: a server hands it {@link ApiRequest}s and writes back the {@link ApiResponse}s. The
 * answers are Prometheus's, byte for byte where a client could tell: JSON, error types and codes,
 * parameter parsing and its messages. Unknown parameters are ignored (Grafana sends some).
 *
 * <pre>{@code
 * PrometheusApi api = PrometheusApi.builder(new Engine(), db::querier).build();
 * ApiResponse r = api.handle(new ApiRequest("GET", "/api/v1/query", Map.of("query", List.of("up"))));
 * }</pre>
 */
public final class PrometheusApi {
  /** The paths below the API root, e.g. {@code /api/v1/query}. */
  public static final String ROOT = "/api/v1";

  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final long MAX_POINTS = 11_000;

  private final Engine engine;
  private final Queryable queryable;
  private final Function<ApiRequest, Queryable> queryableFor;
  private final Function<ApiRequest, QueryOptions> queryOptionsFor;
  private final LongSupplier clock;
  private final BuildInfo buildInfo;
  private final Map<String, String> flags;
  private final Supplier<String> configYaml;
  private final Supplier<Map<String, Object>> runtimeInfo;
  private final QueryObserver observer;
  private final Map<String, String> externalLabels;

  private PrometheusApi(Builder b) {
    this.engine = b.engine;
    this.queryable = b.queryable;
    this.queryableFor = b.queryableFor;
    this.queryOptionsFor = b.queryOptionsFor;
    this.clock = b.clock;
    this.buildInfo = b.buildInfo;
    this.flags = new TreeMap<>(b.flags);
    this.configYaml = b.configYaml;
    this.runtimeInfo = b.runtimeInfo;
    this.observer = b.observer;
    this.externalLabels = b.externalLabels;
  }

  public static Builder builder(Engine engine, Queryable queryable) {
    return new Builder(engine, queryable);
  }

  /** Answers a request for a path below {@link #ROOT} (the path includes the root). */
  public ApiResponse handle(ApiRequest request) {
    String path = request.path();
    if (!path.startsWith(ROOT + "/")) {
      return notFound();
    }
    String endpoint = path.substring(ROOT.length());
    boolean get = request.method().equals("GET");
    boolean getOrPost = get || request.method().equals("POST");
    try {
      if (endpoint.startsWith("/label/") && endpoint.endsWith("/values")) {
        return get ? labelValues(request, endpoint.substring(7, endpoint.length() - 7))
            : methodNotAllowed();
      }
      return switch (endpoint) {
        case "/query" -> getOrPost ? query(request) : methodNotAllowed();
        case "/query_range" -> getOrPost ? queryRange(request) : methodNotAllowed();
        case "/query_exemplars" -> getOrPost ? queryExemplars(request) : methodNotAllowed();
        case "/format_query" -> getOrPost ? formatQuery(request) : methodNotAllowed();
        case "/series" -> getOrPost ? series(request) : methodNotAllowed();
        case "/labels" -> getOrPost ? labelNames(request) : methodNotAllowed();
        case "/metadata" -> get ? success(j -> j.raw("{}")) : methodNotAllowed();
        case "/status/buildinfo" -> get ? buildInfo() : methodNotAllowed();
        case "/status/runtimeinfo" -> get ? runtimeInfo() : methodNotAllowed();
        case "/status/flags" -> get ? success(j -> j.stringMap(flags)) : methodNotAllowed();
        case "/status/config" -> get
            ? success(j -> j.raw("{\"yaml\":").string(configYaml.get()).raw("}"))
            : methodNotAllowed();
        default -> notFound();
      };
    } catch (ApiParams.BadParameter e) {
      return error("bad_data", "invalid parameter " + GoQuote.quote(e.parameter) + ": " + e.getMessage());
    } catch (QueryException e) {
      return queryError(e);
    } catch (RuntimeException e) {
      return error("internal", e.getMessage() == null ? e.toString() : e.getMessage());
    }
  }

  /**
   * {@code /federate}: the newest sample of every series matching a {@code match[]}, in the text
   * exposition format, for another Prometheus to scrape.
   */
  public ApiResponse federate(ApiRequest request) {
    if (!request.method().equals("GET")) {
      return methodNotAllowed();
    }
    return Federation.answer(request, queryable, clock.getAsLong(),
        engine.options().lookbackDelta().toMillis(), externalLabels);
  }

  private ApiResponse query(ApiRequest r) throws ApiParams.BadParameter {
    long time = ApiParams.timeParam(r, "time", clock.getAsLong());
    timeout(r);
    Expr expr;
    try {
      expr = PromqlParser.parse(nullToEmpty(r.param("query")));
    } catch (PromqlParseException e) {
      return error("bad_data", "invalid parameter \"query\": " + e.getMessage());
    }
    long started = System.nanoTime();
    QueryResult result = null;
    try {
      result = engine.instantQuery(queryableFor.apply(r), expr, time, queryOptionsFor.apply(r));
    } finally {
      observer.observe("query", result == null ? null : result.stats(), System.nanoTime() - started);
    }
    return queryData(r, result);
  }

  private ApiResponse queryRange(ApiRequest r) throws ApiParams.BadParameter {
    long start = ApiParams.time("start", nullToEmpty(r.param("start")));
    long end = ApiParams.time("end", nullToEmpty(r.param("end")));
    if (end < start) {
      throw new ApiParams.BadParameter("end", "end timestamp must not be before start time");
    }
    long stepNanos = ApiParams.durationNanos("step", nullToEmpty(r.param("step")));
    if (stepNanos <= 0) {
      throw new ApiParams.BadParameter("step",
          "zero or negative query resolution step widths are not accepted. Try a positive integer");
    }
    // Go divides durations in nanoseconds, (end - start) / step truncated, and time.Sub saturates:
    // a span too long for an int64 of nanoseconds counts as the longest one, never as short.
    long spanNanos;
    try {
      spanNanos = Math.multiplyExact(Math.subtractExact(end, start), 1_000_000L);
    } catch (ArithmeticException tooLong) {
      spanNanos = Long.MAX_VALUE;
    }
    if (spanNanos / stepNanos > MAX_POINTS) {
      return error("bad_data", "exceeded maximum resolution of 11,000 points per timeseries. Try"
          + " decreasing the query resolution (?step=XX)");
    }
    timeout(r);
    Expr expr;
    try {
      expr = PromqlParser.parse(nullToEmpty(r.param("query")));
    } catch (PromqlParseException e) {
      return error("bad_data", e.getMessage()); // 2.42 does not name the parameter here
    }
    long started = System.nanoTime();
    QueryResult result = null;
    try {
      result = engine.rangeQuery(queryableFor.apply(r), expr, start, end, stepNanos / 1_000_000L,
          queryOptionsFor.apply(r));
    } finally {
      observer.observe("query_range", result == null ? null : result.stats(),
          System.nanoTime() - started);
    }
    return queryData(r, result);
  }

  // Validated as Prometheus does; the engine's own timeout applies.
  private static void timeout(ApiRequest r) throws ApiParams.BadParameter {
    String timeout = r.param("timeout");
    if (timeout != null && !timeout.isEmpty()) {
      ApiParams.durationNanos("timeout", timeout);
    }
  }

  private ApiResponse queryData(ApiRequest r, QueryResult result) {
    String stats = r.param("stats");
    boolean withStats = stats != null && !stats.isEmpty();
    return ApiResponse.json(200, ApiJson.success(
        j -> j.queryData(result.value(), withStats ? result.stats() : null), result.warnings()));
  }

  private ApiResponse queryExemplars(ApiRequest r) throws ApiParams.BadParameter {
    long start = ApiParams.timeParam(r, "start", ApiParams.MIN_TIME_MS);
    long end = ApiParams.timeParam(r, "end", ApiParams.MAX_TIME_MS);
    if (end < start) {
      return error("bad_data", "end timestamp must not be before start timestamp");
    }
    try {
      PromqlParser.parse(nullToEmpty(r.param("query")));
    } catch (PromqlParseException e) {
      return error("bad_data", e.getMessage());
    }
    return success(j -> j.raw("[]")); // Strata keeps no exemplars
  }

  private ApiResponse formatQuery(ApiRequest r) {
    Expr expr;
    try {
      expr = PromqlParser.parse(nullToEmpty(r.param("query")));
    } catch (PromqlParseException e) {
      return error("bad_data", "invalid parameter \"query\": " + e.getMessage());
    }
    String pretty = Printer.pretty(expr);
    return success(j -> j.string(pretty));
  }

  private ApiResponse series(ApiRequest r) throws ApiParams.BadParameter {
    List<String> selectors = r.params("match[]");
    if (selectors.isEmpty()) {
      return error("bad_data", "no match[] parameter provided");
    }
    long start = ApiParams.timeParam(r, "start", ApiParams.MIN_TIME_MS);
    long end = ApiParams.timeParam(r, "end", ApiParams.MAX_TIME_MS);
    List<List<LabelMatcher>> sets = ApiParams.matchers(selectors);
    // Several selectors' series are merged, sorted and without duplicates.
    TreeSet<Labels> found = new TreeSet<>();
    List<String> warnings;
    // Prometheus's token for a lookup that needs no samples: a remote source can skip the chunks.
    SelectHints labelsOnly = new SelectHints(start, end, 0, SelectHints.SERIES, 0, 0);
    try (Querier q = queryableFor.apply(r).querier(start, end, labelsOnly)) {
      for (List<LabelMatcher> set : sets) {
        SeriesSet s = q.select(set.toArray(LabelMatcher[]::new));
        while (s.next()) {
          found.add(s.at().labels());
        }
      }
      warnings = q.warnings();
    }
    List<Labels> result = List.copyOf(found);
    return success(j -> j.labelsList(result), warnings);
  }

  private ApiResponse labelNames(ApiRequest r) throws ApiParams.BadParameter {
    return sortedUnion(r, Querier::labelNames);
  }

  private ApiResponse labelValues(ApiRequest r, String name) throws ApiParams.BadParameter {
    if (!LABEL_NAME.matcher(name).matches()) {
      return error("bad_data", "invalid label name: " + GoQuote.quote(name));
    }
    return sortedUnion(r, (q, matchers) -> q.labelValues(name, matchers));
  }

  // Names or values over the range, for all series or the union of each match[]'s, sorted.
  private ApiResponse sortedUnion(ApiRequest r, BiFunction<Querier, LabelMatcher[], List<String>> lookup)
      throws ApiParams.BadParameter {
    long start = ApiParams.timeParam(r, "start", ApiParams.MIN_TIME_MS);
    long end = ApiParams.timeParam(r, "end", ApiParams.MAX_TIME_MS);
    List<List<LabelMatcher>> sets = matchersUnnamed(r);
    TreeSet<String> union = new TreeSet<>(Utf8Order.COMPARATOR);
    List<String> warnings;
    try (Querier q = queryableFor.apply(r).querier(start, end)) {
      if (sets.isEmpty()) {
        union.addAll(lookup.apply(q, new LabelMatcher[0]));
      }
      for (List<LabelMatcher> set : sets) {
        union.addAll(lookup.apply(q, set.toArray(LabelMatcher[]::new)));
      }
      warnings = q.warnings();
    }
    return success(j -> j.strings(union), warnings);
  }

  // labels and label values report a bad match[] without naming the parameter, as 2.42 does.
  private static List<List<LabelMatcher>> matchersUnnamed(ApiRequest r) {
    try {
      return ApiParams.matchers(r.params("match[]"));
    } catch (ApiParams.BadParameter e) {
      throw new QueryException(QueryException.ErrorType.BAD_DATA, e.getMessage());
    }
  }

  private ApiResponse buildInfo() {
    BuildInfo b = buildInfo;
    return success(j -> j.raw("{\"version\":").string(b.version())
        .raw(",\"revision\":").string(b.revision())
        .raw(",\"branch\":").string(b.branch())
        .raw(",\"buildUser\":").string(b.buildUser())
        .raw(",\"buildDate\":").string(b.buildDate())
        .raw(",\"goVersion\":").string(b.goVersion()).raw("}"));
  }

  private ApiResponse runtimeInfo() {
    Map<String, Object> info = runtimeInfo.get();
    return success(j -> {
      j.raw("{");
      boolean first = true;
      for (Map.Entry<String, Object> e : info.entrySet()) {
        if (!first) {
          j.raw(",");
        }
        first = false;
        j.string(e.getKey()).raw(":");
        Object v = e.getValue();
        if (v instanceof Number || v instanceof Boolean) {
          j.raw(v.toString());
        } else {
          j.string(String.valueOf(v));
        }
      }
      j.raw("}");
    });
  }

  private static ApiResponse success(java.util.function.Consumer<ApiJson> data) {
    return success(data, List.of());
  }

  private static ApiResponse success(
      java.util.function.Consumer<ApiJson> data, List<String> warnings) {
    return ApiResponse.json(200, ApiJson.success(data, warnings));
  }

  private static ApiResponse queryError(QueryException e) {
    String type = switch (e.type()) {
      case BAD_DATA -> "bad_data";
      case EXECUTION -> "execution";
      case TIMEOUT -> "timeout";
      case CANCELED -> "canceled";
      case INTERNAL -> "internal";
    };
    return error(type, e.getMessage());
  }

  /** The error envelope with Prometheus's status code for the type. */
  static ApiResponse error(String type, String message) {
    int status = switch (type) {
      case "bad_data" -> 400;
      case "execution" -> 422;
      case "canceled", "timeout" -> 503;
      case "not_found" -> 404;
      default -> 500;
    };
    return ApiResponse.json(status, ApiJson.error(type, message));
  }

  private static ApiResponse notFound() {
    return ApiResponse.text(404, "404 page not found\n");
  }

  private static ApiResponse methodNotAllowed() {
    return ApiResponse.text(405, "Method Not Allowed\n");
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  /** The engine and source, plus what the status endpoints report. */
  public static final class Builder {
    private final Engine engine;
    private final Queryable queryable;
    private Function<ApiRequest, Queryable> queryableFor;
    private Function<ApiRequest, QueryOptions> queryOptionsFor = r -> QueryOptions.DEFAULTS;
    private LongSupplier clock = System::currentTimeMillis;
    private BuildInfo buildInfo = new BuildInfo("unknown", "unknown", "unknown", "unknown", "unknown", "unknown");
    private Map<String, String> flags = Map.of();
    private Supplier<String> configYaml = () -> "";
    private Supplier<Map<String, Object>> runtimeInfo;
    private QueryObserver observer = QueryObserver.NONE;
    private Map<String, String> externalLabels = Map.of();

    private Builder(Engine engine, Queryable queryable) {
      this.engine = Objects.requireNonNull(engine, "engine");
      this.queryable = Objects.requireNonNull(queryable, "queryable");
      this.queryableFor = r -> queryable;
      Instant started = Instant.now();
      this.runtimeInfo = () -> defaultRuntimeInfo(started);
    }

    /** The clock of an instant query without {@code time}, in milliseconds. */
    public Builder clock(LongSupplier value) {
      this.clock = value;
      return this;
    }

    public Builder buildInfo(BuildInfo value) {
      this.buildInfo = value;
      return this;
    }

    /** What {@code status/flags} lists: every flag with its value, as text. */
    public Builder flags(Map<String, String> value) {
      this.flags = Map.copyOf(value);
      return this;
    }

    public Builder configYaml(Supplier<String> value) {
      this.configYaml = value;
      return this;
    }

    /** The fields of {@code status/runtimeinfo}, in order. */
    public Builder runtimeInfo(Supplier<Map<String, Object>> value) {
      this.runtimeInfo = value;
      return this;
    }

    /** Labels {@code /federate} adds to series that lack them. */
    public Builder externalLabels(Map<String, String> value) {
      this.externalLabels = Map.copyOf(value);
      return this;
    }

    /**
     * Where each request of {@code query}, {@code query_range}, {@code series}, {@code labels} and
     * {@code label/<name>/values} reads from, for a source whose behaviour depends on parameters of
     * the request (Thanos's querier reads {@code dedup} or {@code partial_response} there). It may
     * throw a {@link QueryException} to reject the request, e.g. {@code BAD_DATA} for a bad
     * parameter. By default every request reads the queryable given to {@link #builder}, as does
     * {@code /federate} always.
     */
    public Builder queryableFor(Function<ApiRequest, Queryable> value) {
      this.queryableFor = Objects.requireNonNull(value, "queryableFor");
      return this;
    }

    /**
     * The settings of each request of {@code query} and {@code query_range} that override the
     * engine's (Thanos's querier widens the lookback for downsampled data). It may throw a {@link
     * QueryException} to reject the request. By default the engine's settings apply.
     */
    public Builder queryOptionsFor(Function<ApiRequest, QueryOptions> value) {
      this.queryOptionsFor = Objects.requireNonNull(value, "queryOptionsFor");
      return this;
    }

    /** Told of every query answered (metrics). */
    public Builder queryObserver(QueryObserver value) {
      this.observer = Objects.requireNonNull(value, "observer");
      return this;
    }

    public PrometheusApi build() {
      return new PrometheusApi(this);
    }

    private static Map<String, Object> defaultRuntimeInfo(Instant started) {
      Map<String, Object> m = new java.util.LinkedHashMap<>();
      m.put("startTime", started.toString());
      m.put("CWD", System.getProperty("user.dir"));
      m.put("reloadConfigSuccess", true);
      m.put("lastConfigTime", started.toString());
      m.put("corruptionCount", 0);
      m.put("goroutineCount", Thread.activeCount());
      m.put("GOMAXPROCS", Runtime.getRuntime().availableProcessors());
      m.put("GOGC", "");
      m.put("GODEBUG", "");
      m.put("storageRetention", "");
      return m;
    }
  }
}

package dev.strata.examples.cli.query;

import dev.strata.examples.cli.OptionTypes;
import dev.strata.examples.cli.PromqlOptions;
import dev.strata.examples.cli.VersionCommand;
import dev.strata.examples.server.GrpcMetrics;
import dev.strata.examples.server.HttpServer;
import dev.strata.examples.server.ListenAddress;
import dev.strata.examples.server.LoggingOptions;
import dev.strata.examples.server.ServerAddresses;
import dev.strata.examples.server.ServerLifecycle;
import dev.strata.promql.Engine;
import dev.strata.promql.api.ApiResponse;
import dev.strata.promql.api.BuildInfo;
import dev.strata.promql.api.PrometheusApi;
import dev.strata.tier.query.DynamicLookback;
import dev.strata.tier.query.EndpointQueryable;
import dev.strata.tier.query.EndpointSet;
import dev.strata.tier.query.EndpointStoreSource;
import dev.strata.tier.query.FileSd;
import dev.strata.tier.query.StoresJson;
import dev.strata.tier.storeapi.StoreApiServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code strata query}: the global view, as {@code thanos query}. Prometheus's HTTP API (and
 * Thanos's {@code /api/v1/stores}) over every StoreAPI endpoint given or listed in file_sd files,
 * their series merged and HA replicas deduplicated, with a web UI of its Graph and Stores pages
 * ({@link WebUi}); the same endpoints served again on the StoreAPI as one store of type {@code
 * query}, for a querier above.
 */
@Command(name = "query",
    description = "Query StoreAPI endpoints as one through Prometheus's HTTP API (as thanos query).")
public final class QueryCommand implements Callable<Integer> {
  @Option(names = {"--endpoint", "--store"}, paramLabel = "HOST:PORT",
      description = "A StoreAPI endpoint to query (repeatable; --store is the older name).")
  List<String> endpoints = new ArrayList<>();

  @Option(names = "--store.sd-files", paramLabel = "FILE",
      description = "A Prometheus file_sd file (YAML or JSON; * allowed in the name) listing"
          + " endpoints as targets; re-read when it changes (repeatable).")
  List<Path> sdFiles = new ArrayList<>();

  @Option(names = "--store.sd-interval", paramLabel = "DURATION", defaultValue = "5m",
      converter = OptionTypes.PositivePrometheusDuration.class,
      description = "How often the file_sd files are read again besides their changes"
          + " (default ${DEFAULT-VALUE}).")
  Duration sdInterval;

  @Option(names = "--store.unhealthy-timeout", paramLabel = "DURATION", defaultValue = "5m",
      converter = OptionTypes.PositivePrometheusDuration.class,
      description = "How long an endpoint may fail its checks before it is dropped"
          + " (default ${DEFAULT-VALUE}).")
  Duration unhealthyTimeout;

  @Option(names = "--query.replica-label", paramLabel = "NAME",
      description = "A label telling HA replicas apart, merged away by deduplication"
          + " (repeatable; replicaLabels[] of a request replaces them).")
  List<String> replicaLabels = new ArrayList<>();

  @Option(names = "--query.auto-downsampling",
      description = "Accept downsampled data down to a fifth of a range query's step when a"
          + " request does not say (max_source_resolution).")
  boolean autoDownsampling;

  // Thanos's flag pair; picocli's own negation does not apply to names with a dot. The last given
  // wins.
  @Option(names = "--query.partial-response",
      description = "Answer with the endpoints that answered, and a warning naming the others,"
          + " when a request does not say (partial_response); the default.")
  void partialResponseOn(boolean on) {
    noPartialResponse = !on;
  }

  @Option(names = "--no-query.partial-response",
      description = "Fail a query when an endpoint fails, unless the request says otherwise.")
  boolean noPartialResponse;

  @Option(names = "--query.max-concurrent", paramLabel = "N", defaultValue = "20",
      converter = OptionTypes.Positive.class,
      description = "Maximum queries evaluated at once (default ${DEFAULT-VALUE}).")
  int maxConcurrent;

  @Option(names = "--query.dynamic-lookback-delta", arity = "0..1", defaultValue = "true",
      fallbackValue = "true", hidden = true,
      description = "Widen a query's lookback to the resolution of the 5m or 1h data it accepts.")
  boolean dynamicLookback;

  @Option(names = "--query.default-step", paramLabel = "DURATION", defaultValue = "1s",
      converter = OptionTypes.PositivePrometheusDuration.class,
      description = "Smallest step of a range query without one; it gets at most 250 points"
          + " otherwise (default ${DEFAULT-VALUE}).")
  Duration defaultStep;

  @Option(names = "--web.external-prefix", paramLabel = "PATH", defaultValue = "",
      description = "The path this server is reached under behind a proxy; the default of"
          + " --web.route-prefix.")
  String externalPrefix;

  @Option(names = "--web.route-prefix", paramLabel = "PATH",
      description = "Serve every endpoint below this path (default: --web.external-prefix).")
  String routePrefix;

  @Mixin ServerAddresses addresses;
  @Mixin PromqlOptions promql;
  @Mixin LoggingOptions logging;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    // Made here, not when the class loads: --log.level must be set before the first logger.
    Logger log = LoggerFactory.getLogger(QueryCommand.class);
    ServerLifecycle lifecycle = new ServerLifecycle("query");
    PrometheusRegistry registry = new PrometheusRegistry();
    JvmMetrics.builder().register(registry);

    EndpointSet.Builder set = EndpointSet.builder().unhealthyTimeout(unhealthyTimeout);
    endpoints.forEach(set::endpoint);
    if (!sdFiles.isEmpty()) {
      set.fileSd(FileSd.builder().files(sdFiles).refreshInterval(sdInterval).start());
    }
    EndpointSet endpointSet = lifecycle.closeAtStop(set.start());
    log.info("querying {} endpoints given and those of {} file_sd files; replica labels {}",
        endpoints.size(), sdFiles.size(), replicaLabels);

    RequestOptions options = new RequestOptions(replicaLabels, partialResponse(), autoDownsampling,
        new DynamicLookback(promql.lookbackDelta(), dynamicLookback));
    Engine engine = new Engine(promql.engine().maxConcurrency(maxConcurrent).build());
    EndpointQueryable defaults =
        new EndpointQueryable(endpointSet, options.defaults());
    PrometheusApi api = PrometheusApi.builder(engine, defaults)
        .queryableFor(r -> new EndpointQueryable(endpointSet, options.of(r)))
        .queryOptionsFor(options::queryOptions)
        .buildInfo(new BuildInfo(VersionCommand.strataVersion(), "", "", "", "",
            "java" + System.getProperty("java.version")))
        .flags(flags())
        .build();
    DefaultStep step = new DefaultStep(defaultStep.toMillis());
    String prefix = routePrefix == null ? externalPrefix : routePrefix;
    HttpServer.Builder httpRoutes = HttpServer.builder(addresses.http(), registry)
        .routePrefix(prefix)
        .gracePeriod(addresses.httpGracePeriod())
        .get(PrometheusApi.ROOT + "/stores", r -> ApiResponse.json(200,
            StoresJson.response(endpointSet.statuses()).getBytes(StandardCharsets.UTF_8)))
        .route(PrometheusApi.ROOT + "/", Set.of("GET", "POST"), r -> api.handle(step.apply(r)));
    WebUi.register(httpRoutes);
    HttpServer http = lifecycle.closeAtStop(httpRoutes.build().start());

    StoreApiServer grpc = lifecycle.closeAtStop(
        StoreApiServer.builder(addresses.grpcSocket(),
                new EndpointStoreSource(endpointSet, partialResponse()))
            .gracePeriod(addresses.grpcGracePeriod())
            .intercept(new GrpcMetrics(registry))
            .start());
    spec.commandLine().getOut().printf("strata query: HTTP on http://%s%s, StoreAPI (gRPC) on %s%n",
        new ListenAddress(addresses.http().host(), http.port()), prefix,
        new ListenAddress(addresses.grpc().host(), grpc.port()));
    spec.commandLine().getOut().flush();
    lifecycle.awaitStop();
    return 0;
  }

  boolean partialResponse() {
    return !noPartialResponse;
  }

  // Every option with its value as text, as Thanos's /api/v1/status/flags lists them.
  private Map<String, String> flags() {
    Map<String, String> flags = new LinkedHashMap<>();
    for (CommandLine.Model.OptionSpec o : spec.options()) {
      if (o.longestName().startsWith("--") && !o.usageHelp() && !o.versionHelp()) {
        Object v = o.getValue();
        flags.put(o.longestName().substring(2), v == null ? "" : String.valueOf(v));
      }
    }
    // A setter option has no value of its own: the pair's outcome stands for both.
    flags.put("query.partial-response", String.valueOf(partialResponse()));
    return flags;
  }
}

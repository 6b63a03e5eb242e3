package dev.strata.examples.cli;

import dev.strata.downsample.DownsampledQueryable;
import dev.strata.downsample.ResolutionChoice;
import dev.strata.examples.server.HttpServer;
import dev.strata.examples.server.ListenAddress;
import dev.strata.examples.server.LoggingOptions;
import dev.strata.examples.server.ServerLifecycle;
import dev.strata.promql.Engine;
import dev.strata.promql.Queryable;
import dev.strata.promql.api.BuildInfo;
import dev.strata.promql.api.PrometheusApi;
import dev.strata.tsdb.ReadOnlyTsdb;
import dev.strata.tsdb.Tsdb;
import dev.strata.tsdb.TsdbOptions;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
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
 * {@code strata serve}: one data directory (Strata's or Prometheus's) behind Prometheus's HTTP
 * query API, with Prometheus's flag names, so that Grafana and {@code promtool query} use it as
 * they use Prometheus.
 */
@Command(name = "serve",
    description = "Serve a data directory through Prometheus's HTTP query API (PromQL).")
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--storage.tsdb.path", paramLabel = "DIR", defaultValue = "data/",
      description = "The data directory (default ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--web.listen-address", paramLabel = "HOST:PORT", defaultValue = "0.0.0.0:9090",
      converter = ListenAddress.Converter.class,
      description = "Where to serve the API, /metrics and the health endpoints (default ${DEFAULT-VALUE}).")
  ListenAddress listenAddress;

  @Option(names = "--web.route-prefix", paramLabel = "PATH", defaultValue = "",
      description = "Serve every endpoint below this path, e.g. /prometheus behind a proxy.")
  String routePrefix;

  @Option(names = "--read-only",
      description = "Open the directory for reading only: its blocks and WAL, never written or locked"
          + " (a running Prometheus's directory, or a copy).")
  boolean readOnly;

  @Option(names = "--query.max-samples", paramLabel = "N", defaultValue = "50000000",
      converter = OptionTypes.PositiveLong.class,
      description = "Maximum samples a query may hold in memory at once (default ${DEFAULT-VALUE}).")
  long maxSamples;

  @Option(names = "--query.max-concurrency", paramLabel = "N", defaultValue = "20",
      converter = OptionTypes.Positive.class,
      description = "Maximum queries evaluated at once (default ${DEFAULT-VALUE}).")
  int maxConcurrency;

  @Mixin PromqlOptions promql;
  @Mixin LoggingOptions logging;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    // Made here, not when the class loads: --log.level must be set before the first logger.
    Logger log = LoggerFactory.getLogger(ServeCommand.class);
    ServerLifecycle lifecycle = new ServerLifecycle("serve");
    Queryable source;
    if (readOnly) {
      ReadOnlyTsdb db = lifecycle.closeAtStop(ReadOnlyTsdb.open(dataDir));
      long downsampled = db.blocks().stream().filter(ReadOnlyTsdb::isDownsampled).count();
      log.info("opened {} read-only: {} blocks, {} of them downsampled", dataDir,
          db.blocks().size(), downsampled);
      // Raw data wherever there is some; downsampled blocks answer only where it is gone.
      source = downsampled == 0 ? db::querier
          : new DownsampledQueryable(db.blocks(), ResolutionChoice.finestFirst(), db::headReaders);
    } else {
      Tsdb db = lifecycle.closeAtStop(Tsdb.open(dataDir, TsdbOptions.defaults()));
      log.info("opened {}: {} blocks", dataDir, db.blocks().size());
      source = db::querier;
    }
    Engine engine = new Engine(
        promql.engine().maxSamples(maxSamples).maxConcurrency(maxConcurrency).build());

    PrometheusRegistry registry = new PrometheusRegistry();
    JvmMetrics.builder().register(registry);
    PrometheusApi api = PrometheusApi.builder(engine, source)
        .buildInfo(new BuildInfo(VersionCommand.strataVersion(), "", "", "", "",
            "java" + System.getProperty("java.version")))
        .flags(flags())
        .configYaml(() -> "global:\n  scrape_interval: 1m\n  scrape_timeout: 10s\n"
            + "  evaluation_interval: 1m\n")
        .queryObserver(queryMetrics(registry))
        .build();
    HttpServer http = HttpServer.builder(listenAddress, registry)
        .routePrefix(routePrefix)
        .route(PrometheusApi.ROOT + "/", Set.of("GET", "POST"), api::handle)
        .get("/federate", api::federate)
        .build();
    lifecycle.closeAtStop(http.start());
    spec.commandLine().getOut().printf("strata serve: %s on http://%s%s/%n", dataDir,
        new ListenAddress(listenAddress.host(), http.port()), routePrefix);
    spec.commandLine().getOut().flush();
    lifecycle.awaitStop();
    return 0;
  }

  // Every option with its value as text, as Prometheus's /api/v1/status/flags lists them.
  private Map<String, String> flags() {
    Map<String, String> flags = new LinkedHashMap<>();
    for (CommandLine.Model.OptionSpec o : spec.options()) {
      if (o.longestName().startsWith("--") && !o.usageHelp() && !o.versionHelp()) {
        Object v = o.getValue();
        flags.put(o.longestName().substring(2), v == null ? "" : String.valueOf(v));
      }
    }
    return flags;
  }

  private static dev.strata.promql.api.QueryObserver queryMetrics(PrometheusRegistry registry) {
    Counter queries = Counter.builder().name("strata_promql_queries_total")
        .help("PromQL queries answered, by kind and outcome.").labelNames("kind", "outcome")
        .register(registry);
    Histogram durations = Histogram.builder().name("strata_promql_query_duration_seconds")
        .help("Time to evaluate a PromQL query, by kind.").labelNames("kind")
        .classicUpperBounds(0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)
        .register(registry);
    Counter samples = Counter.builder().name("strata_promql_samples_read_total")
        .help("Samples read from storage by PromQL queries.").register(registry);
    return (kind, stats, nanos) -> {
      queries.labelValues(kind, stats == null ? "error" : "success").inc();
      durations.labelValues(kind).observe(nanos / 1e9);
      if (stats != null) {
        samples.inc(stats.samples());
      }
    };
  }
}

package dev.strata.examples.cli.bucket;

import dev.strata.examples.cli.OptionTypes;
import dev.strata.examples.server.HttpAddress;
import dev.strata.examples.server.HttpServer;
import dev.strata.examples.server.ListenAddress;
import dev.strata.examples.server.LoggingOptions;
import dev.strata.examples.server.ServerLifecycle;
import dev.strata.tier.objstore.Bucket;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code strata bucket web}: the bucket web page as a server of its own, as Thanos's {@code tools
 * bucket web}: a timeline of the bucket's blocks at {@code /blocks} and {@code GET
 * /api/v1/blocks}, listed again every {@code --refresh}. Ready once the first listing is done.
 */
@Command(name = "web",
    description = "Serve a web page of the bucket's blocks on a timeline (as thanos tools bucket web).")
final class WebCommand implements Callable<Integer> {
  @Mixin ObjstoreOption objstore;
  @Mixin HttpAddress http;
  @Mixin LoggingOptions logging;

  @Option(names = "--refresh", paramLabel = "DURATION", defaultValue = "30m",
      converter = OptionTypes.PositivePrometheusDuration.class,
      description = "How often the bucket is listed again (default ${DEFAULT-VALUE}).")
  Duration refresh;

  @Option(names = "--web.route-prefix", paramLabel = "PATH", defaultValue = "",
      description = "Serve everything below this path (e.g. /bucket behind a proxy).")
  String routePrefix;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Bucket[] opened = new Bucket[1];
    int failed = ObjstoreOption.guarded(spec, () -> {
      opened[0] = objstore.open();
      return 0;
    });
    if (failed != 0) {
      return failed;
    }
    ServerLifecycle lifecycle = new ServerLifecycle("bucket web");
    Bucket bucket = lifecycle.closeAtStop(opened[0]);
    PrometheusRegistry registry = new PrometheusRegistry();
    JvmMetrics.builder().register(registry);
    BucketWeb web = new BucketWeb();
    HttpServer.Builder routes = HttpServer.builder(http.address(), registry)
        .gracePeriod(http.gracePeriod())
        .routePrefix(routePrefix)
        .readiness(web::refreshed);
    web.register(routes);
    lifecycle.closeAtStop(web.refreshEvery(bucket, refresh));
    HttpServer server = lifecycle.closeAtStop(routes.build().start());
    spec.commandLine().getOut().printf("strata bucket web: HTTP on http://%s, bucket %s, a"
            + " listing every %d s%n", new ListenAddress(http.address().host(), server.port()),
        bucket.name(), refresh.toSeconds());
    spec.commandLine().getOut().flush();
    lifecycle.awaitStop();
    return 0;
  }
}

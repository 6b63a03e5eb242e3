package dev.strata.examples.cli.bucket;

import dev.strata.examples.server.HttpServer;
import dev.strata.examples.server.ServerLifecycle;
import dev.strata.tier.objstore.Bucket;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * {@code --web.disable}, as the compactor and store gateway of Thanos have it: unless given, the
 * component serves the bucket web page ({@link BucketWeb}) on its HTTP address.
 */
public final class BucketWebOption {
  @Option(names = "--web.disable",
      description = "Do not serve the bucket web page (/blocks) and /api/v1/blocks.")
  boolean disabled;

  private BucketWeb web;

  /** Adds the page's routes to {@code http}, unless disabled. */
  public void register(HttpServer.Builder http) {
    if (!disabled) {
      web = new BucketWeb();
      web.register(http);
    }
  }

  /** Lists {@code bucket} for the page now and every {@code interval}, until the stop. */
  public void start(Bucket bucket, Duration interval, ServerLifecycle lifecycle) {
    if (web != null) {
      lifecycle.closeAtStop(web.refreshEvery(bucket, interval));
    }
  }
}

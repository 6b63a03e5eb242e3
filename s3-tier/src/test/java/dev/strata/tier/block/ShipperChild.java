package dev.strata.tier.block;

import dev.strata.tier.objstore.S3Bucket;
import dev.strata.tier.objstore.S3Options;
import dev.strata.tier.testing.LocalS3Server;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Ships a TSDB directory to S3 in its own JVM, so that a test can kill it midway. */
public final class ShipperChild {
  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args[0]);
    S3Options options = S3Options.builder(args[2]).endpoint(URI.create(args[1])).pathStyle(true)
        .credentials(LocalS3Server.ACCESS_KEY, LocalS3Server.SECRET_KEY, null)
        .retryDelays(Duration.ofMillis(5), Duration.ofMillis(50)).build();
    try (S3Bucket bucket = S3Bucket.open(options);
        Shipper shipper = Shipper.builder(dataDir, bucket).externalLabels(Map.of("replica", "a")).build()) {
      System.out.println("shipped " + shipper.sync());
    }
  }
}

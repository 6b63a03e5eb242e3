package dev.strata.benchmarks.query;

import dev.strata.tier.block.BucketBlocks;
import dev.strata.tier.objstore.Bucket;
import dev.strata.tier.objstore.BucketConfig;
import dev.strata.tsdb.block.BlockDirectories;
import dev.strata.tsdb.block.ThanosMeta;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Uploads the blocks of a data directory to a bucket as one Prometheus replica's would be
 * shipped: each block with the given external labels, as a sidecar uploads them.
 *
 * <p>{@code java -cp benchmarks.jar dev.strata.benchmarks.query.ReplicaUpload
 * --objstore.config-file=F --blocks=DIR --labels=cluster=c1,replica=a [--prefix=P]}. Blocks
 * already in the bucket are left as they are, so that a rerun over a kept work directory does not
 * upload again.
 */
public final class ReplicaUpload {
  private ReplicaUpload() {}

  public static void main(String[] args) throws IOException {
    Path objstore = null;
    Path blocks = null;
    Map<String, String> labels = new LinkedHashMap<>();
    String prefix = "";
    for (String arg : args) {
      String value = arg.substring(arg.indexOf('=') + 1);
      if (arg.startsWith("--objstore.config-file=")) {
        objstore = Path.of(value);
      } else if (arg.startsWith("--blocks=")) {
        blocks = Path.of(value);
      } else if (arg.startsWith("--labels=")) {
        for (String pair : value.split(",")) {
          int eq = pair.indexOf('=');
          labels.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
      } else if (arg.startsWith("--prefix=")) {
        prefix = value;
      } else {
        throw new IllegalArgumentException("unknown argument " + arg + "; usage:"
            + " --objstore.config-file=F --blocks=DIR --labels=NAME=VALUE,... [--prefix=P]");
      }
    }
    if (objstore == null || blocks == null || labels.isEmpty()) {
      throw new IllegalArgumentException(
          "--objstore.config-file, --blocks and --labels are required");
    }
    long started = System.nanoTime();
    int uploaded = 0;
    try (Bucket bucket = BucketConfig.read(objstore).withPrefix(prefix).open()) {
      BucketBlocks shipper = new BucketBlocks(bucket);
      ThanosMeta thanos = new ThanosMeta(labels, ThanosMeta.RESOLUTION_RAW, "benchmark");
      for (var block : BlockDirectories.list(blocks)) {
        if (!bucket.exists(block.ulid() + "/meta.json")) {
          shipper.upload(block.path(), thanos);
          uploaded++;
        }
      }
    }
    System.out.printf("uploaded %d blocks with %s%s in %.1f s%n", uploaded, labels,
        prefix.isEmpty() ? "" : " under " + prefix + "/", (System.nanoTime() - started) / 1e9);
  }
}

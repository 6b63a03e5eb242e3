package dev.strata.examples.cli.bucket;

import dev.strata.tier.objstore.Bucket;
import dev.strata.tier.objstore.BucketConfig;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --objstore.config-file} option every bucket subcommand takes, as Thanos's tools do. */
final class ObjstoreOption {
  @Option(
      names = "--objstore.config-file",
      required = true,
      paramLabel = "FILE",
      description = "YAML object storage configuration (type: S3 or FILESYSTEM), as for Thanos.")
  Path configFile;

  /**
   * Opens the bucket to read it: the bucket commands only read, so a filesystem bucket's missing
   * directory is an error (most likely a typo), not an empty bucket.
   */
  Bucket open() throws IOException {
    return BucketConfig.read(configFile).openExisting();
  }

  /** What a subcommand does, failing with an I/O error at worst. */
  @FunctionalInterface
  interface Body {
    int run() throws IOException;
  }

  /**
   * Runs {@code body}; a failure to reach or read the bucket is one line on stderr (the messages
   * say what to check, and never hold credentials) and exit code 2, not a stack trace.
   */
  static int guarded(picocli.CommandLine.Model.CommandSpec spec, Body body) {
    try {
      return body.run();
    } catch (IOException | java.io.UncheckedIOException
        | dev.strata.tsdb.encoding.CorruptDataException e) {
      Throwable t = e instanceof java.io.UncheckedIOException u ? u.getCause() : e;
      spec.commandLine().getErr().println("strata " + spec.qualifiedName(" ").replaceFirst("^strata ", "")
          + ": " + t.getMessage());
      spec.commandLine().getErr().flush();
      return 2;
    }
  }
}

package dev.strata.examples.cli;

import dev.strata.tier.objstore.BucketConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The object storage of a server, as Thanos's components take it: {@code --objstore.config-file}
 * naming a YAML file ({@code type: S3} or {@code FILESYSTEM}). Optional here; a component that
 * cannot work without a bucket says so with {@link #required}.
 */
public final class ObjstoreOptions {
  @Option(names = "--objstore.config-file", paramLabel = "FILE",
      description = "YAML object storage configuration (type: S3 or FILESYSTEM), as for Thanos.")
  Path configFile;

  /** The configuration, if the option was given; a clear error if the file is unreadable. */
  public Optional<BucketConfig> config() throws IOException {
    return configFile == null ? Optional.empty() : Optional.of(BucketConfig.read(configFile));
  }

  /** The configuration, which {@code component} cannot run without. */
  public BucketConfig required(picocli.CommandLine.Model.CommandSpec spec) throws IOException {
    if (configFile == null) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "Missing required option: '--objstore.config-file=FILE' (the bucket to serve)");
    }
    return BucketConfig.read(configFile);
  }

  /** The file, for log lines. */
  public Path file() {
    return configFile;
  }
}

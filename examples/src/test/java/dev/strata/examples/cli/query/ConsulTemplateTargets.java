package dev.strata.examples.cli.query;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * A querier's file_sd file as the Nomad job's Consul template renders it: one target group of
 * the registered sidecars and one of the stores, each labelled with its service. Every rendering
 * replaces the file atomically (a new file moved over the old one), as consul-template writes it.
 */
final class ConsulTemplateTargets {
  private final Path file;

  ConsulTemplateTargets(Path file) {
    this.file = file;
  }

  Path file() {
    return file;
  }

  /** Renders the file for the services' {@code host:port} addresses; empty lists are allowed. */
  void render(List<String> sidecars, List<String> stores) throws IOException {
    StringBuilder yaml = new StringBuilder();
    group(yaml, "thanos-sidecar", sidecars);
    group(yaml, "thanos-store", stores);
    Path next = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(next, yaml);
    Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static void group(StringBuilder yaml, String service, List<String> addresses) {
    yaml.append("- targets: [");
    for (int i = 0; i < addresses.size(); i++) {
      yaml.append(i == 0 ? "" : ", ").append('\'').append(addresses.get(i)).append('\'');
    }
    yaml.append("]\n  labels:\n    service: ").append(service).append('\n');
  }
}

package dev.strata.examples.cli.tsdb;

import dev.strata.tsdb.testing.PrometheusToolsExtension;

/** Whether the Prometheus tools are here; class set-up skips its work without them. */
final class PrometheusTools {
  private PrometheusTools() {}

  static boolean missing() {
    return PrometheusToolsExtension.findOnPath("promtool").isEmpty();
  }
}

package dev.strata.examples.cli.compact;

import dev.strata.tier.compact.BucketCompactor;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The compactor's metrics, under Thanos's names where Thanos has one so that its alerts apply
 * ({@code thanos_compact_halted} above all), and Strata's for the bytes moved.
 */
final class CompactMetrics {
  private final Counter iterations;
  private final Counter failures;
  private final Counter compactions;
  private final Counter downsamples;
  private final Counter marked;
  private final Counter cleaned;
  private final Counter partialUploads;
  private final Counter bytesDownloaded;
  private final Counter bytesUploaded;
  private final Gauge halted;
  private final Gauge lastSuccess;

  CompactMetrics(PrometheusRegistry registry) {
    iterations = Counter.builder().name("thanos_compact_iterations_total")
        .help("Passes over the bucket that finished.").register(registry);
    failures = Counter.builder().name("thanos_compact_iterations_failures_total")
        .help("Passes that failed (retried at the next interval).").register(registry);
    compactions = Counter.builder().name("thanos_compact_group_compactions_total")
        .help("Blocks made by compaction.").register(registry);
    downsamples = Counter.builder().name("thanos_compact_downsample_total")
        .help("Blocks made by downsampling.").register(registry);
    marked = Counter.builder().name("thanos_compact_blocks_marked_total")
        .help("Blocks marked for deletion: compacted, redundant or past retention.")
        .register(registry);
    cleaned = Counter.builder().name("thanos_compact_blocks_cleaned_total")
        .help("Blocks deleted once marked longer than the delete delay.").register(registry);
    partialUploads = Counter.builder().name("thanos_compact_aborted_partial_uploads_deletion_attempts_total")
        .help("Abandoned partial uploads removed.").register(registry);
    bytesDownloaded = Counter.builder().name("strata_compact_downloaded_bytes_total")
        .help("Bytes of blocks downloaded to compact or downsample.").register(registry);
    bytesUploaded = Counter.builder().name("strata_compact_uploaded_bytes_total")
        .help("Bytes of blocks uploaded.").register(registry);
    halted = Gauge.builder().name("thanos_compact_halted")
        .help("1 when the compactor has halted on a problem that needs a person.")
        .register(registry);
    lastSuccess = Gauge.builder().name("thanos_compact_last_successful_run_timestamp_seconds")
        .help("When the last pass finished, in Unix seconds.").register(registry);
  }

  void record(BucketCompactor.Pass pass) {
    iterations.inc();
    compactions.inc(pass.compacted().size());
    downsamples.inc(pass.downsampled().size());
    marked.inc(pass.markedForDeletion().size());
    cleaned.inc(pass.deleted().size());
    partialUploads.inc(pass.partialUploadsRemoved().size());
    bytesDownloaded.inc(pass.bytesDownloaded());
    bytesUploaded.inc(pass.bytesUploaded());
    lastSuccess.set(System.currentTimeMillis() / 1000.0);
  }

  void failed() {
    failures.inc();
  }

  void halted() {
    halted.set(1);
  }
}
